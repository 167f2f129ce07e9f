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

from screening.contract.errors import field_errors
from screening.contract.responses import ErrorBody
from screening.settings import get_settings
from screening.store.errors import (
    IdempotencyConflict,
    IntakeNotFound,
    InvalidCursor,
    StoreUnavailable,
    VersionConflict,
)
from screening.store.intakes import IntakeStore

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

logger = Logger()
metrics = Metrics()
# Reads (queue pages, intake views) record no metric by design; Powertools would warn into the logs on each one.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)

JSON = "application/json"
RETRY_AFTER_SECONDS = "2"


class RequestRejected(Exception):
    """A request refused before anything is stored: a status, a message, and the fields at fault."""

    def __init__(self, status: HTTPStatus, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


@cache
def intake_store() -> IntakeStore:
    settings = get_settings()
    return IntakeStore(settings.table_name, settings.queue_index, settings.retention_days)


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


def documented(description: str, model: type[BaseModel] = ErrorBody) -> Any:
    """A route's OpenAPI response entry (Powertools turns the model into a schema reference)."""
    return {"description": description, "content": {JSON: {"model": model}}}


def error_response(status: HTTPStatus, message: str, **extra: Any) -> Response[str]:
    return json_response(status, {"message": message, **extra})


def parse_body[M: BaseModel](
    event: APIGatewayProxyEventV2, model: type[M], max_bytes: int, context: dict[str, Any] | None = None
) -> M:
    """Content type, size, JSON shape and model, checked in that order; each failure is a RequestRejected."""
    content_type = (event.headers or {}).get("content-type", "")
    media_type, _, params = content_type.partition(";")
    charset = params.strip().lower().removeprefix("charset=").strip('"') if params.strip() else "utf-8"
    if media_type.strip().lower() != JSON or charset != "utf-8":
        raise RequestRejected(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json (UTF-8)")
    raw = event.body or ""
    # A base64 body is 4/3 of its decoded size: refuse obviously oversized bodies before decoding them.
    if len(raw) > max_bytes * 4 // 3 + 4:
        raise RequestRejected(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is larger than {max_bytes} bytes")
    try:
        body = event.decoded_body or ""
        size = len(body.encode("utf-8"))
    except (ValueError, UnicodeError) as exc:
        raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body is not valid UTF-8 JSON") from exc
    if size > max_bytes:
        raise RequestRejected(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is larger than {max_bytes} bytes")
    try:
        return model.model_validate_json(body, context=context)
    except ValidationError as exc:
        kinds = {(e["type"], e["loc"]) for e in exc.errors(include_input=False)}
        if any(kind == "json_invalid" for kind, _ in kinds):
            raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body is not valid JSON") from None
        if any(loc == () for _, loc in kinds):
            raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body must be a JSON object") from None
        raise RequestRejected(
            HTTPStatus.UNPROCESSABLE_ENTITY, "some answers need attention", field_errors(exc)
        ) from None


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    """One exception handler per domain error. Messages are fixed texts: no input or answer is echoed or logged."""

    @app.exception_handler(RequestRejected)
    def rejected(exc: RequestRejected) -> Response[str]:
        metrics.add_metric(name="RequestsRejected", unit=MetricUnit.Count, value=1)
        logger.info("request rejected", extra={"status": int(exc.status), "fields": _fields(exc.errors)})
        extra = {"errors": exc.errors} if exc.errors is not None else {}
        return error_response(exc.status, exc.message, **extra)

    @app.exception_handler(StoreUnavailable)
    def unavailable(exc: StoreUnavailable) -> Response[str]:
        metrics.add_metric(name="StoreUnavailable", unit=MetricUnit.Count, value=1)
        logger.error("storage unavailable", extra={"reason": exc.reason})
        return json_response(
            HTTPStatus.SERVICE_UNAVAILABLE,
            {"message": "the service is busy; nothing was saved, please try again shortly"},
            **{"Retry-After": RETRY_AFTER_SECONDS},
        )

    @app.exception_handler(IdempotencyConflict)
    def idempotency_conflict(_: IdempotencyConflict) -> Response[str]:
        metrics.add_metric(name="IdempotencyConflicts", unit=MetricUnit.Count, value=1)
        return error_response(HTTPStatus.CONFLICT, "this Idempotency-Key was already used for a different form")

    @app.exception_handler(IntakeNotFound)
    def not_found(_: IntakeNotFound) -> Response[str]:
        return error_response(HTTPStatus.NOT_FOUND, "no intake has this id")

    @app.exception_handler(VersionConflict)
    def version_conflict(exc: VersionConflict) -> Response[str]:
        metrics.add_metric(name="ReviewConflicts", unit=MetricUnit.Count, value=1)
        return error_response(HTTPStatus.CONFLICT, "someone else changed this intake first", current=exc.current)

    @app.exception_handler(InvalidCursor)
    def invalid_cursor(_: InvalidCursor) -> Response[str]:
        return error_response(HTTPStatus.BAD_REQUEST, "the cursor is not valid for this list")

    @app.exception_handler(ServiceError)
    def routing_error(exc: ServiceError) -> Response[str]:
        # Powertools' own HTTP errors, e.g. a route this function does not serve.
        return error_response(HTTPStatus(exc.status_code), str(exc.msg))

    @app.exception_handler(Exception)
    def unexpected(exc: Exception) -> Response[str]:
        # The type only: an exception's text can carry values.
        logger.error("unexpected error", extra={"error_type": type(exc).__name__})
        metrics.add_metric(name="UnexpectedErrors", unit=MetricUnit.Count, value=1)
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; nothing was saved")


def _fields(errors: list[dict[str, str]] | None) -> list[str]:
    return [error["field"] for error in errors or []]
