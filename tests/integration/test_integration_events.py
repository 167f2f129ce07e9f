"""Integration events: a new intake is announced from the table's stream (never within the patient's request), a
decision by the review route; a lost event fails no request, and a new intake's lost event is retried."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from devtools import template as cfn
from devtools.local_stream import matches
from screening import events
from screening.handlers import announce
from tests.conftest import REGION, TABLE, Aws, reset_cached_clients
from tests.integration.test_review_api import decide, submit
from tests.support import LambdaContext, example_form, with_changes

BUS = "intake-events-test"
(NEW_INTAKES,) = cfn.stream_mappings()
DETAIL_KEYS = {"intake_id", "received_at", "status", "highest_severity", "categories", "catalog_version"}


@pytest.fixture
def bus(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The bus with an inbox queue subscribed to every event; returns the queue URL."""
    client = boto3.client("events", region_name=REGION)
    client.create_event_bus(Name=BUS)
    queue_url = aws.sqs.create_queue(QueueName="events-inbox")["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client.put_rule(Name="all", EventBusName=BUS, EventPattern='{"source": ["intake-screening"]}')
    client.put_targets(Rule="all", EventBusName=BUS, Targets=[{"Id": "inbox", "Arn": arn}])
    monkeypatch.setenv("EVENT_BUS_NAME", BUS)
    reset_cached_clients()
    yield queue_url


def received(aws: Aws, queue_url: str) -> list[dict[str, Any]]:
    messages = aws.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(message["Body"]) for message in messages]


def inserted(aws: Aws, intake_id: str, sequence: str = "100") -> dict[str, Any]:
    """The stream record of a stored intake's INSERT, as Lambda delivers it: its new image is the item as stored."""
    item = aws.dynamodb.get_item(TableName=TABLE, Key={"id": {"S": intake_id}})["Item"]
    return {
        "eventID": f"event-{sequence}",
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,
        "dynamodb": {
            "Keys": {"id": item["id"]},
            "NewImage": item,
            "SequenceNumber": sequence,
            "SizeBytes": 1,
            "StreamViewType": "NEW_IMAGE",
        },
        "eventSourceARN": f"arn:aws:dynamodb:{REGION}:123456789012:table/{TABLE}/stream/2026-12-01T00:00:00.000",
    }


def passes_the_template_filter(record: dict[str, Any]) -> bool:
    return any(matches(pattern, record) for pattern in NEW_INTAKES.filters)


def announce_records(*records: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = announce.lambda_handler({"Records": list(records)}, LambdaContext())
    return result


def test_the_patient_request_makes_no_eventbridge_call(aws: Aws, bus: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Calls are recorded, not refused: the review route's helper swallows a failed put, so a refusal would pass."""
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(events, "put_event", lambda *args: calls.append(args))
    assert submit(example_form())
    assert submit(with_changes(example_form(), red_flags={"saddle_numbness": "yes"}))  # critical: the alert path too
    assert calls == []
    assert received(aws, bus) == []


def test_a_new_intake_is_announced_from_its_stream_record_without_patient_data(aws: Aws, bus: str) -> None:
    form = {**with_changes(example_form(), red_flags={"saddle_numbness": "yes"}), "notes": "tingling since Tuesday"}
    intake_id = submit(form)
    record = inserted(aws, intake_id)
    assert passes_the_template_filter(record)

    assert announce_records(record) == {"batchItemFailures": []}

    (event,) = received(aws, bus)
    assert event["detail-type"] == "IntakeReceived"
    assert event["source"] == "intake-screening"
    detail = event["detail"]
    assert set(detail) == DETAIL_KEYS
    stored = aws.items()[0]
    assert detail["intake_id"] == intake_id
    assert detail["received_at"] == stored["received_at"]["S"]
    assert (detail["status"], detail["highest_severity"]) == ("needs_review", "critical")
    assert "red_flag_cauda_equina" in detail["categories"]
    assert detail["catalog_version"] == stored["catalog_version"]["S"]
    text = json.dumps(event)
    for value in (form["patient"]["family_name"], form["patient"]["date_of_birth"], "tingling since Tuesday"):
        assert value not in text


def test_a_clear_intake_is_announced_with_no_severity(aws: Aws, bus: str) -> None:
    form = {**with_changes(example_form(), safety={"blood_thinners": "no"}), "medications": []}
    intake_id = submit(form)
    assert announce_records(inserted(aws, intake_id)) == {"batchItemFailures": []}
    (event,) = received(aws, bus)
    assert (event["detail"]["status"], event["detail"]["highest_severity"]) == (
        aws.items()[0]["status"]["S"],
        aws.items()[0].get("highest_severity", {}).get("S"),
    )


def test_a_lost_event_is_reported_for_retry_counted_and_logged_by_id_only(
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, second = submit(example_form()), submit(example_form())
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    reset_cached_clients()

    result = announce_records(inserted(aws, first, "101"), inserted(aws, second, "102"))

    assert result == {"batchItemFailures": [{"itemIdentifier": "101"}, {"itemIdentifier": "102"}]}
    assert caplog.messages.count("integration event not sent; the record will be retried") == 2
    assert [getattr(record, "intake_id", None) for record in caplog.records if record.levelname == "ERROR"] == [
        first,
        second,
    ]
    assert '"IntegrationEventsFailed":[1.0,1.0]' in capsys.readouterr().out
    assert example_form()["patient"]["family_name"] not in caplog.text


def test_only_new_intakes_pass_the_stream_filter(aws: Aws) -> None:
    """The template's filter, on the items the table really holds: a replay or a decision rewrites an intake
    (MODIFY), and the alert-a-minute window is another kind of item. (The real stream, through the local stack's
    poller, is tested in test_gateway_events.)"""
    critical = submit(with_changes(example_form(), red_flags={"saddle_numbness": "yes"}))
    new_intake = inserted(aws, critical)
    (window,) = aws.alert_windows()
    window_inserted = new_intake | {
        "dynamodb": new_intake["dynamodb"] | {"Keys": {"id": window["id"]}, "NewImage": window}
    }

    assert passes_the_template_filter(new_intake)
    assert not passes_the_template_filter(new_intake | {"eventName": "MODIFY"})
    assert not passes_the_template_filter(new_intake | {"eventName": "REMOVE"})
    assert not passes_the_template_filter(window_inserted)


def test_a_decision_is_announced_with_its_code_and_time(aws: Aws, bus: str) -> None:
    intake_id = submit(example_form())
    assert decide(intake_id, 1, decision="cleared", note="seen the GP letter").status == 200
    reviewed = [e["detail"] for e in received(aws, bus) if e["detail-type"] == "IntakeReviewed"]
    assert len(reviewed) == 1
    assert reviewed[0]["intake_id"] == intake_id
    assert reviewed[0]["decision"] == "cleared"
    assert "note" not in reviewed[0]


def test_a_lost_decision_event_fails_no_decision(
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("EVENT_BUS_NAME", "no-such-bus")
    reset_cached_clients()
    intake_id = submit(example_form())
    assert decide(intake_id, 1).status == 200
    assert caplog.messages.count("integration event not sent") == 1
    assert capsys.readouterr().out.count('"IntegrationEventsFailed":[1.0]') == 1
