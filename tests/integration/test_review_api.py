"""The practitioner routes through the Lambda handler against moto: auth, queue order, paging, decisions."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

from screening.handlers import intake, review
from screening.handlers.http import intake_store
from screening.settings import get_settings
from screening.store import intakes as store_module
from screening.store.errors import VersionConflict
from screening.store.records import DYNAMODB_ITEM_LIMIT, Decision, iso, item_size
from tests.conftest import TABLE, Aws
from tests.support import (
    PRACTITIONER,
    ApiResponse,
    api_event,
    appointment_at,
    call,
    clear_form,
    example_form,
    with_changes,
)

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


@pytest.mark.parametrize(
    "groups",
    ["[practitioners]", "[admins practitioners]", "[admins  practitioners]", ["practitioners"], "practitioners"],
)
def test_practitioner_group_is_accepted_in_either_claim_shape(aws: Aws, groups: Any) -> None:
    assert practitioner("GET", "/rules", "/rules", claims={"sub": "p", "cognito:groups": groups}).status == 200


@pytest.mark.parametrize(
    "groups",
    [
        ["Student practitioners"],  # an external issuer's group name with a space
        ["former,practitioners"],
        "[former,practitioners]",
        "[admins,practitioners]",
        ["[practitioners]"],
        "[[practitioners]]",
        ["Practitioners"],
        "[Practitioners]",
        "[practitioners-trainee]",
        [["practitioners"]],
        "",
    ],
)
def test_a_group_name_that_only_contains_the_word_is_403(aws: Aws, groups: Any) -> None:
    assert practitioner("GET", "/rules", "/rules", claims={"sub": "p", "cognito:groups": groups}).status == 403


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"sub": "p", "custom:role": "practitioners"}, 200),
        ({"sub": "p", "custom:role": "Student practitioners"}, 403),
        ({"sub": "p", "custom:role": "[practitioners]"}, 403),
        ({"sub": "p", "custom:role": ["practitioners"]}, 403),
        ({"sub": "p", "cognito:groups": "[practitioners]"}, 403),  # the role claim, once configured, is the only way
    ],
)
def test_with_a_role_claim_configured_its_single_value_must_equal_the_group(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, claims: dict[str, Any], status: int
) -> None:
    monkeypatch.setenv("ROLE_CLAIM", "custom:role")
    get_settings.cache_clear()
    assert practitioner("GET", "/rules", "/rules", claims=claims).status == status


@pytest.mark.parametrize(
    ("claims", "by_name"),
    [
        ({"sub": "s1", "email": "dr.kim@clinic.example", "email_verified": "true"}, "dr.kim@clinic.example"),
        ({"sub": "s1", "email": "dr.kim@clinic.example", "email_verified": "false", "cognito:username": "u1"}, "u1"),
        ({"sub": "s1", "email": "dr.kim@clinic.example"}, "s1"),
        ({"sub": "s1", "email": "x@example.org", "email_verified": "true", "custom:display_name": "Dr Kim"}, "Dr Kim"),
    ],
)
def test_a_decision_records_the_immutable_sub_and_a_name_only_an_admin_or_a_verified_email_gives(
    aws: Aws, claims: dict[str, Any], by_name: str
) -> None:
    intake_id = submit(example_form())
    body = {"decision": "cleared", "note": "", "expected_version": 1}
    response = practitioner(
        "POST",
        f"/intakes/{intake_id}/review",
        "/intakes/{id}/review",
        claims=claims | {"cognito:groups": "[practitioners]"},
        body=body,
        path_parameters={"id": intake_id},
    )
    assert response.status == 200
    [entry] = response.body["history"]
    assert (entry["by"], entry["by_name"]) == ("s1", by_name)


@pytest.mark.parametrize("limit", ["\u00b2", "\u0662", "1" * 5000, "0" * 4 + "5", "-1", "1.5", " 5", "0", "101"])
def test_a_limit_that_is_not_a_short_ascii_number_in_range_is_400(aws: Aws, limit: str) -> None:
    response = queue(limit=limit)
    assert response.status == 400
    assert {e["field"] for e in response.body["errors"]} == {"query.limit"}


def test_practitioner_responses_carry_no_store_and_nosniff(aws: Aws) -> None:
    intake_id = submit(example_form())
    for response in (
        queue(),
        practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", path_parameters={"id": intake_id}),
        practitioner("GET", "/rules", "/rules", claims=None),
    ):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_rules_route_returns_the_catalog(aws: Aws) -> None:
    response = practitioner("GET", "/rules", "/rules")
    assert response.status == 200
    assert response.body["version"]
    assert len(response.body["rules"]) > 20


def test_queue_orders_by_severity_then_appointment_then_arrival(aws: Aws) -> None:
    warning_late = submit(with_changes(example_form(), appointment={"starts_at": appointment_at(8, 9, 0, 0)}))
    warning_early = submit(with_changes(example_form(), appointment={"starts_at": appointment_at(1, 9, 0, 0)}))
    no_appointment = example_form()
    del no_appointment["appointment"]
    warning_none = submit(no_appointment)
    critical_late = submit(
        with_changes(
            example_form(), red_flags={"saddle_numbness": "yes"}, appointment={"starts_at": appointment_at(19, 9, 0, 1)}
        )
    )
    critical_early = submit(
        with_changes(
            example_form(),
            red_flags={"recent_serious_injury": "yes"},
            appointment={"starts_at": (soonest := appointment_at(0.5, 8, 0, -5))},
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
    assert first["appointment_starts_at"] == iso(datetime.fromisoformat(soonest))
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


def test_clear_intake_shows_its_answers(aws: Aws) -> None:
    intake_id = submit(clear_form())
    response = practitioner("GET", f"/intakes/{intake_id}", "/intakes/{id}", path_parameters={"id": intake_id})
    assert response.status == 200
    assert response.body["status"] == "clear"
    assert response.body["answers"]["medications"] == [{"name": "paracetamol", "dose": "1 g when needed"}]


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
    assert entry["by"] == PRACTITIONER["sub"]
    assert entry["by_name"] == PRACTITIONER["email"]
    assert len(entry["request_token"]) == 32
    assert set(entry) == {"decision", "note", "by", "by_name", "at", "request_token"}
    assert queue().body["items"] == []
    assert [item["id"] for item in queue("reviewed").body["items"]] == [intake_id]

    later = decide(intake_id, 2, "refer_to_doctor", "INR unknown")
    assert later.status == 200
    assert [e["decision"] for e in later.body["history"]] == ["treat_with_modifications", "refer_to_doctor"]


def test_a_stale_expected_version_is_409_with_the_current_state_and_overwrites_nothing(aws: Aws) -> None:
    intake_id = submit(example_form())
    assert decide(intake_id, 1, "cleared", "first").status == 200

    response = decide(intake_id, 1, "declined", "second")

    assert response.status == 409
    assert response.body["current"]["version"] == 2
    assert [e["note"] for e in response.body["current"]["history"]] == ["first"]


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
        ({"decision": "cleared", "expected_version": 1, "by": "someone else"}, "body[2]"),
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


def test_a_decision_whose_answer_was_lost_and_retried_is_200_not_a_conflict(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review's R6: DynamoDB applies the update but its answer is lost; botocore's retry then fails the version
    condition against our own write. The request's token in the latest entry tells it apart from a colleague's."""
    intake_id = submit(example_form())
    client = store_module.dynamodb_client()
    original = client.update_item
    calls: list[str] = []

    def applied_then_lost(**params: Any) -> Any:
        calls.append(params["UpdateExpression"])
        if len(calls) == 1:
            original(**params)
            raise ReadTimeoutError(endpoint_url="https://dynamodb.example")
        return original(**params)

    def retried_by_botocore(**params: Any) -> Any:
        try:
            return applied_then_lost(**params)
        except ReadTimeoutError:
            return applied_then_lost(**params)

    monkeypatch.setattr(client, "update_item", retried_by_botocore)

    response = decide(intake_id, 1, "cleared", "once")

    assert len(calls) == 2
    assert response.status == 200
    assert [e["note"] for e in response.body["history"]] == ["once"]
    assert response.body["version"] == 2


