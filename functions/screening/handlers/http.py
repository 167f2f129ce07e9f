"""What both HTTP handlers share: observability, body parsing, the store, and one exception handler per error."""

from __future__ import annotations

import json
import warnings
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ValidationError

from screening import deadline
from screening.contract.errors import DuplicateKey, field_errors, parse_without_duplicates
from screening.contract.responses import ErrorBody
from screening.settings import SettingsError, get_settings
from screening.store.errors import (
    HistoryFull,
    IdempotencyConflict,
    IntakeErased,
    IntakeNotFound,
    InvalidCursor,
    ItemTooLarge,
    StoreError,
    StoreMisconfigured,
    StoreUnavailable,
    VersionConflict,
)
from screening.store.intakes import IntakeStore
from screening.store.records import MAX_HISTORY

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
metrics = Metrics()
# Reads (queue pages, intake views) record no metric by design; Powertools would warn into the logs on each one.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)

JSON = "application/json"
RETRY_AFTER_SECONDS = "2"
SECURITY_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
"""On every response of both functions: answers and queues must not sit in a browser or proxy cache, nor be sniffed
into another type."""


class RequestRejected(Exception):
    """A request refused before anything is stored: a status, a message, the fields at fault and the error types
    (the types, never the fields, go to the logs)."""

    def __init__(
        self,
        status: HTTPStatus,
        message: str,
        errors: list[dict[str, str]] | None = None,
        error_types: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.error_types = error_types or []


@cache
def intake_store() -> IntakeStore:
    settings = get_settings()
    return IntakeStore(
        settings.table_name,
        settings.queue_index,
        settings.retention_days,
        day_index=settings.day_index,
        patient_index=settings.patient_index,
    )


def publish_event(detail_type: str, detail: dict[str, Any]) -> None:
    """An integration event after the change it announces is stored: a lost event is logged and counted, and the
    request still succeeds (subscribers can reconcile from GET /days/{date})."""
    bus = get_settings().event_bus_name
    if bus is None:
        return
    from screening.events import put_event  # noqa: PLC0415 - boto3 loads on the first event, not at cold start

    try:
        put_event(bus, detail_type, detail)
        metrics.add_metric(name="IntegrationEventsSent", unit=MetricUnit.Count, value=1)
    except Exception as exc:
        logger.error("integration event not sent", extra={"event": detail_type, "error_type": type(exc).__name__})
        metrics.add_metric(name="IntegrationEventsFailed", unit=MetricUnit.Count, value=1)


def json_response(status: HTTPStatus | int, body: BaseModel | dict[str, Any], **headers: str) -> Response[str]:
    payload = body.model_dump_json() if isinstance(body, BaseModel) else json.dumps(body, separators=(",", ":"))
    return Response(status_code=int(status), content_type=JSON, body=payload, headers=headers or None)


def resolve(
    app: APIGatewayHttpResolver, event: dict[str, Any], context: LambdaContext, reserve_s: float = 0.0
) -> dict[str, Any]:
    """The resolver's answer with the security headers added: one place for every route, error and 404. Every AWS
    call of the invocation is planned inside the time Lambda gives it (store calls leave `reserve_s`)."""
    deadline.start(context.get_remaining_time_in_millis(), reserve_s)
    result: dict[str, Any] = app.resolve(event, context)
    result["headers"] = {**(result.get("headers") or {}), **SECURITY_HEADERS}
    return result


def documented(description: str, model: type[BaseModel] = ErrorBody) -> Any:
    """A route's OpenAPI response entry (Powertools turns the model into a schema reference)."""
    return {"description": description, "content": {JSON: {"model": model}}}


def error_response(status: HTTPStatus, message: str, **extra: Any) -> Response[str]:
    return json_response(status, {"message": message, **extra})


def _content_type_is_json_utf8(header: str) -> bool:
    """`application/json`, optionally with `charset=utf-8` (any case, quoted or not) and any other parameters."""
    media_type, *params = header.split(";")
    if media_type.strip().lower() != JSON:
        return False
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            return False
    return True


def parse_body[M: BaseModel](
    event: APIGatewayProxyEventV2, model: type[M], max_bytes: int, context: dict[str, Any] | None = None
) -> M:
    """Content type, size, strict UTF-8, JSON shape, duplicate keys and model, checked in that order; each failure
    is a RequestRejected."""
    if not _content_type_is_json_utf8((event.headers or {}).get("content-type", "")):
        raise RequestRejected(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json (UTF-8)")
    raw = event.body or ""
    # A base64 body is 4/3 of its decoded size: refuse obviously oversized bodies before decoding them.
    if len(raw) > max_bytes * 4 // 3 + 4:
        raise RequestRejected(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is larger than {max_bytes} bytes")
    try:
        # Powertools decodes a base64 body strictly; a text body with a lone surrogate fails to encode.
        body = event.decoded_body or ""
        size = len(body.encode("utf-8"))
    except (ValueError, UnicodeError) as exc:
        raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body is not valid UTF-8 JSON") from exc
    if size > max_bytes:
        raise RequestRejected(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is larger than {max_bytes} bytes")
    try:
        data = parse_without_duplicates(body, model)
    except DuplicateKey as exc:
        raise RequestRejected(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "some answers need attention",
            [{"field": exc.field, "message": "given more than once"}],
            ["duplicate_key"],
        ) from None
    except (ValueError, RecursionError):
        data = None  # not JSON that `json` reads: the model's parser below says what is wrong
    try:
        return model.model_validate_json(body, context=context)
    except ValidationError as exc:
        kinds = {(e["type"], e["loc"]) for e in exc.errors(include_input=False)}
        if any(kind == "json_invalid" for kind, _ in kinds):
            raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body is not valid JSON") from None
        if any(loc == () for _, loc in kinds):
            raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body must be a JSON object") from None
        listed, types = field_errors(exc, data, model)
        raise RequestRejected(HTTPStatus.UNPROCESSABLE_ENTITY, "some answers need attention", listed, types) from None


def store_error_response(exc: StoreError, **extra: Any) -> Response[str]:
    """The answer to each store error, counted and logged by kind, never with a value. `extra` adds fields to the
    body: the intake route passes the emergency advice, which a failed write must not withhold."""
    match exc:
        case StoreUnavailable():
            metrics.add_metric(name="StoreUnavailable", unit=MetricUnit.Count, value=1)
            logger.error("storage unavailable", extra={"reason": exc.reason})
            return json_response(
                HTTPStatus.SERVICE_UNAVAILABLE,
                {"message": "the service is busy; nothing was saved, please try again shortly", **extra},
                **{"Retry-After": RETRY_AFTER_SECONDS},
            )
        case StoreMisconfigured():
            metrics.add_metric(name="StoreMisconfigured", unit=MetricUnit.Count, value=1)
            logger.error("storage misconfigured", extra={"reason": exc.reason})
            return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; nothing was saved", **extra)
        case ItemTooLarge():
            metrics.add_metric(name="IntakesTooLarge", unit=MetricUnit.Count, value=1)
            return error_response(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "too large to store; nothing was saved: please shorten the longest text",
                **extra,
            )
        case IdempotencyConflict():
            metrics.add_metric(name="IdempotencyConflicts", unit=MetricUnit.Count, value=1)
            return error_response(
                HTTPStatus.CONFLICT, "this Idempotency-Key was already used for a different form", **extra
            )
        case IntakeNotFound():
            return error_response(HTTPStatus.NOT_FOUND, "no intake has this id")
        case IntakeErased():
            return error_response(HTTPStatus.GONE, "this intake was erased", erased_at=exc.erased_at)
        case VersionConflict():
            metrics.add_metric(name="ReviewConflicts", unit=MetricUnit.Count, value=1)
            return error_response(HTTPStatus.CONFLICT, "someone else changed this intake first", current=exc.current)
        case HistoryFull():
            return error_response(
                HTTPStatus.CONFLICT, f"this intake already holds {MAX_HISTORY} decisions; no more can be recorded"
            )
        case InvalidCursor():
            return error_response(HTTPStatus.BAD_REQUEST, "the cursor is not valid for this list")
    return unexpected_error(exc)


def unexpected_error(exc: Exception) -> Response[str]:
    # The type only: an exception's text can carry values.
    logger.error("unexpected error", extra={"error_type": type(exc).__name__})
    metrics.add_metric(name="UnexpectedErrors", unit=MetricUnit.Count, value=1)
    return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; nothing was saved")


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    """One exception handler per kind of error. Messages are fixed texts: no input or answer is echoed or logged."""

    @app.exception_handler(RequestRejected)
    def rejected(exc: RequestRejected) -> Response[str]:
        metrics.add_metric(name="RequestsRejected", unit=MetricUnit.Count, value=1)
        logger.info(
            "request rejected",
            extra={
                "status": int(exc.status),
                "error_count": len(exc.error_types),
                "error_types": sorted(set(exc.error_types)),
            },
        )
        extra = {"errors": exc.errors} if exc.errors is not None else {}
        return error_response(exc.status, exc.message, **extra)

    @app.exception_handler(StoreError)
    def store_error(exc: StoreError) -> Response[str]:
        return store_error_response(exc)

    @app.exception_handler(SettingsError)
    def misconfigured(exc: SettingsError) -> Response[str]:
        # A deployment fault (a setting missing or malformed, e.g. an unknown ClinicTimeZone): every request fails
        # until it is fixed, so it is counted for the alarm and logged with its fixed text, which names the setting.
        metrics.add_metric(name="SettingsInvalid", unit=MetricUnit.Count, value=1)
        logger.error("settings invalid", extra={"reason": str(exc)})
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; nothing was saved")

    @app.exception_handler(ServiceError)
    def routing_error(exc: ServiceError) -> Response[str]:
        # Powertools' own HTTP errors, e.g. a route this function does not serve.
        return error_response(HTTPStatus(exc.status_code), str(exc.msg))

    @app.exception_handler(Exception)
    def unexpected(exc: Exception) -> Response[str]:
        return unexpected_error(exc)
