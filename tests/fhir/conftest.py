"""Records shaped as the store returns them, screened by the real engine, for the FHIR mapping tests."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from screening.contract.intake import IntakeForm
from screening.rules.engine import screen

RECEIVED = "2026-11-30T10:00:00.000Z"
SCREENED_ON = date(2026, 11, 30)


def stored_record(form: dict[str, Any], history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Validate and screen `form` as POST /intakes does and return the record GET /intakes/{id} would."""
    validated = IntakeForm.model_validate_json(json.dumps(form), context={"today": SCREENED_ON})
    screening = screen(validated, SCREENED_ON)
    return {
        "id": "7069d436-1111-4222-8333-944455556666",
        "status": "reviewed" if history else screening.status,
        "version": 1 + len(history or []),
        "received_at": RECEIVED,
        "screening": json.loads(screening.model_dump_json()),
        "answers": json.loads(validated.model_dump_json(exclude_none=True)),
        "history": history or [],
    }
