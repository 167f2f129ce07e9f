"""ReviewFunction: the practitioner routes, behind API Gateway's JWT authorizer.

The handler checks the verified claims itself as well (defence in depth): no claims → 401, no practitioner group → 403.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from screening import events
from screening.contract.catalog import CatalogExport
from screening.contract.review import (
    MAX_PAGE_SIZE,
    ConflictBody,
    IntakeRecord,
    QueuePage,
    ReviewRequest,
)
from screening.fhir.errors import NoAnswers
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
)
from screening.rules import catalog_export
from screening.settings import get_settings
from screening.store.records import PENDING, REVIEWED, iso

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayHttpResolver()
register_error_handlers(app)

_MAX_REVIEW_BYTES = 8 * 1024
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


def require_practitioner(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    authorizer = app.current_event.request_context.authorizer
    claims = (authorizer.jwt_claim if authorizer else None) or {}
    if not claims.get("sub"):
        return error_response(HTTPStatus.UNAUTHORIZED, "Unauthorized")
    if get_settings().practitioner_group not in _groups(claims):
        logger.warning("practitioner group missing", extra={"sub": claims["sub"]})
        return error_response(HTTPStatus.FORBIDDEN, "Forbidden")
    logger.append_keys(practitioner=claims["sub"])
    return next_middleware(app)


app.use(middlewares=[require_practitioner])


def _limit(raw: str | None) -> int:
    if raw is None:
        return 25
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise RequestRejected(
            HTTPStatus.BAD_REQUEST,
            "limit is not valid",
            [{"field": "query.limit", "message": f"a whole number from 1 to {MAX_PAGE_SIZE}"}],
        )
    return int(raw)


@app.get(
    "/reviews",
    summary="The review queue: pending most urgent first, or reviewed most recent first",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("A page", QueuePage),
        400: documented("Bad status, limit or cursor"),
        **_AUTH_RESPONSES,
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
    items, next_cursor = intake_store().queue_page(status, _limit(query.get("limit")), query.get("cursor"))
    return json_response(HTTPStatus.OK, {"items": items, "next_cursor": next_cursor})


@app.get(
    "/intakes/<id>",
    summary="One intake: screening, answers (flagged intakes only) and review history",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("The intake", IntakeRecord),
        404: documented("Unknown id"),
        **_AUTH_RESPONSES,
    },
)
def get_intake(id: str) -> Response[str]:  # named as the template's {id}
    return json_response(HTTPStatus.OK, intake_store().get(id))


@app.post(
    "/intakes/<id>/review",
    summary="Record a decision; `expected_version` guards against overwriting a colleague's decision",
    tags=["review"],
    security=_SECURITY,
    responses={
        200: documented("Updated intake", IntakeRecord),
        404: documented("Unknown id"),
        409: documented("Changed by someone else meanwhile", ConflictBody),
        422: documented("Field errors"),
        **_AUTH_RESPONSES,
    },
    openapi_extensions={"x-request-model": "ReviewRequest"},
)
def review_intake(id: str) -> Response[str]:  # named as the template's {id}
    request = parse_body(app.current_event, ReviewRequest, _MAX_REVIEW_BYTES)
    claims = app.current_event.request_context.authorizer.jwt_claim or {}
    record = intake_store().record_review(
        id,
        expected_version=request.expected_version,
        decision=request.decision,
        note=request.note,
        by=str(claims.get("email") or claims["sub"]),
        at=iso(datetime.now(UTC)),
    )
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
        404: documented("Unknown id, or an intake that holds no answers (erased)"),
        **_AUTH_RESPONSES,
    },
)
def get_intake_fhir(id: str) -> Response[str]:  # named as the template's {id}
    from screening.fhir.bundle import intake_bundle  # noqa: PLC0415 - only this route needs the mapping

    bundle = intake_bundle(intake_store().get(id))
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
def lambda_handler(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    return app.resolve(event, context)
