"""The rules given what the medicine reader found, whatever text it came from: current medicines by substance
(one drug, one count; a combination tablet counts each substance), class words, past medicines, allergy lines,
a list too long to read fully, hormonal cancer medicines and bleeding-effect supplements."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import merge
from tests.unit.forms import (
    drug,
    flag,
    found,
    reading,
    reading_of,
    red_flags,
    rule_ids,
    safety,
    screened,
    word,
)


def screen_reading(monkeypatch: pytest.MonkeyPatch, result: Any, *changes: dict[str, Any]) -> Any:
    with reading_of(monkeypatch, result) as medications:
        merged: dict[str, Any] = medications
        for part in changes:
            merged = merge(merged, part)
        return screened(merged)


class TestOneDrugOneCount:
    def test_a_brand_and_its_generic_on_two_lines_count_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("apixaban", 0), drug("apixaban", 1))))
        assert rule_ids(result) == ["bleeding.antithrombotic.list_disagrees"]
        assert [e.field for e in flag(result, "bleeding.antithrombotic.list_disagrees").evidence[1:]] == [
            "medications[0].name",
            "medications[1].name",
        ]

    def test_a_combination_tablet_counts_each_substance(self, monkeypatch: pytest.MonkeyPatch) -> None:
        tablet = reading((drug("clopidogrel", 0), drug("aspirin", 0)))
        result = screen_reading(monkeypatch, tablet)
        assert rule_ids(result)[0] == "bleeding.antithrombotic.combined"
        assert "clopidogrel (platelet aggregation inhibitor, B01AC); aspirin" in result.flags[0].action

    def test_the_drug_written_in_the_dose_box_points_there(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("warfarin", 0, "dose"),)), safety(blood_thinners="yes"))
        medicine = flag(result, "bleeding.antithrombotic").evidence[1]
        assert (medicine.field, medicine.value, medicine.atc_code) == ("medications[0].dose", None, "B01AA03")

    def test_the_same_drug_in_both_fields_of_a_line_is_one_evidence(self, monkeypatch: pytest.MonkeyPatch) -> None:
        both = reading((drug("warfarin", 0, "name"), drug("warfarin", 0, "dose")))
        result = screen_reading(monkeypatch, both, safety(blood_thinners="yes"))
        assert len(flag(result, "bleeding.antithrombotic").evidence) == 2

    @pytest.mark.parametrize("anticoagulant", ["warfarin", "heparin", "dabigatran", "apixaban", "fondaparinux"])
    def test_each_anticoagulant_class_with_an_nsaid_is_critical(
        self, monkeypatch: pytest.MonkeyPatch, anticoagulant: str
    ) -> None:
        result = screen_reading(monkeypatch, reading((drug(anticoagulant, 0), drug("ibuprofen", 1))))
        assert rule_ids(result)[0] == "bleeding.anticoagulant_with_nsaid"

    @pytest.mark.parametrize("antiplatelet", ["aspirin", "clopidogrel", "dipyridamole"])
    def test_an_antiplatelet_with_an_nsaid_is_not_that_combination(
        self, monkeypatch: pytest.MonkeyPatch, antiplatelet: str
    ) -> None:
        result = screen_reading(monkeypatch, reading((drug(antiplatelet, 0), drug("ibuprofen", 1))))
        assert "bleeding.anticoagulant_with_nsaid" not in rule_ids(result)
        assert result.highest_severity == "warning"


class TestClassWords:
    def test_a_blood_thinner_class_word_is_a_warning_to_ask_which(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading(class_words=(word("antithrombotic", "blood thinner"),)))
        assert rule_ids(result) == ["bleeding.class_word"]
        class_word = result.flags[0]
        assert (class_word.severity, class_word.action.startswith("Ask which medicine")) == ("warning", True)
        assert [(e.field, e.value, e.note) for e in class_word.evidence] == [
            ("medications[0].name", None, "class word 'blood thinner' instead of a name: ask which medicine")
        ]

    def test_a_class_word_never_completes_a_combination(self, monkeypatch: pytest.MonkeyPatch) -> None:
        words = (word("antithrombotic", "anticoagulant", 1), word("nsaid", "anti-inflammatory", 2))
        result = screen_reading(monkeypatch, reading((drug("apixaban", 0),), class_words=words))
        assert result.highest_severity == "warning"
        assert "bleeding.antithrombotic.combined" not in rule_ids(result)
        assert "bleeding.anticoagulant_with_nsaid" not in rule_ids(result)

    @pytest.mark.parametrize(
        ("group", "text"),
        [
            ("antineoplastic", "chemo"),
            ("immunosuppressant", "biologic"),
            ("systemic_corticosteroid", "steroid tablets"),
        ],
    )
    def test_an_immune_class_word_is_a_warning_that_does_not_make_fever_an_emergency(
        self, monkeypatch: pytest.MonkeyPatch, group: Any, text: str
    ) -> None:
        result = screen_reading(
            monkeypatch, reading(class_words=(word(group, text),)), red_flags(fever_or_unwell="yes")
        )
        assert rule_ids(result) == ["immunocompromise.class_word", "red_flag_infection.fever"]
        assert found(result) == {("immunocompromise", "warning"), ("red_flag_infection", "warning")}
        assert result.patient_advice is None

    def test_a_steroid_class_word_does_not_make_an_unsure_injury_critical(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        words = (word("systemic_corticosteroid", "steroid tablets"),)
        result = screen_reading(monkeypatch, reading(class_words=words), red_flags(recent_serious_injury="unsure"))
        assert ("red_flag_fracture", "critical") not in found(result)

    def test_a_hormonal_cancer_class_word_asks_which_and_why(self, monkeypatch: pytest.MonkeyPatch) -> None:
        words = (word("hormonal_cancer", "hormone therapy for cancer"),)
        result = screen_reading(monkeypatch, reading(class_words=words), red_flags(night_pain="yes"))
        assert rule_ids(result) == ["red_flag_malignancy.class_word", "red_flag_malignancy.night_pain"]
        assert "why it is taken" in result.flags[0].action

    @pytest.mark.parametrize(("group", "text"), [("nsaid", "nsaid"), ("ssri", "ssri")])
    def test_an_nsaid_or_ssri_class_word_is_info(self, monkeypatch: pytest.MonkeyPatch, group: Any, text: str) -> None:
        result = screen_reading(monkeypatch, reading(class_words=(word(group, text),)))
        assert rule_ids(result) == ["bleeding.nsaid_or_ssri"] and result.status == "clear"


class TestPastMedicines:
    def test_a_stopped_blood_thinner_is_info_and_the_form_stays_clear(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading(past=(drug("warfarin"),)))
        assert rule_ids(result) == ["bleeding.past_medicine"]
        assert (result.status, result.highest_severity) == ("clear", "info")
        assert result.flags[0].evidence[0].note == "past medicine: not counted"

    def test_past_medicines_are_never_part_of_a_combination(self, monkeypatch: pytest.MonkeyPatch) -> None:
        past = (drug("clopidogrel", 1), drug("warfarin", 2))
        result = screen_reading(monkeypatch, reading((drug("ibuprofen", 0),), past=past))
        assert rule_ids(result) == ["bleeding.nsaid_or_ssri", "bleeding.past_medicine"]

    def test_a_stopped_immunosuppressant_does_not_make_fever_an_emergency(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        past = (drug("methotrexate"), drug("prednisolone", 1))
        result = screen_reading(monkeypatch, reading(past=past), red_flags(fever_or_unwell="yes"))
        assert rule_ids(result) == ["red_flag_infection.fever", "immunocompromise.past_medicine"]
        assert result.patient_advice is None

    def test_a_stopped_hormonal_cancer_medicine_is_info(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading(past=(drug("tamoxifen"),)))
        assert found(result) == {("red_flag_malignancy", "info")}


class TestImmuneAndSteroidMedicines:
    @pytest.mark.parametrize("name", ["methotrexate", "adalimumab", "oxaliplatin", "prednisolone"])
    def test_any_immune_medicine_with_fever_is_the_emergency(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        result = screen_reading(monkeypatch, reading((drug(name),)), red_flags(fever_or_unwell="yes"))
        assert rule_ids(result)[0] == "red_flag_infection.fever_with_risk"
        assert result.patient_advice is not None

    def test_a_steroid_taken_now_makes_an_unsure_injury_critical(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(
            monkeypatch, reading((drug("prednisolone"),)), red_flags(recent_serious_injury="unsure")
        )
        assert "red_flag_fracture.injury_unsure_with_risk" in rule_ids(result)


class TestHormonalCancerMedicines:
    def test_with_cancer_history_no_the_flag_says_they_disagree(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("letrozole"),)))
        assert rule_ids(result) == ["red_flag_malignancy.hormonal_medicine"]
        hormonal = result.flags[0]
        assert hormonal.severity == "warning" and hormonal.action.startswith("Ask why it is taken")
        answer, medicine = hormonal.evidence
        assert answer.field == "red_flags.cancer_history" and "disagree" in (answer.note or "")
        assert (medicine.matched_drug, medicine.atc_class) == ("letrozole", "L02BG")

    def test_with_cancer_history_unsure_the_flag_asks_to_clarify(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("tamoxifen"),)), red_flags(cancer_history="unsure"))
        answer = flag(result, "red_flag_malignancy.hormonal_medicine").evidence[0]
        assert answer.note == "answered 'unsure', but the medication list holds a hormonal cancer medicine: clarify"

    def test_with_cancer_history_yes_they_agree(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("tamoxifen"),)), red_flags(cancer_history="yes"))
        assert flag(result, "red_flag_malignancy.hormonal_medicine").evidence[0].note is None
        assert "red_flag_malignancy.cancer_or_weight_loss" in rule_ids(result)

    def test_it_is_not_immunocompromise(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("tamoxifen"),)), red_flags(fever_or_unwell="yes"))
        assert ("immunocompromise", "warning") not in found(result)
        assert "red_flag_infection.fever" in rule_ids(result)


class TestWhatTheListSaysBesidesMedicines:
    def test_a_bleeding_supplement_is_info(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("ginkgo"),)))
        assert rule_ids(result) == ["bleeding.herbal_supplement"]
        assert result.status == "clear"

    def test_allergy_lines_are_shown_as_info(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading(allergy_lines=(0, 2)))
        assert rule_ids(result) == ["medication_list.allergy"]
        assert [(e.field, e.value) for e in result.flags[0].evidence] == [
            ("medications[0].name", None),
            ("medications[2].name", None),
        ]
        assert result.status == "clear"

    def test_a_list_not_read_fully_is_a_warning_to_check_by_hand(self, monkeypatch: pytest.MonkeyPatch) -> None:
        result = screen_reading(monkeypatch, reading((drug("aspirin", 4),), incomplete=True))
        incomplete = flag(result, "medication_list.incomplete")
        assert incomplete.severity == "warning" and incomplete.title.startswith("Medication list too long")
        assert [(e.field, e.value, e.note) for e in incomplete.evidence] == [
            ("medications", None, "5 lines; the misspelling search was cut short")
        ]

    def test_a_fully_read_list_raises_no_such_warning(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert screen_reading(monkeypatch, reading((drug("sertraline"),))).status == "clear"


class TestEvidenceStaysSmall:
    def test_a_list_naming_many_medicines_shows_twenty_and_counts_the_rest(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        many = tuple(drug(name, index) for index in range(50) for name in ("warfarin", "apixaban", "aspirin"))
        result = screen_reading(monkeypatch, reading(many), safety(blood_thinners="yes"))
        for fired in result.flags:
            assert len(fired.evidence) <= 22, fired.rule_id
        combined = flag(result, "bleeding.antithrombotic.combined")
        assert (combined.evidence[-1].field, combined.evidence[-1].note) == (
            "medications",
            "130 more not shown: read the whole list",
        )
        assert len(result.model_dump_json()) < 40_000
