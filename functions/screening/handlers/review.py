"""ReviewFunction: the practitioner routes, behind API Gateway's JWT authorizer.

The handler checks the verified claims itself as well (defence in depth): no claims → 401, no practitioner group → 403.
Every route that reads or changes patient data writes its audit item first (see handlers.access); when that write
fails, the request fails with 503.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, date, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from screening import events
from screening.clinic_time import local_date
from screening.contract.catalog import CatalogExport
from screening.contract.review import (
    MAX_PAGE_SIZE,
    ConflictBody,
    DayPage,
    IntakeRecord,
    IntakeView,
    PatientSearch,
    QueuePage,
    ReviewRequest,
    decision_rule_errors,
)
from screening.day_export import day_csv
from screening.fhir.errors import NoAnswers
from screening.handlers.access import known_intake_id, record_access, require_group
from screening.handlers.http import (
    RequestRejected,
    documented,
    error_response,
    intake_store,
    json_response,
    logger,
    metrics,
    parse_body,
    publish_event,
    register_error_handlers,
    resolve,
)
from screening.handlers.paging import page_limit
from screening.rules import catalog_export
from screening.settings import get_settings
from screening.store.errors import VersionConflict
from screening.store.records import (
    PENDING,
    REVIEWED,
    Decision,
    critical_rule_ids,
    iso,
    patient_key,
    to_record,
    to_view,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayHttpResolver()
register_error_handlers(app)

_MAX_REVIEW_BYTES = 8 * 1024
_MAX_SEARCH_BYTES = 2 * 1024
_MAX_EXPORT_ROWS = 1000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FHIR_JSON = "application/fhir+json"
_SECURITY: list[dict[str, list[str]]] = [{"CognitoJwt": []}]
_AUTH_RESPONSES: dict[int, Any] = {
    401: documented("No verified token"),
    403: documented("Not in the practitioners group"),
}


_STATUS_PARAMETER = {
    "name": "status",
    "in": "query",
    "required": False,
    "description": "pending (most urgent first) or reviewed (most recent decision first)",
    "schema": {"type": "string", "enum": [PENDING, REVIEWED], "default": PENDING},
    "example": PENDING,
}
PAGE_PARAMETERS = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "Items per page",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 25},
        "example": 25,
    },
    {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "`next_cursor` of the previous page, as given",
        "schema": {"type": "string", "maxLength": 512},
    },
]


def _groups(claims: dict[str, Any]) -> set[str]:
    """`cognito:groups` as API Gateway passes it: a string such as "[practitioners admins]", or a real list."""
    raw = claims.get("cognito:groups")
    if isinstance(raw, list):
        return {str(group) for group in raw}
    if isinstance(raw, str):
        return {group for group in raw.strip("[]").replace(",", " ").split() if group}
    return set()


app.use(middlewares=[require_group(lambda settings: settings.practitioner_group, "practitioner")])


@app.get(
    "/reviews",
    summary="The review queue: pending most urgent first, or reviewed most recent first",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("A page", QueuePage),
        400: documented("Bad status, limit or cursor"),
        **_AUTH_RESPONSES,
        503: documented("The access could not be audited; nothing was shown"),
    },
    openapi_extensions={"parameters": [_STATUS_PARAMETER, *PAGE_PARAMETERS]},
)
def list_reviews() -> Response[str]:
    query = app.current_event.query_string_parameters or {}
    status = query.get("status", PENDING)
    if status not in (PENDING, REVIEWED):
        raise RequestRejected(
            HTTPStatus.BAD_REQUEST, "status is not valid", [{"field": "query.status", "message": "pending or reviewed"}]
        )
    items, next_cursor = intake_store().queue_page(status, page_limit(query.get("limit")), query.get("cursor"))
    record_access(app, "queue_page", intake_ids=_ids(items), scope=f"queue:{status}")
    return json_response(HTTPStatus.OK, {"items": items, "next_cursor": next_cursor})


def _ids(items: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(item["id"] for item in items)


def _day(raw: str) -> date:
    """A clinic-local date, or `today` in the clinic's time zone."""
    if raw == "today":
        return local_date(datetime.now(UTC))
    try:
        if _DATE.match(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise RequestRejected(
        HTTPStatus.BAD_REQUEST, "date is not valid", [{"field": "path.date", "message": "YYYY-MM-DD or today"}]
    )


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "forms_in": len(items),
        "waiting_for_review": sum(item["status"] == "needs_review" for item in items),
        "critical": sum(item["highest_severity"] == "critical" for item in items),
        "reviewed": sum(item["status"] == REVIEWED for item in items),
    }


