"""The local stack's stream poller: the template's filter read as Lambda reads it, records shaped as Lambda
delivers them, and failed records retried from the first failure until the mapping's retries are spent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from devtools import template as cfn
from devtools.local_stream import StreamPoller, lambda_record, matches


def record(sequence: str, event_name: str = "INSERT", image: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"eventName": event_name, "dynamodb": {"SequenceNumber": sequence, "NewImage": image or {}}}


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ({"eventName": ["INSERT"]}, {"eventName": "INSERT"}, True),
        ({"eventName": ["INSERT"]}, {"eventName": "MODIFY"}, False),
        ({"eventName": ["INSERT", "MODIFY"]}, {"eventName": "MODIFY"}, True),
        ({"eventName": ["INSERT"]}, {}, False),
        ({"a": {"b": [{"exists": True}]}}, {"a": {"b": 1}}, True),
        ({"a": {"b": [{"exists": True}]}}, {"a": {"c": 1}}, False),
        ({"a": {"b": [{"exists": False}]}}, {"a": {"c": 1}}, True),
        ({"a": {"b": [{"exists": False}]}}, {"a": {"b": 1}}, False),
        ({"a": {"b": ["x"]}}, {"a": "not an object"}, False),
    ],
)
def test_patterns_match_as_event_filtering_does(pattern: dict[str, Any], value: Any, expected: bool) -> None:
    assert matches(pattern, value) is expected


@pytest.mark.parametrize("pattern", [{"a": [{"prefix": "x"}]}, {"a": "x"}, {"a": [{"exists": True, "b": 1}]}])
def test_a_pattern_the_poller_cannot_read_raises_rather_than_passing(pattern: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        matches(pattern, {"a": "x"})


def test_the_templates_filter_passes_new_intakes_only() -> None:
    (mapping,) = cfn.stream_mappings()
    (pattern,) = mapping.filters
    intake = {"id": {"S": "6f1c2f4e-8d0a-4b52-9a8e-3c1f0b7d2e11"}, "catalog_version": {"S": "2026.12.1"}}
    window = {"id": {"S": "alert-window#2026-12-03T09:30"}, "expires_at": {"N": "1"}}
    assert matches(pattern, record("1", image=intake))
    assert not matches(pattern, record("2", "MODIFY", intake))
    assert not matches(pattern, record("3", image=window))


def test_records_carry_their_stream_and_an_epoch_creation_time() -> None:
    created = datetime(2026, 12, 3, 9, 30, 5, tzinfo=UTC)
    raw: dict[str, Any] = {
        "eventName": "INSERT",
        "dynamodb": {"ApproximateCreationDateTime": created, "SequenceNumber": "7"},
    }
    delivered = lambda_record(raw, "arn:stream")
    assert delivered["eventSourceARN"] == "arn:stream"
    assert delivered["dynamodb"]["ApproximateCreationDateTime"] == int(created.timestamp())
    assert raw["dynamodb"]["ApproximateCreationDateTime"] is created, "the record read is left as it was"


class Function:
    """Fails the records named in `failing` for the first `times` invocations."""

    def __init__(self, failing: set[str], times: int) -> None:
        self.batches: list[list[str]] = []
        self._failing, self._times = failing, times

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        sequences = [r["dynamodb"]["SequenceNumber"] for r in event["Records"]]
        self.batches.append(sequences)
        failed = [s for s in sequences if s in self._failing] if len(self.batches) <= self._times else []
        return {"batchItemFailures": [{"itemIdentifier": s} for s in failed]}


def poller(function: Function, retries: int) -> StreamPoller:
    mapping = cfn.StreamMapping("AnnounceFunction", "IntakeTable", 25, retries, ())
    return StreamPoller(mapping, "intakes", function, "us-east-1")


def test_a_failed_record_is_retried_from_itself_on() -> None:
    function = Function({"2"}, times=1)
    poller(function, retries=3)._deliver([record(s) for s in ("1", "2", "3")])
    assert function.batches == [["1", "2", "3"], ["2", "3"]]


def test_retries_stop_at_the_mappings_maximum(caplog: pytest.LogCaptureFixture) -> None:
    function = Function({"1"}, times=99)
    poller(function, retries=2)._deliver([record("1"), record("2")])
    assert function.batches == [["1", "2"]] * 3
    assert "gave up on stream records from sequence number 1" in caplog.text


def test_a_function_error_retries_the_whole_batch() -> None:
    calls: list[int] = []

    def crash_once(event: dict[str, Any]) -> dict[str, Any]:
        calls.append(len(event["Records"]))
        if len(calls) == 1:
            raise RuntimeError("worker crashed")
        return {"batchItemFailures": []}

    mapping = cfn.StreamMapping("AnnounceFunction", "IntakeTable", 25, 3, ())
    StreamPoller(mapping, "intakes", crash_once, "us-east-1")._deliver([record("1"), record("2")])
    assert calls == [2, 2]
