"""DynamoDB item layout of an intake, in the low-level attribute format (no serializer on the hot path).

One item per intake (storage design version 2). Every intake, clear or flagged, holds its answers and screening (as
JSON strings: exact, compact, no float conversion) and carries the keys of the `ByDay` index (its clinic-local day,
ordered by appointment time) and of the `ByPatient` index (a digest of the normalised family name and date of birth,
newest first). Flagged intakes also carry the sparse review-queue keys.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from screening.clinic_time import age_on, local_date
from screening.contract.intake import IntakeForm
from screening.contract.screening import Screening

PENDING = "pending"
REVIEWED = "reviewed"
MAX_HISTORY = 50
"""Decisions an intake may hold: the history lives in the item, and an item may not grow past DynamoDB's limit."""
DYNAMODB_ITEM_LIMIT = 400_000
"""DynamoDB's item limit, "400 KB", read as decimal kilobytes: the stricter reading (moto enforces 405,000)."""
MAX_ITEM_BYTES = 350 * 1024
"""A new intake's ceiling: the rest of DynamoDB's 400 KB is the room its review history grows into."""
AMPLIFICATION = 8
"""A stored intake may be at most this many times its body (with a floor, see `item_budget`)."""
ERASED = "erased"
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


def normalised_name(name: str) -> str:
    """Case, accents, spaces and punctuation do not tell patients apart: "Ó Briain-Nic" ≡ "o briain nic"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


def patient_key(family_name: str, date_of_birth: date) -> str:
    """The `ByPatient` partition: a digest, so the index key, its cursors and any log of keys hold no name."""
    text = f"{normalised_name(family_name)}#{date_of_birth.isoformat()}"
    return "p#" + hashlib.sha256(text.encode()).hexdigest()[:32]


def given_name_key(given_name: str) -> str:
    """Twins share a family name and a birth date: the given name decides whether two intakes are the same patient."""
    return hashlib.sha256(normalised_name(given_name).encode()).hexdigest()[:16]


def day_sort_key(appointment: datetime | None, received_at: str) -> str:
    """`ByDay` order within a day: appointment time, then intakes without an appointment by arrival."""
    return f"{iso(appointment) if appointment else _NO_APPOINTMENT}#{received_at}"


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """What the day and patient indexes are keyed on; `None` names for a v1 clear receipt, which kept none."""

    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    appointment: datetime | None


def day_keys(appointment: datetime | None, received: datetime) -> dict[str, Any]:
    received_at = iso(received)
    return {
        "day": {"S": local_date(appointment or received).isoformat()},
        "day_sort": {"S": day_sort_key(appointment, received_at)},
    }


def index_keys(facts: PatientFacts, received: datetime) -> dict[str, Any]:
    """The `ByDay` and `ByPatient` keys of an intake: what a new item carries and what the v1 backfill adds."""
    keys = day_keys(facts.appointment, received)
    if facts.given_name and facts.family_name and facts.date_of_birth:
        keys |= {
            "patient_key": {"S": patient_key(facts.family_name, facts.date_of_birth)},
            "patient_sort": {"S": iso(received)},
            "given_key": {"S": given_name_key(facts.given_name)},
            "patient_name": {"S": f"{facts.given_name} {facts.family_name}"},
        }
    return keys


def form_facts(form: IntakeForm) -> PatientFacts:
    patient = form.patient
    appointment = form.appointment.starts_at if form.appointment else None
    return PatientFacts(patient.given_name, patient.family_name, patient.date_of_birth, appointment)


def new_item(intake: NewIntake, retention_days: int, write_token: str) -> dict[str, Any]:
    """`write_token` lets the store recognise its own write when botocore retries a put whose answer was lost."""
    received_at = iso(intake.received_at)
    screening = intake.screening
    expires_at = int((intake.received_at + timedelta(days=retention_days)).timestamp())
    appointment = intake.form.appointment.starts_at if intake.form.appointment else None
    item: dict[str, Any] = {
        "id": {"S": intake.intake_id},
        "received_at": {"S": received_at},
        "status": {"S": screening.status},
        "version": {"N": "1"},
        "catalog_version": {"S": screening.catalog_version},
        "expires_at": {"N": str(expires_at)},
        "body_hash": {"S": intake.body_hash},
        "write_token": {"S": write_token},
        "screening": {"S": screening.model_dump_json()},
        "answers": {"S": intake.answers_json},
        "history": {"L": []},
        "categories": {"L": [{"S": c} for c in screening.categories]},
        **index_keys(form_facts(intake.form), intake.received_at),
    }
    if appointment:
        item["appointment_starts_at"] = {"S": iso(appointment)}
    severity = screening.highest_severity
    if severity is not None:
        item["highest_severity"] = {"S": severity.value}
    if screening.status == "clear":
        return with_size(item)
    assert severity is not None
    item |= {
        "queue": {"S": PENDING},
        "queue_sort": {"S": pending_sort_key(severity.rank, appointment, received_at)},
    }
    return with_size(item)


def with_size(item: dict[str, Any]) -> dict[str, Any]:
    """The item with `item_bytes`, its own size included: each decision adds to it, so a review can be refused
    before the item would outgrow DynamoDB's limit without reading it first."""
    size = item_size(item) + len("item_bytes") + 8  # a number of up to 12 digits takes at most 8 bytes
    return item | {"item_bytes": {"N": str(size)}}


