"""Rules that read the medication list (recognition itself is tested with the lexicon): blood thinners against the
answer, combinations, immunocompromise and fracture risk from medicines, NSAIDs and SSRIs at info only. Evidence
points at the line and never copies the patient's text."""

from __future__ import annotations

import pytest

from tests.support import merge
from tests.unit.forms import evidence, flag, found, medications, red_flags, rule_ids, safety, screened


def medicine_evidence(
    rule_id: str, *names: str, answer: str = "no"
) -> list[tuple[str, object, str | None, str | None, str | None]]:
    result = screened(merge(safety(blood_thinners=answer), medications(*names)))
    return [
        (e.field, e.value, e.matched_drug, e.atc_code, e.atc_class)
        for e in flag(result, rule_id).evidence
        if e.matched_drug
    ]


class TestContractExample:
    """Answered "no" to blood thinners but lists Eliquis: the screen flags the risk and says they disagree."""

    def test_flags_the_bleeding_risk_and_the_disagreement(self) -> None:
        result = screened({"medications": [{"name": "Eliquis", "dose": "5 mg twice a day"}]})
        assert rule_ids(result) == ["bleeding.antithrombotic.list_disagrees"]
        assert (result.status, result.highest_severity) == ("needs_review", "warning")
        disagree = flag(result, "bleeding.antithrombotic.list_disagrees")
        answer, medicine = disagree.evidence
        assert (answer.field, answer.value) == ("safety.blood_thinners", "no")
        assert answer.note is not None and "answer and list disagree" in answer.note
        assert (medicine.field, medicine.value, medicine.matched_drug, medicine.atc_code, medicine.atc_class) == (
            "medications[0].name",
            None,
            "apixaban",
            "B01AF02",
            "B01AF",
        )
        assert "superficial needling" in disagree.action
        assert "apixaban (direct factor Xa inhibitor, B01AF)" in disagree.action
        assert "INR" not in disagree.action

    def test_unsure_with_a_listed_blood_thinner_is_the_same_disagreement(self) -> None:
        result = screened(merge(safety(blood_thinners="unsure"), medications("warfrin 3mg")))
        assert rule_ids(result) == ["bleeding.antithrombotic.list_disagrees"]
        assert evidence(result, "bleeding.antithrombotic.list_disagrees") == {
            "safety.blood_thinners": "unsure",
            "medications[0].name": None,
        }

    def test_yes_with_the_medicine_listed_agrees(self) -> None:
        result = screened(merge(safety(blood_thinners="yes"), medications("paracetamol", "Eliquis 5mg")))
        assert rule_ids(result) == ["bleeding.antithrombotic"]
        assert evidence(result, "bleeding.antithrombotic") == {
            "safety.blood_thinners": "yes",
            "medications[1].name": None,
        }

    def test_inr_is_named_only_for_vitamin_k_antagonists(self) -> None:
        warfarin = flag(
            screened(merge(safety(blood_thinners="yes"), medications("warfarin"))), "bleeding.antithrombotic"
        )
        assert "warfarin (vitamin K antagonist, B01AA)" in warfarin.action and "INR" in warfarin.action
        for name in ("Xarelto", "Pradaxa", "clopidogrel", "enoxaparin"):
            other = flag(screened(merge(safety(blood_thinners="yes"), medications(name))), "bleeding.antithrombotic")
            assert "INR" not in other.action and "Found: " in other.action, name

    def test_a_yes_without_a_recognised_medicine_names_none(self) -> None:
        result = flag(screened(safety(blood_thinners="yes")), "bleeding.antithrombotic")
        assert "Found:" not in result.action and "INR" not in result.action

    def test_evidence_never_copies_the_patients_text(self) -> None:
        secret = "Eliquis 5mg from Dr Zelda Secret"
        result = screened({"medications": [{"name": secret, "dose": "Zelda"}]})
        assert "Zelda" not in result.model_dump_json()


class TestCombinedAntithrombotics:
    @pytest.mark.parametrize(
        "names",
        [
            ("Xarelto 20mg", "baby aspirin"),  # DOAC + antiplatelet
            ("clopidogrel 75mg", "aspirin 75mg"),  # dual antiplatelet
            ("Aggrenox",),  # aspirin + dipyridamole in one product
            ("warfarin", "Lovenox injection"),  # bridging
        ],
    )
    def test_two_distinct_drugs_are_critical_whatever_the_answer(self, names: tuple[str, ...]) -> None:
        for answer in ("yes", "no"):
            result = screened(merge(safety(blood_thinners=answer), medications(*names)))
            assert result.highest_severity == "critical"
            assert rule_ids(result)[0] == "bleeding.antithrombotic.combined"
            assert ("bleeding", "warning") in found(result)

    def test_evidence_lists_each_drug_with_its_class(self) -> None:
        assert medicine_evidence("bleeding.antithrombotic.combined", "Eliquis", "Plavix") == [
            ("medications[0].name", None, "apixaban", "B01AF02", "B01AF"),
            ("medications[1].name", None, "clopidogrel", "B01AC04", "B01AC"),
        ]

    def test_the_same_drug_twice_is_not_a_combination(self) -> None:
        result = screened(merge(safety(blood_thinners="yes"), medications("warfarin", "Coumadin 5mg")))
        assert rule_ids(result) == ["bleeding.antithrombotic"]
        assert result.highest_severity == "warning"

    def test_an_antiplatelet_with_an_nsaid_is_not_a_combination(self) -> None:
        result = screened(merge(safety(blood_thinners="yes"), medications("clopidogrel", "ibuprofen")))
        assert rule_ids(result) == ["bleeding.antithrombotic", "bleeding.nsaid_or_ssri"]


