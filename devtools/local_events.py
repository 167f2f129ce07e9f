"""HTTP request → API Gateway HTTP API payload-2.0 event, and the function's response → HTTP, as a deployed API does.

Shape follows `sam local generate-event apigateway http-api-proxy` and the API Gateway developer guide
("Working with AWS Lambda proxy integrations for HTTP APIs"): header names lower-cased with repeated headers
comma-joined, cookies moved out of the headers, repeated query parameters comma-joined, and the body
base64-encoded unless its content type is textual.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from devtools.local_aws import ACCOUNT_ID

API_ID = "local"
_TEXT_TYPES = {"application/json", "application/xml", "application/javascript"}


@dataclass(frozen=True)
class HttpRequest:
    method: str
    raw_path: str
    raw_query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    protocol: str = "HTTP/1.1"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> HttpResponse:
    """A gateway-generated answer (404, 401, 413 …) in API Gateway's {"message": ...} style."""
    body = json.dumps(payload).encode()
    return HttpResponse(status, [("content-type", "application/json"), *headers], body)


def is_text(content_type: str | None) -> bool:
    """HTTP APIs pass only these bodies as text; everything else (no type, forms, octets …) arrives base64."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media in _TEXT_TYPES


def build_event(
    request: HttpRequest,
    route_key: str,
    path_parameters: dict[str, str],
    claims: dict[str, str] | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The payload-2.0 event API Gateway would send for `request` on route `route_key`."""
    now = now or datetime.now(UTC)
    headers = _joined_headers(request.headers)
    cookie_header = headers.pop("cookie", None)
    host = headers.get("host", "localhost")
    request_context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": host,
        "domainPrefix": host.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": request.raw_path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": base64.b64encode(secrets.token_bytes(12)).decode(),
        "routeKey": route_key,
        "stage": "$default",
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now.timestamp() * 1000),
    }
    if claims is not None:
        request_context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query,
        "headers": headers,
        "requestContext": request_context,
        "isBase64Encoded": False,
    }
    if cookie_header:
        event["cookies"] = [cookie.strip() for cookie in cookie_header.split(";") if cookie.strip()]
    if request.raw_query:
        event["queryStringParameters"] = _joined(parse_qsl(request.raw_query, keep_blank_values=True))
    if path_parameters:
        event["pathParameters"] = path_parameters
    if request.body:
        text = _utf8(request.body) if is_text(headers.get("content-type")) else None
        if text is not None:
            event["body"] = text
        else:
            # Bytes that are not valid UTF-8 travel base64-encoded, untouched: replacing them would let a
            # corrupted body through as if the client had sent U+FFFD.
            event["body"] = base64.b64encode(request.body).decode()
            event["isBase64Encoded"] = True
    return event


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _joined_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return _joined((name.lower(), value) for name, value in headers)


def _joined(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def http_response(result: Any) -> HttpResponse:
    """Interprets a payload-2.0 function result; a result without statusCode is a 200 JSON body, as API Gateway does.

    Raises ValueError for a result API Gateway could not use (it answers 500 then).
    """
    if not (isinstance(result, dict) and "statusCode" in result):
        return HttpResponse(200, [("content-type", "application/json")], json.dumps(result).encode())
    status = result["statusCode"]
    if not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError("statusCode is not an HTTP status")
    headers = [(str(name), str(value)) for name, value in (result.get("headers") or {}).items()]
    headers += [("set-cookie", str(cookie)) for cookie in result.get("cookies") or []]
    body = result.get("body") or ""
    if not isinstance(body, str):
        raise ValueError("body is not a string")
    payload = base64.b64decode(body, validate=True) if result.get("isBase64Encoded") else body.encode()
    return HttpResponse(status, headers, payload)
