"""Examples for every request and response in docs/openapi.json.

Success examples are computed, not typed: the contract's example form screened by the real engine, stored as the
review API returns it, its FHIR Bundle and the catalog in force, so they change when the rules do. Error examples are
the real messages of the error handlers. tests/contract/test_openapi.py checks every example against its schema and
every real response body against the schema documented for its status.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from devtools.generated import ROOT
from screening.contract.intake import IntakeForm
from screening.fhir.bundle import intake_bundle
from screening.rules import catalog_export, screen

INTAKE_ID = "7069d436-5f0e-5b7a-9c1d-2e3f4a5b6c7d"
SCREENED_ON = date(2026, 11, 30)
RECEIVED_AT = "2026-11-30T14:03:05.120Z"
DECISION = {
    "decision": "treat_with_modifications",
    "note": "Apixaban confirmed: superficial needling only, no deep points.",
    "by": "5e1d0c7a-1f2b-4c3d-9e8f-0a1b2c3d4e5f",
    "by_name": "Dr Kim",
    "at": "2026-11-30T16:20:00.000Z",
}

PARAMETERS: dict[str, Any] = {
    "id": INTAKE_ID,
    "Idempotency-Key": "3f2b8c1e-9a4d-4e7b-8c6f-1d2e3a4b5c6d",
    "cursor": "eyJrIjp7fX0.example",
}
"""Examples of path, header and query parameters, by name (those a route does not give itself)."""

ERRORS: dict[str, dict[str, Any]] = {
    "400": {"message": "the body is not valid JSON"},
    "401": {"message": "Unauthorized"},
    "403": {"message": "Forbidden"},
    "404": {"message": "no intake has this id"},
    "409": {"message": "this Idempotency-Key was already used for a different form"},
    "413": {"message": "the body is larger than 65536 bytes"},
    "415": {"message": "send the body as application/json (UTF-8)"},
    "422": {
        "message": "some answers need attention",
        "errors": [
            {"field": "safety.blood_thinners", "message": "required"},
            {"field": "consent.treatment_consent", "message": "must be accepted (true)"},
        ],
    },
    "503": {"message": "the service is busy; nothing was saved, please try again shortly"},
}
"""The body of each error status, by status: what the error handlers answer."""


def example_form() -> dict[str, Any]:
    form: dict[str, Any] = json.loads((ROOT / "tests" / "fixtures" / "example_form.json").read_text("utf-8"))
    return form


@cache
def _record(reviewed: bool) -> dict[str, Any]:
    form = IntakeForm.model_validate_json(json.dumps(example_form()), context={"today": SCREENED_ON})
    screening = screen(form, SCREENED_ON)
    return {
        "id": INTAKE_ID,
        "status": "reviewed" if reviewed else screening.status,
        "version": 2 if reviewed else 1,
        "received_at": RECEIVED_AT,
        "screening": json.loads(screening.model_dump_json()),
        "answers": json.loads(form.model_dump_json(exclude_none=True)),
        "history": [DECISION] if reviewed else [],
    }


def _queue_item() -> dict[str, Any]:
    record = _record(reviewed=False)
    return {
        "id": INTAKE_ID,
        "status": record["status"],
        "version": 1,
        "received_at": RECEIVED_AT,
        "appointment_starts_at": "2026-12-01T14:30:00.000Z",
        "highest_severity": record["screening"]["highest_severity"],
        "categories": sorted({flag["category"] for flag in record["screening"]["flags"]}),
        "patient_name": "Ana Lopez",
    }


def _catalog() -> dict[str, Any]:
    catalog = catalog_export()
    return {"version": catalog["version"], "rules": catalog["rules"][:2]}


def successes() -> dict[tuple[str, str, str], Any]:
    """(method, path, status) → the example body of each success response."""
    accepted = {"id": INTAKE_ID, "status": "received", "patient_advice": None}
    return {
        ("post", "/intakes", "201"): accepted,
        ("post", "/intakes", "200"): accepted,
        ("get", "/reviews", "200"): {"items": [_queue_item()], "next_cursor": None},
        ("get", "/intakes/{id}", "200"): _record(reviewed=False),
        ("post", "/intakes/{id}/review", "200"): _record(reviewed=True),
        ("post", "/intakes/{id}/review", "409"): {
            "message": "someone else changed this intake first",
            "current": _record(reviewed=True),
        },
        ("get", "/intakes/{id}/fhir", "200"): intake_bundle(_record(reviewed=True)),
        ("get", "/rules", "200"): _catalog(),
    }


def requests() -> dict[tuple[str, str], Any]:
    """(method, path) → the example request body."""
    return {
        ("post", "/intakes"): example_form(),
        ("post", "/intakes/{id}/review"): {
            "decision": "treat_with_modifications",
            "note": DECISION["note"],
            "expected_version": 1,
        },
    }
