"""Helpers for the storage-v2 tests: submitting forms, and calling the practitioner and clinic-admin routes."""

from __future__ import annotations

from typing import Any

import pytest

from screening.handlers import admin, intake, review
from screening.store import audit as audit_store
from screening.store.errors import StoreUnavailable
from tests.conftest import AUDIT_TABLE, Aws
from tests.support import PRACTITIONER, ApiResponse, api_event, call, example_form, with_changes

ADMIN = {"sub": "admin-1", "cognito:username": "office.lee", "cognito:groups": "[clinic_admins]"}
COLLEAGUE = {"sub": "prac-2", "cognito:username": "dr.ortiz", "cognito:groups": "[practitioners]"}
CAUDA_EQUINA = {"saddle_numbness": "yes", "bladder_or_bowel_change": "yes"}


def submit(form: dict[str, Any]) -> str:
    response = call(intake.lambda_handler, api_event("POST", "/intakes", body=form))
    assert response.status == 201, response.body
    return str(response.body["id"])


def form_for(
    given: str = "Ana",
    family: str = "Lopez",
    born: str = "1985-04-12",
    starts_at: str | None = None,
    patient: dict[str, Any] | None = None,
    **sections: Any,
) -> dict[str, Any]:
    """The contract's example for another patient and appointment (None: no appointment)."""
    names = {"given_name": given, "family_name": family, "date_of_birth": born}
    form = with_changes(example_form(), patient=names | (patient or {}), **sections)
    if starts_at is None:
        form.pop("appointment", None)
    else:
        form["appointment"] = {"starts_at": starts_at}
    return form


def practitioner(
    method: str, path: str, route: str, claims: dict[str, Any] | None = PRACTITIONER, **kwargs: Any
) -> ApiResponse:
    return call(review.lambda_handler, api_event(method, path, route=route, claims=claims, **kwargs))


def administrator(
    method: str, path: str, route: str, claims: dict[str, Any] | None = ADMIN, **kwargs: Any
) -> ApiResponse:
    return call(admin.lambda_handler, api_event(method, path, route=route, claims=claims, **kwargs))


def day(date: str, claims: dict[str, Any] | None = PRACTITIONER, **query: str) -> ApiResponse:
    return practitioner("GET", f"/days/{date}", "/days/{date}", claims, path_parameters={"date": date}, query=query)


def search(family: str, born: str, **extra: Any) -> ApiResponse:
    body = {"family_name": family, "date_of_birth": born, **extra}
    return practitioner("POST", "/patients/search", "/patients/search", body=body)


def view(intake_id: str, claims: dict[str, Any] | None = PRACTITIONER) -> ApiResponse:
    return practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", claims, path_parameters={"id": intake_id})


def decide(intake_id: str, body: dict[str, Any], claims: dict[str, Any] | None = PRACTITIONER) -> ApiResponse:
    return practitioner(
        "POST",
        f"/intakes/{intake_id}/review",
        "/intakes/{id}/review",
        claims,
        body=body,
        path_parameters={"id": intake_id},
    )


def trail(intake_id: str, claims: dict[str, Any] | None = ADMIN, **query: str) -> ApiResponse:
    return administrator(
        "GET",
        f"/intakes/{intake_id}/audit",
        "/intakes/{id}/audit",
        claims,
        path_parameters={"id": intake_id},
        query=query,
    )


def erase(intake_id: str, body: Any, claims: dict[str, Any] | None = ADMIN) -> ApiResponse:
    return administrator(
        "DELETE", f"/intakes/{intake_id}", "/intakes/{id}", claims, body=body, path_parameters={"id": intake_id}
    )


AUDIT_FAILURES = [("throttled", 503), ("table_missing", 500)]
"""An audit write that fails for a while is 503 (retry later); a missing audit table is a deployment fault, 500 and
an alarm (StoreMisconfigured). Either way nothing is read or changed."""


def break_audit(aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    """Make every audit write fail the way `failure` names."""
    if failure == "table_missing":
        aws.dynamodb.delete_table(TableName=AUDIT_TABLE)
        return

    def throttled(*_: Any, **__: Any) -> Any:
        raise StoreUnavailable("ThrottlingException")

    monkeypatch.setattr(audit_store, "_dynamodb", throttled)
