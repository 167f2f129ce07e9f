"""Who is asking, and the audit item every read or write of patient data writes first (both practitioner and
clinic-admin functions use it, so no route can reach patient data by another path)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from screening.handlers.http import error_response, logger
from screening.settings import SettingsError, get_settings
from screening.store.audit import AuditEntry, AuditLog
from screening.store.errors import IntakeNotFound
from screening.store.records import is_intake_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

    from screening.settings import Settings


@dataclass(frozen=True, slots=True)
class Actor:
    sub: str
    """The token's immutable subject: what the audit and the review history identify people by."""
    name: str
    """The name colleagues see (see `display_name`): never an attribute the user can change."""


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


def has_role(claims: dict[str, Any], group: str) -> bool:
    """With an external issuer whose group names may hold spaces, a single-valued role claim (ROLE_CLAIM) must
    equal the group name; otherwise the group must be among `cognito:groups`. Whole names only, case-sensitive."""
    role_claim = get_settings().role_claim
    if role_claim:
        return claims.get(role_claim) == group
    return group in groups(claims)


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


def require_group(
    group_of: Callable[[Settings], str], role: str
) -> Callable[[APIGatewayHttpResolver, NextMiddleware], Response[Any]]:
    """The middleware of a function for one group (practitioners, clinic admins): checks the verified claims itself,
    as well as API Gateway's authorizer (defence in depth): no subject → 401, not in the group → 403."""

    def require(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
        authorizer = app.current_event.request_context.authorizer
        claims = (authorizer.jwt_claim if authorizer else None) or {}
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            return error_response(HTTPStatus.UNAUTHORIZED, "Unauthorized")
        if not has_role(claims, group_of(get_settings())):
            logger.warning(f"{role} group missing", extra={"sub": claims["sub"]})
            return error_response(HTTPStatus.FORBIDDEN, "Forbidden")
        logger.append_keys(**{role: claims["sub"]})
        return next_middleware(app)

    return require


def known_intake_id(raw: str) -> str:
    """An id that cannot name an intake is 404 before anything is audited or read (a path is not a place for data)."""
    if not is_intake_id(raw):
        raise IntakeNotFound(raw)
    return raw


def actor(app: APIGatewayHttpResolver) -> Actor:
    """The verified caller; the group middleware has already refused requests without a subject."""
    claims = app.current_event.request_context.authorizer.jwt_claim or {}
    return Actor(sub=str(claims["sub"]), name=display_name(claims))


@cache
def audit_log() -> AuditLog:
    settings = get_settings()
    if settings.audit_table_name is None:
        raise SettingsError("AUDIT_TABLE_NAME is not set")
    return AuditLog(settings.audit_table_name, settings.audit_retention_days)


def record_access(
    app: APIGatewayHttpResolver,
    action: str,
    *,
    intake_id: str | None = None,
    intake_ids: tuple[str, ...] = (),
    scope: str | None = None,
) -> Actor:
    """Writes the audit item of this request (an attempt) and returns the actor; AuditUnavailable stops the request.

    For one intake it is called before the intake is read or changed. For a list page it is called after the Query
    and before the response is built, so it can name the ids shown: nothing has left the function yet, and when the
    write fails the page is discarded and the caller gets 503, so no page is ever seen without its audit item.
    """
    who = actor(app)
    entry = AuditEntry(
        action=action,
        actor_sub=who.sub,
        actor_name=who.name,
        request_id=app.current_event.request_context.request_id,
        intake_id=intake_id,
        intake_ids=intake_ids,
        scope=scope,
    )
    audit_log().record(entry, datetime.now(UTC))
    return who
