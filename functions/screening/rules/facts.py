"""What the rules read: one validated form, the patient's age on the submission date, the recognised medicines,
the STarT Back score, and which inputs differ from the all-"no" form, so the engine can skip rules that cannot fire.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from operator import attrgetter
from typing import Any

from screening.contract.intake import IntakeForm
from screening.contract.screening import Evidence, StartBackScore
from screening.rules.medicines import MedicineGroup, MedicineMatch, match_medicines
from screening.rules.start_back import score_start_back

START_BACK_INPUT = "start_back"
"""Input key of the STarT Back answers; the others are the `safety` / `red_flags` field names and medicine groups."""


def age_on(birth: date, day: date) -> int:
    """Completed years on `day`; someone born on 29 February turns a year older on 1 March in other years."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(slots=True)
class Facts:
    """Computed once per screening, so rules share the age, the medicine matches and the STarT Back score."""

    form: IntakeForm
    today: date
    age: int
    medicines: dict[MedicineGroup, list[MedicineMatch]]
    start_back: StartBackScore | None
    active: set[str]
    """Input keys whose value differs from the all-"no" form (a rule reading none of them cannot fire)."""

    @classmethod
    def of(cls, form: IntakeForm, today: date) -> Facts:
        # The all-"no" values: "no", not given (None), an empty list.
        active = {k for k, v in form.safety.__dict__.items() if v != "no" and v is not None and v != []}
        active.update(k for k, v in form.red_flags.__dict__.items() if v != "no")
        medicines: dict[MedicineGroup, list[MedicineMatch]] = {}
        if form.medications:
            for match in match_medicines(form.medications):
                medicines.setdefault(match.group, []).append(match)
            active.update(medicines)
        start_back = None
        if form.start_back is not None:
            start_back = score_start_back(form.start_back)
            active.add(START_BACK_INPUT)
        return cls(form, today, age_on(form.patient.date_of_birth, today), medicines, start_back, active)

    def listed(self, *groups: MedicineGroup) -> list[MedicineMatch]:
        """Recognised medicines of these groups, in list order within each group."""
        return [match for group in groups for match in self.medicines.get(group, ())]


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


def age_evidence(facts: Facts) -> Evidence:
    """The date of birth, with the age on the submission date that a rule turned on."""
    birth = facts.form.patient.date_of_birth.isoformat()
    return Evidence(field="patient.date_of_birth", value=birth, note=f"age {facts.age} on {facts.today.isoformat()}")


def medicine_evidence(matches: Sequence[MedicineMatch], note: str | None = None) -> list[Evidence]:
    """Each medicine as written, with the drug it was recognised as and its ATC class."""
    return [
        Evidence(
            field=f"medications[{m.index}].name", value=m.text, matched_drug=m.drug, atc_class=m.atc_class, note=note
        )
        for m in matches
    ]
