"""Opaque pagination cursors for the list queries (review queue, day list, patient search, audit trail).

A cursor is the DynamoDB start key, base64url-encoded with a checksum salted by the list it belongs to. Decoding checks
its shape strictly and that it belongs to the list (index and partition) being read, so an edited cursor is refused
rather than used: at worst a hand-made cursor can point at another position in the same list, which the caller may
read anyway.
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


def _checksum(keys: ListKeys, payload: bytes) -> str:
    return hashlib.sha256(f"{keys.name}-cursor:".encode() + payload).hexdigest()[:16]


def encode(last_key: dict[str, Any], keys: ListKeys = QUEUE) -> str:
    fields = {"q": last_key[keys.partition]["S"], "s": last_key[keys.sort]["S"]}
    if keys.table_id:
        fields["i"] = last_key[keys.table_id]["S"]
    payload = json.dumps(fields, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _checksum(keys, payload)


def decode(cursor: str, partition: str, keys: ListKeys = QUEUE) -> dict[str, Any]:
    """The ExclusiveStartKey for `partition` of the list `keys`, or InvalidCursor."""
    if len(cursor) > _MAX_LENGTH or cursor.count(".") != 1:
        raise InvalidCursor("malformed cursor")
    encoded, checksum = cursor.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        fields = json.loads(payload)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor("malformed cursor") from exc
    expected = {"q", "s", "i"} if keys.table_id else {"q", "s"}
    if _checksum(keys, payload) != checksum or not isinstance(fields, dict) or set(fields) != expected:
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
