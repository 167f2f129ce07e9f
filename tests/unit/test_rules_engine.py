"""The engine: status, ordering, highest severity, patient advice, determinism, purity, and that skipping rules
whose inputs all hold their all-"no" value never changes a screening."""

from __future__ import annotations

import random
import subprocess
import sys
from typing import Any

import pytest

from screening.contract.intake import StartBack
from screening.rules import screen
from screening.rules.advice import MESSAGES
from screening.rules.catalog import CATALOG, CATALOG_VERSION
from screening.rules.engine import candidates, evaluate
from screening.rules.facts import Facts
from screening.rules.medicines import MedicationReading
from tests.unit.forms import (
    DRUGS,
    RED_FLAG_FIELDS,
    SAFETY_FIELDS,
    TODAY,
    born,
    drug,
    make_form,
    merge,
    reading,
    reading_of,
    red_flags,
    rule_ids,
    safety,
    screened,
    word,
)


def test_the_all_no_form_is_clear() -> None:
    result = screened()
    assert (result.status, result.highest_severity, result.flags, result.patient_advice) == ("clear", None, [], None)
    assert (result.catalog_version, result.screened_on) == (CATALOG_VERSION, TODAY)


def test_info_flags_alone_keep_the_form_clear() -> None:
    result = screened(red_flags(night_pain="yes"))
    assert (result.status, result.highest_severity) == ("clear", "info")


def test_one_warning_needs_review() -> None:
    result = screened(safety(metal_allergy="yes"))
    assert (result.status, result.highest_severity) == ("needs_review", "warning")


def test_flags_are_ordered_most_severe_first_then_in_catalog_order() -> None:
    result = screened(
        merge(
            safety(metal_allergy="yes", epilepsy="yes", bleeding_disorder="yes"),
            red_flags(night_pain="yes", recent_serious_injury="yes"),
        )
    )
    assert rule_ids(result) == [
        "bleeding.disorder",
        "red_flag_fracture.recent_injury",
        "seizure.epilepsy",
        "metal_allergy.reported",
        "red_flag_malignancy.night_pain",
    ]
    assert result.highest_severity == "critical"
    catalog_order = [rule.rule_id for rule in CATALOG]
    for severity in ("critical", "warning", "info"):
        ids = [f.rule_id for f in result.flags if f.severity == severity]
        assert ids == sorted(ids, key=catalog_order.index)


def test_patient_advice_joins_every_emergency_once_in_flag_order() -> None:
    result = screened(
        red_flags(saddle_numbness="yes", worsening_leg_weakness="yes", fever_or_unwell="yes", injects_drugs="yes")
    )
    en = MESSAGES["en"]
    assert result.patient_advice == " ".join(
        [
            en.opening,
            en.emergencies["cauda_equina"],
            en.emergencies["worsening_weakness"],
            en.emergencies["spinal_infection"],
            en.closing_local,
        ]
    )


def test_no_advice_for_critical_flags_that_are_not_emergencies() -> None:
    result = screened(merge(safety(bleeding_disorder="yes"), red_flags(recent_serious_injury="yes")))
    assert result.highest_severity == "critical"
    assert result.patient_advice is None


def test_screening_is_deterministic_and_serialisable() -> None:
    changes = merge(safety(pregnant="yes", pregnancy_weeks=30, epilepsy="unsure"), red_flags(fever_or_unwell="yes"))
    first, second = screened(changes), screened(changes)
    assert first == second
    assert first.model_dump(mode="json") == second.model_dump(mode="json")


def test_the_form_is_not_changed_by_screening() -> None:
    form = make_form(merge(safety(immune_condition="yes"), {"medications": [{"name": "Eliquis 5 mg"}]}))
    before = form.model_dump()
    assert screen(form, TODAY) == screen(form, TODAY)
    assert form.model_dump() == before