@app.get(
    "/days/<date>",
    summary="A clinic-local day's intakes by appointment time, with counts (one Query on ByDay)",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("A page of the day", DayPage),
        400: documented("Bad date, limit or cursor"),
        **_AUTH_RESPONSES,
        503: documented("The access could not be audited; nothing was shown"),
    },
)
def list_day(date: str) -> Response[str]:  # named as the template's {date}
    day = _day(date)
    query = app.current_event.query_string_parameters or {}
    limit = page_limit(query.get("limit"), default=MAX_PAGE_SIZE)
    items, next_cursor = intake_store().day_page(day.isoformat(), limit, query.get("cursor"))
    record_access(app, "day_list", intake_ids=_ids(items), scope=f"day:{day.isoformat()}")
    page = {
        "date": day.isoformat(),
        "today": local_date(datetime.now(UTC)).isoformat(),
        "time_zone": get_settings().clinic_time_zone,
        "counts": _counts(items),
        "items": items,
        "next_cursor": next_cursor,
    }
    return json_response(HTTPStatus.OK, page)


@app.get(
    "/days/<date>/export.csv",
    summary="A clinic-local day's intakes as CSV (ids, times, names, statuses, flag categories)",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: {
            "description": "One row per intake; cells that begin like a formula are neutralised",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        400: documented("Bad date"),
        **_AUTH_RESPONSES,
        503: documented("The access could not be audited; nothing was exported"),
    },
)
def export_day(date: str) -> Response[str]:  # named as the template's {date}
    day = _day(date).isoformat()
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        items, cursor = intake_store().day_page(day, MAX_PAGE_SIZE, cursor)
        rows += items
        if cursor is None or len(rows) >= _MAX_EXPORT_ROWS:
            break
    rows = rows[:_MAX_EXPORT_ROWS]
    record_access(app, "export", intake_ids=_ids(rows), scope=f"day:{day}")
    return Response(
        status_code=HTTPStatus.OK,
        content_type="text/csv; charset=utf-8",
        body=day_csv(rows),
        headers={"Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="intakes-{day}.csv"'},
    )


@app.post(
    "/patients/search",
    summary="A patient's intakes, newest first, by family name and date of birth (in the body, never the URL)",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("A page of the patient's intakes", QueuePage),
        400: documented("Bad cursor or body"),
        422: documented("Field errors"),
        **_AUTH_RESPONSES,
        503: documented("The access could not be audited; nothing was shown"),
    },
    openapi_extensions={"x-request-model": "PatientSearch"},
)
def search_patient() -> Response[str]:
    search = parse_body(app.current_event, PatientSearch, _MAX_SEARCH_BYTES)
    key = patient_key(search.family_name, search.date_of_birth)
    items, next_cursor = intake_store().patient_page(key, search.limit, search.cursor)
    record_access(app, "patient_search", intake_ids=_ids(items))
    return json_response(HTTPStatus.OK, {"items": items, "next_cursor": next_cursor})


@app.get(
    "/intakes/<id>",
    summary="One intake: header facts, screening, answers, review history and the same patient's other intakes",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("The intake", IntakeView),
        404: documented("Unknown id"),
        410: documented("Erased: only a tombstone remains"),
        **_AUTH_RESPONSES,
        503: documented("The access could not be audited; nothing was shown"),
    },
)
def get_intake(id: str) -> Response[str]:  # named as the template's {id}
    known_intake_id(id)
    record_access(app, "intake_view", intake_id=id)
    store = intake_store()
    item = store.get_item(id)
    view = to_view(item, local_date(datetime.now(UTC))) | {"other_intakes": store.same_patient_intakes(item)}
    return json_response(HTTPStatus.OK, view)


