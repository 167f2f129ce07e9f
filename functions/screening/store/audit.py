"""The audit table: one append-only item per practitioner access to patient data, written before the access.

Keys: an access to one intake (view, decision, erasure) is filed under `intake#<id>`, so an intake's trail is one
Query; a list page (queue, day, patient search, export) is filed under `actor#<sub>` with the ids it showed. The sort
key is the time plus a random suffix, and the put is conditional on the key being new, so no item is ever replaced:
if botocore retries a put whose answer was lost, the condition fails on our own item, which is then known to exist.
Items hold ids, the actor, the action and the time; never an answer or a search term.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from screening.store import cursor as cursors
from screening.store.errors import AuditUnavailable, IntakeNotFound, StoreUnavailable
from screening.store.intakes import Page, _ConditionFailed, _dynamodb
from screening.store.records import is_intake_id, iso

ATTEMPT = "attempt"
"""Every item records an attempt: it is written before the data is read or changed, whatever happens next."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    action: str
    actor_sub: str
    actor_name: str
    request_id: str
    intake_id: str | None = None
    intake_ids: tuple[str, ...] = ()
    scope: str | None = None
    """What a list page listed, without patient data: e.g. `day:2026-12-02` or `queue:pending`."""


def intake_subject(intake_id: str) -> str:
    return f"intake#{intake_id}"


def new_audit_item(entry: AuditEntry, now: datetime, retention_days: int) -> dict[str, Any]:
    at = iso(now)
    subject = intake_subject(entry.intake_id) if entry.intake_id else f"actor#{entry.actor_sub}"
    item: dict[str, Any] = {
        "subject": {"S": subject},
        "entry": {"S": f"{at}#{secrets.token_hex(6)}"},
        "at": {"S": at},
        "action": {"S": entry.action},
        "outcome": {"S": ATTEMPT},
        "actor_sub": {"S": entry.actor_sub},
        "actor_name": {"S": entry.actor_name},
        "request_id": {"S": entry.request_id},
        "expires_at": {"N": str(int((now + timedelta(days=retention_days)).timestamp()))},
    }
    if entry.intake_id:
        item["intake_id"] = {"S": entry.intake_id}
    else:
        item["intake_ids"] = {"L": [{"S": shown} for shown in entry.intake_ids]}
        item["shown_count"] = {"N": str(len(entry.intake_ids))}
    if entry.scope:
        item["scope"] = {"S": entry.scope}
    return item


def to_trail_entry(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name]["S"] for name in ("at", "action", "outcome", "actor_sub", "actor_name", "request_id")}


class AuditLog:
    def __init__(self, table_name: str, retention_days: int) -> None:
        self._table = table_name
        self._retention_days = retention_days

    def record(self, entry: AuditEntry, now: datetime) -> None:
        """One conditional PutItem that returns nothing. Any failure is AuditUnavailable: the caller must stop."""
        try:
            _dynamodb(
                "put_item",
                TableName=self._table,
                Item=new_audit_item(entry, now, self._retention_days),
                ConditionExpression="attribute_not_exists(#s)",
                ExpressionAttributeNames={"#s": "subject"},
            )
        except _ConditionFailed:
            return  # our own item, written by an earlier attempt of this put (the key is random and new)
        except StoreUnavailable as exc:
            raise AuditUnavailable(exc.reason) from None

    def trail(self, intake_id: str, limit: int, cursor: str | None) -> Page:
        """One Query: who viewed, decided or erased this intake, oldest first."""
        if not is_intake_id(intake_id):
            raise IntakeNotFound(intake_id)
        subject = intake_subject(intake_id)
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "#s = :s",
            "ExpressionAttributeNames": {"#s": "subject"},
            "ExpressionAttributeValues": {":s": {"S": subject}},
            "ScanIndexForward": True,
            "Limit": limit,
        }
        if cursor:
            params["ExclusiveStartKey"] = cursors.decode(cursor, subject, cursors.AUDIT)
        response = _dynamodb("query", **params)
        last_key = response.get("LastEvaluatedKey")
        return [to_trail_entry(item) for item in response.get("Items", [])], (
            cursors.encode(last_key, cursors.AUDIT) if last_key else None
        )
