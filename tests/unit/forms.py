"""Forms for the rules tests: an all-"no" adult base form, a deep-merge helper to make variants, and readers; and
medicine readings made by hand, to test the rules against the reader's interface whatever the reader recognises
(`reading_of` makes a form's medication list read as a given reading for one test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Literal

import pytest

from screening.contract.intake import Answer, IntakeForm, RedFlags, Safety
from screening.contract.screening import Flag, Screening
from screening.rules import facts, screen
from screening.rules.medicines import ClassWord, MedicationReading, MedicineGroup, MedicineMatch
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


Field = Literal["name", "dose"]

DRUGS: dict[str, tuple[str, MedicineGroup]] = {
    "warfarin": ("B01AA03", "antithrombotic"),
    "heparin": ("B01AB01", "antithrombotic"),
    "aspirin": ("B01AC06", "antithrombotic"),
    "clopidogrel": ("B01AC04", "antithrombotic"),
    "dipyridamole": ("B01AC07", "antithrombotic"),
    "dabigatran": ("B01AE07", "antithrombotic"),
    "apixaban": ("B01AF02", "antithrombotic"),
    "fondaparinux": ("B01AX05", "antithrombotic"),
    "ibuprofen": ("M01AE01", "nsaid"),
    "sertraline": ("N06AB06", "ssri"),
    "ginkgo": ("N06DX02", "herbal_bleeding"),
    "methotrexate": ("L04AX03", "immunosuppressant"),
    "adalimumab": ("L04AB04", "immunosuppressant"),
    "oxaliplatin": ("L01XA03", "antineoplastic"),
    "prednisolone": ("H02AB06", "systemic_corticosteroid"),
    "tamoxifen": ("L02BA01", "hormonal_cancer"),
    "letrozole": ("L02BG04", "hormonal_cancer"),
}
"""Real substances with their WHO ATC codes."""


def drug(name: str, index: int = 0, field: Field = "name") -> MedicineMatch:
    atc_code, group = DRUGS[name]
    return MedicineMatch(index, field, name, atc_code, atc_code[:5], group)


def word(group: MedicineGroup, text: str, index: int = 0, field: Field = "name") -> ClassWord:
    return ClassWord(index, field, group, text)


def reading(
    current: tuple[MedicineMatch, ...] = (),
    past: tuple[MedicineMatch, ...] = (),
    class_words: tuple[ClassWord, ...] = (),
    allergy_lines: tuple[int, ...] = (),
    incomplete: bool = False,
) -> MedicationReading:
    return MedicationReading(current, past, class_words, allergy_lines, incomplete)


def lines(result: MedicationReading) -> int:
    """How many medication lines a form needs for the reading to point inside it."""
    indexes = [m.index for m in (*result.current, *result.past)]
    indexes += [w.index for w in result.class_words] + list(result.allergy_lines)
    return max(indexes, default=0) + 1


@contextmanager
def reading_of(monkeypatch: pytest.MonkeyPatch, result: MedicationReading) -> Iterator[dict[str, object]]:
    """Within the block, any medication list reads as `result`; yields the form changes with enough lines."""
    with monkeypatch.context() as patch:
        patch.setattr(facts, "read_medications", lambda _: result)
        yield {"medications": [{"name": f"line {i}"} for i in range(lines(result))]}