def test_without_the_item_on_a_failed_condition_the_store_reads_it_once(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dynalite ignores ReturnValuesOnConditionCheckFailure: the 409 must still carry the current state."""
    intake_id = submit(example_form())
    assert decide(intake_id, 1, "cleared", "first").status == 200
    client = store_module.dynamodb_client()
    original_update, original_get = client.update_item, client.get_item
    reads: list[str] = []

    def update_without_item(**params: Any) -> Any:
        try:
            return original_update(**params)
        except client.exceptions.ConditionalCheckFailedException as exc:
            exc.response.pop("Item", None)
            raise

    def counted_get(**params: Any) -> Any:
        reads.append(params["Key"]["id"]["S"])
        return original_get(**params)

    monkeypatch.setattr(client, "update_item", update_without_item)
    monkeypatch.setattr(client, "get_item", counted_get)

    response = decide(intake_id, 1, "declined", "second")

    assert response.status == 409
    assert reads == [intake_id]
    assert [e["note"] for e in response.body["current"]["history"]] == ["first"]


def test_the_51st_decision_is_refused_clearly_and_changes_nothing(aws: Aws) -> None:
    intake_id = submit(example_form())
    for version in range(1, 51):
        assert decide(intake_id, version, "cleared", f"n{version}").status == 200
    before = aws.items()

    response = decide(intake_id, 51, "declined", "one too many")

    assert response.status == 409
    assert "50 decisions" in response.body["message"]
    assert "current" not in response.body
    assert aws.items() == before


def test_the_item_size_the_store_tracks_is_never_below_what_dynamodb_counts(aws: Aws) -> None:
    intake_id = submit(example_form())
    for version in range(1, 6):
        body = {"decision": "cleared", "note": "\U0001f4dd" * 1990, "expected_version": version}
        raw = json.dumps(body, ensure_ascii=False)
        path, params = f"/intakes/{intake_id}/review", {"id": intake_id}
        assert practitioner("POST", path, "/intakes/{id}/review", body=raw, path_parameters=params).status == 200
        [item] = aws.items()
        # The tracked size is an upper bound: each decision counts the attributes it sets as new.
        assert item_size(item) <= int(item["item_bytes"]["N"]) <= item_size(item) + 300 * version


def test_a_decision_that_would_outgrow_the_item_limit_is_413_and_changes_nothing(aws: Aws) -> None:
    """moto counts list updates about twice over, so the item is brought near the limit by setting its tracked size."""
    intake_id = submit(example_form())
    aws.dynamodb.update_item(
        TableName=TABLE,
        Key={"id": {"S": intake_id}},
        UpdateExpression="SET item_bytes = :near",
        ExpressionAttributeValues={":near": {"N": str(DYNAMODB_ITEM_LIMIT - 2_000)}},
    )
    before = aws.items()

    response = decide(intake_id, 1, "cleared", "n" * 2000)

    assert response.status == 413, "DynamoDB would refuse this update with a ValidationException: a 500"
    assert "Retry-After" not in response.headers
    assert aws.items() == before


def test_a_decision_on_a_version_changed_since_it_was_read_is_refused_by_the_update_itself(aws: Aws) -> None:
    """The handler checks the version it read; between that read and the write a colleague may decide, and only the
    update's own condition stops the second decision from overwriting the first (no lost update)."""
    intake_id = submit(example_form())
    assert decide(intake_id, 1, "refer_to_doctor", "imaging first").status == 200
    stale = Decision(decision="declined", note="n", by="p-2", by_name="p-2", at=iso(datetime.now()), request_token="x")
    with pytest.raises(VersionConflict):
        intake_store().record_review(intake_id, expected_version=1, entry=stale)
    [item] = aws.items()
    assert [entry["M"]["decision"]["S"] for entry in item["history"]["L"]] == ["refer_to_doctor"]
