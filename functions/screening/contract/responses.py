"""Response bodies both functions share: the intake receipt and the error shape.

Kept apart from the review models so the public function's cold start builds only what it answers with.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class IntakeAccepted(BaseModel):
    """POST /intakes response: `patient_advice` is set only when an answer points to an emergency."""

    id: str
    status: Literal["received"] = "received"
    patient_advice: str | None


class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """`errors` lists at most 20 fields; `patient_advice` is set on a failed submission whose answers point to an
    emergency, since nothing stored must never mean nothing said."""

    message: str
    errors: list[FieldError] | None = None
    patient_advice: str | None = None
