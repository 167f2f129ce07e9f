"""A raw HTTP client for the gateway tests: repeated headers, exact bytes, any method, no redirects or retries."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


def send(
    base_url: str,
    method: str,
    target: str,
    body: bytes | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Reply:
    """Sends one request; Content-Length is set from `body` unless `headers` names one."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        names = {name.lower() for name, _ in headers or []}
        for name, value in headers or []:
            connection.putheader(name, value)
        if body is not None and "content-length" not in names:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def bearer(token: str) -> list[tuple[str, str]]:
    return [("Authorization", f"Bearer {token}")]
