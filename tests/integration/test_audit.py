"""The audit: every practitioner read or write of patient data writes one append-only item first, naming the actor's
immutable `sub`; no audit item, no access (503). Clinic admins read an intake's trail; practitioners cannot."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from screening.settings import get_settings
from screening.store.audit import AuditEntry
from tests.conftest import AUDIT_TABLE, Aws, reset_cached_clients
from tests.integration.clinic import (
    ADMIN,
    AUDIT_FAILURES,
    COLLEAGUE,
    break_audit,
    decide,
    form_for,
    practitioner,
    submit,
    trail,
    view,
)
from tests.support import PRACTITIONER


def audit_items(aws: Aws) -> list[dict[str, Any]]:
    return list(aws.dynamodb.scan(TableName=AUDIT_TABLE, ConsistentRead=True)["Items"])


def test_an_intakes_trail_lists_each_view_and_decision_by_sub_oldest_first(aws: Aws) -> None:
    intake_id = submit(form_for())
    assert view(intake_id).status == 200
    assert view(intake_id, COLLEAGUE).status == 200
    assert decide(intake_id, {"decision": "declined", "expected_version": 1}, COLLEAGUE).status == 200

    response = trail(intake_id)

    assert response.status == 200
    assert [(e["action"], e["actor_sub"], e["outcome"]) for e in response.body["items"]] == [
        ("intake_view", PRACTITIONER["sub"], "attempt"),
        ("intake_view", COLLEAGUE["sub"], "attempt"),
        ("decision", COLLEAGUE["sub"], "attempt"),
    ]
    assert response.body["items"][1]["actor_name"] == "dr.ortiz"
    assert all(entry["request_id"] for entry in response.body["items"])


def test_the_trail_pages_with_a_cursor_bound_to_the_intake(aws: Aws) -> None:
    intake_id, other = submit(form_for()), submit(form_for())
    for _ in range(3):
        view(intake_id)
    first = trail(intake_id, limit="2")
    assert len(first.body["items"]) == 2 and first.body["next_cursor"]
    rest = trail(intake_id, limit="2", cursor=first.body["next_cursor"])
    assert len(rest.body["items"]) == 1
    assert trail(other, cursor=first.body["next_cursor"]).status == 400


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        (PRACTITIONER, 403),
        (None, 401),
        ({"sub": "x", "cognito:groups": "[clinic_admins_trainee]"}, 403),
        (ADMIN | {"cognito:groups": "[practitioners clinic_admins]"}, 200),
    ],
)
def test_only_clinic_admins_read_a_trail(aws: Aws, claims: dict[str, Any] | None, status: int) -> None:
    intake_id = submit(form_for())
    view(intake_id)
    assert trail(intake_id, claims=claims).status == status


@pytest.mark.parametrize(("failure", "status"), AUDIT_FAILURES)
def test_no_view_without_its_audit_item(aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: str, status: int) -> None:
    intake_id = submit(form_for())
    break_audit(aws, monkeypatch, failure)
    response = view(intake_id)
    assert response.status == status
    assert "Lopez" not in str(response.body) and "answers" not in response.body


@pytest.mark.parametrize(("failure", "status"), AUDIT_FAILURES)
def test_no_decision_without_its_audit_item(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: str, status: int
) -> None:
    intake_id = submit(form_for())
    break_audit(aws, monkeypatch, failure)
    assert decide(intake_id, {"decision": "cleared", "expected_version": 1}).status == status
    [item] = aws.items()
    assert item["version"]["N"] == "1" and item["history"]["L"] == []


@pytest.mark.parametrize(("failure", "status"), AUDIT_FAILURES)
def test_no_queue_page_without_its_audit_item_and_a_page_names_the_ids_shown(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: str, status: int
) -> None:
    intake_id = submit(form_for())
    assert practitioner("GET", "/reviews", "/reviews").status == 200
    [item] = audit_items(aws)
    assert (item["action"]["S"], item["scope"]["S"]) == ("queue_page", "queue:pending")
    assert [shown["S"] for shown in item["intake_ids"]["L"]] == [intake_id]
    break_audit(aws, monkeypatch, failure)
    assert practitioner("GET", "/reviews", "/reviews").status == status


def test_audit_items_hold_ids_actors_and_times_never_answers(aws: Aws) -> None:
    intake_id = submit(form_for(patient={"phone": "+44 20 7946 0000"}))
    view(intake_id)
    decide(intake_id, {"decision": "treat_with_modifications", "note": "no needles near L4", "expected_version": 1})
    practitioner(
        "POST", "/patients/search", "/patients/search", body={"family_name": "Lopez", "date_of_birth": "1985-04-12"}
    )
    text = str(audit_items(aws))
    # Whole words only: the items' random ids ("…opL41Q") may hold a short answer's letters by chance.
    leaked = [
        answer
        for answer in ("Lopez", "Ana", "1985-04-12", "7946", "Eliquis", "needles", "L4", "ana@example.org")
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(answer)}(?![A-Za-z0-9])", text)
    ]
    assert leaked == []


def test_audit_items_expire_after_the_audit_retention_never_before_the_intakes(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "3000")
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "10")
    reset_cached_clients()
    assert get_settings().audit_retention_days == 3000
    intake_id = submit(form_for())
    view(intake_id)
    [item] = audit_items(aws)
    days = (int(item["expires_at"]["N"]) - datetime.fromisoformat(item["at"]["S"]).timestamp()) / 86400
    assert round(days) == 3000
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "4000")
    reset_cached_clients()
    assert get_settings().audit_retention_days == 4000


def test_a_retried_audit_put_that_finds_its_own_item_is_not_an_error(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore may resend a put whose answer was lost: the conditional put then finds the same random key."""
    from screening.handlers.access import audit_log

    monkeypatch.setattr("screening.store.audit.secrets.token_hex", lambda _: "same")
    entry = AuditEntry("intake_view", "prac-1", "dr.kim", "req-1", intake_id="2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10")
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    audit_log().record(entry, now)
    audit_log().record(entry, now)
    assert len(audit_items(aws)) == 1


@pytest.mark.parametrize("claims", [ADMIN, PRACTITIONER, None], ids=["admin", "practitioner", "anonymous"])
def test_admin_answers_carry_no_store_and_nosniff(aws: Aws, claims: dict[str, Any] | None) -> None:
    intake_id = submit(form_for())
    response = trail(intake_id, claims=claims)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
