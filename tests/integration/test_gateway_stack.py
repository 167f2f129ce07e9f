"""The local gateway end to end over HTTP, on a small template routing to tests/integration/gateway_fake_handler.py."""

from __future__ import annotations

import base64
import http.client
import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import jwt
import pytest

from devtools.gateway import LocalService
from devtools.jwt_token import make_token
from devtools.local_auth import DEFAULT_SECRET
from tests.conftest import DynamoDbBackend, local_stack_on
from tests.integration.gateway_http import Reply, bearer, send

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the documented default

FIXTURE_TEMPLATE = Path(__file__).parent / "gateway_fixture" / "template.yaml"
WORKERS = 3


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "web").mkdir()
    (root / "secret.txt").write_text("outside the web root")
    web = root / "web"
    (web / "index.html").write_text("<h1>intake form</h1>")
    (web / "review.html").write_text("<h1>review console</h1>")
    (web / "app.js").write_text("console.log('app')")
    (web / "nested").mkdir()
    (web / "nested" / "styles.css").write_text("body {}")
    (web / "things").mkdir()
    (web / "things" / "special").write_text("a file where an API route is")
    return web


@pytest.fixture(scope="module")
def stack(web_root: Path, dynamodb_backend: DynamoDbBackend) -> Iterator[LocalService]:
    with local_stack_on(
        dynamodb_backend,
        template_path=FIXTURE_TEMPLATE,
        web_root=web_root,
        jwt_secret=DEFAULT_SECRET,
        workers_per_function=WORKERS,
    ) as running:
        yield running


