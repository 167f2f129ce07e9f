"""Who is asking, and the audit item every read or write of patient data writes first (both practitioner and
clinic-admin functions use it, so no route can reach patient data by another path)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from screening.settings import SettingsError, get_settings
from screening.store.audit import AuditEntry, AuditLog

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver


@dataclass(frozen=True, slots=True)
class Actor:
    sub: str
    """The token's immutable subject: what the audit and the review history identify people by."""
    name: str
    """The username colleagues see (`cognito:username`; the subject when the token has none)."""


def actor(app: APIGatewayHttpResolver) -> Actor:
    """The verified caller; the group middleware has already refused requests without a subject."""
    claims = app.current_event.request_context.authorizer.jwt_claim or {}
    sub = str(claims["sub"])
    return Actor(sub=sub, name=str(claims.get("cognito:username") or sub))


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
