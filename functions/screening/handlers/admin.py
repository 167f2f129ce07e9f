"""AdminFunction: the clinic admins' routes (an intake's audit trail, erasure), with a role of their own.

Behind the same JWT authorizer as the practitioner routes; the handler itself requires the `clinic_admins` group
(no claims → 401, no admin group → 403), so a practitioner token never reaches an audit trail or an erasure. The
token's groups are read by the review function's parser, so both functions agree on what a group claim says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from screening.contract.review import MAX_PAGE_SIZE, AuditTrail, ErasureRequest, Tombstone
from screening.handlers.access import audit_log, known_intake_id, record_access, require_group
from screening.handlers.http import (
    documented,
    intake_store,
    json_response,
    logger,
    metrics,
    parse_body,
    register_error_handlers,
    resolve,
)
from screening.handlers.paging import page_limit
from screening.store.records import iso

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayHttpResolver()
register_error_handlers(app)

_MAX_ERASURE_BYTES = 2 * 1024
_SECURITY: list[dict[str, list[str]]] = [{"CognitoJwt": []}]
_AUTH_RESPONSES: dict[int, Any] = {
    401: documented("No verified token"),
    403: documented("Not in the clinic_admins group"),
}


app.use(middlewares=[require_group(lambda settings: settings.admin_group, "admin")])


@app.get(
    "/intakes/<id>/audit",
    summary="Who viewed, decided or erased this intake, oldest first (clinic admins only)",
    tags=["admin"],
    security=_SECURITY,
    responses={
        200: documented("A page of the audit trail", AuditTrail),
        400: documented("Bad limit or cursor"),
        404: documented("Not an intake id"),
        **_AUTH_RESPONSES,
    },
)
def get_audit_trail(id: str) -> Response[str]:  # named as the template's {id}
    query = app.current_event.query_string_parameters or {}
    limit = page_limit(query.get("limit"), default=MAX_PAGE_SIZE)
    items, next_cursor = audit_log().trail(known_intake_id(id), limit, query.get("cursor"))
    return json_response(HTTPStatus.OK, {"intake_id": id, "items": items, "next_cursor": next_cursor})


@app.delete(
    "/intakes/<id>",
    summary="Erase an intake on the patient's request: answers and screening removed, a tombstone kept",
    tags=["admin"],
    security=_SECURITY,
    responses={
        200: documented("The tombstone", Tombstone),
        404: documented("Unknown id"),
        410: documented("Already erased"),
        422: documented("The reason is missing"),
        **_AUTH_RESPONSES,
        503: documented("The erasure could not be audited; nothing was changed"),
    },
    openapi_extensions={"x-request-model": "ErasureRequest"},
)
def erase_intake(id: str) -> Response[str]:  # named as the template's {id}
    request = parse_body(app.current_event, ErasureRequest, _MAX_ERASURE_BYTES)
    who = record_access(app, "erasure", intake_id=known_intake_id(id))
    tombstone = intake_store().erase(id, by=who.sub, by_name=who.name, reason=request.reason, at=iso(datetime.now(UTC)))
    metrics.add_metric(name="IntakesErased", unit=MetricUnit.Count, value=1)
    logger.info("intake erased", extra={"intake_id": id})
    return json_response(HTTPStatus.OK, tombstone)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)
