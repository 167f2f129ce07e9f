"""Forms for the rules tests: an all-"no" adult base form, a deep-merge helper to make variants, and readers."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from screening.contract.intake import Answer, IntakeForm, RedFlags, Safety
from screening.contract.screening import Flag, Screening
from screening.rules import screen
from tests.support import merge

TODAY = date(2026, 11, 24)
"""The submission date every rules test screens on."""

SAFETY_FIELDS = tuple(name for name, info in Safety.model_fields.items() if info.annotation == Answer)
"""The yes / no / unsure safety questions (pregnancy and diabetes have answers of their own)."""
RED_FLAG_FIELDS = tuple(RedFlags.model_fields)


def base_form() -> dict[str, Any]:
    """A 41-year-old with 10 weeks of back pain who answered "no" to everything: screens clear."""
    return {
        "form_version": "1",
        "patient": {"given_name": "Test", "family_name": "Patient", "date_of_birth": "1985-04-12"},
        "consent": {"privacy_notice_accepted": True, "treatment_consent": True},
        "back_pain": {"duration_weeks": 10, "pain_score": 5, "areas": ["lower_back"]},
        "safety": {**dict.fromkeys(SAFETY_FIELDS, "no"), "pregnant": "no", "diabetes": "no"},
        "red_flags": dict.fromkeys(RED_FLAG_FIELDS, "no"),
    }


def make_form(changes: dict[str, Any] | None = None, today: date = TODAY) -> IntakeForm:
    """The base form with `changes`, validated exactly as the API does (JSON, strict, on `today`)."""
    body = json.dumps(merge(base_form(), changes or {}))
    return IntakeForm.model_validate_json(body, context={"today": today})


def screened(changes: dict[str, Any] | None = None, today: date = TODAY) -> Screening:
    return screen(make_form(changes, today), today)


def safety(**answers: Any) -> dict[str, Any]:
    return {"safety": answers}


def red_flags(**answers: Any) -> dict[str, Any]:
    return {"red_flags": answers}


def medications(*names: str) -> dict[str, Any]:
    return {"medications": [{"name": name} for name in names]}


def born(years: int, days: int = 0, today: date = TODAY) -> dict[str, Any]:
    """A birth date `years` before `today`, moved `days` later: days=1 puts the birthday tomorrow (one year younger)."""
    birthday = today.replace(year=today.year - years)
    return {"patient": {"date_of_birth": date.fromordinal(birthday.toordinal() + days).isoformat()}}


def found(screening: Screening) -> set[tuple[str, str]]:
    """The (category, severity) pairs the screening raised."""
    return {(flag.category.value, flag.severity.value) for flag in screening.flags}


def rule_ids(screening: Screening) -> list[str]:
    return [flag.rule_id for flag in screening.flags]


def flag(screening: Screening, rule_id: str) -> Flag:
    """The flag of `rule_id`; fails the test when the rule did not fire."""
    matches = [f for f in screening.flags if f.rule_id == rule_id]
    assert matches, f"{rule_id} did not fire; fired: {rule_ids(screening)}"
    return matches[0]


def evidence(screening: Screening, rule_id: str) -> dict[str, Any]:
    """The flag's evidence as {field: value}."""
    return {e.field: e.value for e in flag(screening, rule_id).evidence}
