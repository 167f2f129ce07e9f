"""Opaque pagination cursors for the review queue.

A cursor is the DynamoDB start key, base64url-encoded with a checksum. Decoding checks its shape strictly and that it
belongs to the queue being listed, so an edited cursor is refused rather than used: at worst a hand-made cursor can
point at another position in the same queue, which the practitioner may read anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

from screening.store.errors import InvalidCursor
from screening.store.records import is_intake_id

_MAX_LENGTH = 512
_SORT_KEY = re.compile(r"^[0-9A-Za-z:.#~+-]{1,120}$")


def _checksum(payload: bytes) -> str:
    return hashlib.sha256(b"review-queue-cursor:" + payload).hexdigest()[:16]


def encode(last_key: dict[str, Any]) -> str:
    payload = json.dumps(
        {"q": last_key["queue"]["S"], "s": last_key["queue_sort"]["S"], "i": last_key["id"]["S"]},
        separators=(",", ":"),
    ).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _checksum(payload)


def decode(cursor: str, queue: str) -> dict[str, Any]:
    """The ExclusiveStartKey for `queue`, or InvalidCursor."""
    if len(cursor) > _MAX_LENGTH or cursor.count(".") != 1:
        raise InvalidCursor("malformed cursor")
    encoded, checksum = cursor.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        fields = json.loads(payload)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor("malformed cursor") from exc
    if _checksum(payload) != checksum or not isinstance(fields, dict) or set(fields) != {"q", "s", "i"}:
        raise InvalidCursor("malformed cursor")
    if fields["q"] != queue:
        raise InvalidCursor("cursor belongs to another queue")
    sort_key, intake_id = fields["s"], fields["i"]
    if not (isinstance(sort_key, str) and _SORT_KEY.match(sort_key)):
        raise InvalidCursor("malformed cursor")
    if not is_intake_id(intake_id):
        raise InvalidCursor("malformed cursor")
    return {"queue": {"S": queue}, "queue_sort": {"S": sort_key}, "id": {"S": intake_id}}
