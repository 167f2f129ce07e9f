"""devtools/backfill_v2.py: intakes stored before design version 2 join the day and patient indexes, once."""

from __future__ import annotations

import json
from typing import Any

from devtools.backfill_v2 import CHANGED_MEANWHILE, DAY_ONLY, WITH_PATIENT, WOULD_INDEX, backfill
from tests.conftest import TABLE, Aws
from tests.integration.clinic import day, erase, practitioner, search, submit, view
from tests.support import appointment_at, example_form

FLAGGED_V1 = "7d1a3c9e-2b4f-4e8a-9c6d-1f2e3a4b5c6d"
CLEAR_V1 = "8e2b4d0f-3c5a-4f9b-8d7e-2a3b4c5d6e7f"


def put_v1_items(aws: Aws) -> None:
    """As design version 1 stored them: flagged with answers and queue keys, clear as a bare receipt."""
    flagged: dict[str, Any] = {
        "id": {"S": FLAGGED_V1},
        "received_at": {"S": "2026-11-30T15:00:00.000Z"},
        "status": {"S": "needs_review"},
        "version": {"N": "1"},
        "catalog_version": {"S": "2026.11"},
        "expires_at": {"N": "2000000000"},
        "highest_severity": {"S": "warning"},
        "categories": {"L": [{"S": "medication"}]},
        "patient_name": {"S": "Ana Lopez"},
        "screening": {"S": json.dumps({"status": "needs_review", "flags": []})},
        "answers": {"S": json.dumps(example_form())},
        "history": {"L": []},
        "queue": {"S": "pending"},
        "queue_sort": {"S": "2#2026-12-01T14:30:00.000Z#2026-11-30T15:00:00.000Z"},
        "appointment_starts_at": {"S": "2026-12-01T14:30:00.000Z"},
    }
    clear = {
        "id": {"S": CLEAR_V1},
        "received_at": {"S": "2026-11-30T23:30:00.000Z"},
        "status": {"S": "clear"},
        "version": {"N": "1"},
        "catalog_version": {"S": "2026.11"},
        "expires_at": {"N": "2000000000"},
        "screening": {"S": json.dumps({"status": "clear"})},
    }
    for item in (flagged, clear):
        aws.dynamodb.put_item(TableName=TABLE, Item=item)


def test_v1_intakes_join_the_day_and_patient_indexes(aws: Aws) -> None:
    put_v1_items(aws)
    v2 = submit(example_form())  # its appointment is tomorrow
    assert [item["id"] for item in day(appointment_at(1)[:10]).body["items"]] == [v2]
    assert day("2026-12-01").body["items"] == []  # the v1 items' day: they are on no v2 index yet

    assert backfill(aws.dynamodb, TABLE) == {WITH_PATIENT: 1, DAY_ONLY: 1}

    assert FLAGGED_V1 in [item["id"] for item in day("2026-12-01").body["items"]]
    assert [item["id"] for item in search("lopez", "1985-04-12").body["items"]] == [v2, FLAGGED_V1]
    assert [item["id"] for item in day("2026-11-30").body["items"]] == [CLEAR_V1]  # 23:30 UTC: still 30 Nov in London
    linked = view(v2).body["other_intakes"]
    assert [(item["id"], item["same_patient"]) for item in linked] == [(FLAGGED_V1, True)]


def test_a_second_run_and_a_dry_run_change_nothing(aws: Aws) -> None:
    put_v1_items(aws)
    assert backfill(aws.dynamodb, TABLE, dry_run=True) == {WOULD_INDEX: 2}
    assert all("day" not in item for item in aws.items())
    backfill(aws.dynamodb, TABLE)
    before = aws.items()
    assert backfill(aws.dynamodb, TABLE) == {}
    assert aws.items() == before


def test_erased_intakes_stay_off_every_index(aws: Aws) -> None:
    put_v1_items(aws)
    assert erase(FLAGGED_V1, {"reason": "request"}).status == 200
    assert backfill(aws.dynamodb, TABLE) == {DAY_ONLY: 1}
    [tombstone] = [item for item in aws.items() if item["id"]["S"] == FLAGGED_V1]
    assert "day" not in tombstone and "patient_key" not in tombstone


def test_an_intake_erased_between_the_scan_and_its_update_is_skipped(aws: Aws) -> None:
    put_v1_items(aws)
    original = aws.dynamodb.update_item

    def erase_first(**params: Any) -> Any:
        if params["Key"]["id"]["S"] == FLAGGED_V1:
            aws.dynamodb.update_item = original
            assert erase(FLAGGED_V1, {"reason": "request"}).status == 200
        return original(**params)

    aws.dynamodb.update_item = erase_first
    try:
        counts = backfill(aws.dynamodb, TABLE)
    finally:
        aws.dynamodb.update_item = original
    assert counts == {CHANGED_MEANWHILE: 1, DAY_ONLY: 1}


def test_a_v1_decision_still_shows_on_the_reviewed_list(aws: Aws) -> None:
    """v1 stored the latest decision as a bare string; the list shows it with its time and no name."""
    put_v1_items(aws)
    aws.dynamodb.update_item(
        TableName=TABLE,
        Key={"id": {"S": FLAGGED_V1}},
        UpdateExpression="SET #q = :r, queue_sort = :s, last_decision = :d, reviewed_at = :at, #st = :r",
        ExpressionAttributeNames={"#q": "queue", "#st": "status"},
        ExpressionAttributeValues={
            ":r": {"S": "reviewed"},
            ":s": {"S": f"2026-11-30T16:00:00.000Z#{FLAGGED_V1}"},
            ":d": {"S": "cleared"},
            ":at": {"S": "2026-11-30T16:00:00.000Z"},
        },
    )
    [item] = practitioner("GET", "/reviews", "/reviews", query={"status": "reviewed"}).body["items"]
    assert item["decision"] == {"decision": "cleared", "by_name": None, "at": "2026-11-30T16:00:00.000Z"}


def test_alert_windows_in_the_table_are_left_alone(aws: Aws) -> None:
    window = {"id": {"S": "alert-window#2026-12-01T10:00"}, "expires_at": {"N": "1796000000"}}
    aws.dynamodb.put_item(TableName=TABLE, Item=window)
    assert backfill(aws.dynamodb, TABLE) == {}
    [stored] = aws.dynamodb.scan(TableName=TABLE)["Items"]
    assert stored == window
