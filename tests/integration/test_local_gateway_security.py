"""The local gateway as the security review found it: bodies passed on untouched, pages sent with security headers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest

from devtools.gateway import LocalService
from devtools.local_events import HttpRequest, build_event
from tests.integration.gateway_http import send
from tests.support import example_form

JSON = [("Content-Type", "application/json")]


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalService]:
    with LocalService(port=0) as running:
        yield running


def _event(body: bytes) -> dict[str, object]:
    request = HttpRequest("POST", "/intakes", "", [("content-type", "application/json")], body, "192.0.2.1")
    return build_event(request, "POST /intakes", {}, None)


def test_a_valid_utf8_text_body_is_passed_as_text() -> None:
    event = _event('{"given_name": "Zoë"}'.encode())
    assert (event["body"], event["isBase64Encoded"]) == ('{"given_name": "Zoë"}', False)


@pytest.mark.parametrize("raw", [b'{"given_name": "An\xffa"}', b'{"given_name": "An\xc0\xafa"}'])
def test_bytes_that_are_not_utf8_are_passed_base64_untouched_not_replaced(raw: bytes) -> None:
    event = _event(raw)
    assert event["isBase64Encoded"] is True
    assert "\ufffd" not in str(event["body"])


def test_invalid_utf8_through_the_gateway_is_400_and_stores_nothing(stack: LocalService) -> None:
    body = json.dumps(example_form()).encode().replace(b'"Ana"', b'"An\xffa"')

    reply = send(stack.base_url, "POST", "/intakes", body, JSON)

    assert reply.status == 400
    assert "UTF-8" in reply.json()["message"]
    assert boto3.client("dynamodb").scan(TableName=stack.table_name())["Items"] == []


@pytest.mark.parametrize("path", ["/", "/review"])
def test_the_pages_forbid_framing_and_send_no_referrer(stack: LocalService, path: str) -> None:
    reply = send(stack.base_url, "GET", path, None, [])

    assert reply.status == 200
    policy = reply.header("content-security-policy") or ""
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert reply.header("referrer-policy") == "no-referrer"
    assert reply.header("x-content-type-options") == "nosniff"


def test_api_answers_through_the_gateway_carry_no_store_and_nosniff(stack: LocalService) -> None:
    reply = send(stack.base_url, "POST", "/intakes", json.dumps(example_form()).encode(), JSON)

    assert reply.status == 201
    assert reply.header("cache-control") == "no-store"
    assert reply.header("x-content-type-options") == "nosniff"
