"""Every practitioner route of infra/template.yaml through the local gateway and the real handlers: each kind of bad
token is refused before anything is read or written, a practitioner gets through, and the public route needs none."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import boto3
import pytest

from devtools.gateway import LocalStack
from devtools.local_auth import DEFAULT_SECRET
from devtools.template import http_routes
from devtools.token import make_token
from tests.conftest import DynamoDbBackend, local_stack_on
from tests.integration.gateway_http import Reply, bearer, send
from tests.support import example_form

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the documented default

JSON = [("Content-Type", "application/json")]


@pytest.fixture(scope="module")
def stack(dynamodb_backend: DynamoDbBackend) -> Iterator[LocalStack]:
    with local_stack_on(dynamodb_backend, jwt_secret=DEFAULT_SECRET) as running:
        yield running


@pytest.fixture(scope="module")
def intake_id(stack: LocalStack) -> str:
    reply = send(stack.base_url, "POST", "/intakes", json.dumps(example_form()).encode(), JSON)
    assert reply.status == 201
    return str(reply.json()["id"])


def _unsigned(claims: dict[str, object]) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}."


BAD_TOKENS = {
    "no token": (None, 401),
    "malformed": ("not.a.jwt", 401),
    "expired": (make_token(expired=True, secret=DEFAULT_SECRET), 401),
    "wrong signature": (make_token(secret="another-secret-entirely"), 401),
    "alg none": (_unsigned({"sub": "x", "cognito:groups": ["practitioners"], "exp": 4_102_444_800}), 401),
    "no group": (make_token(groups=(), secret=DEFAULT_SECRET), 403),
    "another group": (make_token(groups=("receptionists",), secret=DEFAULT_SECRET), 403),
}
PRACTITIONER_ROUTES = sorted(route.route_key for route in http_routes() if route.route_key != "POST /intakes")


def request(stack: LocalStack, route_key: str, intake_id: str, token: str | None) -> Reply:
    method, path = route_key.split(" ", 1)
    body = None
    if route_key == "POST /intakes/{id}/review":
        body = json.dumps({"decision": "cleared", "note": "matrix", "expected_version": 1}).encode()
    headers = (bearer(token) if token else []) + (JSON if body else [])
    return send(stack.base_url, method, path.replace("{id}", intake_id), body, headers)


def test_the_template_has_the_practitioner_routes_the_matrix_covers() -> None:
    assert PRACTITIONER_ROUTES == ["GET /intakes/{id}", "GET /reviews", "GET /rules", "POST /intakes/{id}/review"]


@pytest.mark.parametrize("route_key", PRACTITIONER_ROUTES)
@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_a_bad_token_is_refused_on_every_practitioner_route_and_changes_nothing(
    stack: LocalStack, intake_id: str, route_key: str, kind: str
) -> None:
    token, status = BAD_TOKENS[kind]
    reply = request(stack, route_key, intake_id, token)
    assert reply.status == status
    assert "Lopez" not in reply.body.decode()
    item = boto3.client("dynamodb").get_item(TableName=stack.table_name(), Key={"id": {"S": intake_id}})["Item"]
    assert item["version"]["N"] == "1"


def test_the_public_route_needs_no_token_and_a_practitioner_gets_through_every_route(stack: LocalStack) -> None:
    public = send(stack.base_url, "POST", "/intakes", json.dumps(example_form()).encode(), JSON)
    assert public.status == 201
    token = make_token(secret=DEFAULT_SECRET)
    own_intake = str(public.json()["id"])  # decided on here, so the refusals above keep theirs at version 1
    statuses = {route_key: request(stack, route_key, own_intake, token).status for route_key in PRACTITIONER_ROUTES}
    assert statuses == dict.fromkeys(PRACTITIONER_ROUTES, 200)