def echo(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply.body
    payload: dict[str, Any] = reply.json()
    return payload


def practitioner() -> list[tuple[str, str]]:
    return bearer(make_token(secret=DEFAULT_SECRET))


# --- the payload-2.0 event -----------------------------------------------------------------------------------------


def test_public_route_receives_a_payload_2_event(stack: LocalService) -> None:
    headers = [
        ("Content-Type", "application/json"),
        ("X-Multi", "one"),
        ("X-Multi", "two"),
        ("Cookie", "c1=1; c2=2"),
        ("User-Agent", "gateway-test"),
    ]
    reply = send(stack.base_url, "POST", "/echo?b=2&a=1&a=3&e=", b'{"hello": "world"}', headers)
    event = echo(reply)["event"]

    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /echo"
    assert event["rawPath"] == "/echo"
    assert event["rawQueryString"] == "b=2&a=1&a=3&e="
    assert event["queryStringParameters"] == {"a": "1,3", "b": "2", "e": ""}
    assert event["headers"]["x-multi"] == "one,two"
    assert event["headers"]["content-type"] == "application/json"
    assert all(name == name.lower() for name in event["headers"])
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["c1=1", "c2=2"]
    assert event["body"] == '{"hello": "world"}'
    assert event["isBase64Encoded"] is False
    assert "pathParameters" not in event
    context = event["requestContext"]
    assert context["routeKey"] == "POST /echo"
    assert context["stage"] == "$default"
    assert context["http"] == {
        "method": "POST",
        "path": "/echo",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "gateway-test",
    }
    assert {"accountId", "apiId", "domainName", "domainPrefix", "requestId", "time", "timeEpoch"} <= set(context)
    assert "authorizer" not in context, "a public route carries no authorizer"


def test_request_without_query_cookies_or_body_leaves_those_keys_out(stack: LocalService) -> None:
    event = echo(send(stack.base_url, "POST", "/echo"))["event"]
    assert event["rawQueryString"] == ""
    for absent in ("queryStringParameters", "cookies", "body", "pathParameters"):
        assert absent not in event


@pytest.mark.parametrize(
    ("content_type", "encoded"),
    [
        ("application/octet-stream", True),
        (None, True),
        ("application/x-www-form-urlencoded", True),
        ("image/png", True),
        ("text/plain; charset=utf-8", False),
        ("application/json; charset=utf-8", False),
    ],
)
def test_body_is_base64_unless_its_type_is_textual(
    stack: LocalService, content_type: str | None, encoded: bool
) -> None:
    raw = b"a=1&b=\x00\xff" if encoded else b"plain text \xc3\xa9"
    headers = [("Content-Type", content_type)] if content_type else []
    event = echo(send(stack.base_url, "POST", "/echo", raw, headers))["event"]
    assert event["isBase64Encoded"] is encoded
    assert (base64.b64decode(event["body"]) if encoded else event["body"].encode()) == raw


# --- routing -------------------------------------------------------------------------------------------------------


def test_path_parameters_are_extracted_and_decoded(stack: LocalService) -> None:
    event = echo(send(stack.base_url, "GET", "/things/a%20b/parts/p-1", headers=practitioner()))["event"]
    assert event["routeKey"] == "GET /things/{id}/parts/{part}"
    assert event["pathParameters"] == {"id": "a b", "part": "p-1"}
    assert event["rawPath"] == "/things/a%20b/parts/p-1"


def test_a_literal_route_wins_over_a_parameter(stack: LocalService) -> None:
    special = echo(send(stack.base_url, "GET", "/things/special", headers=practitioner()))["event"]
    other = echo(send(stack.base_url, "GET", "/things/ordinary", headers=practitioner()))["event"]
    assert special["routeKey"] == "GET /things/special"
    assert "pathParameters" not in special
    assert other["routeKey"] == "GET /things/{id}"
    assert other["pathParameters"] == {"id": "ordinary"}


def test_any_method_and_greedy_parameter(stack: LocalService) -> None:
    event = echo(send(stack.base_url, "DELETE", "/anything/x/y/z", headers=practitioner()))["event"]
    assert event["routeKey"] == "ANY /anything/{rest+}"
    assert event["pathParameters"] == {"rest": "x/y/z"}
    assert event["requestContext"]["http"]["method"] == "DELETE"


@pytest.mark.parametrize(
    ("method", "target"),
    [("GET", "/nowhere"), ("PUT", "/echo"), ("GET", "/echo"), ("GET", "/things"), ("GET", "/things/1/parts")],
)
def test_unrouted_requests_are_404_like_api_gateway(stack: LocalService, method: str, target: str) -> None:
    reply = send(stack.base_url, method, target, headers=practitioner())
    assert reply.status == 404
    assert reply.json() == {"message": "Not Found"}


# --- the functions' runtime ----------------------------------------------------------------------------------------


def test_each_function_gets_its_own_resolved_environment(stack: LocalService) -> None:
    public = echo(send(stack.base_url, "POST", "/echo"))
    private = echo(send(stack.base_url, "GET", "/things/1", headers=practitioner()))
    table = stack.table_name()
    assert public["env"] == {
        "ROLE": "public",
        "SHARED": "from-globals",
        "TABLE_NAME": table,
        "TABLE_ARN": f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}",
        "TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:intake-screening-local-Topic",
        "GREETING": "hello",
        "WHERE": f"us-east-1/{table}",
    }
    assert private["env"]["ROLE"] == "private"
    assert private["env"]["TABLE_NAME"] == table
    assert private["env"]["TOPIC_ARN"] is None, "a variable of another function must not leak"
    assert public["pid"] != private["pid"], "each function runs in its own execution environment"


def test_functions_get_a_lambda_context_and_stay_warm(stack: LocalService) -> None:
    first = echo(send(stack.base_url, "POST", "/echo"))
    second = echo(send(stack.base_url, "POST", "/echo"))
    context = second["context"]
    assert context["function_name"] == "intake-screening-local-PublicFunction"
    assert context["memory_limit_in_mb"] == 256
    assert context["invoked_function_arn"].endswith(":function:intake-screening-local-PublicFunction")
    assert 0 < context["remaining_ms"] <= 8000  # the fixture template's Timeout
    assert context["aws_request_id"] != first["context"]["aws_request_id"]
    assert second["pid"] == first["pid"]
    assert second["invocations"] == first["invocations"] + 1