@app.post(
    "/intakes/<id>/review",
    summary="Record a decision; `expected_version` guards against overwriting a colleague's decision",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("Updated intake", IntakeRecord),
        404: documented("Unknown id"),
        409: documented("Changed by someone else meanwhile, or the history is full", ConflictBody),
        410: documented("Erased: only a tombstone remains"),
        413: documented("The decision would make the intake's record too large"),
        422: documented("Field errors, or a decision rule not met (`rule` names it)"),
        **_AUTH_RESPONSES,
        503: documented("The access could not be audited; nothing was changed"),
    },
    openapi_extensions={"x-request-model": "ReviewRequest"},
)
def review_intake(id: str) -> Response[str]:  # named as the template's {id}
    """The decision rules are checked against the version the practitioner saw; the update's version condition
    guarantees that the version checked is the version changed."""
    request = parse_body(app.current_event, ReviewRequest, _MAX_REVIEW_BYTES)
    known_intake_id(id)
    who = record_access(app, "decision", intake_id=id)
    store = intake_store()
    current = to_record(store.get_item(id))
    if current["version"] != request.expected_version:
        raise VersionConflict(current)
    previous = current["history"][-1]["decision"] if current["history"] else None
    errors = decision_rule_errors(request, critical_rule_ids(current["screening"]), previous)
    if errors:
        raise RequestRejected(HTTPStatus.UNPROCESSABLE_ENTITY, "this decision needs more", errors)
    entry = Decision(
        decision=request.decision,
        note=request.note,
        by=who.sub,
        by_name=who.name,
        at=iso(datetime.now(UTC)),
        request_token=secrets.token_hex(16),
    )
    record = store.record_review(id, expected_version=request.expected_version, entry=entry)
    metrics.add_metric(name="ReviewsRecorded", unit=MetricUnit.Count, value=1)
    logger.info("review recorded", extra={"intake_id": id, "decision": request.decision})
    publish_event(events.INTAKE_REVIEWED, events.intake_reviewed(record))
    return json_response(HTTPStatus.OK, record)


@app.get(
    "/intakes/<id>/fhir",
    summary="One screened intake as a FHIR R4 Bundle (collection) for practice systems and EHRs",
    tags=["interoperability"],
    security=_SECURITY,
    responses={
        200: {
            "description": "The Bundle (docs/fhir-mapping.md)",
            "content": {FHIR_JSON: {"schema": {"type": "object", "required": ["resourceType", "type", "entry"]}}},
        },
        404: documented("Unknown id, or an intake that holds no answers"),
        410: documented("Erased: only a tombstone remains"),
        503: documented("The access could not be audited; nothing was read"),
        **_AUTH_RESPONSES,
    },
)
def get_intake_fhir(id: str) -> Response[str]:  # named as the template's {id}
    """Audited as an export of the intake, before it is read."""
    from screening.fhir.bundle import intake_bundle  # noqa: PLC0415 - only this route needs the mapping

    known_intake_id(id)
    record_access(app, "fhir_export", intake_id=id)
    bundle = intake_bundle(to_record(intake_store().get_item(id)))
    return Response(status_code=HTTPStatus.OK, content_type=FHIR_JSON, body=json.dumps(bundle, separators=(",", ":")))


@app.exception_handler(NoAnswers)
def no_answers(_: NoAnswers) -> Response[str]:
    return error_response(HTTPStatus.NOT_FOUND, "this intake holds no answers to export")


@app.get(
    "/rules",
    summary="The screening catalog in force: version and every rule",
    tags=["review"],
    security=_SECURITY,
    responses={200: documented("The catalog export", CatalogExport), **_AUTH_RESPONSES},
)
def get_rules() -> Response[str]:
    return json_response(HTTPStatus.OK, catalog_export())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
