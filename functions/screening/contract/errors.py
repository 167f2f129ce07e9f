"""Field-level validation errors in the API's shape: the field path and a message, never the input value."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "required",
}


def field_path(loc: tuple[int | str, ...]) -> str:
    """`('medications', 0, 'name')` → `medications[0].name`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]":  # pydantic's marker for a bad dict key, e.g. in `custom`
            path += " (key)"
        else:
            path += f".{part}" if path else str(part)
    return path or "(body)"


def _message(error: ErrorDetails) -> str:
    if error["type"] == "literal_error" and error["loc"] and str(error["loc"][0]) == "consent":
        return "must be accepted (true)"
    msg = _MESSAGES.get(error["type"], error["msg"])
    return msg.removeprefix("Value error, ")


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """One `{field, message}` per problem. pydantic's messages name expected values and bounds, not the input."""
    return [{"field": field_path(tuple(e["loc"])), "message": _message(e)} for e in exc.errors(include_input=False)]
