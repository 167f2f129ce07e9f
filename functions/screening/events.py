"""Integration events on the clinic's EventBridge bus, so practice systems can subscribe to intakes and reviews.

An event carries ids, times, status, severity, decision and the catalog version: what a practice system needs to
fetch the intake (GET /intakes/{id}/fhir) and nothing that identifies the patient or repeats an answer.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from screening.clients import new_client

SOURCE = "intake-screening"
INTAKE_RECEIVED = "IntakeReceived"
INTAKE_REVIEWED = "IntakeReviewed"


@cache
def events_client() -> Any:
    # One attempt of at most 1.5 s. A decision is already stored and its lost event is counted; a new intake's event
    # comes from the table's stream, where Lambda retries the record.
    return new_client("events", retries={"total_max_attempts": 1}, connect_timeout=0.5, read_timeout=1)


def intake_received(item: dict[str, Any]) -> dict[str, Any]:
    """From a new intake item as stored (DynamoDB's typed attributes, as the table's stream shows them): never an
    answer, a name or a flag's evidence."""
    severity = item.get("highest_severity")
    return {
        "intake_id": item["id"]["S"],
        "received_at": item["received_at"]["S"],
        "status": item["status"]["S"],
        "highest_severity": severity["S"] if severity else None,
        "categories": [category["S"] for category in item.get("categories", {}).get("L", [])],
        "catalog_version": item["catalog_version"]["S"],
    }


def intake_reviewed(record: dict[str, Any]) -> dict[str, Any]:
    """From the record a decision returns: the latest decision's code and time, never its note."""
    latest = record["history"][-1]
    return {
        "intake_id": record["id"],
        "version": record["version"],
        "status": record["status"],
        "decision": latest["decision"],
        "reviewed_at": latest["at"],
        "catalog_version": record["screening"]["catalog_version"],
    }


class EventNotDelivered(Exception):
    """EventBridge took the call but refused the entry (its error code is the message)."""


def put_event(bus_name: str, detail_type: str, detail: dict[str, Any]) -> None:
    """Raises whatever boto3 raises, or EventNotDelivered; the caller decides a lost event must not fail the request."""
    response = events_client().put_events(
        Entries=[{"Source": SOURCE, "DetailType": detail_type, "Detail": json.dumps(detail), "EventBusName": bus_name}]
    )
    if response.get("FailedEntryCount"):
        raise EventNotDelivered(str(response["Entries"][0].get("ErrorCode", "unknown")))
