"""Opaque pagination cursors for the review queue.

A cursor is the DynamoDB start key, base64url-encoded, with an unkeyed digest of it. The digest is a corruption check,
not a signature: it refuses a cursor truncated or edited by mistake, but anyone can compute it for a cursor built by
hand. What keeps such a cursor harmless is the decoding: its shape is checked strictly and it must belong to the
queue being listed, so at worst it points at another position in the same queue, which the practitioner may read
anyway. A key would add a secret to deploy and rotate without narrowing what a cursor can reach.
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


def _digest(payload: bytes) -> str:
    """Unkeyed: catches damage, proves nothing about who made the cursor (see the module docstring)."""
    return hashlib.sha256(b"review-queue-cursor:" + payload).hexdigest()[:16]


def encode(last_key: dict[str, Any]) -> str:
    payload = json.dumps(
        {"q": last_key["queue"]["S"], "s": last_key["queue_sort"]["S"], "i": last_key["id"]["S"]},
        separators=(",", ":"),
    ).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _digest(payload)


def decode(cursor: str, queue: str) -> dict[str, Any]:
    """The ExclusiveStartKey for `queue`, or InvalidCursor."""
    if len(cursor) > _MAX_LENGTH or cursor.count(".") != 1:
        raise InvalidCursor("malformed cursor")
    encoded, digest = cursor.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        fields = json.loads(payload)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor("malformed cursor") from exc
    if _digest(payload) != digest or not isinstance(fields, dict) or set(fields) != {"q", "s", "i"}:
        raise InvalidCursor("malformed cursor")
    if fields["q"] != queue:
        raise InvalidCursor("cursor belongs to another queue")
    sort_key, intake_id = fields["s"], fields["i"]
    if not (isinstance(sort_key, str) and _SORT_KEY.match(sort_key)):
        raise InvalidCursor("malformed cursor")
    if not is_intake_id(intake_id):
        raise InvalidCursor("malformed cursor")
    return {"queue": {"S": queue}, "queue_sort": {"S": sort_key}, "id": {"S": intake_id}}
