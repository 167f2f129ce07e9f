"""INTERIM (CAT, removed when MED's `read_medications` lands in medicines.py): the reader interface of
rules-shared.md built on today's `match_medicines`, so the catalog can be coded against it meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from screening.contract.intake import Medication
from screening.rules.medicines import match_medicines

MedicineGroup = Literal[
    "antithrombotic",
    "immunosuppressant",
    "antineoplastic",
    "systemic_corticosteroid",
    "hormonal_cancer",
    "nsaid",
    "ssri",
    "herbal_bleeding",
]


@dataclass(frozen=True, slots=True)
class MedicineMatch:
    index: int
    field: Literal["name", "dose"]
    drug: str
    atc_code: str
    atc_class: str
    group: MedicineGroup


@dataclass(frozen=True, slots=True)
class ClassWord:
    index: int
    field: Literal["name", "dose"]
    group: MedicineGroup
    word: str


@dataclass(frozen=True, slots=True)
class MedicationReading:
    current: tuple[MedicineMatch, ...]
    past: tuple[MedicineMatch, ...]
    class_words: tuple[ClassWord, ...]
    allergy_lines: tuple[int, ...]
    incomplete: bool


def read_medications(medications: Sequence[Medication]) -> MedicationReading:
    current = tuple(
        MedicineMatch(m.index, "name", m.drug, m.atc_code, m.atc_class, m.group) for m in match_medicines(medications)
    )
    return MedicationReading(current, (), (), (), False)
