"""Every authorised route of infra/template.yaml through the local gateway and the real handlers: each kind of bad
token is refused before anything is read or written, a practitioner gets through the practitioner routes and is
refused the clinic admins' routes, an admin gets through those, and the public route needs no token."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import boto3
import pytest

from devtools.gateway import LocalService
from devtools.jwt_token import make_token
from devtools.local_auth import DEFAULT_SECRET
from devtools.template import http_routes
from tests.conftest import DynamoDbBackend, local_stack_on
from tests.integration.gateway_http import Reply, bearer, send
from tests.support import example_form

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the documented default

JSON = [("Content-Type", "application/json")]


@pytest.fixture(scope="module")
def stack(dynamodb_backend: DynamoDbBackend) -> Iterator[LocalService]:
    with local_stack_on(dynamodb_backend, jwt_secret=DEFAULT_SECRET) as running:
        yield running


@pytest.fixture(scope="module")
def intake_id(stack: LocalService) -> str:
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
    # A name that only contains the word: API Gateway flattens the list to "[former,practitioners]" etc.
    "comma in a group name": (make_token(groups=("former,practitioners",), secret=DEFAULT_SECRET), 403),
    "brackets in a group name": (make_token(groups=("[practitioners]",), secret=DEFAULT_SECRET), 403),
    "another case": (make_token(groups=("Practitioners",), secret=DEFAULT_SECRET), 403),
    "a longer name": (make_token(groups=("practitioners-trainee", "admins"), secret=DEFAULT_SECRET), 403),
}
PRACTITIONER_ROUTES = sorted(route.route_key for route in http_routes() if route.function_id == "ReviewFunction")
ADMIN_ROUTES = sorted(route.route_key for route in http_routes() if route.function_id == "AdminFunction")
BODIES = {
    "POST /intakes/{id}/review": {"decision": "cleared", "note": "matrix", "expected_version": 1},
    "POST /patients/search": {"family_name": "Lopez", "date_of_birth": "1985-04-12"},
    "DELETE /intakes/{id}": {"reason": "patient's request"},
}


def request(stack: LocalService, route_key: str, intake_id: str, token: str | None) -> Reply:
    method, path = route_key.split(" ", 1)
    body = json.dumps(BODIES[route_key]).encode() if route_key in BODIES else None
    headers = (bearer(token) if token else []) + (JSON if body else [])
    return send(stack.base_url, method, path.replace("{id}", intake_id).replace("{date}", "today"), body, headers)


def test_the_template_has_the_routes_the_matrix_covers() -> None:
    assert PRACTITIONER_ROUTES == [
        "GET /days/{date}",
        "GET /days/{date}/export.csv",
        "GET /intakes/{id}",
        "GET /intakes/{id}/fhir",
        "GET /reviews",
        "GET /rules",
        "POST /intakes/{id}/review",
        "POST /patients/search",
    ]
    assert ADMIN_ROUTES == ["DELETE /intakes/{id}", "GET /intakes/{id}/audit"]


@pytest.mark.parametrize("route_key", PRACTITIONER_ROUTES + ADMIN_ROUTES)
@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_a_bad_token_is_refused_on_every_authorised_route_and_changes_nothing(
    stack: LocalService, intake_id: str, route_key: str, kind: str
) -> None:
    token, status = BAD_TOKENS[kind]
    reply = request(stack, route_key, intake_id, token)
    assert reply.status == status
    assert "Lopez" not in reply.body.decode()
    item = boto3.client("dynamodb").get_item(TableName=stack.table_name(), Key={"id": {"S": intake_id}})["Item"]
    assert item["version"]["N"] == "1"


def test_the_public_route_needs_no_token_and_a_practitioner_gets_through_every_route(stack: LocalService) -> None:
    public = send(stack.base_url, "POST", "/intakes", json.dumps(example_form()).encode(), JSON)
    assert public.status == 201
    token = make_token(secret=DEFAULT_SECRET)
    own_intake = str(public.json()["id"])  # decided on here, so the refusals above keep theirs at version 1
    statuses = {route_key: request(stack, route_key, own_intake, token).status for route_key in PRACTITIONER_ROUTES}
    assert statuses == dict.fromkeys(PRACTITIONER_ROUTES, 200)
    refused = {route_key: request(stack, route_key, own_intake, token).status for route_key in ADMIN_ROUTES}
    assert refused == dict.fromkeys(ADMIN_ROUTES, 403)


def test_a_clinic_admin_gets_through_the_admin_routes(stack: LocalService) -> None:
    public = send(stack.base_url, "POST", "/intakes", json.dumps(example_form()).encode(), JSON)
    admin = make_token("local-admin", ("clinic_admins",), secret=DEFAULT_SECRET)
    own_intake = str(public.json()["id"])
    statuses = {route_key: request(stack, route_key, own_intake, admin).status for route_key in ADMIN_ROUTES}
    assert statuses == dict.fromkeys(ADMIN_ROUTES, 200)
