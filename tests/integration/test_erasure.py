"""DELETE /intakes/{id} (clinic admins, AdminFunction): answers and screening removed, a tombstone kept, audited,
and the intake gone from every index."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from screening.handlers.http import intake_store
from screening.store.errors import IntakeErased
from screening.store.records import Decision
from tests.conftest import AUDIT_TABLE, Aws
from tests.integration.clinic import ADMIN, day, decide, erase, form_for, search, submit, trail, view
from tests.support import PRACTITIONER, example_form

INDEX_KEYS = {"queue", "queue_sort", "day", "day_sort", "patient_key", "patient_sort", "given_key"}

TOMORROW = date.today() + timedelta(days=1)
DAY = TOMORROW.isoformat()
"""The clinic day under test: tomorrow, so appointments on it are inside the contract's window whenever tests run."""
NEXT_DAY = (TOMORROW + timedelta(days=1)).isoformat()
SUMMER = f"{date.today().year + 1}-06-01"
SUMMER_NEXT = f"{date.today().year + 1}-06-02"
LONDON = ZoneInfo("Europe/London")


def audit_items(aws: Aws) -> list[dict[str, Any]]:
    return list(aws.dynamodb.scan(TableName=AUDIT_TABLE, ConsistentRead=True)["Items"])


def test_erasure_leaves_a_tombstone_without_answers_and_off_every_index(aws: Aws) -> None:
    intake_id = submit(form_for(starts_at=f"{DAY}T10:00:00+00:00"))
    assert [i["id"] for i in day(DAY).body["items"]] == [intake_id]

    response = erase(intake_id, {"reason": "patient's request under GDPR art. 17"})

    assert response.status == 200
    assert response.body == {
        "id": intake_id,
        "status": "erased",
        "version": 2,
        "erased_at": response.body["erased_at"],
        "erased_by": ADMIN["sub"],
        "erased_by_name": ADMIN["cognito:username"],
        "reason": "patient's request under GDPR art. 17",
    }
    [item] = aws.items()
    assert set(item) == {
        "id",
        "received_at",
        "status",
        "version",
        "catalog_version",
        "expires_at",
        "erased_at",
        "erased_by",
        "erased_by_name",
        "erasure_reason",
    }
    assert "Lopez" not in json.dumps(item) and "Eliquis" not in json.dumps(item)
    assert not INDEX_KEYS & set(item)
    assert day(DAY).body["items"] == []
    assert search("Lopez", "1985-04-12").body["items"] == []


def test_an_erased_intake_answers_410_to_a_view_and_to_a_second_erasure(aws: Aws) -> None:
    intake_id = submit(example_form())
    assert erase(intake_id, {"reason": "request"}).status == 200

    viewed = view(intake_id)
    assert viewed.status == 410
    assert viewed.body["erased_at"]
    assert erase(intake_id, {"reason": "again"}).status == 410


def test_the_erasure_is_audited_under_the_intake_by_the_admins_sub(aws: Aws) -> None:
    intake_id = submit(example_form())
    assert erase(intake_id, {"reason": "request"}).status == 200
    [entry] = trail(intake_id).body["items"]
    assert (entry["action"], entry["actor_sub"], entry["outcome"]) == ("erasure", ADMIN["sub"], "attempt")


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"why": "r"}])
def test_a_reason_is_required_and_nothing_changes_without_one(aws: Aws, body: dict[str, Any]) -> None:
    intake_id = submit(example_form())
    response = erase(intake_id, body)
    assert response.status == 422
    assert "reason" in {error["field"] for error in response.body["errors"]}
    [item] = aws.items()
    assert item["status"]["S"] == "needs_review" and "answers" in item
    assert audit_items(aws) == []


def test_an_unknown_intake_is_404_and_creates_nothing(aws: Aws) -> None:
    unknown = "2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10"
    assert erase(unknown, {"reason": "request"}).status == 404
    assert aws.items() == []
    assert erase("not-an-id", {"reason": "request"}).status == 404
    assert [item["subject"]["S"] for item in audit_items(aws)] == [f"intake#{unknown}"]


@pytest.mark.parametrize(
    ("claims", "status"), [(None, 401), (PRACTITIONER, 403), ({"sub": "a", "cognito:groups": "[admins]"}, 403)]
)
def test_only_clinic_admins_may_erase(aws: Aws, claims: dict[str, Any] | None, status: int) -> None:
    intake_id = submit(example_form())
    assert erase(intake_id, {"reason": "request"}, claims=claims).status == status
    [item] = aws.items()
    assert "answers" in item
    assert audit_items(aws) == []


def test_no_decision_can_be_recorded_on_an_erased_intake(aws: Aws) -> None:
    intake_id = submit(example_form())
    assert erase(intake_id, {"reason": "request"}).status == 200
    response = decide(intake_id, {"decision": "cleared", "note": "n", "expected_version": 2})
    assert response.status == 410
    [item] = aws.items()
    assert "history" not in item and item["version"]["N"] == "2"


def test_a_decision_racing_an_erasure_is_refused_by_the_update_itself(aws: Aws) -> None:
    """The intake is erased between the decision's read and its write: the update's condition refuses it."""
    intake_id = submit(example_form())
    store = intake_store()
    assert store.get_item(intake_id)["version"]["N"] == "1"
    assert erase(intake_id, {"reason": "request"}).status == 200
    with pytest.raises(IntakeErased):
        entry = Decision(decision="cleared", note="n", by="p", by_name="p", at="t", request_token="r" * 32)
        store.record_review(intake_id, expected_version=2, entry=entry)
    [item] = aws.items()
    assert "history" not in item
