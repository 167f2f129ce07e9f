"""Decisions that protect patients, enforced by POST /intakes/{id}/review: 422 naming the rule, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Aws
from tests.integration.clinic import CAUDA_EQUINA, decide, form_for, practitioner, submit, view


def critical_intake() -> tuple[str, list[str]]:
    intake_id = submit(form_for(red_flags=CAUDA_EQUINA))
    rule_ids = view(intake_id).body["critical_rule_ids"]
    assert rule_ids, "the cauda equina answers raise at least one critical flag"
    return intake_id, rule_ids


def rules(response: Any) -> list[tuple[str, str]]:
    return [(error["field"], error["rule"]) for error in response.body["errors"]]


def version(intake_id: str) -> int:
    return int(view(intake_id).body["version"])


@pytest.mark.parametrize("decision", ["cleared", "treat_with_modifications"])
def test_proceeding_with_a_critical_intake_needs_a_note_and_the_named_flags(aws: Aws, decision: str) -> None:
    intake_id, critical = critical_intake()

    bare = decide(intake_id, {"decision": decision, "expected_version": 1})

    assert bare.status == 422
    assert rules(bare) == [
        ("note", "critical_requires_note"),
        ("confirmed_critical", "critical_requires_confirmation"),
    ]
    assert version(intake_id) == 1
    noted = decide(intake_id, {"decision": decision, "note": "seen in person", "expected_version": 1})
    assert rules(noted) == [("confirmed_critical", "critical_requires_confirmation")]
    accepted = decide(
        intake_id,
        {"decision": decision, "note": "seen in person", "expected_version": 1, "confirmed_critical": critical[::-1]},
    )
    assert accepted.status == 200
    assert accepted.body["history"][0]["decision"] == decision


@pytest.mark.parametrize("named", ["none", "another rule", "all but one", "one too many"])
def test_the_confirmation_must_name_exactly_the_critical_flags(aws: Aws, named: str) -> None:
    intake_id, critical = critical_intake()
    confirmed = {
        "none": [],
        "another rule": ["red_flag.made_up"],
        "all but one": critical[:-1],
        "one too many": [*critical, "safety.epilepsy"],
    }[named]
    body = {"decision": "cleared", "note": "ok", "expected_version": 1, "confirmed_critical": confirmed}
    assert rules(decide(intake_id, body)) == [("confirmed_critical", "critical_requires_confirmation")]
    assert version(intake_id) == 1


@pytest.mark.parametrize("decision", ["refer_to_doctor", "declined"])
def test_referring_or_declining_a_critical_intake_needs_neither(aws: Aws, decision: str) -> None:
    intake_id, _ = critical_intake()
    assert decide(intake_id, {"decision": decision, "expected_version": 1}).status == 200


def test_treating_with_modifications_always_needs_a_note(aws: Aws) -> None:
    intake_id = submit(form_for())
    response = decide(intake_id, {"decision": "treat_with_modifications", "note": "   ", "expected_version": 1})
    assert response.status == 422
    assert rules(response) == [("note", "modifications_require_note")]
    assert decide(intake_id, {"decision": "cleared", "expected_version": 1}).status == 200


def test_a_decision_after_a_referral_needs_a_note_saying_what_changed(aws: Aws) -> None:
    intake_id = submit(form_for())
    assert decide(intake_id, {"decision": "refer_to_doctor", "expected_version": 1}).status == 200

    response = decide(intake_id, {"decision": "cleared", "expected_version": 2})

    assert response.status == 422
    assert rules(response) == [("note", "change_after_referral_requires_note")]
    cleared = decide(intake_id, {"decision": "cleared", "note": "GP letter: fit to treat", "expected_version": 2})
    assert cleared.status == 200


def test_a_confirmation_on_an_intake_without_critical_flags_is_refused(aws: Aws) -> None:
    intake_id = submit(form_for())
    body = {"decision": "cleared", "expected_version": 1, "confirmed_critical": ["red_flag.cauda_equina"]}
    assert rules(decide(intake_id, body)) == [("confirmed_critical", "critical_requires_confirmation")]


def test_rules_are_checked_against_the_version_decided_on(aws: Aws) -> None:
    """A stale expected_version is a 409 before any rule: the practitioner must see the current state first."""
    intake_id, critical = critical_intake()
    assert decide(intake_id, {"decision": "refer_to_doctor", "expected_version": 1}).status == 200
    stale = decide(
        intake_id, {"decision": "cleared", "note": "n", "expected_version": 1, "confirmed_critical": critical}
    )
    assert stale.status == 409
    assert stale.body["current"]["version"] == 2


def test_the_reviewed_list_shows_the_decision_who_and_when(aws: Aws) -> None:
    intake_id = submit(form_for())
    claims = {"sub": "prac-9", "cognito:username": "dr.ortiz", "cognito:groups": "[practitioners]"}
    decided = decide(intake_id, {"decision": "declined", "expected_version": 1}, claims)
    entry = decided.body["history"][0]
    assert (entry["by"], entry["by_name"]) == ("prac-9", "dr.ortiz")

    [item] = practitioner("GET", "/reviews", "/reviews", query={"status": "reviewed"}).body["items"]

    assert item["decision"] == {"decision": "declined", "by_name": "dr.ortiz", "at": entry["at"]}
