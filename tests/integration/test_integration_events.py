"""The handlers announce stored intakes and decisions on the integration bus, and a lost event fails nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from screening.handlers import intake
from tests.conftest import REGION, Aws, reset_cached_clients
from tests.integration.test_review_api import decide, submit
from tests.support import api_event, call, example_form

BUS = "intake-events-test"


@pytest.fixture
def bus(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The bus with an inbox queue subscribed to every event; returns the queue URL."""
    events = boto3.client("events", region_name=REGION)
    events.create_event_bus(Name=BUS)
    queue_url = aws.sqs.create_queue(QueueName="events-inbox")["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventBusName=BUS, EventPattern='{"source": ["intake-screening"]}')
    events.put_targets(Rule="all", EventBusName=BUS, Targets=[{"Id": "inbox", "Arn": arn}])
    monkeypatch.setenv("EVENT_BUS_NAME", BUS)
    reset_cached_clients()
    yield queue_url


def received(aws: Aws, queue_url: str) -> list[dict[str, Any]]:
    messages = aws.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(message["Body"]) for message in messages]


def test_a_new_intake_is_announced_once_and_a_replay_is_not(aws: Aws, bus: str) -> None:
    event = api_event("POST", "/intakes", body=example_form(), headers={"Idempotency-Key": "c1d2e3f4-events-once-0001"})
    assert call(intake.lambda_handler, event).status == 201
    assert call(intake.lambda_handler, event).status == 200

    events = received(aws, bus)
    assert [e["detail-type"] for e in events] == ["IntakeReceived"]
    assert set(events[0]["detail"]) == {
        "intake_id",
        "received_at",
        "status",
        "highest_severity",
        "categories",
        "catalog_version",
    }


def test_a_decision_is_announced_with_its_code_and_time(aws: Aws, bus: str) -> None:
    intake_id = submit(example_form())
    assert decide(intake_id, 1, decision="cleared", note="seen the GP letter").status == 200
    reviewed = [e["detail"] for e in received(aws, bus) if e["detail-type"] == "IntakeReviewed"]
    assert len(reviewed) == 1
    assert reviewed[0]["intake_id"] == intake_id
    assert reviewed[0]["decision"] == "cleared"
    assert "note" not in reviewed[0]


def test_a_lost_event_fails_neither_the_submission_nor_the_decision(
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    reset_cached_clients()
    intake_id = submit(example_form())
    assert decide(intake_id, 1).status == 200
    assert caplog.messages.count("integration event not sent") == 2
    assert capsys.readouterr().out.count('"IntegrationEventsFailed":[1.0]') == 2
