"""What the rules read: one validated form, the patient's age on the submission date, the recognised medicines,
the STarT Back score, and which inputs differ from the all-"no" form, so the engine can skip rules that cannot fire.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any

from screening.contract.intake import IntakeForm
from screening.contract.screening import Evidence, StartBackScore
from screening.rules.medicines import (
    ClassWord,
    MedicationReading,
    MedicineGroup,
    MedicineMatch,
    line,
    read_medications,
)
from screening.rules.start_back import score_start_back

START_BACK_INPUT = "start_back"
"""Input key of the STarT Back answers; the others are the `safety` / `red_flags` field names and medicine groups."""
PAST_MEDICINES = "past_medicines"
CLASS_WORDS = "class_words"
MEDICATION_ALLERGIES = "medication_allergies"
LIST_INCOMPLETE = "medication_list_incomplete"
MEDICATION_INPUTS = (PAST_MEDICINES, CLASS_WORDS, MEDICATION_ALLERGIES, LIST_INCOMPLETE)
"""Input keys of what the medicine reader found besides current medicines."""
MINOR = "minor"
OLDER_WITH_NEW_PAIN = "older_with_new_pain"
AGE_INPUTS = (MINOR, OLDER_WITH_NEW_PAIN)
"""Input keys derived from the age on the submission date: under 18; 50 or over with back pain of under 6 weeks."""
ADULT_AGE = 18
OLDER_AGE = 50
NEW_PAIN_WEEKS = 6


def age_on(birth: date, day: date) -> int:
    """Completed years on `day`; someone born on 29 February turns a year older on 1 March in other years."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(slots=True)
class Facts:
    """Computed once per screening, so rules share the age, the medicine reading and the STarT Back score."""

    form: IntakeForm
    today: date
    age: int
    medicines: dict[MedicineGroup, list[MedicineMatch]]
    """Medicines taken now, by group, in list order."""
    start_back: StartBackScore | None
    active: set[str]
    """Input keys whose value differs from the all-"no" form (a rule reading none of them cannot fire)."""
    past: tuple[MedicineMatch, ...] = ()
    """Medicines the list says were stopped: shown, never counted."""
    class_words: dict[MedicineGroup, list[ClassWord]] = field(default_factory=dict)
    """Class words ("blood thinner", "chemo") written instead of a name, by group."""
    allergy_lines: tuple[int, ...] = ()
    """Lines of the list that name an allergy or intolerance rather than a medicine taken."""
    list_incomplete: bool = False
    """The reader's bounded misspelling search was cut short: the list was not read fully."""
    _shown: dict[tuple[MedicineGroup, ...], list[Evidence]] = field(default_factory=dict, repr=False)
    """Evidence of the current medicines by groups, built once per screening although several rules show it."""

    @classmethod
    def of(cls, form: IntakeForm, today: date) -> Facts:
        # The all-"no" values: "no", not given (None), an empty list.
        active = {k for k, v in form.safety.__dict__.items() if v != "no" and v is not None and v != []}
        active.update(k for k, v in form.red_flags.__dict__.items() if v != "no")
        start_back = None
        if form.start_back is not None:
            start_back = score_start_back(form.start_back)
            active.add(START_BACK_INPUT)
        age = age_on(form.patient.date_of_birth, today)
        if age < ADULT_AGE:
            active.add(MINOR)
        elif age >= OLDER_AGE and form.back_pain.duration_weeks < NEW_PAIN_WEEKS:
            active.add(OLDER_WITH_NEW_PAIN)
        facts = cls(form, today, age, {}, start_back, active)
        if form.medications:
            facts._read(read_medications(form.medications))
        return facts

    def _read(self, reading: MedicationReading) -> None:
        active = self.active
        for match in reading.current:
            self.medicines.setdefault(match.group, []).append(match)
        active.update(self.medicines)
        if reading.class_words:
            for word in reading.class_words:
                self.class_words.setdefault(word.group, []).append(word)
            active.add(CLASS_WORDS)
        if reading.past:
            self.past = reading.past
            active.add(PAST_MEDICINES)
        if reading.allergy_lines:
            self.allergy_lines = reading.allergy_lines
            active.add(MEDICATION_ALLERGIES)
        if reading.incomplete:
            self.list_incomplete = True
            active.add(LIST_INCOMPLETE)

    def listed(self, *groups: MedicineGroup) -> list[MedicineMatch]:
        """Current medicines of these groups, in list order within each group."""
        return [match for group in groups for match in self.medicines.get(group, ())]

    def shown(self, *groups: MedicineGroup) -> list[Evidence]:
        """`medicine_evidence` of the current medicines of these groups (a shared list: copy before changing it)."""
        found = self._shown.get(groups)
        if found is None:
            found = self._shown[groups] = medicine_evidence(self.listed(*groups))
        return found

    def written(self, *groups: MedicineGroup) -> list[ClassWord]:
        """Class words of these groups, in list order within each group."""
        return [word for group in groups for word in self.class_words.get(group, ())]


