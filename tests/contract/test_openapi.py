"""docs/openapi.json: a valid OpenAPI 3.1 document, an example for every request, parameter and response, every
example true to its schema, and every real response body true to the schema documented for its route and status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from screening.handlers import intake, review
from screening.store.errors import StoreUnavailable
from screening.store.intakes import IntakeStore
from tests.conftest import Aws
from tests.support import PRACTITIONER, ApiResponse, api_event, call, example_form, with_changes

DOCUMENT = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text("utf-8"))
OPERATIONS = [
    (method, path, operation) for path, item in DOCUMENT["paths"].items() for method, operation in item.items()
]
UNKNOWN_ID = "2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10"


def schema_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Violations of `schema` (which may $ref the document's components) by `value`."""
    root = {**schema, "components": DOCUMENT["components"]}
    return [error.message[:200] for error in jsonschema.Draft202012Validator(root).iter_errors(value)]


def documented_schema(method: str, route: str, status: int) -> dict[str, Any]:
    responses = DOCUMENT["paths"][route][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {route} answers {status}, which the document does not list"
    (media,) = responses[str(status)]["content"].values()
    schema: dict[str, Any] = media["schema"]
    return schema


def test_the_document_is_valid_openapi() -> None:
    validate(DOCUMENT)
    assert DOCUMENT["openapi"].startswith("3.1")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_request_parameter_and_response_has_an_example_true_to_its_schema(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    if "requestBody" in operation:
        media = operation["requestBody"]["content"]["application/json"]
        assert schema_errors(media["schema"], media["example"]) == []
    for parameter in operation.get("parameters", []):
        if parameter["name"] != "cursor":  # opaque: any example is as good as none
            assert schema_errors(parameter["schema"], parameter["example"]) == [], parameter["name"]
    for status, response in operation["responses"].items():
        for media in response["content"].values():
            assert "example" in media, status
            assert schema_errors(media["schema"], media["example"]) == [], status


def test_no_schema_is_left_that_no_response_uses() -> None:
    text = json.dumps(DOCUMENT["paths"])
    referenced = set()
    pending = [name for name in DOCUMENT["components"]["schemas"] if f'/schemas/{name}"' in text]
    while pending:
        name = pending.pop()
        if name not in referenced:
            referenced.add(name)
            inner = json.dumps(DOCUMENT["components"]["schemas"][name])
            pending.extend(n for n in DOCUMENT["components"]["schemas"] if f'/schemas/{n}"' in inner)
    assert set(DOCUMENT["components"]["schemas"]) == referenced


def _practitioner(method: str, path: str, route: str, **kwargs: Any) -> ApiResponse:
    claims = kwargs.pop("claims", PRACTITIONER)
    return call(review.lambda_handler, api_event(method, path, route=route, claims=claims, **kwargs))


def _public(body: Any = None, **kwargs: Any) -> ApiResponse:
    return call(
        intake.lambda_handler, api_event("POST", "/intakes", body=example_form() if body is None else body, **kwargs)
    )


def test_every_real_response_matches_the_schema_documented_for_its_status(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = {"Idempotency-Key": "9d8c7b6a-openapi-contract-0001"}
    answers: list[tuple[str, str, ApiResponse]] = []

    def record(method: str, route: str, response: ApiResponse) -> ApiResponse:
        answers.append((method, route, response))
        return response

    created = record("POST", "/intakes", _public(headers=key))
    intake_id = created.body["id"]
    record("POST", "/intakes", _public(headers=key))
    record("POST", "/intakes", _public(with_changes(example_form(), notes="changed"), headers=key))
    record("POST", "/intakes", _public("{not json"))
    record("POST", "/intakes", _public("x" * 70_000))
    record("POST", "/intakes", _public(headers={"Content-Type": "text/plain"}))
    record("POST", "/intakes", _public({"form_version": "1"}))
    one = {"path_parameters": {"id": intake_id}}
    record("GET", "/reviews", _practitioner("GET", "/reviews", "/reviews"))
    record("GET", "/reviews", _practitioner("GET", "/reviews", "/reviews", query={"status": "nope"}))
    record("GET", "/reviews", _practitioner("GET", "/reviews", "/reviews", claims=None))
    record("GET", "/reviews", _practitioner("GET", "/reviews", "/reviews", claims={"sub": "x"}))
    record("GET", "/intakes/{id}", _practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", **one))
    unknown = {"path_parameters": {"id": UNKNOWN_ID}}
    record("GET", "/intakes/{id}", _practitioner("GET", f"/intakes/{UNKNOWN_ID}", "/intakes/{id}", **unknown))
    decision = {"decision": "cleared", "note": "ok", "expected_version": 1}
    route = "/intakes/{id}/review"
    record("POST", route, _practitioner("POST", f"/intakes/{intake_id}/review", route, body=decision, **one))
    record("POST", route, _practitioner("POST", f"/intakes/{intake_id}/review", route, body=decision, **one))
    record("POST", route, _practitioner("POST", f"/intakes/{intake_id}/review", route, body={"decision": "?"}, **one))
    fhir = "/intakes/{id}/fhir"
    record("GET", fhir, _practitioner("GET", f"/intakes/{intake_id}/fhir", fhir, **one))
    record("GET", fhir, _practitioner("GET", f"/intakes/{UNKNOWN_ID}/fhir", fhir, **unknown))
    record("GET", "/rules", _practitioner("GET", "/rules", "/rules"))

    def busy(*_: Any, **__: Any) -> Any:
        raise StoreUnavailable("ThrottlingException")

    monkeypatch.setattr(IntakeStore, "put_new", busy)
    record("POST", "/intakes", _public())

    statuses = sorted({(method, route, response.status) for method, route, response in answers})
    assert len(statuses) == 20, statuses  # every status above really happened
    for method, route, response in answers:
        errors = schema_errors(documented_schema(method, route, response.status), response.body)
        assert errors == [], (method, route, response.status, errors)
