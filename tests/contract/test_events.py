"""Every event in events/ goes through the handler its routeKey routes to in the template and gets its documented
status (events/expected.json), and the stream event through the function the table's stream feeds, so the events
stay usable with `sam local invoke`."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from devtools import template as cfn
from devtools.local_stream import matches
from screening import events
from tests.conftest import Aws
from tests.support import LambdaContext

EVENTS = Path(__file__).resolve().parents[2] / "events"
EXPECTED: dict[str, dict[str, Any]] = json.loads((EVENTS / "expected.json").read_text())
HTTP_EVENTS = sorted(name for name, expected in EXPECTED.items() if "status" in expected)
STREAM_EVENTS = sorted(name for name, expected in EXPECTED.items() if "function" in expected)
PLACEHOLDER_ID = "2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10"


def load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def handler_of(function_id: str) -> Any:
    """The function's handler, as the template names it."""
    module_name, _, attribute = cfn.function_def(function_id).handler.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def invoke(event: dict[str, Any]) -> tuple[int, Any]:
    """Runs the event through the function the template routes its routeKey to."""
    routes = {route.route_key: route for route in cfn.http_routes()}
    handler = handler_of(routes[event["routeKey"]].function_id)
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


def test_every_event_is_an_http_or_a_stream_event() -> None:
    assert sorted([*HTTP_EVENTS, *STREAM_EVENTS]) == sorted(EXPECTED)


@pytest.mark.parametrize("name", HTTP_EVENTS)
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


@pytest.mark.parametrize("name", HTTP_EVENTS)
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


@pytest.mark.parametrize("name", STREAM_EVENTS)
def test_stream_event_is_what_the_table_streams_and_passes_the_templates_filter(aws: Aws, name: str) -> None:
    """Its new image has the attributes the store writes for the seed form, and the mapping's filter lets it in."""
    expected = EXPECTED[name]
    event = load(name)
    (mapping,) = [m for m in cfn.stream_mappings() if m.function_id == expected["function"]]
    seed_status, _ = invoke(load(expected["seed"]))
    assert seed_status == 201
    (stored,) = aws.items()
    for record in event["Records"]:
        assert record["eventSource"] == "aws:dynamodb"
        assert any(matches(pattern, record) for pattern in mapping.filters)
        assert set(record["dynamodb"]["NewImage"]) == set(stored)


@pytest.mark.parametrize("name", STREAM_EVENTS)
def test_stream_event_is_announced_by_its_function(aws: Aws, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = EXPECTED[name]
    sent: list[tuple[str, str, dict[str, Any]]] = []
    monkeypatch.setenv("EVENT_BUS_NAME", "intake-events")
    monkeypatch.setattr(events, "put_event", lambda *args: sent.append(args))
    handler = handler_of(expected["function"])

    result = handler(load(name), LambdaContext())

    assert result == {"batchItemFailures": []}
    assert [(bus, detail_type, detail["intake_id"]) for bus, detail_type, detail in sent] == [
        ("intake-events", expected["announces"], PLACEHOLDER_ID)
    ]
