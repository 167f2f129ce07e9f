"""Test helpers shared by the suites: payload-2.0 events, a Lambda context, forms and handler invocation."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from devtools.local_events import HttpRequest, build_event

FIXTURES = Path(__file__).parent / "fixtures"
PRACTITIONER = {
    "sub": "prac-1",
    "email": "dr.kim@clinic.example",
    "email_verified": "true",
    "cognito:groups": "[practitioners]",
}


def appointment_at(days: float, hour: int = 9, minute: int = 30, offset_hours: int = -5) -> str:
    """An appointment `days` from today at a local time: the contract only takes times near the submission."""
    zone = timezone(timedelta(hours=offset_hours))
    day = (datetime.now(zone) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour, minute), zone).isoformat()


def example_form() -> dict[str, Any]:
    """The contract's example: answered "no" to blood thinners but lists Eliquis (apixaban); its appointment moved
    to tomorrow, since a fixed date would fall out of the accepted window."""
    form: dict[str, Any] = json.loads((FIXTURES / "example_form.json").read_text())
    form["appointment"]["starts_at"] = appointment_at(1)
    return form


def clear_form() -> dict[str, Any]:
    form = example_form()
    form["medications"] = [{"name": "paracetamol", "dose": "1 g when needed"}]
    form["patient"]["date_of_birth"] = "1990-04-12"
    return form


DROP = object()
"""A merge value that removes the key (e.g. the guardian's name)."""


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `base` with `changes` merged in: nested dicts merge, other values replace, DROP removes."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if value is DROP:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def with_changes(form: dict[str, Any], **sections: dict[str, Any]) -> dict[str, Any]:
    """A copy of `form` with the given sections' fields replaced, e.g. with_changes(f, red_flags={...})."""
    return merge(form, sections)


@dataclass
class LambdaContext:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 15_000  # a fresh invocation of the template's 15 s functions


def api_event(
    method: str,
    path: str,
    *,
    route: str | None = None,
    body: str | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
    claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API payload-2.0 event, built by the local gateway's own event builder."""
    all_headers = {"content-type": "application/json"} if body is not None else {}
    all_headers |= {name.lower(): value for name, value in (headers or {}).items()}
    raw_body = b"" if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
    request = HttpRequest(method, path, urlencode(query or {}), list(all_headers.items()), raw_body, "192.0.2.1")
    return build_event(request, f"{method} {route or path}", path_parameters or {}, claims)


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any


def call(handler: Any, event: dict[str, Any]) -> ApiResponse:
    raw = handler(event, LambdaContext())
    body = raw.get("body")
    return ApiResponse(raw["statusCode"], raw.get("headers") or {}, json.loads(body) if body else None)
