"""The `limit` query parameter of the practitioner and admin lists, checked once for all of them."""

from __future__ import annotations

from http import HTTPStatus

from screening.contract.review import MAX_PAGE_SIZE
from screening.handlers.http import RequestRejected


def page_limit(raw: str | None, default: int = 25) -> int:
    """The `limit` query parameter of every paged list."""
    if raw is None:
        return default
    # ASCII digits only and short: str.isdigit() accepts "²" (which int() refuses) and 5,000 digits.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise RequestRejected(
            HTTPStatus.BAD_REQUEST,
            "limit is not valid",
            [{"field": "query.limit", "message": f"a whole number from 1 to {MAX_PAGE_SIZE}"}],
        )
    return int(raw)
