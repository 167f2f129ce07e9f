"""The screening result: what the rules engine returns and what a practitioner reviews.

Severity maps to FHIR DetectedIssue severity (high / moderate / low) and to CDS Hooks card indicators
(critical / warning / info).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """1 is the most urgent; used to order flags and the review queue."""
        return _RANK[self]


_RANK = {Severity.CRITICAL: 1, Severity.WARNING: 2, Severity.INFO: 3}


class Category(StrEnum):
    BLEEDING = "bleeding"
    PREGNANCY = "pregnancy"
    IMMUNOCOMPROMISE = "immunocompromise"
    IMPLANTED_DEVICE = "implanted_device"
    SEIZURE = "seizure"
    CARDIAC_VALVE = "cardiac_valve"
    METAL_ALLERGY = "metal_allergy"
    LYMPHOEDEMA = "lymphoedema"
    SKIN = "skin"
    VASOVAGAL = "vasovagal"
    MINOR_CONSENT = "minor_consent"
    RED_FLAG_CAUDA_EQUINA = "red_flag_cauda_equina"
    RED_FLAG_NEUROLOGICAL_DEFICIT = "red_flag_neurological_deficit"
    RED_FLAG_INFECTION = "red_flag_infection"
    RED_FLAG_MALIGNANCY = "red_flag_malignancy"
    RED_FLAG_FRACTURE = "red_flag_fracture"
    PSYCHOSOCIAL_RISK = "psychosocial_risk"
    MEDICATION_LIST = "medication_list"
    """What the practitioner must read in the medication list by hand: allergies written there, a list too long to
    read fully (catalog 2026.12)."""


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Evidence and Flag are plain dataclasses rather than models: the rules engine builds a dozen of them per screening
# from trusted values, and validating each would cost more than the screening itself. Pydantic still checks and
# serialises them as part of Screening.


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One answer that triggered a flag: where it is in the form and, for closed-list answers, what it was.

    Evidence is compact and never copies what the patient wrote: `field` points at the answer (a contract path,
    with an index into a list: `medications[3].dose`) and `value` holds only closed-list answers and small numbers,
    None for free text, dates and names; the console shows the text by reading the stored answers at `field`.
    For a medicine, `matched_drug`, `atc_code` and `atc_class` say what it was recognised as. `note` says why this
    answer matters where that is not obvious (e.g. an answer that contradicts the medication list).
    """

    field: str
    value: str | int | bool | None
    matched_drug: str | None = None
    atc_code: str | None = None
    atc_class: str | None = None
    note: str | None = None


@dataclass(slots=True, kw_only=True)
class Flag:
    """One fired rule. Not frozen, unlike Evidence (which is built once and shared): each screening builds its own
    flags, and a frozen dataclass costs three times as much to build."""

    rule_id: str
    category: Category
    severity: Severity
    title: str
    action: str
    evidence: list[Evidence]
    source: str


RiskGroup = Literal["low", "medium", "high"]


class StartBackScore(_Result):
    total: int
    psychosocial: int
    risk: RiskGroup


ScreeningStatus = Literal["needs_review", "clear"]


class Screening(_Result):
    catalog_version: str
    screened_on: date
    status: ScreeningStatus
    highest_severity: Severity | None
    flags: list[Flag]
    start_back: StartBackScore | None = None
    patient_advice: str | None = None

    @property
    def categories(self) -> list[str]:
        """Distinct flag categories, most severe first (for queue items and alerts, which carry no answers)."""
        seen: dict[str, None] = {}
        for flag in sorted(self.flags, key=lambda f: f.severity.rank):
            seen.setdefault(flag.category.value, None)
        return list(seen)
