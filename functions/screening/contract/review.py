"""Request and response models of the practitioner and clinic-admin APIs, and the rules a decision must follow."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Decision = Literal["cleared", "treat_with_modifications", "refer_to_doctor", "declined"]
QueueStatus = Literal["pending", "reviewed"]
IntakeStatus = Literal["needs_review", "clear", "reviewed"]

MAX_PAGE_SIZE = 100
_STRICT = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True, frozen=True)


class ReviewRequest(BaseModel):
    """POST /intakes/{id}/review body; `expected_version` makes the decision an optimistic, lost-update-free write.

    `confirmed_critical` is the practitioner's explicit confirmation, naming every critical flag's rule id, that they
    clear (or modify treatment of) an intake with critical flags: see `decision_rule_errors`.
    """

    model_config = _STRICT

    decision: Decision
    note: Annotated[str, Field(max_length=2000)] = ""
    expected_version: Annotated[int, Field(ge=1)]
    confirmed_critical: Annotated[list[Annotated[str, Field(max_length=80)]], Field(max_length=50)] = []


_PROCEED = ("cleared", "treat_with_modifications")


def decision_rule_errors(
    request: ReviewRequest, critical_rule_ids: list[str], previous_decision: str | None
) -> list[dict[str, str]]:
    """What the decision lacks, one error per rule broken (each names its field and rule); empty when it may stand.

    - on an intake with a critical flag, proceeding ("cleared", "treat_with_modifications") needs a note and
      `confirmed_critical` equal to exactly the critical rule ids (no more, no fewer);
    - "treat_with_modifications" always needs the note that says what the modifications are;
    - any decision after "refer_to_doctor" needs a note saying what changed (e.g. the doctor's clearance).
    A confirmation given when none is asked for must still name exactly the critical flags (none, on a
    non-critical intake): a mismatched confirmation means the practitioner was looking at something else.
    """
    errors: list[dict[str, str]] = []
    note_missing = not request.note
    critical = bool(critical_rule_ids)
    if critical and request.decision in _PROCEED and note_missing:
        errors.append(
            _error("note", "an intake with a critical flag needs a note to proceed", "critical_requires_note")
        )
    elif request.decision == "treat_with_modifications" and note_missing:
        errors.append(_error("note", "say which modifications in the note", "modifications_require_note"))
    elif previous_decision == "refer_to_doctor" and note_missing:
        errors.append(
            _error(
                "note",
                "say what changed since the referral (e.g. the doctor's clearance)",
                "change_after_referral_requires_note",
            )
        )
    confirmation_needed = critical and request.decision in _PROCEED
    if (confirmation_needed or request.confirmed_critical) and sorted(request.confirmed_critical) != critical_rule_ids:
        errors.append(
            _error(
                "confirmed_critical",
                f"confirm exactly the critical flags: {', '.join(critical_rule_ids) or 'none'}",
                "critical_requires_confirmation",
            )
        )
    return errors


def _error(field: str, message: str, rule: str) -> dict[str, str]:
    return {"field": field, "message": message, "rule": rule}


class PatientSearch(BaseModel):
    """POST /patients/search body: the name travels in the body, never in a URL or an access log."""

    model_config = _STRICT

    family_name: Annotated[str, Field(min_length=1, max_length=100)]
    date_of_birth: date
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 25
    cursor: Annotated[str, Field(max_length=512)] | None = None


class ErasureRequest(BaseModel):
    """DELETE /intakes/{id} body: why the intake is erased (kept on the tombstone; say the request, not the data)."""

    model_config = _STRICT

    reason: Annotated[str, Field(min_length=1, max_length=500)]


class HistoryEntry(BaseModel):
    """`by` is the practitioner's immutable subject; `by_name` a name to show beside it (absent on old entries)."""

    decision: Decision
    note: str
    by: str
    by_name: str | None = None
    at: str
    request_token: str | None = None


class IntakeRecord(BaseModel):
    """The stored intake as a practitioner sees it; `answers` absent only for clear receipts stored before v2."""

    id: str
    status: IntakeStatus
    version: int
    received_at: str
    screening: dict[str, Any]
    answers: dict[str, Any] | None = None
    history: list[HistoryEntry] = []


class LatestDecision(BaseModel):
    decision: Decision
    by_name: str | None
    at: str | None


class IntakeSummary(BaseModel):
    """One row of a list (review queue, day, patient search): what the index projects, never an answer."""

    id: str
    status: IntakeStatus
    version: int
    received_at: str
    appointment_starts_at: str | None
    highest_severity: str | None
    categories: list[str]
    patient_name: str | None
    decision: LatestDecision | None


class LinkedIntake(IntakeSummary):
    same_patient: bool
    """The given name matches too (family name and birth date always do): a repeated submission, not a twin."""


class IntakeView(IntakeRecord):
    """GET /intakes/{id}: the record, the header facts (age in the clinic's time zone), and the same patient's
    other intakes."""

    patient_name: str | None
    age: int | None
    phone: str | None
    email: str | None
    highest_severity: str | None
    appointment_starts_at: str | None
    critical_rule_ids: list[str]
    other_intakes: list[LinkedIntake]


class QueuePage(BaseModel):
    items: list[IntakeSummary]
    next_cursor: str | None


class DayCounts(BaseModel):
    forms_in: int
    waiting_for_review: int
    critical: int
    reviewed: int


class DayPage(BaseModel):
    date: str
    today: str
    time_zone: str
    counts: DayCounts
    """Counted over this page's items; a day's page holds up to 100 intakes."""
    items: list[IntakeSummary]
    next_cursor: str | None


class AuditTrailEntry(BaseModel):
    at: str
    action: str
    outcome: str
    actor_sub: str
    actor_name: str
    request_id: str


class AuditTrail(BaseModel):
    intake_id: str
    items: list[AuditTrailEntry]
    next_cursor: str | None


class Tombstone(BaseModel):
    id: str
    status: Literal["erased"]
    version: int
    erased_at: str
    erased_by: str
    erased_by_name: str
    reason: str


class ConflictBody(BaseModel):
    message: str
    current: IntakeRecord
