"""Integration events on the clinic's EventBridge bus, so practice systems can subscribe to intakes and reviews.

An event carries ids, times, status, severity, decision and the catalog version: what a practice system needs to
fetch the intake (GET /intakes/{id}/fhir) and nothing that identifies the patient or repeats an answer.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from screening.clients import new_client
from screening.contract.screening import Screening

SOURCE = "intake-screening"
INTAKE_RECEIVED = "IntakeReceived"
INTAKE_REVIEWED = "IntakeReviewed"


@cache
def events_client() -> Any:
    # One attempt of at most 1.5 s: the intake is already stored, and a lost event is counted, never retried late.
    return new_client("events", retries={"total_max_attempts": 1}, connect_timeout=0.5, read_timeout=1)


def intake_received(intake_id: str, received_at: str, screening: Screening) -> dict[str, Any]:
    return {
        "intake_id": intake_id,
        "received_at": received_at,
        "status": screening.status,
        "highest_severity": screening.highest_severity,
        "categories": screening.categories,
        "catalog_version": screening.catalog_version,
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
