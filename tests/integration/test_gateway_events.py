"""Integration events through the real local stack: a submission (announced from the table's stream by
AnnounceFunction) and a decision land in the bus's inbox once each, and no patient value travels with them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from devtools.gateway import LocalService
from devtools.jwt_token import make_token
from devtools.local_auth import DEFAULT_SECRET
from tests.integration.gateway_http import bearer, send
from tests.support import example_form, with_changes

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the documented default

JSON = [("Content-Type", "application/json")]
EVENT_WAIT_S = 60
PATIENT_VALUES = (
    "Zyxwulf",
    "Qorvath",
    "1961-07-23",
    "zyx.qor@example.org",
    "+44 7700 900999",
    "Eliquis",
    "tingling since Tuesday",
    "needle phobia since 1999",
    "ask about the GP letter",
)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalService]:
    with LocalService(jwt_secret=DEFAULT_SECRET) as running:
        yield running


def inbox(stack: LocalService, expected: int) -> list[dict[str, Any]]:
    """The bus's events, read until `expected` have come and one more wait brings nothing (the stream's poller
    starts AnnounceFunction cold on the first record, so the first event takes seconds)."""
    sqs = boto3.client("sqs", endpoint_url=stack.aws.moto_url)
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + EVENT_WAIT_S
    while True:
        messages = sqs.receive_message(
            QueueUrl=stack.aws.inboxes["IntegrationBus"], MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", [])
        events.extend(json.loads(message["Body"]) for message in messages)
        if not messages and (len(events) >= expected or time.monotonic() > deadline):
            return events


def test_a_submission_and_a_decision_are_announced_without_patient_data(stack: LocalService) -> None:
    form = with_changes(
        example_form(),
        patient={
            "given_name": "Zyxwulf",
            "family_name": "Qorvath",
            "date_of_birth": "1961-07-23",
            "email": "zyx.qor@example.org",
            "phone": "+44 7700 900999",
        },
        red_flags={"saddle_numbness": "yes"},
        notes="tingling since Tuesday",
        allergies=["needle phobia since 1999"],
    )
    keyed = [*JSON, ("Idempotency-Key", "c1d2e3f4-gateway-events-0001")]
    created = send(stack.base_url, "POST", "/intakes", json.dumps(form).encode(), keyed)
    assert created.status == 201, created.body
    intake_id = created.json()["id"]
    assert send(stack.base_url, "POST", "/intakes", json.dumps(form).encode(), keyed).status == 200  # a replay
    decision = {"decision": "refer_to_doctor", "note": "ask about the GP letter", "expected_version": 1}
    token = bearer(make_token(secret=DEFAULT_SECRET))
    reviewed = send(
        stack.base_url, "POST", f"/intakes/{intake_id}/review", json.dumps(decision).encode(), [*JSON, *token]
    )
    assert reviewed.status == 200, reviewed.body

    events = [event for event in inbox(stack, 2) if event["detail"]["intake_id"] == intake_id]

    # Once each, the replay not announced; in either order, since the stream's announcement runs apart from the
    # review's request.
    assert sorted(event["detail-type"] for event in events) == ["IntakeReceived", "IntakeReviewed"]
    by_type = {event["detail-type"]: event["detail"] for event in events}
    received, review = by_type["IntakeReceived"], by_type["IntakeReviewed"]
    assert received["status"] == "needs_review"
    assert received["highest_severity"] == "critical"
    assert received["catalog_version"]
    assert review["decision"] == "refer_to_doctor"
    assert review["version"] == 2
    text = json.dumps(events)
    assert [value for value in PATIENT_VALUES if value in text] == []