def _s(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return value["S"] if value else None


@dataclass(frozen=True, slots=True)
class Decision:
    """One review decision as the history keeps it. `by` is the token's immutable `sub`; `by_name` a name for people
    to read; `request_token` the request that recorded it, so a retried write recognises its own entry."""

    decision: str
    note: str
    by: str
    by_name: str
    at: str
    request_token: str


def history_entry(entry: Decision) -> dict[str, Any]:
    return {
        "M": {
            "decision": {"S": entry.decision},
            "note": {"S": entry.note},
            "by": {"S": entry.by},
            "by_name": {"S": entry.by_name},
            "at": {"S": entry.at},
            "request_token": {"S": entry.request_token},
        }
    }


def item_budget(body_bytes: int) -> int:
    """The most bytes a new intake may take: AMPLIFICATION × its body, but never under 64 KiB (a short form with
    every red flag raised carries ten times its size in flag texts, and must be stored) nor over MAX_ITEM_BYTES."""
    return min(MAX_ITEM_BYTES, max(AMPLIFICATION * body_bytes, 64 * 1024))


def item_size(item: dict[str, Any]) -> int:
    """The item's size as DynamoDB counts it against its 400 KB limit: each attribute's name plus its value."""
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def value_size(value: dict[str, Any]) -> int:
    # Developer guide, "Item sizes and formats": strings and binaries by their UTF-8/byte length; numbers about
    # half their digits plus one; booleans and nulls one byte; lists and maps 3 bytes plus 1 per element.
    [(kind, content)] = value.items()
    if kind == "S":
        return len(content) if content.isascii() else len(content.encode())
    if kind == "N":
        return len(content.strip("-").lstrip("0").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(content)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + value_size(element) for element in content)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + value_size(element) for name, element in content.items())
    if kind == "SS":
        return sum(len(element.encode()) for element in content)
    if kind in ("NS",):
        return sum(len(element) // 2 + 2 for element in content)
    return sum(len(element) for element in content)  # BS


def last_decision(decision: str, by_name: str, at: str) -> dict[str, Any]:
    """The latest decision as the list indexes project it: what, who and when, never the note."""
    return {"M": {"decision": {"S": decision}, "by_name": {"S": by_name}, "at": {"S": at}}}


def _decision(item: dict[str, Any]) -> dict[str, Any] | None:
    stored = item.get("last_decision")
    if stored is None:
        return None
    if "S" in stored:  # written before design version 2: the decision only
        return {"decision": stored["S"], "by_name": None, "at": _s(item, "reviewed_at")}
    return {name: value["S"] for name, value in stored["M"].items()}


def critical_rule_ids(screening: dict[str, Any]) -> list[str]:
    """The rule ids of a screening's critical flags: what a practitioner must name to clear or modify treatment."""
    return sorted({flag["rule_id"] for flag in screening.get("flags", []) if flag.get("severity") == "critical"})


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


def to_view(item: dict[str, Any], today: date) -> dict[str, Any]:
    """GET /intakes/{id}: the record plus what the console's header shows first (name, age, phone, email)."""
    record = to_record(item)
    patient = record.get("answers", {}).get("patient", {})
    birth = patient.get("date_of_birth")
    return record | {
        "patient_name": _s(item, "patient_name"),
        "age": age_on(date.fromisoformat(birth), today) if birth else None,
        "phone": patient.get("phone"),
        "email": patient.get("email"),
        "highest_severity": _s(item, "highest_severity"),
        "appointment_starts_at": _s(item, "appointment_starts_at"),
        "critical_rule_ids": critical_rule_ids(record["screening"]),
    }


def to_summary(item: dict[str, Any]) -> dict[str, Any]:
    """A list entry (queue, day, patient; what the indexes project): ids, times, severity, name, latest decision."""
    return {
        "id": item["id"]["S"],
        "status": item["status"]["S"],
        "version": int(item["version"]["N"]),
        "received_at": item["received_at"]["S"],
        "appointment_starts_at": _s(item, "appointment_starts_at"),
        "highest_severity": _s(item, "highest_severity"),
        "categories": [c["S"] for c in item.get("categories", {}).get("L", [])],
        "patient_name": _s(item, "patient_name"),
        "decision": _decision(item),
    }
