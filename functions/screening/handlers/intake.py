"""IntakeFunction: POST /intakes, the public route. Validate → screen → store once → alert on critical flags.

Its role may write new intakes and publish alerts, and read nothing. The IntakeReceived event goes out from the
table's stream (handlers/announce.py), so the patient's request makes no EventBridge call.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from screening.alerts import RESERVE_S as ALERT_RESERVE_S
from screening.alerts import publish_critical_alert
from screening.clinic_time import local_date, received_at
from screening.contract.intake import MAX_BODY_BYTES, IntakeForm
from screening.contract.responses import IntakeAccepted
from screening.contract.screening import Screening, Severity
from screening.handlers.http import (
    RequestRejected,
    documented,
    intake_store,
    json_response,
    logger,
    metrics,
    parse_body,
    register_error_handlers,
    resolve,
    store_error_response,
)
from screening.rules import screen
from screening.settings import get_settings
from screening.store.errors import StoreError
from screening.store.records import NewIntake, iso

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayHttpResolver()
register_error_handlers(app)

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ALERT_WINDOW_TTL_SECONDS = 3600
GUESSABLE_KEY_LENGTH = 22
"""A random UUID has 36 characters and a 128-bit base64url key 22: shorter keys can be guessed or claimed first."""
_IDEMPOTENT_IDS = uuid.UUID("6f1c2f4e-8d0a-4b52-9a8e-3c1f0b7d2e11")  # namespace of ids derived from form keys


def _idempotency_key() -> str | None:
    key = app.current_event.headers.get("idempotency-key")
    if key is None:
        return None
    if not _IDEMPOTENCY_KEY.match(key):
        raise RequestRejected(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "the Idempotency-Key header is not valid",
            [{"field": "headers.Idempotency-Key", "message": "1 to 64 characters of A-Z, a-z, 0-9, _ and -"}],
            ["idempotency_key"],
        )
    if len(key) < GUESSABLE_KEY_LENGTH:
        metrics.add_metric(name="ShortIdempotencyKeys", unit=MetricUnit.Count, value=1)
    return key


@app.post(
    "/intakes",
    summary="Submit an intake form (contract v1)",
    tags=["intake"],
    responses={
        201: documented("Stored and screened", IntakeAccepted),
        200: documented("Replay of a stored form (same Idempotency-Key and body)", IntakeAccepted),
        400: documented("Not a JSON object"),
        409: documented("Idempotency-Key reused for another form"),
        413: documented("Body over 64 KiB, or the intake as stored over its size budget"),
        415: documented("Not application/json"),
        422: documented("Field errors"),
        500: documented("Storage refused the write for good; `patient_advice` still given for an emergency"),
        503: documented("Storage busy; retry after Retry-After seconds; `patient_advice` still given for an emergency"),
    },
    openapi_extensions={
        "x-request-model": "IntakeForm",
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": (
                    "One key per filled-in form: a retry with the same key and body returns the same id. Use a random"
                    " UUID: keys shorter than 22 characters are accepted but counted, since they can be guessed."
                ),
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
            }
        ],
    },
)
def submit_intake() -> Response[str]:
    now = received_at(app.current_event.request_context.time_epoch)  # set by AWS, not the caller
    today = local_date(now)  # the clinic's calendar: ages and "recent" answers are judged on the clinic's day
    key = _idempotency_key()
    form = parse_body(app.current_event, IntakeForm, MAX_BODY_BYTES, context={"today": today, "now": now})
    screening = screen(_in_an_enabled_language(form), today, emergency_number=get_settings().emergency_number)

    answers_json = form.model_dump_json(exclude_none=True)
    body_hash = hashlib.sha256(f"{key or ''}\n{answers_json}".encode()).hexdigest()
    intake_id = str(uuid.uuid5(_IDEMPOTENT_IDS, key) if key else uuid.uuid4())
    try:
        stored = intake_store().put_new(NewIntake(intake_id, now, form, answers_json, screening, body_hash))
    except StoreError as exc:
        # Not stored, but the patient with an emergency answer must still be told to seek care today.
        advice = {"patient_advice": screening.patient_advice} if screening.patient_advice else {}
        return store_error_response(exc, **advice)

    logger.append_keys(intake_id=intake_id)
    logger.info(
        "intake stored",
        extra={"status": screening.status, "severity": screening.highest_severity, "replayed": stored.replayed},
    )
    if stored.replayed:
        metrics.add_metric(name="IntakesReplayed", unit=MetricUnit.Count, value=1)
    else:
        metrics.add_metric(name="IntakesStored", unit=MetricUnit.Count, value=1)
        if screening.status == "needs_review":
            metrics.add_metric(name="IntakesNeedingReview", unit=MetricUnit.Count, value=1)
        if screening.highest_severity is Severity.CRITICAL:
            _alert(intake_id, now, screening)

    accepted = IntakeAccepted(id=intake_id, patient_advice=screening.patient_advice)
    return json_response(HTTPStatus.OK if stored.replayed else HTTPStatus.CREATED, accepted)


def _in_an_enabled_language(form: IntakeForm) -> IntakeForm:
    """The form to screen: the patient's advice comes in a language the clinic has enabled (a clinic enables a
    language once a clinician has reviewed its texts), else in its first one. The stored answers keep the form's own
    locale."""
    enabled = get_settings().enabled_locales
    return form if form.locale in enabled else form.model_copy(update={"locale": enabled[0]})


def _alert(intake_id: str, received_at: datetime, screening: Screening) -> None:
    """The intake is already stored: a failed alert is logged and counted, and the patient still gets a 201.

    At most one alert a minute: a flood of critical forms must not become a flood of emails (the one sent says to
    check the queue). When the minute's window cannot be claimed for a storage fault, the alert goes out anyway.
    """
    settings = get_settings()
    if settings.alert_topic_arn is None:
        logger.warning("no alert topic configured; critical intake not announced")
        return
    minute = received_at.strftime("%Y-%m-%dT%H:%M")
    try:
        claimed = intake_store().claim_alert_window(minute, int(received_at.timestamp()) + ALERT_WINDOW_TTL_SECONDS)
    except StoreError as exc:
        logger.warning("alert window unavailable; alerting anyway", extra={"error_type": type(exc).__name__})
        claimed = True
    if not claimed:
        logger.info("critical alert suppressed: this minute's alert was already sent")
        metrics.add_metric(name="CriticalAlertsSuppressed", unit=MetricUnit.Count, value=1)
        return
    try:
        publish_critical_alert(
            settings.alert_topic_arn, intake_id, iso(received_at), screening, settings.review_page_url
        )
        metrics.add_metric(name="CriticalAlertsSent", unit=MetricUnit.Count, value=1)
    except Exception as exc:
        logger.error("critical alert not sent", extra={"error_type": type(exc).__name__})
        metrics.add_metric(name="CriticalAlertsFailed", unit=MetricUnit.Count, value=1)
        _release(minute)


def _release(minute: str) -> None:
    """Free the minute's window after a failed alert, so the next critical intake of the minute alerts."""
    try:
        intake_store().release_alert_window(minute)
    except StoreError as exc:
        logger.warning("alert window not released", extra={"error_type": type(exc).__name__})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context, reserve_s=ALERT_RESERVE_S)
