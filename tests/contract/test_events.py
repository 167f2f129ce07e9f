"""Every event in events/ goes through the handler its routeKey routes to in the template and gets its documented
status (events/expected.json), so the events stay usable with `sam local invoke`."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from devtools import template as cfn
from tests.conftest import Aws
from tests.support import LambdaContext

EVENTS = Path(__file__).resolve().parents[2] / "events"
EXPECTED: dict[str, dict[str, Any]] = json.loads((EVENTS / "expected.json").read_text())
PLACEHOLDER_ID = "2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10"


def load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def invoke(event: dict[str, Any]) -> tuple[int, Any]:
    """Runs the event through the function the template routes its routeKey to."""
    routes = {route.route_key: route for route in cfn.http_routes()}
    handler_path = cfn.function_def(routes[event["routeKey"]].function_id).handler
    module_name, _, attribute = handler_path.rpartition(".")
    handler = getattr(importlib.import_module(module_name), attribute)
    result = handler(event, LambdaContext())
    body = result.get("body")
    if body and result.get("headers", {}).get("Content-Type", "").startswith("application/json"):
        return result["statusCode"], json.loads(body)
    return result["statusCode"], body


def with_intake(event: dict[str, Any], intake_id: str) -> dict[str, Any]:
    """The event with the seeded intake's id where the placeholder id stands."""
    replaced: dict[str, Any] = json.loads(json.dumps(event).replace(PLACEHOLDER_ID, intake_id))
    return replaced


def test_every_event_has_a_documented_outcome_and_vice_versa() -> None:
    files = {path.name for path in EVENTS.glob("*.json")} - {"expected.json"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_event_is_a_payload_2_event_of_a_template_route(name: str) -> None:
    event = load(name)
    routes = {route.route_key: route for route in cfn.http_routes()}
    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"]
    assert event["routeKey"] in routes
    assert event["rawPath"] == event["requestContext"]["http"]["path"]
    assert event["requestContext"]["http"]["method"] == event["routeKey"].split(" ")[0]
    assert all(header == header.lower() for header in event["headers"])
    guarded = routes[event["routeKey"]].authorizer is not None
    assert ("authorizer" in event["requestContext"]) is guarded
    if guarded:
        claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
        assert all(isinstance(value, str) for value in claims.values()), "API Gateway passes claims as strings"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_event_gets_its_documented_status(aws: Aws, name: str) -> None:
    expected = EXPECTED[name]
    event = load(name)
    if "seed" in expected:
        seed_status, seeded = invoke(load(expected["seed"]))
        assert seed_status == 201
        event = with_intake(event, seeded["id"])
    items_before = aws.items()

    status, body = invoke(event)

    assert status == expected["status"], body
    if "patient_advice" in expected:
        assert (body["patient_advice"] is not None) is expected["patient_advice"]
    if "fields" in expected:
        assert sorted({error["field"] for error in body["errors"]}) == expected["fields"]
        assert aws.items() == items_before, "a refused intake writes nothing"
    if "seed" in expected and event["routeKey"] == "GET /reviews":
        assert [item["id"] for item in body["items"]] == [seeded["id"]]
    if "seed" in expected and event["routeKey"] == "GET /intakes/{id}":
        assert body["id"] == seeded["id"]
    if "seed" in expected and event["routeKey"] == "POST /intakes/{id}/review":
        assert body["history"][-1]["decision"] == json.loads(event["body"])["decision"]
        assert body["version"] == 2
    if "seed" in expected and event["routeKey"] in ("GET /days/{date}", "POST /patients/search"):
        assert [item["id"] for item in body["items"]] == [seeded["id"]]
    if "seed" in expected and event["routeKey"] == "GET /days/{date}/export.csv":
        assert seeded["id"] in body and "Ana Lopez" in body
    if "seed" in expected and event["routeKey"] == "DELETE /intakes/{id}":
        assert body["status"] == "erased"
        assert "answers" not in aws.items()[0]