@dataclass(frozen=True, slots=True)
class Question:
    """One form field addressed by its contract path ("safety.blood_thinners"), read without per-call parsing."""

    path: str
    _get: Callable[[IntakeForm], Any] = field(init=False, repr=False, compare=False)
    _evidence: dict[tuple[Any, str | None], Evidence] = field(init=False, repr=False, compare=False)
    """Evidence is immutable and these answers come from closed lists or small ranges: build each one once."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_get", attrgetter(self.path))
        object.__setattr__(self, "_evidence", {})

    @property
    def input(self) -> str:
        """The input key rules declare they read: the field name."""
        return self.path.rpartition(".")[2]

    def __call__(self, facts: Facts) -> Any:
        return self._get(facts.form)

    def evidence(self, facts: Facts, note: str | None = None) -> Evidence:
        """The answer as evidence, noted. Only for closed-list and small numeric fields, never free text."""
        key = (self._get(facts.form), note)
        found = self._evidence.get(key)
        if found is None:
            found = self._evidence[key] = Evidence(field=self.path, value=key[0], note=note)
        return found


@cache
def item_evidence(path: str, index: int, value: str) -> Evidence:
    """One entry of a closed-list answer (e.g. `safety.immune_details[1]`); few enough to build each once."""
    return Evidence(field=f"{path}[{index}]", value=value)


@cache
def pointer(path: str, note: str | None = None) -> Evidence:
    """Evidence pointing at a free-text or personal answer without copying it (the console reads it there)."""
    return Evidence(field=path, value=None, note=note)


def age_evidence(facts: Facts) -> Evidence:
    """The date of birth (pointed at, not copied), with the age on the submission date that a rule turned on."""
    return pointer("patient.date_of_birth", f"age {facts.age} on {facts.today.isoformat()}")


MAX_MEDICINE_EVIDENCE = 20
"""Medicines shown per flag; a list naming more (50 lines of drug names) gets one closing entry with the count, so
a stored screening stays small whatever the list (security review 2026-12, row 4)."""


def medicine_evidence(matches: Sequence[MedicineMatch], note: str | None = None) -> list[Evidence]:
    """Each recognised medicine once per line, pointing at where it was written, with the drug and its ATC code;
    beyond MAX_MEDICINE_EVIDENCE, one entry counting the others."""
    evidence: dict[tuple[int, str], Evidence] = {}
    for m in matches:
        key = (m.index, m.drug)
        if key not in evidence:
            evidence[key] = m.evidence if note is None else _noted_entry(m, note)
    shown = list(evidence.values())
    if len(shown) <= MAX_MEDICINE_EVIDENCE:
        return shown
    hidden = len(shown) - MAX_MEDICINE_EVIDENCE
    return [*shown[:MAX_MEDICINE_EVIDENCE], pointer("medications", f"{hidden} more not shown: read the whole list")]


@lru_cache(maxsize=4096)
def _noted_entry(match: MedicineMatch, note: str) -> Evidence:
    """A match's evidence with a note; Evidence is immutable and a warm function sees the same matches again and
    again: build each one once (bounded, since the line positions, drugs and notes are few)."""
    return replace(match.evidence, note=note)


def class_word_evidence(words: Sequence[ClassWord]) -> list[Evidence]:
    """Each class word, pointing at its line, noted with the canonical class word so the practitioner asks."""
    return [
        pointer(line(w.index, w.field), f"class word '{w.word}' instead of a name: ask which medicine") for w in words
    ]