def test_importing_the_engine_loads_no_aws_sdk() -> None:
    code = (
        "import sys, screening.rules; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'boto3', 'botocore', 'aws_lambda_powertools'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="functions")
    assert out.stdout.strip() == "[]"


MEDICINES = [
    "Eliquis 5mg",
    "warfarin",
    "baby aspirin",
    "clopidogrel 75 mg",
    "methotrexate weekly",
    "prednisolone 5mg",
    "Humira",
    "ibuprofen",
    "sertraline",
    "paracetamol",
    "vitamin D",
    "capecitabine",
]


def random_form(rng: random.Random) -> dict[str, Any]:
    """A random valid form: mostly "no", with yes/unsure, details, medicines, ages and STarT Back mixed in."""

    def answer() -> str:
        return rng.choices(["no", "yes", "unsure"], weights=[6, 2, 2])[0]

    changes: dict[str, Any] = {
        "safety": {field: answer() for field in SAFETY_FIELDS},
        "red_flags": {field: answer() for field in RED_FLAG_FIELDS},
        "patient": {"date_of_birth": f"{rng.randint(1930, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"},
        "back_pain": {"duration_weeks": rng.choice([0, 3, 5, 6, 12, 100])},
        "medications": [{"name": name} for name in rng.sample(MEDICINES, rng.choice([0, 0, 1, 2, 3]))],
    }
    changes["safety"]["pregnant"] = rng.choice(["no", "yes", "unsure", "not_applicable"])
    changes["safety"]["diabetes"] = rng.choice(["no", "controlled", "uncontrolled", "unsure"])
    if rng.random() < 0.3:
        changes["safety"]["pregnancy_weeks"] = rng.randint(0, 42)
    if rng.random() < 0.3:
        changes["safety"]["immune_details"] = rng.sample(["chemotherapy", "long_term_steroids", "hiv", "other"], 2)
    if rng.random() < 0.2:
        changes["safety"]["implant_details"] = ["pacemaker"]
    if rng.random() < 0.3:
        changes["consent"] = {"guardian_name": rng.choice(["Guardian", "n/a", "Test Patient"])}
        if rng.random() < 0.3:
            changes["consent"]["guardian_confirmed"] = rng.random() < 0.5
    if rng.random() < 0.4:
        items = [name for name in StartBack.model_fields if name != "bothersomeness"]
        changes["start_back"] = {item: rng.random() < 0.5 for item in items}
        changes["start_back"]["bothersomeness"] = rng.choice(["slightly", "very_much", "extremely"])
    return changes


def random_reading(rng: random.Random) -> MedicationReading:
    """A random reading of up to five lines: current and past substances, class words, allergy lines, and now and
    then a list the reader could not finish."""
    names = sorted(DRUGS)

    def some() -> tuple[Any, ...]:
        return tuple(drug(rng.choice(names), rng.randrange(5)) for _ in range(rng.choice([0, 0, 1, 2, 3])))

    words = [
        ("antithrombotic", "blood thinner"),
        ("antineoplastic", "chemotherapy"),
        ("nsaid", "nsaid"),
        ("hormonal_cancer", "hormone therapy for cancer"),
    ]
    class_words = tuple(word(*rng.choice(words), rng.randrange(5)) for _ in range(rng.choice([0, 0, 0, 1])))
    allergies = tuple(rng.sample(range(5), rng.choice([0, 0, 0, 1])))
    return reading(some(), some(), class_words, allergies, rng.random() < 0.05)


def test_skipping_rules_with_all_no_inputs_never_changes_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20261124)
    fired_somewhere: set[str] = set()
    for n in range(1500):
        changes = random_form(rng)
        if n % 2:
            with reading_of(monkeypatch, random_reading(rng)) as medications:
                facts = Facts.of(make_form(merge(changes, medications)), TODAY)
        else:
            facts = Facts.of(make_form(changes), TODAY)
        full = [(rule.rule_id, evidence) for rule, evidence in evaluate(facts, CATALOG)]
        fast = [(rule.rule_id, evidence) for rule, evidence in evaluate(facts, candidates(facts))]
        assert fast == full
        fired_somewhere.update(rule_id for rule_id, _ in full)
    assert fired_somewhere == {rule.rule_id for rule in CATALOG}


def test_the_all_no_form_evaluates_no_rule() -> None:
    facts = Facts.of(make_form(), TODAY)
    assert facts.active == set()
    assert candidates(facts) == []


@pytest.mark.parametrize(
    ("birth", "weeks", "active"),
    [
        (born(17), 2, {"minor"}),
        (born(18), 2, set()),
        (born(49), 2, set()),
        (born(50), 5, {"older_with_new_pain"}),
        (born(50), 6, set()),
        (born(80), 0, {"older_with_new_pain"}),
    ],
)
def test_age_inputs_are_active_only_for_minors_and_older_patients_with_new_pain(
    birth: dict[str, Any], weeks: int, active: set[str]
) -> None:
    assert Facts.of(make_form(merge(birth, {"back_pain": {"duration_weeks": weeks}})), TODAY).active == active


def test_a_medication_list_the_reader_finds_nothing_in_activates_nothing() -> None:
    facts = Facts.of(
        make_form({"medications": [{"name": "paracetamol"}, {"name": "vitamin D", "dose": "1000 IU"}]}), TODAY
    )
    assert facts.active == set()
