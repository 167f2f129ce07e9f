"""Field-level validation errors in the API's shape: the field path and a message, never the input value.

A path names only the contract's own field names. A key the patient chose (an unknown field, a `custom` key) is
named by its position in its object, `body[7]` or `custom[3]`, since a key such as `Ana_Lopez_HIV_positive` is
patient text too (contract 1.1).
"""

from __future__ import annotations

import json
import types
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from screening.contract.intake import PATTERN_MESSAGES

MAX_LISTED_ERRORS = 20
"""At most this many errors are listed: a body of 5,000 bad values gets 20 entries, not a 374 KB answer."""

_MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "required",
}
_DICT_KEY = "[key]"  # pydantic's marker for a bad dict key, e.g. in `custom`


@cache
def known_field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every field name of `model` and the models it nests: the only key texts an error may repeat."""
    names: set[str] = set()
    pending: list[Any] = [model]
    seen: set[Any] = set()
    while pending:
        annotation = pending.pop()
        if annotation in seen:
            continue
        seen.add(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(annotation.model_fields)
            pending.extend(field.annotation for field in annotation.model_fields.values())
        elif get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
            pending.extend(get_args(annotation))
    return frozenset(names)


def field_path(loc: tuple[int | str, ...], data: Any, known: frozenset[str]) -> str:
    """`('medications', 0, 'name')` → `medications[0].name`; a key outside `known` → its position, `custom[3]`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == _DICT_KEY:
            path += " (key)"
        else:
            keys = list(data) if isinstance(data, dict) else []
            path = _step(path, part, keys.index(part) if part in keys else None, known)
        data = _child(data, part)
    return path or "(body)"


def _step(path: str, key: str, position: int | None, known: frozenset[str]) -> str:
    if key in known:
        return f"{path}.{key}" if path else key
    return f"{path or 'body'}[{'?' if position is None else position}]"


def _child(data: Any, part: int | str) -> Any:
    if isinstance(data, dict) and isinstance(part, str):
        return data.get(part)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


def _message(error: ErrorDetails) -> str:
    if error["type"] == "literal_error" and error["loc"] and str(error["loc"][0]) == "consent":
        return "must be accepted (true)"
    pattern = error.get("ctx", {}).get("pattern", "") if error["type"] == "string_pattern_mismatch" else ""
    if pattern in PATTERN_MESSAGES:
        return PATTERN_MESSAGES[pattern]
    msg = _MESSAGES.get(error["type"], error["msg"])
    return msg.removeprefix("Value error, ")


def field_errors(exc: ValidationError, data: Any, model: type[BaseModel]) -> tuple[list[dict[str, str]], list[str]]:
    """At most MAX_LISTED_ERRORS `{field, message}` entries, and the error type of every problem (for the logs).

    `data` is the parsed body, used only to find the position of a key that is not a field name. pydantic's
    messages name expected values and bounds, never the input.
    """
    known = known_field_names(model)
    details = exc.errors(include_input=False)
    listed = [
        {"field": field_path(tuple(e["loc"]), data, known), "message": _message(e)} for e in details[:MAX_LISTED_ERRORS]
    ]
    return listed, [e["type"] for e in details]


class DuplicateKey(ValueError):
    """A JSON object names the same key twice; `field` is its path in the API's notation."""

    def __init__(self, field: str) -> None:
        super().__init__("duplicate key")
        self.field = field


class _Pairs(list[tuple[str, Any]]):
    """An object as its key/value pairs in order (a list subclass, so it is told apart from a JSON array)."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise DuplicateKey("")
    return obj


_STRICT_DECODER = json.JSONDecoder(object_pairs_hook=_refuse_duplicates)
"""Built once: json.loads with a hook builds a decoder and its scanner on every call."""


def parse_without_duplicates(body: str, model: type[BaseModel]) -> Any:
    """The body parsed by `json`, or DuplicateKey naming the first repeated key (a reader keeping the first value
    would see another answer than one keeping the last). Other JSON faults raise ValueError or RecursionError, and
    the caller lets the model's own parser name them."""
    try:
        return _STRICT_DECODER.decode(body)
    except DuplicateKey:
        # Rare: parse again keeping every pair, to name where the repeat is.
        tree = json.loads(body, object_pairs_hook=_Pairs)
        raise DuplicateKey(_duplicate_path(tree, "", known_field_names(model)) or "(body)") from None


def _duplicate_path(node: Any, path: str, known: frozenset[str]) -> str | None:
    if isinstance(node, _Pairs):
        positions: dict[str, int] = {}
        for key, value in node:
            if key in positions:
                return _step(path, key, positions[key], known)
            positions[key] = len(positions)
            found = _duplicate_path(value, _step(path, key, positions[key], known), known)
            if found:
                return found
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found = _duplicate_path(value, f"{path}[{index}]", known)
            if found:
                return found
    return None
