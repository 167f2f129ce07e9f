"""The review queue's cursor: what its unkeyed digest catches, and what bounds a cursor built by hand."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from screening.store import cursor
from screening.store.errors import InvalidCursor

INTAKE_ID = "2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10"
LAST_KEY = {"queue": {"S": "pending"}, "queue_sort": {"S": "1#2026-12-01T09:30#abc"}, "id": {"S": INTAKE_ID}}


def hand_made(fields: dict[str, str]) -> str:
    """A cursor built from scratch, as anyone can: the digest needs no key."""
    payload = json.dumps(fields, separators=(",", ":")).encode()
    digest = hashlib.sha256(b"review-queue-cursor:" + payload).hexdigest()[:16]
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + digest


def test_a_cursor_decodes_to_the_start_key_it_was_made_from() -> None:
    assert cursor.decode(cursor.encode(LAST_KEY), "pending") == LAST_KEY


def test_the_digest_refuses_a_cursor_edited_into_another_valid_one() -> None:
    encoded, digest = cursor.encode(LAST_KEY).split(".")
    payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).replace(b"#abc", b"#abd")
    edited = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    with pytest.raises(InvalidCursor, match="malformed"):
        cursor.decode(f"{edited}.{digest}", "pending")
    assert cursor.decode(hand_made(json.loads(payload)), "pending")["queue_sort"] == {"S": "1#2026-12-01T09:30#abd"}


def test_a_hand_made_cursor_reaches_only_a_position_in_the_queue_being_listed() -> None:
    """The digest is no signature: a hand-made cursor passes it, and the shape and queue checks bound it instead."""
    elsewhere = hand_made({"q": "pending", "s": "0#2026-01-01T00:00#zzz", "i": INTAKE_ID})
    assert cursor.decode(elsewhere, "pending")["queue"] == {"S": "pending"}
    with pytest.raises(InvalidCursor, match="another list"):
        cursor.decode(hand_made({"q": "reviewed", "s": "1", "i": INTAKE_ID}), "pending")
    for fields in (
        {"q": "pending", "s": "1", "i": "not-an-intake-id"},
        {"q": "pending", "s": "1 OR 1=1", "i": INTAKE_ID},
        {"q": "pending", "s": "1", "i": INTAKE_ID, "extra": "x"},
    ):
        with pytest.raises(InvalidCursor, match="malformed"):
            cursor.decode(hand_made(fields), "pending")
