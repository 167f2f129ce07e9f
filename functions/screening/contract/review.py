"""Request and response models of the practitioner review API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Decision = Literal["cleared", "treat_with_modifications", "refer_to_doctor", "declined"]
QueueStatus = Literal["pending", "reviewed"]
IntakeStatus = Literal["needs_review", "clear", "reviewed"]

MAX_PAGE_SIZE = 100


class ReviewRequest(BaseModel):
    """POST /intakes/{id}/review body; `expected_version` makes the decision an optimistic, lost-update-free write."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True, frozen=True)

    decision: Decision
    note: Annotated[str, Field(max_length=2000)] = ""
    expected_version: Annotated[int, Field(ge=1)]


class HistoryEntry(BaseModel):
    """`by` is the practitioner's immutable subject; `by_name` a name to show beside it (absent on old entries)."""

    decision: Decision
    note: str
    by: str
    by_name: str | None = None
    at: str
    request_token: str | None = None


class IntakeRecord(BaseModel):
    """GET /intakes/{id}: the stored intake as a practitioner sees it (`answers` absent for clear receipts)."""

    id: str
    status: IntakeStatus
    version: int
    received_at: str
    screening: dict[str, Any]
    answers: dict[str, Any] | None = None
    history: list[HistoryEntry] = []


class QueueItem(BaseModel):
    id: str
    status: IntakeStatus
    version: int
    received_at: str
    appointment_starts_at: str | None
    highest_severity: str | None
    categories: list[str]
    patient_name: str | None


class QueuePage(BaseModel):
    items: list[QueueItem]
    next_cursor: str | None


class ConflictBody(BaseModel):
    message: str
    current: IntakeRecord
