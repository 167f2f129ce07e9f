"""Test helpers shared by the suites: payload-2.0 events, a Lambda context, forms and handler invocation."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
PRACTITIONER = {"sub": "prac-1", "email": "dr.kim@clinic.example", "cognito:groups": "[practitioners]"}


def example_form() -> dict[str, Any]:
    """The contract's example: answered "no" to blood thinners but lists Eliquis (apixaban)."""
    form: dict[str, Any] = json.loads((FIXTURES / "example_form.json").read_text())
    return form


def clear_form() -> dict[str, Any]:
    form = example_form()
    form["medications"] = [{"name": "paracetamol", "dose": "1 g when needed"}]
    form["patient"]["date_of_birth"] = "1990-04-12"
    return form


def with_changes(form: dict[str, Any], **sections: dict[str, Any]) -> dict[str, Any]:
    """A copy of `form` with the given sections' fields replaced, e.g. with_changes(f, red_flags={...})."""
    changed = copy.deepcopy(form)
    for section, fields in sections.items():
        changed[section] = {**changed.get(section, {}), **fields}
    return changed


@dataclass
class LambdaContext:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


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
    """An API Gateway HTTP API payload-2.0 event as the gateway delivers it to a Lambda."""
    all_headers = {"content-type": "application/json"} if body is not None else {}
    all_headers |= {k.lower(): v for k, v in (headers or {}).items()}
    route_key = f"{method} {route or path}"
    request_context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "api-id",
        "domainName": "api-id.execute-api.us-east-1.amazonaws.com",
        "domainPrefix": "api-id",
        "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "test"},
        "requestId": str(uuid.uuid4()),
        "routeKey": route_key,
        "stage": "$default",
        "time": "24/Nov/2026:09:00:00 +0000",
        "timeEpoch": 1795510800000,
    }
    if claims is not None:
        request_context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
        "headers": all_headers,
        "requestContext": request_context,
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    return event


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any


def call(handler: Any, event: dict[str, Any]) -> ApiResponse:
    raw = handler(event, LambdaContext())
    body = raw.get("body")
    return ApiResponse(raw["statusCode"], raw.get("headers") or {}, json.loads(body) if body else None)
