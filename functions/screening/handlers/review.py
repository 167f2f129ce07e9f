"""ReviewFunction: the practitioner routes, behind API Gateway's JWT authorizer.

The handler checks the verified claims itself as well (defence in depth): no claims → 401, no practitioner group → 403.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from screening.contract.review import (
    MAX_PAGE_SIZE,
    ConflictBody,
    IntakeRecord,
    QueuePage,
    ReviewRequest,
)
from screening.handlers.http import (
    RequestRejected,
    documented,
    error_response,
    intake_store,
    json_response,
    logger,
    metrics,
    parse_body,
    register_error_handlers,
    resolve,
)
from screening.rules import catalog_export
from screening.settings import get_settings
from screening.store.records import PENDING, REVIEWED, Decision, iso

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayHttpResolver()
register_error_handlers(app)

_MAX_REVIEW_BYTES = 8 * 1024
_SECURITY: list[dict[str, list[str]]] = [{"CognitoJwt": []}]
_AUTH_RESPONSES: dict[int, Any] = {
    401: documented("No verified token"),
    403: documented("Not in the practitioners group"),
}


def groups(claims: dict[str, Any]) -> set[str]:
    """`cognito:groups` as API Gateway passes it: a real list, or the list flattened to a string "[a b]".

    The flattened form is undone exactly: one pair of outer brackets stripped, split on whitespace only (Cognito
    group names cannot hold whitespace but can hold commas and brackets), so "former,practitioners" stays one name.
    """
    raw = claims.get("cognito:groups")
    if isinstance(raw, list):
        return {group for group in raw if isinstance(group, str)}
    if isinstance(raw, str):
        inner = raw[1:-1] if len(raw) >= 2 and raw[0] == "[" and raw[-1] == "]" else raw
        return set(inner.split())
    return set()


def is_practitioner(claims: dict[str, Any]) -> bool:
    """With an external issuer whose group names may hold spaces, a single-valued role claim (ROLE_CLAIM) must
    equal the group name; otherwise the group must be among `cognito:groups`. Whole names only, case-sensitive."""
    settings = get_settings()
    if settings.role_claim:
        return claims.get(settings.role_claim) == settings.practitioner_group
    return settings.practitioner_group in groups(claims)


def display_name(claims: dict[str, Any]) -> str:
    """A name for people to read beside the immutable `sub`: the admin-set `custom:display_name`, else the email
    only when the issuer says it is verified, else the username."""
    name = claims.get("custom:display_name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    email = claims.get("email")
    if isinstance(email, str) and email and str(claims.get("email_verified")).lower() == "true":
        return email
    username = claims.get("cognito:username") or claims.get("username") or claims["sub"]
    return str(username)


def require_practitioner(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    authorizer = app.current_event.request_context.authorizer
    claims = (authorizer.jwt_claim if authorizer else None) or {}
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        return error_response(HTTPStatus.UNAUTHORIZED, "Unauthorized")
    if not is_practitioner(claims):
        logger.warning("practitioner group missing", extra={"sub": claims["sub"]})
        return error_response(HTTPStatus.FORBIDDEN, "Forbidden")
    logger.append_keys(practitioner=claims["sub"])
    return next_middleware(app)


app.use(middlewares=[require_practitioner])


def _limit(raw: str | None) -> int:
    if raw is None:
        return 25
    # ASCII digits only and short: str.isdigit() accepts "²" (which int() refuses) and 5,000 digits.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
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
        409: documented("Changed by someone else meanwhile, or the history is full", ConflictBody),
        413: documented("The decision would make the intake's record too large"),
        422: documented("Field errors"),
        **_AUTH_RESPONSES,
    },
    openapi_extensions={"x-request-model": "ReviewRequest"},
)
def review_intake(id: str) -> Response[str]:  # named as the template's {id}
    request = parse_body(app.current_event, ReviewRequest, _MAX_REVIEW_BYTES)
    claims = app.current_event.request_context.authorizer.jwt_claim or {}
    entry = Decision(
        decision=request.decision,
        note=request.note,
        by=claims["sub"],
        by_name=display_name(claims),
        at=iso(datetime.now(UTC)),
        request_token=secrets.token_hex(16),
    )
    record = intake_store().record_review(id, expected_version=request.expected_version, entry=entry)
    metrics.add_metric(name="ReviewsRecorded", unit=MetricUnit.Count, value=1)
    logger.info("review recorded", extra={"intake_id": id, "decision": request.decision})
    return json_response(HTTPStatus.OK, record)


@app.get(
    "/rules",
    summary="The screening catalog in force: version and every rule",
    tags=["review"],
    security=_SECURITY,
    responses={200: {"description": "The catalog export"}, **_AUTH_RESPONSES},
)
def get_rules() -> Response[str]:
    return json_response(HTTPStatus.OK, catalog_export())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
