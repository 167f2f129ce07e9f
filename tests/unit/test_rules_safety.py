"""Contraindications and precautions: each row of the specification's first table, what it catches and what not.

Medicine-dependent rows (blood thinners in the list, immunosuppressants…) are in test_rules_medicines.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from screening.rules.facts import pointer
from tests.support import DROP, merge
from tests.unit.forms import born, evidence, flag, found, rule_ids, safety, screened

CLARIFY = "Clarify before treatment: "

# (field, rule id of a yes, category, severity of a yes)
SIMPLE_ROWS = [
    ("bleeding_disorder", "bleeding.disorder", "bleeding", "critical"),
    ("blood_thinners", "bleeding.antithrombotic", "bleeding", "warning"),
    ("immune_condition", "immunocompromise.present", "immunocompromise", "warning"),
    ("electronic_implant", "implanted_device.electronic", "implanted_device", "warning"),
    ("epilepsy", "seizure.epilepsy", "seizure", "warning"),
    ("heart_valve_condition", "cardiac_valve.condition", "cardiac_valve", "warning"),
    ("metal_allergy", "metal_allergy.reported", "metal_allergy", "warning"),
    ("lymphoedema", "lymphoedema.reported", "lymphoedema", "warning"),
    ("skin_problem_at_pain_area", "skin.problem_at_pain_area", "skin", "warning"),
    ("fainting_with_needles", "vasovagal.fainting_with_needles", "vasovagal", "warning"),
]


@pytest.mark.parametrize(("field", "rule_id", "category", "severity"), SIMPLE_ROWS)
def test_yes_raises_the_row_and_nothing_else(field: str, rule_id: str, category: str, severity: str) -> None:
    result = screened(safety(**{field: "yes"}))
    assert rule_ids(result) == [rule_id]
    assert found(result) == {(category, severity)}
    assert result.status == "needs_review"
    assert evidence(result, rule_id) == {f"safety.{field}": "yes"}


@pytest.mark.parametrize(("field", "rule_id", "category", "severity"), SIMPLE_ROWS)
def test_unsure_raises_the_same_category_at_warning_to_clarify(
    field: str, rule_id: str, category: str, severity: str
) -> None:
    result = screened(safety(**{field: "unsure"}))
    assert rule_ids(result) == [f"{rule_id}.unsure"]
    assert found(result) == {(category, "warning")}
    unsure = flag(result, f"{rule_id}.unsure")
    assert unsure.action.startswith(CLARIFY)
    assert "unsure" in unsure.source
    assert evidence(result, f"{rule_id}.unsure") == {f"safety.{field}": "unsure"}


@pytest.mark.parametrize(("field", "rule_id", "category", "severity"), SIMPLE_ROWS)
def test_no_raises_nothing(field: str, rule_id: str, category: str, severity: str) -> None:
    result = screened(safety(**{field: "no"}))
    assert result.flags == []
    assert (result.status, result.highest_severity) == ("clear", None)


def test_bleeding_disorder_unsure_keeps_the_critical_action_for_a_yes() -> None:
    action = flag(screened(safety(bleeding_disorder="unsure")), "bleeding.disorder.unsure").action
    assert action.startswith(CLARIFY)
    assert action.endswith(
        "If yes: defer needling; haematology or GP clearance first; if treated later, superficial needling only"
    )


def test_electroacupuncture_is_excluded_for_implants_and_epilepsy() -> None:
    result = screened(safety(electronic_implant="yes", epilepsy="yes"))
    for rule_id in ("implanted_device.electronic", "seizure.epilepsy"):
        assert "No electroacupuncture" in flag(result, rule_id).action


class TestPregnancy:
    @pytest.mark.parametrize(
        ("weeks", "trimester"),
        [
            (0, "first"),
            (13, "first"),
            (14, "second"),
            (27, "second"),
            (28, "third"),
            (41, "third"),
        ],
    )
    def test_pregnant_with_weeks_records_the_trimester(self, weeks: int, trimester: str) -> None:
        result = screened(safety(pregnant="yes", pregnancy_weeks=weeks))
        assert found(result) == {("pregnancy", "warning")}
        pregnant = flag(result, "pregnancy.pregnant")
        assert [(e.field, e.value, e.note) for e in pregnant.evidence] == [
            ("safety.pregnant", "yes", None),
            ("safety.pregnancy_weeks", weeks, f"{trimester} trimester"),
        ]
        assert "LI4, SP6" in pregnant.action and "no electroacupuncture" in pregnant.action

    def test_pregnant_without_weeks_asks_for_them(self) -> None:
        pregnant = flag(screened(safety(pregnant="yes")), "pregnancy.pregnant")
        assert pregnant.evidence[1].note == "weeks not given: record weeks/trimester"

    def test_unsure_means_treat_as_pregnant_until_known(self) -> None:
        result = screened(safety(pregnant="unsure"))
        assert rule_ids(result) == ["pregnancy.unsure"]
        action = flag(result, "pregnancy.unsure").action
        assert action.startswith(CLARIFY) and "treat as pregnant" in action and "LI4" in action

    def test_unsure_with_weeks_shows_them(self) -> None:
        result = screened(safety(pregnant="unsure", pregnancy_weeks=8))
        assert rule_ids(result) == ["pregnancy.unsure"]
        assert evidence(result, "pregnancy.unsure") == {"safety.pregnant": "unsure", "safety.pregnancy_weeks": 8}

    @pytest.mark.parametrize("answer", ["no", "not_applicable"])
    def test_weeks_with_a_no_is_a_contradiction(self, answer: str) -> None:
        result = screened(safety(pregnant=answer, pregnancy_weeks=20))
        assert rule_ids(result) == ["pregnancy.weeks_disagree"]
        assert flag(result, "pregnancy.weeks_disagree").evidence[0].note == (
            "pregnancy weeks were given: the answers disagree"
        )

    @pytest.mark.parametrize("answer", ["no", "not_applicable"])
    def test_not_pregnant_raises_nothing(self, answer: str) -> None:
        assert screened(safety(pregnant=answer)).flags == []


class TestImmunocompromise:
    def test_details_alone_raise_it_and_note_a_contradicting_no(self) -> None:
        result = screened(safety(immune_details=["organ_transplant", "hiv"]))
        assert found(result) == {("immunocompromise", "warning")}
        present = flag(result, "immunocompromise.present")
        assert [(e.field, e.value) for e in present.evidence] == [
            ("safety.immune_condition", "no"),
            ("safety.immune_details[0]", "organ_transplant"),
            ("safety.immune_details[1]", "hiv"),
        ]
        assert present.evidence[0].note is not None and "answered 'no'" in present.evidence[0].note

    def test_yes_with_details_needs_no_contradiction_note(self) -> None:
        present = flag(
            screened(safety(immune_condition="yes", immune_details=["chemotherapy"])), "immunocompromise.present"
        )
        assert [(e.field, e.value, e.note) for e in present.evidence] == [
            ("safety.immune_condition", "yes", None),
            ("safety.immune_details[0]", "chemotherapy", None),
        ]
        assert "defer at chemotherapy nadir" in present.action

    def test_uncontrolled_diabetes_raises_it(self) -> None:
        result = screened(safety(diabetes="uncontrolled"))
        assert rule_ids(result) == ["immunocompromise.present"]
        assert evidence(result, "immunocompromise.present") == {"safety.diabetes": "uncontrolled"}

    def test_controlled_diabetes_raises_nothing(self) -> None:
        assert screened(safety(diabetes="controlled")).flags == []

    @pytest.mark.parametrize("changes", [{"diabetes": "unsure"}, {"immune_condition": "unsure"}])
    def test_unsure_asks_to_clarify(self, changes: dict[str, str]) -> None:
        result = screened(safety(**changes))
        assert rule_ids(result) == ["immunocompromise.present.unsure"]
        assert flag(result, "immunocompromise.present.unsure").action.startswith(CLARIFY)

    def test_an_unsure_diabetes_rides_along_when_immunocompromise_is_shown(self) -> None:
        result = screened(safety(immune_condition="yes", diabetes="unsure"))
        assert rule_ids(result) == ["immunocompromise.present"]
        assert [(e.field, e.note) for e in flag(result, "immunocompromise.present").evidence] == [
            ("safety.immune_condition", None),
            ("safety.diabetes", "unsure: clarify"),
        ]


class TestImplant:
    def test_details_with_a_no_raise_it_with_a_note(self) -> None:
        result = screened(safety(implant_details=["spinal_cord_stimulator"]))
        implant = flag(result, "implanted_device.electronic")
        assert [(e.field, e.value) for e in implant.evidence] == [
            ("safety.electronic_implant", "no"),
            ("safety.implant_details[0]", "spinal_cord_stimulator"),
        ]
        assert implant.evidence[0].note == "answered 'no', but implant details were given"

    def test_unsure_with_details_is_resolved_by_the_details(self) -> None:
        result = screened(safety(electronic_implant="unsure", implant_details=["pacemaker"]))
        assert rule_ids(result) == ["implanted_device.electronic"]

    def test_yes_with_details_shows_both(self) -> None:
        result = screened(safety(electronic_implant="yes", implant_details=["defibrillator"]))
        assert [(e.field, e.value, e.note) for e in flag(result, "implanted_device.electronic").evidence] == [
            ("safety.electronic_implant", "yes", None),
            ("safety.implant_details[0]", "defibrillator", None),
        ]


class TestMinorConsent:
    @pytest.mark.parametrize(
        ("birth", "flagged"),
        [
            (born(17), True),
            (born(18, days=1), True),  # 18 tomorrow
            (born(18), False),  # 18 today
            (born(18, days=-1), False),
            (born(10), True),
        ],
    )
    def test_under_18_on_the_submission_date_without_guardian(
        self, birth: dict[str, dict[str, str]], flagged: bool
    ) -> None:
        result = screened(birth)
        assert (rule_ids(result) == ["minor_consent.no_guardian"]) is flagged
        assert (result.flags == []) is not flagged

    def test_evidence_shows_the_age_on_that_day(self) -> None:
        minor = flag(screened(born(16)), "minor_consent.no_guardian")
        assert [(e.field, e.value, e.note) for e in minor.evidence] == [
            ("patient.date_of_birth", None, "age 16 on 2026-11-24"),
            ("consent.guardian_name", None, "no guardian named"),
        ]
        assert minor.severity == "warning"

    def test_a_named_guardian_clears_it(self) -> None:
        assert screened(merge(born(15), {"consent": {"guardian_name": "Maria Lopez"}})).flags == []

    @pytest.mark.parametrize("name", ["", "   "])
    def test_a_blank_guardian_name_is_no_guardian(self, name: str) -> None:
        result = screened(merge(born(15), {"consent": {"guardian_name": name}}))
        assert rule_ids(result) == ["minor_consent.no_guardian"]

    @pytest.mark.parametrize(
        "name", ["n/a", "N/A", "none", "-", "--", "self", "Myself", "me", "ninguno", "本人", "ｓｅｌｆ", " None. "]
    )
    def test_a_placeholder_is_no_guardian(self, name: str) -> None:
        minor = flag(screened(merge(born(15), {"consent": {"guardian_name": name}})), "minor_consent.no_guardian")
        assert minor.evidence[1] == pointer("consent.guardian_name", "a placeholder, not a guardian's name")

    @pytest.mark.parametrize("name", ["Test Patient", "test  patient", "Patient Test", "TEST", "Test-Patient"])
    def test_the_patients_own_name_is_no_guardian(self, name: str) -> None:
        minor = flag(screened(merge(born(15), {"consent": {"guardian_name": name}})), "minor_consent.no_guardian")
        assert minor.evidence[1].note == "the patient's own name, not a guardian's"
        assert minor.evidence[1].value is None

    @pytest.mark.parametrize("name", ["Mia Patient", "Nora Test", "Meredith", "Noel Selfridge"])
    def test_a_relative_sharing_a_name_is_a_guardian(self, name: str) -> None:
        assert screened(merge(born(15), {"consent": {"guardian_name": name}})).flags == []

    def test_an_unconfirmed_guardian_is_no_guardian(self) -> None:
        consent = {"consent": {"guardian_name": "Maria Lopez", "guardian_confirmed": False}}
        minor = flag(screened(merge(born(15), consent)), "minor_consent.no_guardian")
        assert [(e.field, e.value) for e in minor.evidence] == [
            ("patient.date_of_birth", None),
            ("consent.guardian_confirmed", False),
        ]

    @pytest.mark.parametrize(
        "consent",
        [{"guardian_name": "Maria Lopez", "guardian_confirmed": True}, {"guardian_name": "Maria Lopez"}],
        ids=["confirmed", "contract 1.0 form without the confirmation"],
    )
    def test_a_confirmed_or_1_0_form_guardian_is_fine(self, consent: dict[str, object]) -> None:
        assert screened(merge(born(15), {"consent": consent})).flags == []

    def test_adults_need_no_guardian(self) -> None:
        assert screened({"consent": {"guardian_name": DROP}}).flags == []

    @pytest.mark.parametrize(("today", "flagged"), [(date(2026, 2, 28), True), (date(2026, 3, 1), False)])
    def test_29_february_birthdays_count_from_1_march(self, today: date, flagged: bool) -> None:
        result = screened({"patient": {"date_of_birth": "2008-02-29"}}, today=today)
        assert bool(result.flags) is flagged
