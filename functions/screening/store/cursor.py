"""Opaque pagination cursors for the list queries (review queue, day list, patient search, audit trail).

A cursor is the DynamoDB start key, base64url-encoded, with an unkeyed digest salted by the list it belongs to. The
digest is a corruption check, not a signature: it refuses a cursor truncated or edited by mistake, but anyone can
compute it for a cursor built by hand. What keeps such a cursor harmless is the decoding: its shape is checked strictly
and it must belong to the list (index and partition) being read, so at worst it points at another position in the
same list, which the caller may read anyway. A key would add a secret to deploy and rotate without narrowing what a
cursor can reach.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from screening.store.errors import InvalidCursor
from screening.store.records import is_intake_id

_MAX_LENGTH = 512
_SORT_KEY = re.compile(r"^[0-9A-Za-z:.#~+-]{1,120}$")


@dataclass(frozen=True, slots=True)
class ListKeys:
    """Which attributes make a list's start key: its partition, its sort key and (for an index) the table's `id`."""

    name: str
    partition: str
    sort: str
    table_id: str | None = "id"


QUEUE = ListKeys("review-queue", "queue", "queue_sort")
DAY = ListKeys("by-day", "day", "day_sort")
PATIENT = ListKeys("by-patient", "patient_key", "patient_sort")
AUDIT = ListKeys("audit-trail", "subject", "entry", table_id=None)


def _digest(keys: ListKeys, payload: bytes) -> str:
    """Unkeyed: catches damage, proves nothing about who made the cursor (see the module docstring)."""
    return hashlib.sha256(f"{keys.name}-cursor:".encode() + payload).hexdigest()[:16]


def encode(last_key: dict[str, Any], keys: ListKeys = QUEUE) -> str:
    fields = {"q": last_key[keys.partition]["S"], "s": last_key[keys.sort]["S"]}
    if keys.table_id:
        fields["i"] = last_key[keys.table_id]["S"]
    payload = json.dumps(fields, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _digest(keys, payload)


def decode(cursor: str, partition: str, keys: ListKeys = QUEUE) -> dict[str, Any]:
    """The ExclusiveStartKey for `partition` of the list `keys`, or InvalidCursor."""
    if len(cursor) > _MAX_LENGTH or cursor.count(".") != 1:
        raise InvalidCursor("malformed cursor")
    encoded, digest = cursor.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        fields = json.loads(payload)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor("malformed cursor") from exc
    expected = {"q", "s", "i"} if keys.table_id else {"q", "s"}
    if _digest(keys, payload) != digest or not isinstance(fields, dict) or set(fields) != expected:
        raise InvalidCursor("malformed cursor")
    if fields["q"] != partition:
        raise InvalidCursor("cursor belongs to another list")
    sort_key = fields["s"]
    if not (isinstance(sort_key, str) and _SORT_KEY.match(sort_key)):
        raise InvalidCursor("malformed cursor")
    start = {keys.partition: {"S": partition}, keys.sort: {"S": sort_key}}
    if keys.table_id:
        if not is_intake_id(fields["i"]):
            raise InvalidCursor("malformed cursor")
        start[keys.table_id] = {"S": fields["i"]}
    return start
