"""Back-pain red flags: each row of the specification's second table, what it catches and what it must not."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.forms import born, evidence, flag, found, merge, red_flags, rule_ids, safety, screened


def pain(weeks: int) -> dict[str, Any]:
    return {"back_pain": {"duration_weeks": weeks}}


def older_with_new_pain(**answers: str) -> dict[str, Any]:
    """63 years old with 3 weeks of pain, with these red-flag answers."""
    return merge(merge(born(63), pain(3)), red_flags(**answers))


CLARIFY = "Clarify before treatment: "


class TestCaudaEquina:
    @pytest.mark.parametrize("field", ["saddle_numbness", "bladder_or_bowel_change"])
    def test_either_sign_is_a_critical_emergency_with_patient_advice(self, field: str) -> None:
        result = screened(red_flags(**{field: "yes"}))
        assert rule_ids(result) == ["red_flag_cauda_equina.saddle_or_sphincter"]
        assert (result.status, result.highest_severity) == ("needs_review", "critical")
        assert "Do not treat" in result.flags[0].action
        assert result.patient_advice is not None and "emergency department today" in result.patient_advice

    def test_both_signs_are_both_evidence(self) -> None:
        result = screened(red_flags(saddle_numbness="yes", bladder_or_bowel_change="yes"))
        assert evidence(result, "red_flag_cauda_equina.saddle_or_sphincter") == {
            "red_flags.saddle_numbness": "yes",
            "red_flags.bladder_or_bowel_change": "yes",
        }

    def test_a_yes_with_the_other_unsure_is_one_critical_flag_noting_the_unsure(self) -> None:
        result = screened(red_flags(saddle_numbness="yes", bladder_or_bowel_change="unsure"))
        assert rule_ids(result) == ["red_flag_cauda_equina.saddle_or_sphincter"]
        assert [e.note for e in result.flags[0].evidence] == [None, "unsure: clarify"]

    @pytest.mark.parametrize("field", ["saddle_numbness", "bladder_or_bowel_change"])
    def test_unsure_is_never_ignored_it_is_critical_without_emergency_advice(self, field: str) -> None:
        result = screened(red_flags(**{field: "unsure"}))
        assert rule_ids(result) == ["red_flag_cauda_equina.saddle_or_sphincter.unsure"]
        assert result.highest_severity == "critical"
        assert result.flags[0].action.startswith(CLARIFY)
        assert result.patient_advice is None

    def test_both_legs_is_a_warning_to_ask_about_saddle_and_bladder(self) -> None:
        result = screened(red_flags(symptoms_in_both_legs="yes"))
        assert found(result) == {("red_flag_cauda_equina", "warning")}
        assert "saddle and bladder" in result.flags[0].action
        assert result.patient_advice is None

    def test_both_legs_unsure_is_a_warning_to_clarify(self) -> None:
        result = screened(red_flags(symptoms_in_both_legs="unsure"))
        assert rule_ids(result) == ["red_flag_cauda_equina.both_legs.unsure"]
        assert found(result) == {("red_flag_cauda_equina", "warning")}


class TestNeurologicalDeficit:
    def test_worsening_weakness_is_a_critical_emergency(self) -> None:
        result = screened(red_flags(worsening_leg_weakness="yes"))
        assert found(result) == {("red_flag_neurological_deficit", "critical")}
        assert result.patient_advice is not None and "Leg weakness" in result.patient_advice

    def test_unsure_is_critical_without_advice(self) -> None:
        result = screened(red_flags(worsening_leg_weakness="unsure"))
        assert rule_ids(result) == ["red_flag_neurological_deficit.worsening_weakness.unsure"]
        assert found(result) == {("red_flag_neurological_deficit", "critical")}
        assert result.patient_advice is None


IMMUNOCOMPROMISED = safety(immune_condition="yes")


class TestInfection:
    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            (red_flags(fever_or_unwell="yes", injects_drugs="yes"), "red_flag_infection.fever_with_risk"),
            (merge(red_flags(fever_or_unwell="yes"), IMMUNOCOMPROMISED), "red_flag_infection.fever_with_risk"),
            (
                merge(red_flags(fever_or_unwell="yes"), safety(diabetes="uncontrolled")),
                "red_flag_infection.fever_with_risk",
            ),
            (
                merge(red_flags(fever_or_unwell="yes"), safety(immune_details=["no_spleen"])),
                "red_flag_infection.fever_with_risk",
            ),
            (red_flags(fever_or_unwell="yes", injects_drugs="unsure"), "red_flag_infection.fever_with_risk.unsure"),
            (
                merge(red_flags(fever_or_unwell="yes"), safety(diabetes="unsure")),
                "red_flag_infection.fever_with_risk.unsure",
            ),
            (red_flags(fever_or_unwell="unsure", injects_drugs="yes"), "red_flag_infection.fever_with_risk.unsure"),
            (red_flags(fever_or_unwell="yes"), "red_flag_infection.fever"),
            (red_flags(fever_or_unwell="unsure"), "red_flag_infection.fever.unsure"),
            (
                red_flags(fever_or_unwell="unsure", injects_drugs="unsure"),
                "red_flag_infection.fever_with_risk.unsure",
            ),
            (
                merge(red_flags(fever_or_unwell="yes"), safety(diabetes="controlled")),
                "red_flag_infection.fever_with_diabetes",
            ),
            (
                merge(red_flags(fever_or_unwell="unsure"), safety(diabetes="controlled")),
                "red_flag_infection.fever_with_diabetes.unsure",
            ),
            (
                merge(red_flags(fever_or_unwell="yes", injects_drugs="yes"), safety(diabetes="controlled")),
                "red_flag_infection.fever_with_risk",
            ),
            (red_flags(injects_drugs="yes"), "red_flag_infection.injects_drugs"),
            (red_flags(injects_drugs="unsure"), "red_flag_infection.injects_drugs.unsure"),
        ],
    )
    def test_fever_by_infection_risk(self, changes: dict[str, Any], expected: str) -> None:
        infection = [r for r in rule_ids(screened(changes)) if r.startswith("red_flag_infection")]
        assert infection == [expected]

    def test_fever_with_risk_is_a_critical_emergency_with_the_risk_as_evidence(self) -> None:
        result = screened(merge(red_flags(fever_or_unwell="yes", injects_drugs="yes"), IMMUNOCOMPROMISED))
        assert evidence(result, "red_flag_infection.fever_with_risk") == {
            "red_flags.fever_or_unwell": "yes",
            "red_flags.injects_drugs": "yes",
            "safety.immune_condition": "yes",
        }
        assert flag(result, "red_flag_infection.fever_with_risk").severity == "critical"
        assert result.patient_advice is not None and "infection" in result.patient_advice

    def test_fever_alone_is_a_warning_without_advice(self) -> None:
        result = screened(red_flags(fever_or_unwell="yes"))
        assert found(result) == {("red_flag_infection", "warning")}
        assert result.patient_advice is None

    def test_possible_risk_is_critical_without_advice(self) -> None:
        result = screened(red_flags(fever_or_unwell="yes", injects_drugs="unsure"))
        assert found(result) == {("red_flag_infection", "critical")}
        assert result.patient_advice is None

    @pytest.mark.parametrize(
        "changes", [IMMUNOCOMPROMISED, safety(diabetes="controlled"), safety(immune_details=["chemotherapy"])]
    )
    def test_risk_without_fever_is_no_infection_flag(self, changes: dict[str, Any]) -> None:
        assert not [r for r in rule_ids(screened(changes)) if r.startswith("red_flag_infection")]

    def test_fever_with_controlled_diabetes_is_critical_without_advice(self) -> None:
        result = screened(merge(red_flags(fever_or_unwell="yes"), safety(diabetes="controlled")))
        assert found(result) == {("red_flag_infection", "critical")}
        assert evidence(result, "red_flag_infection.fever_with_diabetes") == {
            "red_flags.fever_or_unwell": "yes",
            "safety.diabetes": "controlled",
        }
        assert "today" in result.flags[0].action
        assert result.patient_advice is None

    def test_fever_unsure_with_controlled_diabetes_keeps_the_critical_and_asks(self) -> None:
        result = screened(merge(red_flags(fever_or_unwell="unsure"), safety(diabetes="controlled")))
        assert found(result) == {("red_flag_infection", "critical")}
        assert result.flags[0].action.startswith(CLARIFY)
        assert result.patient_advice is None

    def test_fever_with_an_immunosuppressant_in_the_list_is_the_emergency(self) -> None:
        result = screened(merge(red_flags(fever_or_unwell="yes"), {"medications": [{"name": "tacrolimus 2mg"}]}))
        fever = flag(result, "red_flag_infection.fever_with_risk")
        assert [(e.field, e.value, e.matched_drug) for e in fever.evidence] == [
            ("red_flags.fever_or_unwell", "yes", None),
            ("safety.immune_condition", "no", None),
            ("medications[0].name", None, "tacrolimus"),
        ]
        assert result.patient_advice is not None

    def test_injecting_drugs_alone_is_a_warning_asking_about_fever(self) -> None:
        result = screened(red_flags(injects_drugs="yes"))
        assert found(result) == {("red_flag_infection", "warning")}
        assert "fever" in result.flags[0].action
        assert result.patient_advice is None

    def test_injecting_drugs_with_fever_is_only_the_emergency(self) -> None:
        assert rule_ids(screened(red_flags(injects_drugs="yes", fever_or_unwell="yes"))) == [
            "red_flag_infection.fever_with_risk"
        ]


def malignancy(changes: dict[str, Any]) -> list[str]:
    return [r for r in rule_ids(screened(changes)) if r.startswith("red_flag_malignancy")]


class TestMalignancy:
    @pytest.mark.parametrize("feature", ["night_pain", "unexplained_weight_loss", "worsening_leg_weakness"])
    def test_cancer_with_a_feature_is_critical(self, feature: str) -> None:
        result = screened(red_flags(cancer_history="yes", **{feature: "yes"}))
        assert malignancy(red_flags(cancer_history="yes", **{feature: "yes"})) == [
            "red_flag_malignancy.cancer_with_features"
        ]
        assert ("red_flag_malignancy", "critical") in found(result)
        assert evidence(result, "red_flag_malignancy.cancer_with_features") == {
            "red_flags.cancer_history": "yes",
            f"red_flags.{feature}": "yes",
        }

    @pytest.mark.parametrize("changes", [red_flags(cancer_history="yes"), red_flags(unexplained_weight_loss="yes")])
    def test_cancer_alone_or_weight_loss_is_a_warning(self, changes: dict[str, Any]) -> None:
        result = screened(changes)
        assert rule_ids(result) == ["red_flag_malignancy.cancer_or_weight_loss"]
        assert found(result) == {("red_flag_malignancy", "warning")}

    def test_night_pain_alone_is_info_and_the_form_stays_clear(self) -> None:
        result = screened(red_flags(night_pain="yes"))
        assert found(result) == {("red_flag_malignancy", "info")}
        assert (result.status, result.highest_severity) == ("clear", "info")

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            (
                red_flags(cancer_history="yes", night_pain="unsure"),
                {"red_flag_malignancy.cancer_with_features.unsure": "critical"},
            ),
            (
                red_flags(cancer_history="unsure", night_pain="yes"),
                {"red_flag_malignancy.cancer_with_features.unsure": "critical"},
            ),
            (red_flags(cancer_history="unsure"), {"red_flag_malignancy.cancer_or_weight_loss.unsure": "warning"}),
            (
                red_flags(unexplained_weight_loss="unsure"),
                {"red_flag_malignancy.cancer_or_weight_loss.unsure": "warning"},
            ),
            (red_flags(night_pain="unsure"), {"red_flag_malignancy.night_pain.unsure": "warning"}),
            (
                red_flags(cancer_history="yes", night_pain="yes", unexplained_weight_loss="unsure"),
                {"red_flag_malignancy.cancer_with_features": "critical"},
            ),
            (
                red_flags(cancer_history="unsure", symptoms_in_both_legs="yes"),
                {"red_flag_malignancy.cancer_with_both_legs.unsure": "critical"},
            ),
        ],
    )
    def test_unsure_is_a_possible_yes_in_combinations_and_a_warning_alone(
        self, changes: dict[str, Any], expected: dict[str, str]
    ) -> None:
        result = screened(changes)
        unsure = {f.rule_id: f.severity.value for f in result.flags if f.rule_id.endswith(".unsure")}
        assert unsure == {r: s for r, s in expected.items() if r.endswith(".unsure")}
        assert set(expected) <= set(malignancy(changes))
        assert all(flag(result, r).severity == s for r, s in expected.items())
        assert result.patient_advice is None

    def test_cancer_with_symptoms_in_both_legs_is_critical_without_advice(self) -> None:
        result = screened(red_flags(cancer_history="yes", symptoms_in_both_legs="yes"))
        assert malignancy(red_flags(cancer_history="yes", symptoms_in_both_legs="yes")) == [
            "red_flag_malignancy.cancer_with_both_legs"
        ]
        both = flag(result, "red_flag_malignancy.cancer_with_both_legs")
        assert (both.severity, "MSCC" in both.action) == ("critical", True)
        assert evidence(result, "red_flag_malignancy.cancer_with_both_legs") == {
            "red_flags.cancer_history": "yes",
            "red_flags.symptoms_in_both_legs": "yes",
        }
        assert result.patient_advice is None

    def test_both_legs_without_cancer_is_no_malignancy_flag(self) -> None:
        assert malignancy(red_flags(symptoms_in_both_legs="yes", cancer_history="no")) == []

    def test_all_three_weak_signs_are_critical(self) -> None:
        changes = older_with_new_pain(night_pain="yes", unexplained_weight_loss="yes")
        result = screened(changes)
        assert malignancy(changes) == [
            "red_flag_malignancy.weak_signs_all_three",
            "red_flag_malignancy.cancer_or_weight_loss",
        ]
        assert flag(result, "red_flag_malignancy.weak_signs_all_three").severity == "critical"
        assert result.patient_advice is None

    def test_all_three_with_weight_loss_unsure_stays_critical_and_asks(self) -> None:
        changes = older_with_new_pain(night_pain="yes", unexplained_weight_loss="unsure")
        result = flag(screened(changes), "red_flag_malignancy.weak_signs_all_three.unsure")
        assert (result.severity, result.action.startswith(CLARIFY)) == ("critical", True)
        assert [e.note for e in result.evidence][-1] == "unsure: clarify"

    @pytest.mark.parametrize("night_pain", ["yes", "unsure"])
    def test_older_with_new_pain_and_night_pain_is_a_warning(self, night_pain: str) -> None:
        changes = older_with_new_pain(night_pain=night_pain)
        assert "red_flag_malignancy.weak_signs_two" in malignancy(changes)
        assert "red_flag_malignancy.older_with_new_pain" not in malignancy(changes)
        assert "red_flag_malignancy.night_pain" not in malignancy(changes)
        assert found(screened(changes)) == {("red_flag_malignancy", "warning")}

    @pytest.mark.parametrize(
        "changes",
        [
            merge(merge(born(49), pain(2)), red_flags(night_pain="yes")),
            merge(merge(born(55), pain(6)), red_flags(night_pain="yes")),
            red_flags(night_pain="yes", unexplained_weight_loss="yes"),
        ],
        ids=["49 years old", "pain of 6 weeks", "under 50 with night pain and weight loss"],
    )
    def test_weak_signs_short_of_the_combination_raise_no_combination(self, changes: dict[str, Any]) -> None:
        assert not [r for r in malignancy(changes) if ".weak_signs" in r]

    @pytest.mark.parametrize(
        ("age", "weeks", "flagged"),
        [
            (born(50), 5, True),
            (born(50, days=1), 5, False),  # 50 tomorrow
            (born(50), 6, False),
            (born(72), 0, True),
            (born(49), 1, False),
        ],
    )
    def test_50_or_over_with_pain_under_6_weeks_is_info(self, age: dict[str, Any], weeks: int, flagged: bool) -> None:
        result = screened(merge(age, {"back_pain": {"duration_weeks": weeks}}))
        assert (rule_ids(result) == ["red_flag_malignancy.older_with_new_pain"]) is flagged
        assert found(result) <= {("red_flag_malignancy", "info")}


class TestFracture:
    def test_recent_injury_is_critical(self) -> None:
        result = screened(red_flags(recent_serious_injury="yes"))
        assert found(result) == {("red_flag_fracture", "critical")}

    def test_injury_unsure_is_a_warning_to_clarify(self) -> None:
        result = screened(red_flags(recent_serious_injury="unsure"))
        assert rule_ids(result) == ["red_flag_fracture.recent_injury.unsure"]
        assert found(result) == {("red_flag_fracture", "warning")}

    @pytest.mark.parametrize("changes", [red_flags(osteoporosis="yes"), safety(immune_details=["long_term_steroids"])])
    def test_osteoporosis_or_long_term_steroids_without_injury_is_a_warning(self, changes: dict[str, Any]) -> None:
        result = screened(changes)
        assert "red_flag_fracture.osteoporosis_or_steroids" in rule_ids(result)
        assert ("red_flag_fracture", "warning") in found(result)

    def test_long_term_steroids_also_mean_immunocompromise(self) -> None:
        result = screened(safety(immune_details=["radiotherapy", "long_term_steroids"]))
        assert found(result) == {("immunocompromise", "warning"), ("red_flag_fracture", "warning")}
        assert evidence(result, "red_flag_fracture.osteoporosis_or_steroids") == {
            "safety.immune_details[1]": "long_term_steroids"
        }

    def test_with_an_injury_only_the_critical_flag_is_raised(self) -> None:
        result = screened(red_flags(recent_serious_injury="yes", osteoporosis="yes"))
        assert rule_ids(result) == ["red_flag_fracture.recent_injury"]

    def test_osteoporosis_unsure_is_a_warning_unless_steroids_settle_it(self) -> None:
        assert rule_ids(screened(red_flags(osteoporosis="unsure"))) == [
            "red_flag_fracture.osteoporosis_or_steroids.unsure"
        ]
        steroids = merge(red_flags(osteoporosis="unsure"), safety(immune_details=["long_term_steroids"]))
        assert "red_flag_fracture.osteoporosis_or_steroids.unsure" not in rule_ids(screened(steroids))

    @pytest.mark.parametrize(
        "risk",
        [
            red_flags(osteoporosis="yes"),
            safety(immune_details=["long_term_steroids"]),
            {"medications": [{"name": "prednisolone 5mg"}]},
        ],
        ids=["osteoporosis", "long-term steroids ticked", "prednisolone listed"],
    )
    def test_injury_unsure_with_osteoporosis_or_steroids_is_critical(self, risk: dict[str, Any]) -> None:
        result = screened(merge(red_flags(recent_serious_injury="unsure"), risk))
        fracture = [f for f in result.flags if f.category == "red_flag_fracture"]
        assert [(f.rule_id, f.severity) for f in fracture] == [
            ("red_flag_fracture.injury_unsure_with_risk", "critical")
        ]
        assert fracture[0].evidence[0].field == "red_flags.recent_serious_injury"
        assert result.patient_advice is None

    def test_injury_unsure_with_osteoporosis_unsure_is_critical_and_asks(self) -> None:
        result = screened(red_flags(recent_serious_injury="unsure", osteoporosis="unsure"))
        assert rule_ids(result) == ["red_flag_fracture.injury_unsure_with_risk.unsure"]
        assert result.highest_severity == "critical" and result.flags[0].action.startswith(CLARIFY)

    def test_no_injury_no_osteoporosis_no_flag(self) -> None:
        assert screened(red_flags(recent_serious_injury="no", osteoporosis="no")).flags == []
