"""DynamoDB item layout of an intake, in the low-level attribute format (no serializer on the hot path).

One item per intake. Flagged intakes hold the answers and the screening (as JSON strings: exact, compact, no float
conversion) and carry the sparse review-queue keys; clear intakes are a minimal receipt without health answers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from screening.contract.intake import IntakeForm
from screening.contract.screening import Screening

PENDING = "pending"
REVIEWED = "reviewed"
_INTAKE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_NO_APPOINTMENT = "~"  # sorts after any ISO timestamp: intakes without an appointment come last in their severity


@dataclass(frozen=True, slots=True)
class NewIntake:
    """Everything needed to store one submission. `answers_json` is the validated form as stored (serialised once:
    the body hash of an idempotent replay is taken over the same text)."""

    intake_id: str
    received_at: datetime
    form: IntakeForm
    answers_json: str
    screening: Screening
    body_hash: str


def is_intake_id(value: object) -> bool:
    """Intake ids are lower-case UUIDs; anything else cannot name an intake (and never reaches DynamoDB)."""
    return isinstance(value, str) and _INTAKE_ID.match(value) is not None


def iso(moment: datetime) -> str:
    """UTC, millisecond precision, `Z` suffix: sorts lexically in time order."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def pending_sort_key(severity_rank: int, appointment: datetime | None, received_at: str) -> str:
    """Queue order: severity (critical first), then appointment time (soonest first, none last), then arrival."""
    return f"{severity_rank}#{iso(appointment) if appointment else _NO_APPOINTMENT}#{received_at}"


def new_item(intake: NewIntake, retention_days: int, write_token: str) -> dict[str, Any]:
    """`write_token` lets the store recognise its own write when botocore retries a put whose answer was lost."""
    received_at = iso(intake.received_at)
    screening = intake.screening
    expires_at = int((intake.received_at + timedelta(days=retention_days)).timestamp())
    item: dict[str, Any] = {
        "id": {"S": intake.intake_id},
        "received_at": {"S": received_at},
        "status": {"S": screening.status},
        "version": {"N": "1"},
        "catalog_version": {"S": screening.catalog_version},
        "expires_at": {"N": str(expires_at)},
        "body_hash": {"S": intake.body_hash},
        "write_token": {"S": write_token},
    }
    if screening.status == "clear":
        receipt = {
            "catalog_version": screening.catalog_version,
            "screened_on": screening.screened_on.isoformat(),
            "status": "clear",
        }
        item["screening"] = {"S": json.dumps(receipt, separators=(",", ":"))}
        return item

    severity = screening.highest_severity
    assert severity is not None
    appointment = intake.form.appointment.starts_at if intake.form.appointment else None
    patient = intake.form.patient
    item |= {
        "highest_severity": {"S": severity.value},
        "categories": {"L": [{"S": c} for c in screening.categories]},
        "patient_name": {"S": f"{patient.given_name} {patient.family_name}"},
        "screening": {"S": screening.model_dump_json()},
        "answers": {"S": intake.answers_json},
        "history": {"L": []},
        "queue": {"S": PENDING},
        "queue_sort": {"S": pending_sort_key(severity.rank, appointment, received_at)},
    }
    if appointment:
        item["appointment_starts_at"] = {"S": iso(appointment)}
    return item


def _s(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return value["S"] if value else None


def history_entry(decision: str, note: str, by: str, at: str) -> dict[str, Any]:
    return {"M": {"decision": {"S": decision}, "note": {"S": note}, "by": {"S": by}, "at": {"S": at}}}


def to_record(item: dict[str, Any]) -> dict[str, Any]:
    """An intake item as the review API returns it (the shape of contract.review.IntakeRecord)."""
    record: dict[str, Any] = {
        "id": item["id"]["S"],
        "status": item["status"]["S"],
        "version": int(item["version"]["N"]),
        "received_at": item["received_at"]["S"],
        "screening": json.loads(item["screening"]["S"]),
        "history": [{k: v["S"] for k, v in entry["M"].items()} for entry in item.get("history", {}).get("L", [])],
    }
    if "answers" in item:
        record["answers"] = json.loads(item["answers"]["S"])
    return record


def to_queue_item(item: dict[str, Any]) -> dict[str, Any]:
    """A review-queue entry (the GSI projection): ids, times, severity, categories and the name, no answers."""
    return {
        "id": item["id"]["S"],
        "status": item["status"]["S"],
        "version": int(item["version"]["N"]),
        "received_at": item["received_at"]["S"],
        "appointment_starts_at": _s(item, "appointment_starts_at"),
        "highest_severity": _s(item, "highest_severity"),
        "categories": [c["S"] for c in item.get("categories", {}).get("L", [])],
        "patient_name": _s(item, "patient_name"),
    }