class TestAnticoagulantWithNsaid:
    @pytest.mark.parametrize(
        "anticoagulant", ["warfarin", "enoxaparin 40mg", "Pradaxa", "apixaban 5mg", "fondaparinux"]
    )
    @pytest.mark.parametrize("nsaid", ["ibuprofen 400mg", "naproxen", "diclofenac"])
    def test_every_anticoagulant_class_with_an_nsaid_is_critical(self, anticoagulant: str, nsaid: str) -> None:
        result = screened(merge(safety(blood_thinners="yes"), medications(anticoagulant, nsaid)))
        assert rule_ids(result)[0] == "bleeding.anticoagulant_with_nsaid"
        combined = flag(result, "bleeding.anticoagulant_with_nsaid")
        assert combined.severity == "critical" and "prescriber" in combined.action
        assert [e.field for e in combined.evidence] == ["medications[0].name", "medications[1].name"]
        assert result.patient_advice is None

    @pytest.mark.parametrize("names", [("aspirin 75mg", "ibuprofen"), ("apixaban",), ("ibuprofen", "naproxen")])
    def test_without_both_it_does_not_fire(self, names: tuple[str, ...]) -> None:
        assert "bleeding.anticoagulant_with_nsaid" not in rule_ids(screened(medications(*names)))


class TestImmuneMedicines:
    @pytest.mark.parametrize(
        ("name", "drug", "atc_class"),
        [
            ("Humira pen", "adalimumab", "L04AB"),
            ("methotrexate 15mg weekly", "methotrexate", "L04AX"),
            ("capecitabine", "capecitabine", "L01BC"),
            ("tacrolimus", "tacrolimus", "L04AD"),
        ],
    )
    def test_immunosuppressants_and_antineoplastics_raise_immunocompromise(
        self, name: str, drug: str, atc_class: str
    ) -> None:
        result = screened(medications(name))
        assert rule_ids(result) == ["immunocompromise.present"]
        answer, medicine = flag(result, "immunocompromise.present").evidence
        assert answer.note is not None and "answered 'no'" in answer.note
        assert (medicine.value, medicine.matched_drug, medicine.atc_class) == (None, drug, atc_class)

    def test_a_systemic_steroid_raises_immunocompromise_and_fracture_risk(self) -> None:
        result = screened(medications("prednisolone 5mg"))
        assert found(result) == {("immunocompromise", "warning"), ("red_flag_fracture", "warning")}
        fracture = flag(result, "red_flag_fracture.osteoporosis_or_steroids").evidence
        assert [(e.field, e.value, e.atc_class) for e in fracture] == [("medications[0].name", None, "H02AB")]
        for rule_id in ("immunocompromise.present", "red_flag_fracture.osteoporosis_or_steroids"):
            assert "Counted as long-term steroid use (prednisolone): confirm how long" in flag(result, rule_id).action

    def test_every_systemic_steroid_listed_is_named_once_in_alphabetical_order(self) -> None:
        result = screened(medications("prednisolone 5mg", "Decadron 4mg", "prednisolone 5mg"))
        action = flag(result, "immunocompromise.present").action
        assert "Counted as long-term steroid use (dexamethasone, prednisolone): confirm how long" in action

    def test_a_steroid_cream_raises_nothing(self) -> None:
        assert screened(medications("hydrocortisone cream")).flags == []

    def test_fever_with_an_immunosuppressant_is_an_emergency(self) -> None:
        result = screened(merge(red_flags(fever_or_unwell="yes"), medications("methotrexate")))
        assert rule_ids(result)[0] == "red_flag_infection.fever_with_risk"
        assert result.patient_advice is not None


class TestNsaidsAndSsris:
    def test_are_info_only_and_keep_the_form_clear(self) -> None:
        result = screened(medications("ibuprofen 400mg", "sertraline 50mg"))
        assert rule_ids(result) == ["bleeding.nsaid_or_ssri"]
        assert (result.status, result.highest_severity) == ("clear", "info")
        assert [(e.matched_drug, e.atc_class) for e in result.flags[0].evidence] == [
            ("ibuprofen", "M01AE"),
            ("sertraline", "N06AB"),
        ]


@pytest.mark.parametrize("names", [("paracetamol 1g",), ("vitamin D", "omeprazole"), ()])
def test_unrelated_medicines_raise_nothing(names: tuple[str, ...]) -> None:
    assert screened(medications(*names)).flags == []


class TestWordsThatAreNotMedicinesTaken:
    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("blood thinner", "bleeding.class_word"),
            ("anticoagulante", "bleeding.class_word"),
            ("抗凝药", "bleeding.class_word"),
            ("chemo", "immunocompromise.class_word"),
            ("quimioterapia", "immunocompromise.class_word"),
            ("化疗", "immunocompromise.class_word"),
            ("steroid tablets", "immunocompromise.class_word"),
        ],
    )
    def test_class_words_in_every_form_language_ask_which_medicine(self, text: str, rule_id: str) -> None:
        result = screened(medications(text))
        assert rule_ids(result) == [rule_id]
        assert result.flags[0].severity == "warning" and result.flags[0].action.startswith("Ask which medicine")

    @pytest.mark.parametrize(
        "other", ["blood thinner", "aspirin allergy", "clopidogrel - stopped in 2023", "used to take aspirin"]
    )
    def test_class_words_allergies_and_past_medicines_never_complete_a_combination(self, other: str) -> None:
        result = screened(merge(safety(blood_thinners="yes"), medications("Xarelto 20mg", other)))
        assert "bleeding.antithrombotic.combined" not in rule_ids(result)
        assert result.highest_severity == "warning"
