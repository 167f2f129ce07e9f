"""The practitioner routes through the Lambda handler against moto: auth, queue order, paging, decisions."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from screening.handlers import intake, review
from tests.conftest import Aws
from tests.support import PRACTITIONER, ApiResponse, api_event, call, clear_form, example_form, with_changes

ID = "2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10"


def submit(form: dict[str, Any]) -> str:
    response = call(intake.lambda_handler, api_event("POST", "/intakes", body=form))
    assert response.status == 201
    return str(response.body["id"])


def practitioner(
    method: str, path: str, route: str, claims: dict[str, Any] | None = PRACTITIONER, **kwargs: Any
) -> ApiResponse:
    return call(review.lambda_handler, api_event(method, path, route=route, claims=claims, **kwargs))


def queue(status: str = "pending", **query: str) -> ApiResponse:
    return practitioner("GET", "/reviews", "/reviews", query={"status": status, **query})


def decide(intake_id: str, expected_version: int, decision: str = "cleared", note: str = "ok") -> ApiResponse:
    body = {"decision": decision, "note": note, "expected_version": expected_version}
    return practitioner(
        "POST", f"/intakes/{intake_id}/review", "/intakes/{id}/review", body=body, path_parameters={"id": intake_id}
    )


ROUTES = [
    ("GET", "/reviews", "/reviews", None),
    ("GET", f"/intakes/{ID}", "/intakes/{id}", None),
    ("POST", f"/intakes/{ID}/review", "/intakes/{id}/review", {"decision": "cleared", "expected_version": 1}),
    ("GET", "/rules", "/rules", None),
]


@pytest.mark.parametrize(("method", "path", "route", "body"), ROUTES)
@pytest.mark.parametrize(
    ("claims", "status"),
    [
        (None, 401),
        ({}, 401),
        ({"sub": "p-2", "cognito:groups": "[receptionists]"}, 403),
        ({"sub": "p-3"}, 403),
        ({"sub": "p-4", "cognito:groups": "[practitioners-trainee]"}, 403),
    ],
)
def test_every_practitioner_route_checks_the_claims_itself(
    aws: Aws, method: str, path: str, route: str, body: Any, claims: dict[str, Any] | None, status: int
) -> None:
    response = practitioner(method, path, route, claims=claims, body=body)
    assert response.status == status
    assert aws.items() == []


@pytest.mark.parametrize("groups", ["[practitioners]", "[admins practitioners]", ["practitioners"]])
def test_practitioner_group_is_accepted_in_either_claim_shape(aws: Aws, groups: Any) -> None:
    assert practitioner("GET", "/rules", "/rules", claims={"sub": "p", "cognito:groups": groups}).status == 200


def test_rules_route_returns_the_catalog(aws: Aws) -> None:
    response = practitioner("GET", "/rules", "/rules")
    assert response.status == 200
    assert response.body["version"]
    assert len(response.body["rules"]) > 20


def test_queue_orders_by_severity_then_appointment_then_arrival(aws: Aws) -> None:
    warning_late = submit(with_changes(example_form(), appointment={"starts_at": "2026-12-09T09:00:00+00:00"}))
    warning_early = submit(with_changes(example_form(), appointment={"starts_at": "2026-12-02T09:00:00+00:00"}))
    no_appointment = example_form()
    del no_appointment["appointment"]
    warning_none = submit(no_appointment)
    critical_late = submit(
        with_changes(
            example_form(), red_flags={"saddle_numbness": "yes"}, appointment={"starts_at": "2026-12-20T09:00:00+01:00"}
        )
    )
    critical_early = submit(
        with_changes(
            example_form(),
            red_flags={"recent_serious_injury": "yes"},
            appointment={"starts_at": "2026-12-01T08:00:00-05:00"},
        )
    )
    submit(clear_form())

    response = queue()

    assert response.status == 200
    assert [item["id"] for item in response.body["items"]] == [
        critical_early,
        critical_late,
        warning_early,
        warning_late,
        warning_none,
    ]
    first = response.body["items"][0]
    assert first["highest_severity"] == "critical"
    assert first["patient_name"] == "Ana Lopez"
    assert first["appointment_starts_at"] == "2026-12-01T13:00:00.000Z"
    assert "red_flag_fracture" in first["categories"]
    assert response.body["next_cursor"] is None


def test_paging_through_more_than_two_pages_repeats_and_skips_nothing(aws: Aws) -> None:
    submitted = {submit(example_form()) for _ in range(11)}
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        query = {"limit": "4"} | ({"cursor": cursor} if cursor else {})
        response = queue(**query)
        assert response.status == 200
        seen += [item["id"] for item in response.body["items"]]
        pages += 1
        cursor = response.body["next_cursor"]
        if cursor is None:
            break
    assert pages >= 3
    assert len(seen) == len(set(seen)) == 11
    assert set(seen) == submitted


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c[:-1] + ("0" if c[-1] != "0" else "1"),
        lambda c: "A" + c,
        lambda c: "not-a-cursor",
        lambda c: c.split(".")[0],
        lambda c: "x" * 600,
    ],
)
def test_a_tampered_cursor_is_400(aws: Aws, mangle: Any) -> None:
    for _ in range(3):
        submit(example_form())
    cursor = queue(limit="1").body["next_cursor"]
    assert cursor
    response = queue(limit="1", cursor=mangle(cursor))
    assert response.status == 400


def test_a_cursor_from_another_queue_is_400(aws: Aws) -> None:
    for _ in range(2):
        submit(example_form())
    cursor = queue(limit="1").body["next_cursor"]
    assert queue("reviewed", limit="1", cursor=cursor).status == 400


@pytest.mark.parametrize("query", [{"status": "all"}, {"limit": "0"}, {"limit": "101"}, {"limit": "ten"}])
def test_bad_queue_parameters_are_400(aws: Aws, query: dict[str, str]) -> None:
    assert practitioner("GET", "/reviews", "/reviews", query=query).status == 400


def test_get_intake_returns_screening_answers_and_history(aws: Aws) -> None:
    intake_id = submit(example_form())

    response = practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", path_parameters={"id": intake_id})

    assert response.status == 200
    body = response.body
    assert body["id"] == intake_id
    assert body["status"] == "needs_review"
    assert body["version"] == 1
    assert body["answers"]["patient"]["family_name"] == "Lopez"
    assert any(flag["category"] == "bleeding" for flag in body["screening"]["flags"])
    assert body["history"] == []


def test_clear_receipt_has_no_answers(aws: Aws) -> None:
    intake_id = submit(clear_form())
    response = practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", path_parameters={"id": intake_id})
    assert response.status == 200
    assert response.body["status"] == "clear"
    assert "answers" not in response.body


@pytest.mark.parametrize("intake_id", [ID, "not-a-uuid", "x" * 3000])
def test_unknown_intake_is_404(aws: Aws, intake_id: str) -> None:
    response = practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", path_parameters={"id": intake_id})
    assert response.status == 404
    assert decide(intake_id, 1).status == 404


def test_a_decision_appends_history_and_leaves_the_pending_queue(aws: Aws) -> None:
    intake_id = submit(example_form())

    response = decide(intake_id, 1, "treat_with_modifications", "superficial needling only")

    assert response.status == 200
    assert response.body["status"] == "reviewed"
    assert response.body["version"] == 2
    [entry] = response.body["history"]
    assert entry["decision"] == "treat_with_modifications"
    assert entry["note"] == "superficial needling only"
    assert entry["by"] == PRACTITIONER["email"]
    assert queue().body["items"] == []
    assert [item["id"] for item in queue("reviewed").body["items"]] == [intake_id]

    later = decide(intake_id, 2, "refer_to_doctor", "INR unknown")
    assert later.status == 200
    assert [e["decision"] for e in later.body["history"]] == ["treat_with_modifications", "refer_to_doctor"]


@pytest.mark.conflict_item
def test_a_stale_expected_version_is_409_with_the_current_state_and_overwrites_nothing(aws: Aws) -> None:
    intake_id = submit(example_form())
    assert decide(intake_id, 1, "cleared", "first").status == 200

    response = decide(intake_id, 1, "declined", "second")

    assert response.status == 409
    assert response.body["current"]["version"] == 2
    assert [e["note"] for e in response.body["current"]["history"]] == ["first"]


@pytest.mark.conflict_item
def test_two_concurrent_decisions_one_wins_one_conflicts(aws: Aws) -> None:
    # DynamoDB applies a conditional update atomically per item, and so does dynalite; on moto the `aws` fixture
    # serialises writes to give it that guarantee. Both requests race through the handler and the store.
    intake_id = submit(example_form())
    barrier = threading.Barrier(2)
    results: list[int] = []

    def race(note: str) -> None:
        barrier.wait()
        results.append(decide(intake_id, 1, "cleared", note).status)

    threads = [threading.Thread(target=race, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [200, 409]
    stored = practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", path_parameters={"id": intake_id})
    assert len(stored.body["history"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "maybe", "expected_version": 1}, "decision"),
        ({"decision": "cleared"}, "expected_version"),
        ({"decision": "cleared", "expected_version": 1, "note": "n" * 2001}, "note"),
        ({"decision": "cleared", "expected_version": 1, "by": "someone else"}, "by"),
    ],
)
def test_invalid_review_bodies_are_422_and_change_nothing(aws: Aws, body: dict[str, Any], field: str) -> None:
    intake_id = submit(example_form())
    before = aws.items()
    response = practitioner(
        "POST", f"/intakes/{intake_id}/review", "/intakes/{id}/review", body=body, path_parameters={"id": intake_id}
    )
    assert response.status == 422
    assert field in {e["field"] for e in response.body["errors"]}
    assert aws.items() == before
    assert json.dumps(body.get("note", "")) not in json.dumps(response.body) or not body.get("note")