def test_concurrent_requests_to_one_function_run_at_once_in_separate_workers(
    stack: LocalService, tmp_path: Path
) -> None:
    # Each invocation waits until all have arrived (bounded by the function's timeout): a gateway that runs one
    # invocation at a time per function gets back invocations that each met only the ones before them.
    replies: list[Reply] = []

    def together() -> None:
        replies.append(send(stack.base_url, "GET", f"/together/{WORKERS}?dir={tmp_path}"))

    clients = [threading.Thread(target=together) for _ in range(WORKERS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()

    assert [reply.status for reply in replies] == [200] * WORKERS
    assert [reply.json()["met"] for reply in replies] == [WORKERS] * WORKERS
    assert len({reply.json()["pid"] for reply in replies}) == WORKERS, "each invocation had an environment of its own"
    assert stack.pools["TogetherFunction"].started == WORKERS


def test_requests_beyond_the_pool_wait_for_a_worker_and_reuse_it(stack: LocalService, tmp_path: Path) -> None:
    replies: list[Reply] = []

    def alone(n: int) -> None:
        meeting = tmp_path / str(n)
        meeting.mkdir()
        replies.append(send(stack.base_url, "GET", f"/together/1?dir={meeting}"))

    clients = [threading.Thread(target=alone, args=(n,)) for n in range(2 * WORKERS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()

    assert [reply.status for reply in replies] == [200] * (2 * WORKERS)
    assert len({reply.json()["pid"] for reply in replies}) <= WORKERS
    assert stack.pools["TogetherFunction"].started <= WORKERS


def test_functions_reach_the_stacks_table(stack: LocalService, dynamodb_backend: DynamoDbBackend) -> None:
    assert send(stack.base_url, "GET", "/behave/store").status == 201
    items = boto3.client("dynamodb").scan(TableName=stack.table_name())["Items"]
    assert len(items) == 1
    described = boto3.client("dynamodb").describe_table(TableName=stack.table_name())["Table"]
    assert [index["IndexName"] for index in described["GlobalSecondaryIndexes"]] == ["ByQueue"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = boto3.client("dynamodb").describe_time_to_live(TableName=stack.table_name())["TimeToLiveDescription"]
    if dynamodb_backend.name == "moto":
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    else:  # dynalite has no UpdateTimeToLive: the stack warned and went on (test_gateway_aws)
        assert ttl == {"TimeToLiveStatus": "DISABLED"}


# --- responses -----------------------------------------------------------------------------------------------------


def test_a_result_without_status_code_is_a_200_json_body(stack: LocalService) -> None:
    reply = send(stack.base_url, "GET", "/behave/plain")
    assert reply.status == 200
    assert reply.header("content-type") == "application/json"
    assert reply.json() == {"plain": True}


def test_base64_response_bodies_are_decoded(stack: LocalService) -> None:
    reply = send(stack.base_url, "GET", "/behave/binary")
    assert reply.status == 200
    assert reply.body == b"\x00\xffbytes"
    assert reply.header("content-type") == "application/octet-stream"


def test_response_cookies_become_set_cookie_headers(stack: LocalService) -> None:
    reply = send(stack.base_url, "GET", "/behave/cookies")
    assert reply.status == 204
    assert [value for name, value in reply.headers if name.lower() == "set-cookie"] == ["a=1; Path=/", "b=2; HttpOnly"]


def test_a_malformed_result_is_a_500(stack: LocalService) -> None:
    reply = send(stack.base_url, "GET", "/behave/bad-status")
    assert reply.status == 500
    assert reply.json() == {"message": "Internal Server Error"}


def test_an_exception_is_a_500_logged_without_its_message(
    stack: LocalService, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="devtools"):
        reply = send(stack.base_url, "GET", "/behave/raise", b"saddle_numbness=yes", [("Content-Type", "text/plain")])
    assert reply.status == 500
    assert reply.json() == {"message": "Internal Server Error"}
    assert "RuntimeError" in caplog.text
    assert "saddle_numbness" not in caplog.text


def test_a_timed_out_function_is_a_500_and_the_next_call_gets_a_fresh_environment(stack: LocalService) -> None:
    before = echo(send(stack.base_url, "POST", "/echo"))["pid"]
    assert send(stack.base_url, "GET", "/behave/sleep").status == 500
    after = echo(send(stack.base_url, "POST", "/echo"))
    assert after["pid"] != before
    assert after["invocations"] == 1


# --- limits --------------------------------------------------------------------------------------------------------


def test_bodies_above_10_mb_are_refused_with_413_before_the_function(stack: LocalService) -> None:
    reply = send(stack.base_url, "POST", "/echo", headers=[("Content-Length", str(10 * 1024 * 1024 + 1))])
    assert reply.status == 413
    assert reply.json() == {"message": "Request Entity Too Large"}
    assert reply.header("connection") == "close"


def test_a_body_of_exactly_10_mb_reaches_the_function(stack: LocalService) -> None:
    body = b"x" * (10 * 1024 * 1024)
    reply = send(stack.base_url, "POST", "/echo", body, [("Content-Type", "text/plain")])
    assert len(echo(reply)["event"]["body"]) == len(body)


@pytest.mark.parametrize("length", ["abc", "-1"])
def test_a_malformed_content_length_is_a_400_that_says_it_closes_the_connection(
    stack: LocalService, length: str
) -> None:
    reply = send(stack.base_url, "POST", "/echo", headers=[("Content-Length", length)])
    assert reply.status == 400
    assert reply.header("connection") == "close", "a keep-alive client would send its next request into the void"


def test_a_keep_alive_connection_serves_request_after_request(stack: LocalService) -> None:
    url = urlsplit(stack.base_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    try:
        for _ in range(3):
            connection.request("POST", "/echo", body=b"{}", headers={"content-type": "application/json"})
            response = connection.getresponse()
            assert response.status == 200
            assert response.getheader("connection") is None
            response.read()
            assert connection.sock is not None, "the gateway closed a keep-alive connection"
    finally:
        connection.close()


# --- the JWT authorizer --------------------------------------------------------------------------------------------


def _unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _valid_claims() -> dict[str, Any]:
    return jwt.decode(make_token(secret=DEFAULT_SECRET), options={"verify_signature": False})


REFUSED = {
    "no header": [],
    "empty bearer": [("Authorization", "Bearer ")],
    "basic scheme": [("Authorization", "Basic dXNlcjpwYXNz")],
    "malformed": bearer("not-a-jwt"),
    "three junk parts": bearer("a.b.c"),
    "expired": bearer(make_token(secret=DEFAULT_SECRET, expired=True)),
    "wrong signature": bearer(make_token(secret="some-other-secret")),
    "alg none": bearer(_unsigned(_valid_claims())),
    "another algorithm": bearer(jwt.encode(_valid_claims(), DEFAULT_SECRET + "-long-enough-for-hs512", "HS512")),
    "no exp": bearer(jwt.encode({"sub": "x", "cognito:groups": ["practitioners"]}, DEFAULT_SECRET, "HS256")),
}


@pytest.mark.parametrize("headers", list(REFUSED.values()), ids=list(REFUSED))
def test_jwt_routes_refuse_bad_tokens_with_401_without_invoking(
    stack: LocalService, headers: list[tuple[str, str]]
) -> None:
    before = echo(send(stack.base_url, "GET", "/things/1", headers=practitioner()))["invocations"]
    reply = send(stack.base_url, "GET", "/things/1", headers=headers)
    assert reply.status == 401
    assert reply.json() == {"message": "Unauthorized"}
    after = echo(send(stack.base_url, "GET", "/things/1", headers=practitioner()))["invocations"]
    assert after == before + 1, "the refused request must not reach the function"


def test_verified_claims_arrive_as_api_gateway_passes_them(stack: LocalService) -> None:
    token = make_token("dr-kim", ["practitioners", "admins"], secret=DEFAULT_SECRET)
    event = echo(send(stack.base_url, "GET", "/things/1", headers=[("authorization", f"bearer {token}")]))["event"]
    jwt_context = event["requestContext"]["authorizer"]["jwt"]
    claims = jwt_context["claims"]
    assert claims["sub"] == "dr-kim"
    assert claims["email"] == "dr-kim@example.org"
    assert claims["cognito:groups"] == "[practitioners admins]"
    assert claims["exp"].isdigit() and claims["iat"].isdigit()
    assert jwt_context["scopes"] is None


def test_a_token_without_the_group_still_passes_the_gateway(stack: LocalService) -> None:
    event = echo(send(stack.base_url, "GET", "/things/1", headers=bearer(make_token(groups=[], secret=DEFAULT_SECRET))))
    assert "cognito:groups" not in event["event"]["requestContext"]["authorizer"]["jwt"]["claims"]


def test_public_routes_ignore_a_bad_token(stack: LocalService) -> None:
    assert send(stack.base_url, "POST", "/echo", headers=bearer("garbage")).status == 200


# --- web files -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "content", "content_type"),
    [
        ("/", b"<h1>intake form</h1>", "text/html; charset=utf-8"),
        ("/review", b"<h1>review console</h1>", "text/html; charset=utf-8"),
        ("/index.html", b"<h1>intake form</h1>", "text/html; charset=utf-8"),
        ("/app.js", b"console.log('app')", "text/javascript; charset=utf-8"),
        ("/nested/styles.css", b"body {}", "text/css; charset=utf-8"),
    ],
)
def test_web_files_are_served(stack: LocalService, target: str, content: bytes, content_type: str) -> None:
    reply = send(stack.base_url, "GET", target)
    assert reply.status == 200
    assert reply.body == content
    assert reply.header("content-type") == content_type


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/nested/../../secret.txt",
        "/nested/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/nested",
        "/missing.html",
        "/index.html%00.js",
    ],
)
def test_nothing_outside_the_web_root_or_missing_is_served(stack: LocalService, target: str) -> None:
    reply = send(stack.base_url, "GET", target)
    assert reply.status == 404
    assert b"outside the web root" not in reply.body
    assert b"root:" not in reply.body


def test_web_files_answer_get_only(stack: LocalService) -> None:
    assert send(stack.base_url, "POST", "/index.html", b"").status == 404


def test_api_routes_take_precedence_over_files(stack: LocalService) -> None:
    reply = send(stack.base_url, "GET", "/things/special")
    assert reply.status == 401, "the API route answers, not the file of the same name"


# --- logging -------------------------------------------------------------------------------------------------------


def test_one_log_line_per_request_without_paths_queries_headers_or_bodies(
    stack: LocalService, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="devtools.gateway"):
        send(stack.base_url, "GET", "/things/id-4711?name=Ana", headers=[*practitioner(), ("X-Patient", "Lopez")])
        send(stack.base_url, "POST", "/echo", b'{"given_name": "Ana"}', [("Content-Type", "application/json")])
        send(stack.base_url, "GET", "/no/such/Lopez")
    lines = [record.getMessage() for record in caplog.records if record.name == "devtools.gateway"]
    assert len(lines) == 3
    assert lines[0].startswith("GET /things/{id} 200 ")
    assert lines[1].startswith("POST /echo 200 ")
    assert lines[2].startswith("GET - 404 ")
    for secret in ("4711", "Ana", "Lopez", "name="):
        assert not any(secret in line for line in lines)
    assert os.environ.get("AWS_ENDPOINT_URL_DYNAMODB", "").startswith("http://127.0.0.1:")
