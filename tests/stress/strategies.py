"""Hypothesis strategies for intake bodies, derived from the contract's JSON Schema so they follow its bounds.

`valid_forms()` walks the schema pydantic generates for IntakeForm (enums, consts, lengths, ranges, item counts);
the few rules the schema cannot express (birth date window, email shape, no blank names) are overrides by path.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from screening.contract.intake import IntakeForm

STRESS = settings(derandomize=True, database=None, deadline=None, print_blob=False)
"""Deterministic in CI: the same examples on every run, nothing read from or written to a local database."""

SCHEMA = IntakeForm.model_json_schema()
_DEFS: dict[str, Any] = SCHEMA["$defs"]

# Printable text: letters, digits, punctuation and spaces from all scripts, no surrogates or control characters.
_TEXT = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"))
_OFFSETS = st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))])
_SHORT_LISTS = 4  # longer lists add run time, not coverage: the list bounds have their own mutations


def today() -> date:
    return datetime.now(UTC).date()


def _birth_dates() -> st.SearchStrategy[str]:
    # A day's margin on each side so a run across midnight cannot turn a valid date invalid.
    latest = today() - timedelta(days=1)
    earliest = latest.replace(year=latest.year - 119)
    return st.dates(min_value=earliest, max_value=latest).map(date.isoformat)


_OVERRIDES: dict[str, st.SearchStrategy[Any]] = {
    "patient.date_of_birth": _birth_dates(),
    "patient.email": st.from_regex(r"\A[a-z0-9._+-]{1,20}@[a-z0-9]{1,12}\.(org|com|example)\Z"),
    # Contract 1.1: a day before to two years after the submission (wall times, so margins cover the offsets).
    "appointment.starts_at": st.datetimes(
        min_value=datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=12),
        max_value=datetime.now(UTC).replace(tzinfo=None) + timedelta(days=729),
        timezones=_OFFSETS,
    ).map(datetime.isoformat),
}


def _text(spec: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = spec.get("minLength", 0), spec.get("maxLength", 200)
    # Models strip whitespace before checking lengths: a valid string is valid once stripped.
    return st.text(_TEXT, min_size=low, max_size=min(high, 120)).map(str.strip).filter(lambda s: low <= len(s) <= high)


def _from_schema(spec: dict[str, Any], path: str) -> st.SearchStrategy[Any]:
    if path in _OVERRIDES:
        return _OVERRIDES[path]
    if "$ref" in spec:
        return _from_schema(_DEFS[spec["$ref"].rsplit("/", 1)[1]], path)
    if "const" in spec:
        return st.just(spec["const"])
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    if "anyOf" in spec:
        return st.one_of([_from_schema(option, path) for option in spec["anyOf"]])
    kind = spec.get("type")
    if kind == "object" and "properties" in spec:
        return _object(spec, path)
    if kind == "object":
        keys = _text(spec.get("propertyNames", {}))
        values = _from_schema(spec["additionalProperties"], f"{path}.*")
        return st.dictionaries(keys, values, max_size=min(spec.get("maxProperties", 5), 5))
    if kind == "array":
        low, high = spec.get("minItems", 0), min(spec.get("maxItems", _SHORT_LISTS), _SHORT_LISTS)
        unique = "enum" in spec["items"]
        return st.lists(_from_schema(spec["items"], f"{path}[]"), min_size=low, max_size=high, unique=unique)
    if kind == "string":
        return _text(spec)
    if kind == "integer":
        return st.integers(spec.get("minimum", -(2**40)), spec.get("maximum", 2**40))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise AssertionError(f"schema construct not covered at {path}: {spec}")


def _object(spec: dict[str, Any], path: str) -> st.SearchStrategy[dict[str, Any]]:
    """Required properties always; optional ones present or absent (absent is how most forms leave them)."""
    required = set(spec.get("required", []))
    fields = {name: _from_schema(sub, f"{path}.{name}" if path else name) for name, sub in spec["properties"].items()}
    optional = {name: strategy for name, strategy in fields.items() if name not in required}
    return st.fixed_dictionaries({n: s for n, s in fields.items() if n in required}, optional=optional)


def valid_forms() -> st.SearchStrategy[dict[str, Any]]:
    return _object(SCHEMA, "")


def leaf_paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every path to a value inside nested dicts and lists (the containers themselves included)."""
    paths: list[tuple[str | int, ...]] = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            paths += leaf_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += leaf_paths(item, (*prefix, index))
    return paths


WRONG_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.sampled_from(["", " ", "yes ", "YES", "true", "1", "1e400", "2026-02-30", "-1", "🙂" * 3]),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
)


@st.composite
def mutated_forms(draw: st.DrawFn) -> dict[str, Any]:
    """A valid form with exactly one change: a value replaced, a field removed, or an unknown field added."""
    form = draw(valid_forms())
    path = draw(st.sampled_from(leaf_paths(form)))
    *parents, last = path
    container: Any = form
    for step in parents:
        container = container[step]
    action = draw(st.sampled_from(["replace", "remove", "add_unknown"]))
    if action == "replace":
        container[last] = draw(WRONG_VALUES)
    elif action == "remove":
        del container[last]
    elif isinstance(container, dict):
        container[draw(st.sampled_from(["Given_name", "bleeding", "__proto__", "safety ", "x" * 65]))] = "no"
    else:
        container.append(draw(WRONG_VALUES))
    return form


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)

ODD_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "\u200b\u200d\ufeff",  # zero-width space, joiner, byte-order mark
            "\u202eilopeZ\u202c",  # right-to-left override
            "مريض عربي",
            "a\x00b",
            "\ud800",  # a lone surrogate: JSON can escape it, UTF-8 cannot encode it
            "\udfff\ud83d",
            "e\u0301" * 60,
            "😀" * 120,
            "x" * 100_000,
        ]
    ),
)


def json_text(value: Any) -> str:
    """JSON as a browser would send it: non-ASCII escaped, so lone surrogates survive as \\udXXX escapes."""
    return json.dumps(value, ensure_ascii=True)


def deep_nesting(depth: int) -> str:
    return '{"form_version": "1", "custom": ' + "[" * depth + "]" * depth + "}"
