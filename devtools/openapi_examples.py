"""Examples for every request and response in docs/openapi.json.

Success examples are computed, not typed: the contract's example form screened by the real engine, stored as the
review API returns it, its FHIR Bundle and the catalog in force, so they change when the rules do. Error examples are
the real messages of the error handlers. tests/contract/test_openapi.py checks every example against its schema and
every real response body against the schema documented for its status.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from devtools.generated import ROOT
from screening.contract.intake import IntakeForm
from screening.fhir.bundle import intake_bundle
from screening.rules import catalog_export, screen
from screening.store.records import NewIntake, new_item, to_summary, to_view

INTAKE_ID = "7069d436-5f0e-5b7a-9c1d-2e3f4a5b6c7d"
EARLIER_ID = "3b9e2c10-8d4f-4a6b-9c2e-7f1a0b3c5d6e"
SCREENED_ON = date(2026, 11, 30)
RECEIVED = datetime(2026, 11, 30, 14, 3, 5, 120000, tzinfo=UTC)
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
    "date": "2026-12-01",
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
    "410": {"message": "this intake was erased", "erased_at": "2026-12-01T10:00:00.000Z"},
    "413": {"message": "the body is larger than 65536 bytes"},
    "415": {"message": "send the body as application/json (UTF-8)"},
    "422": {
        "message": "some answers need attention",
        "errors": [
            {"field": "safety.blood_thinners", "message": "required"},
            {"field": "consent.treatment_consent", "message": "must be accepted (true)"},
        ],
    },
    "500": {"message": "internal error; nothing was saved"},
    "503": {"message": "the service is busy; nothing was saved, please try again shortly"},
}
"""The body of each error status, by status: what the error handlers answer."""


def example_form() -> dict[str, Any]:
    form: dict[str, Any] = json.loads((ROOT / "tests" / "fixtures" / "example_form.json").read_text("utf-8"))
    return form


@cache
def _item() -> dict[str, Any]:
    """The contract's example as the store keeps it (the real item layout), for a clinic in London."""
    os.environ.setdefault("TABLE_NAME", "intake-screening-docs")  # the settings the item layout reads
    os.environ.setdefault("CLINIC_TIME_ZONE", "Europe/London")
    form = IntakeForm.model_validate_json(json.dumps(example_form()), context={"today": SCREENED_ON, "now": RECEIVED})
    answers = form.model_dump_json(exclude_none=True)
    intake = NewIntake(INTAKE_ID, RECEIVED, form, answers, screen(form, SCREENED_ON), "0" * 64)
    return new_item(intake, retention_days=2922, write_token="0" * 32)


def _view() -> dict[str, Any]:
    earlier = to_summary(_item()) | {"id": EARLIER_ID, "received_at": "2026-06-02T09:12:44.310Z", "same_patient": True}
    return to_view(_item(), SCREENED_ON) | {"other_intakes": [earlier]}


@cache
def _record(reviewed: bool) -> dict[str, Any]:
    form = IntakeForm.model_validate_json(json.dumps(example_form()), context={"today": SCREENED_ON, "now": RECEIVED})
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


def _catalog() -> dict[str, Any]:
    catalog = catalog_export()
    return {"version": catalog["version"], "rules": catalog["rules"][:2]}


def successes() -> dict[tuple[str, str, str], Any]:
    """(method, path, status) → the example body of each success response."""
    accepted = {"id": INTAKE_ID, "status": "received", "patient_advice": None}
    summary = to_summary(_item())
    return {
        ("get", "/days/{date}", "200"): {
            "date": "2026-12-01",
            "today": "2026-11-30",
            "time_zone": "Europe/London",
            "counts": {"forms_in": 1, "waiting_for_review": 1, "critical": 0, "reviewed": 0},
            "items": [summary],
            "next_cursor": None,
        },
        ("get", "/days/{date}/export.csv", "200"): (
            "id,appointment,received,patient_name,status,highest_severity,categories,decision,decided_by,decided_at\r\n"
            f"{INTAKE_ID},2026-12-01 14:30,2026-11-30 14:03,Ana Lopez,needs_review,warning,bleeding,,,\r\n"
        ),
        ("post", "/patients/search", "200"): {"items": [summary], "next_cursor": None},
        ("get", "/intakes/{id}/audit", "200"): {
            "intake_id": INTAKE_ID,
            "items": [
                {
                    "at": "2026-11-30T16:18:02.517Z",
                    "action": "intake_view",
                    "outcome": "attempt",
                    "actor_sub": DECISION["by"],
                    "actor_name": DECISION["by_name"],
                    "request_id": "c6f3e1d2-7b8a-4c5d-9e0f-1a2b3c4d5e6f",
                }
            ],
            "next_cursor": None,
        },
        ("delete", "/intakes/{id}", "200"): {
            "id": INTAKE_ID,
            "status": "erased",
            "version": 3,
            "erased_at": "2026-12-01T10:00:00.000Z",
            "erased_by": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            "erased_by_name": "office.lee",
            "reason": "The patient asked for her record to be erased (email of 2026-11-30).",
        },
        ("post", "/intakes", "201"): accepted,
        ("post", "/intakes", "200"): accepted,
        ("get", "/reviews", "200"): {"items": [summary], "next_cursor": None},
        ("get", "/intakes/{id}", "200"): _view(),
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
        ("post", "/patients/search"): {"family_name": "López", "date_of_birth": "1985-04-12"},
        ("delete", "/intakes/{id}"): {"reason": "The patient asked for her record to be erased (email of 2026-11-30)."},
        ("post", "/intakes/{id}/review"): {
            "decision": "treat_with_modifications",
            "note": DECISION["note"],
            "expected_version": 1,
        },
    }
