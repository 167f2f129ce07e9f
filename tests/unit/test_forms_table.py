"""Realistic forms with the categories and severities a practitioner should see: single findings, combinations,
unsure answers, minors, ages around 18 and 50 on the submission date, contradictions and pregnancy with weeks;
then forms for every row that is new or changed in catalog 2026.12 (clinical specification v2)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import merge
from tests.unit.forms import born, medications, red_flags, safety, screened

C, W, INFO = "critical", "warning", "info"


def form(*parts: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged = merge(merged, part)
    return merged


def pain(weeks: int) -> dict[str, Any]:
    return {"back_pain": {"duration_weeks": weeks}}


GUARDIAN = {"consent": {"guardian_name": "Parent Name"}}
HIGH_START_BACK = {
    "start_back": {
        "leg_pain": True,
        "shoulder_or_neck_pain": False,
        "walked_short_distances_only": True,
        "dressed_more_slowly": False,
        "not_safe_to_be_active": True,
        "worrying_thoughts": True,
        "pain_terrible_never_better": True,
        "stopped_enjoying_things": False,
        "bothersomeness": "very_much",
    }
}

FORMS: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    ("all no, 41 years old", {}, set()),
    ("haemophilia", safety(bleeding_disorder="yes"), {("bleeding", C)}),
    ("unsure about bleeding disorder", safety(bleeding_disorder="unsure"), {("bleeding", W)}),
    ("on warfarin, says so", form(safety(blood_thinners="yes"), medications("Warfarin 5mg daily")), {("bleeding", W)}),
    ("contract example: Eliquis under no", medications("Eliquis"), {("bleeding", W)}),
    (
        "brand misspelt under unsure",
        form(safety(blood_thinners="unsure"), medications("eliquiss 5 mg")),
        {("bleeding", W)},
    ),
    (
        "DOAC plus baby aspirin",
        form(safety(blood_thinners="yes"), medications("Xarelto", "baby aspirin")),
        {("bleeding", C), ("bleeding", W)},
    ),
    ("ibuprofen only", medications("Ibuprofen 400mg as needed"), {("bleeding", INFO)}),
    ("pregnant 10 weeks", safety(pregnant="yes", pregnancy_weeks=10), {("pregnancy", W)}),
    (
        "pregnant 30 weeks with fainting",
        safety(pregnant="yes", pregnancy_weeks=30, fainting_with_needles="yes"),
        {("pregnancy", W), ("vasovagal", W)},
    ),
    ("maybe pregnant", safety(pregnant="unsure"), {("pregnancy", W)}),
    ("weeks given but not pregnant", safety(pregnant="no", pregnancy_weeks=12), {("pregnancy", W)}),
    (
        "kidney transplant on tacrolimus",
        form(safety(immune_condition="yes", immune_details=["organ_transplant"]), medications("tacrolimus 2mg")),
        {("immunocompromise", W)},
    ),
    ("uncontrolled diabetes", safety(diabetes="uncontrolled"), {("immunocompromise", W)}),
    ("controlled diabetes", safety(diabetes="controlled"), set()),
    ("unsure diabetes control", safety(diabetes="unsure"), {("immunocompromise", W)}),
    ("pacemaker", safety(electronic_implant="yes", implant_details=["pacemaker"]), {("implanted_device", W)}),
    ("stimulator listed under no", safety(implant_details=["spinal_cord_stimulator"]), {("implanted_device", W)}),
    (
        "epilepsy and nickel allergy",
        safety(epilepsy="yes", metal_allergy="yes"),
        {("seizure", W), ("metal_allergy", W)},
    ),
    ("prosthetic valve", safety(heart_valve_condition="yes"), {("cardiac_valve", W)}),
    ("lymph nodes removed", safety(lymphoedema="yes"), {("lymphoedema", W)}),
    ("eczema where it hurts", safety(skin_problem_at_pain_area="yes"), {("skin", W)}),
    ("16 without guardian", born(16), {("minor_consent", W)}),
    ("16 with guardian", form(born(16), GUARDIAN), set()),
    ("18 today", born(18), set()),
    ("18 tomorrow", born(18, days=1), {("minor_consent", W)}),
    ("saddle numbness", red_flags(saddle_numbness="yes"), {("red_flag_cauda_equina", C)}),
    ("bladder change unsure", red_flags(bladder_or_bowel_change="unsure"), {("red_flag_cauda_equina", C)}),
    ("both legs tingling", red_flags(symptoms_in_both_legs="yes"), {("red_flag_cauda_equina", W)}),
    (
        "both legs, saddle numbness and weakness",
        red_flags(symptoms_in_both_legs="yes", saddle_numbness="yes", worsening_leg_weakness="yes"),
        {("red_flag_cauda_equina", C), ("red_flag_cauda_equina", W), ("red_flag_neurological_deficit", C)},
    ),
    ("worsening weakness", red_flags(worsening_leg_weakness="yes"), {("red_flag_neurological_deficit", C)}),
    ("feverish", red_flags(fever_or_unwell="yes"), {("red_flag_infection", W)}),
    ("feverish and injects drugs", red_flags(fever_or_unwell="yes", injects_drugs="yes"), {("red_flag_infection", C)}),
    (
        "feverish on chemotherapy",
        form(red_flags(fever_or_unwell="yes"), safety(immune_details=["chemotherapy"])),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "feverish, unsure about drugs",
        red_flags(fever_or_unwell="yes", injects_drugs="unsure"),
        {("red_flag_infection", C)},
    ),
    ("past cancer, nothing else", red_flags(cancer_history="yes"), {("red_flag_malignancy", W)}),
    ("past cancer with night pain", red_flags(cancer_history="yes", night_pain="yes"), {("red_flag_malignancy", C)}),
    (
        "past cancer with weight loss and weakness",
        red_flags(cancer_history="yes", unexplained_weight_loss="yes", worsening_leg_weakness="yes"),
        {("red_flag_malignancy", C), ("red_flag_neurological_deficit", C)},
    ),
    ("weight loss alone", red_flags(unexplained_weight_loss="yes"), {("red_flag_malignancy", W)}),
    ("night pain alone", red_flags(night_pain="yes"), {("red_flag_malignancy", INFO)}),
    ("50 today, 2 weeks of pain", form(born(50), pain(2)), {("red_flag_malignancy", INFO)}),
    ("49, 2 weeks of pain", form(born(50, days=1), pain(2)), set()),
    ("65, 6 weeks of pain", form(born(65), pain(6)), set()),
    ("fall last week", red_flags(recent_serious_injury="yes"), {("red_flag_fracture", C)}),
    ("osteoporosis", red_flags(osteoporosis="yes"), {("red_flag_fracture", W)}),
    (
        "osteoporosis after a fall",
        red_flags(osteoporosis="yes", recent_serious_injury="yes"),
        {("red_flag_fracture", C)},
    ),
    ("prednisolone long term", medications("Prednisolone 10 mg"), {("immunocompromise", W), ("red_flag_fracture", W)}),
    ("high STarT Back", HIGH_START_BACK, {("psychosocial_risk", INFO)}),
    (
        "older patient on clopidogrel and sertraline, new pain",
        form(born(78), pain(3), safety(blood_thinners="yes"), medications("clopidogrel 75mg", "sertraline 50mg")),
        {("bleeding", W), ("bleeding", INFO), ("red_flag_malignancy", INFO)},
    ),
    (
        "unsure about everything in safety",
        safety(
            bleeding_disorder="unsure",
            blood_thinners="unsure",
            pregnant="unsure",
            immune_condition="unsure",
            electronic_implant="unsure",
            epilepsy="unsure",
            heart_valve_condition="unsure",
            diabetes="unsure",
            metal_allergy="unsure",
            lymphoedema="unsure",
            skin_problem_at_pain_area="unsure",
            fainting_with_needles="unsure",
        ),
        {
            ("bleeding", W),
            ("pregnancy", W),
            ("immunocompromise", W),
            ("implanted_device", W),
            ("seizure", W),
            ("cardiac_valve", W),
            ("metal_allergy", W),
            ("lymphoedema", W),
            ("skin", W),
            ("vasovagal", W),
        },
    ),
    (
        "minor, pregnant, no guardian",
        form(born(17), safety(pregnant="yes", pregnancy_weeks=16)),
        {("minor_consent", W), ("pregnancy", W)},
    ),
]


FEVER = red_flags(fever_or_unwell="yes")
OLDER_NEW_PAIN = form(born(66), pain(2))


def guardian(name: str, **consent: Any) -> dict[str, Any]:
    return {"consent": {"guardian_name": name, **consent}}


V2_FORMS: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    # infection
    ("fever with controlled type 2 diabetes", form(FEVER, safety(diabetes="controlled")), {("red_flag_infection", C)}),
    (
        "maybe feverish, controlled diabetes",
        form(red_flags(fever_or_unwell="unsure"), safety(diabetes="controlled")),
        {("red_flag_infection", C)},
    ),
    ("injects drugs, no fever", red_flags(injects_drugs="yes"), {("red_flag_infection", W)}),
    ("unsure about injecting, no fever", red_flags(injects_drugs="unsure"), {("red_flag_infection", W)}),
    (
        "injects drugs, unsure about fever",
        red_flags(injects_drugs="yes", fever_or_unwell="unsure"),
        {("red_flag_infection", C)},
    ),
    (
        "fever with HIV ticked in the details",
        form(FEVER, safety(immune_details=["hiv"])),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "unsure about fever and about immune problems",
        form(red_flags(fever_or_unwell="unsure"), safety(immune_condition="unsure")),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "fever on methotrexate for rheumatoid arthritis",
        form(FEVER, medications("Methotrexate 15 mg weekly", "folic acid 5mg")),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "fever on prednisolone",
        form(FEVER, medications("Prednisolone 10mg daily")),
        {("red_flag_infection", C), ("immunocompromise", W), ("red_flag_fracture", W)},
    ),
    (
        "fever, controlled diabetes and Humira",
        form(FEVER, safety(diabetes="controlled"), medications("Humira 40mg every other week")),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "fever during capecitabine",
        form(FEVER, medications("capecitabine 1500mg twice daily")),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "fever with uncontrolled diabetes",
        form(FEVER, safety(diabetes="uncontrolled")),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "injects drugs, unsure about immune problems",
        form(red_flags(injects_drugs="yes"), safety(immune_condition="unsure")),
        {("red_flag_infection", W), ("immunocompromise", W)},
    ),
    # malignancy
    (
        "unsure about past cancer and about night pain",
        red_flags(cancer_history="unsure", night_pain="unsure"),
        {("red_flag_malignancy", C)},
    ),
    (
        "49 with 2 weeks of night pain",
        form(born(49), pain(2), red_flags(night_pain="yes")),
        {("red_flag_malignancy", INFO)},
    ),
    (
        "breast cancer survivor with tingling in both legs",
        red_flags(cancer_history="yes", symptoms_in_both_legs="yes"),
        {("red_flag_malignancy", C), ("red_flag_cauda_equina", W)},
    ),
    (
        "unsure about past cancer, symptoms in both legs",
        red_flags(cancer_history="unsure", symptoms_in_both_legs="yes"),
        {("red_flag_malignancy", C), ("red_flag_cauda_equina", W)},
    ),
    (
        "past cancer, unsure about both legs",
        red_flags(cancer_history="yes", symptoms_in_both_legs="unsure"),
        {("red_flag_malignancy", C), ("red_flag_malignancy", W), ("red_flag_cauda_equina", W)},
    ),
    (
        "66, 2 weeks of pain, night pain",
        form(OLDER_NEW_PAIN, red_flags(night_pain="yes")),
        {("red_flag_malignancy", W)},
    ),
    (
        "66, 2 weeks of pain, night pain and weight loss",
        form(OLDER_NEW_PAIN, red_flags(night_pain="yes", unexplained_weight_loss="yes")),
        {("red_flag_malignancy", C), ("red_flag_malignancy", W)},
    ),
    (
        "58, 4 weeks of pain, unsure about night pain",
        form(born(58), pain(4), red_flags(night_pain="unsure")),
        {("red_flag_malignancy", W)},
    ),
    (
        "70, 1 week of pain, night pain, unsure about weight loss",
        form(born(70), pain(1), red_flags(night_pain="yes", unexplained_weight_loss="unsure")),
        {("red_flag_malignancy", C), ("red_flag_malignancy", W)},
    ),
    (
        "45 with night pain and weight loss",
        red_flags(night_pain="yes", unexplained_weight_loss="yes"),
        {("red_flag_malignancy", W), ("red_flag_malignancy", INFO)},
    ),
    # fracture
    (
        "unsure whether the fall counts, osteoporosis",
        red_flags(recent_serious_injury="unsure", osteoporosis="yes"),
        {("red_flag_fracture", C)},
    ),
    (
        "unsure about a fall, long-term steroids ticked",
        form(red_flags(recent_serious_injury="unsure"), safety(immune_details=["long_term_steroids"])),
        {("red_flag_fracture", C), ("immunocompromise", W)},
    ),
    (
        "unsure about a fall and about osteoporosis",
        red_flags(recent_serious_injury="unsure", osteoporosis="unsure"),
        {("red_flag_fracture", C)},
    ),
    (
        "unsure about a fall on prednisone",
        form(red_flags(recent_serious_injury="unsure"), medications("prednisone 20 mg")),
        {("red_flag_fracture", C), ("immunocompromise", W)},
    ),
    ("unsure about a fall, nothing else", red_flags(recent_serious_injury="unsure"), {("red_flag_fracture", W)}),
    # minors
    ("15, guardian written as n/a", form(born(15), guardian("n/a")), {("minor_consent", W)}),
    ("16, guardian is the patient herself", form(born(16), guardian("Test Patient")), {("minor_consent", W)}),
    ("16, guardian written as self", form(born(16), guardian("self")), {("minor_consent", W)}),
    (
        "17, guardian did not confirm",
        form(born(17), guardian("Ana García", guardian_relationship="parent", guardian_confirmed=False)),
        {("minor_consent", W)},
    ),
    (
        "16, guardian confirmed",
        form(born(16), guardian("Ana García", guardian_relationship="parent", guardian_confirmed=True)),
        set(),
    ),
    ("14, mother named on a 1.0 form", form(born(14), guardian("Li Wei")), set()),
    # bleeding
    (
        "warfarin and ibuprofen for the back",
        form(safety(blood_thinners="yes"), medications("Warfarin 3mg", "Ibuprofen 400mg")),
        {("bleeding", C), ("bleeding", W), ("bleeding", INFO)},
    ),
    (
        "Eliquis with naproxen, blood thinners answered no",
        medications("Eliquis 5mg twice daily", "naproxen 500mg"),
        {("bleeding", C), ("bleeding", W), ("bleeding", INFO)},
    ),
    (
        "enoxaparin injections with diclofenac",
        form(safety(blood_thinners="yes"), medications("enoxaparin 40mg injection", "diclofenac 50mg")),
        {("bleeding", C), ("bleeding", W), ("bleeding", INFO)},
    ),
    (
        "low-dose aspirin with ibuprofen",
        form(safety(blood_thinners="yes"), medications("aspirin 75mg", "ibuprofen 200mg")),
        {("bleeding", W), ("bleeding", INFO)},
    ),
    (
        "Eliquis and apixaban on two lines",
        form(safety(blood_thinners="yes"), medications("Eliquis", "apixaban 5mg")),
        {("bleeding", W)},
    ),
    (
        "Brilinta and aspirin after a stent",
        form(safety(blood_thinners="yes"), medications("Brilinta 90mg", "aspirin 75mg")),
        {("bleeding", C), ("bleeding", W)},
    ),
    (
        "warfarin bridged with Clexane",
        form(safety(blood_thinners="yes"), medications("warfarin 5mg", "Clexane 80mg")),
        {("bleeding", C), ("bleeding", W)},
    ),
]


UNKNOWN_BRANDS = [
    "Zorvaxin",
    "Pelmortil",
    "Qantrex",
    "Dulmiron",
    "Brenolix",
    "Tavimex",
    "Corvalent",
    "Nuvexa",
    "Ostrevan",
    "Gilmorax",
    "Hepranol",
    "Sandomir",
]
"""Brand names from abroad that no lexicon holds: enough of them exhaust the reader's misspelling budget."""

READER_FORMS: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    (
        "knows only that it is a blood thinner",
        form(safety(blood_thinners="yes"), medications("blood thinner, not sure of the name")),
        {("bleeding", W)},
    ),
    (
        "anticoagulante written in Spanish with ibuprofen",
        form({"locale": "es"}, medications("anticoagulante", "ibuprofeno 600")),
        {("bleeding", W), ("bleeding", INFO)},
    ),
    (
        "chemo written as a word, feverish",
        form(FEVER, medications("chemo every 3 weeks")),
        {("immunocompromise", W), ("red_flag_infection", W)},
    ),
    ("化疗 written in Chinese", form({"locale": "zh-Hans"}, medications("化疗")), {("immunocompromise", W)}),
    ("steroid tablets, name unknown", medications("steroid tablets"), {("immunocompromise", W)}),
    ("warfarin stopped in 2019", medications("warfarin - stopped in 2019"), {("bleeding", INFO)}),
    (
        "used to take methotrexate, feverish now",
        form(FEVER, medications("used to take methotrexate")),
        {("red_flag_infection", W), ("immunocompromise", INFO)},
    ),
    (
        "stopped Plavix, takes aspirin",
        form(safety(blood_thinners="yes"), medications("Plavix - stopped last year", "aspirin 75mg")),
        {("bleeding", W), ("bleeding", INFO)},
    ),
    ("aspirin allergy written in the list", medications("aspirin allergy"), {("medication_list", INFO)}),
    ("tamoxifen, cancer answered no", medications("Tamoxifen 20mg"), {("red_flag_malignancy", W)}),
    (
        "letrozole after breast cancer, night pain",
        form(red_flags(cancer_history="yes", night_pain="yes"), medications("Letrozole 2.5mg")),
        {("red_flag_malignancy", C), ("red_flag_malignancy", W)},
    ),
    (
        "Zoladex implant, cancer unsure",
        form(red_flags(cancer_history="unsure"), medications("Zoladex implant")),
        {("red_flag_malignancy", W)},
    ),
    ("ginkgo and fish oil", medications("ginkgo biloba", "fish oil 1000mg"), {("bleeding", INFO)}),
    (
        "Plavix written in the dose box",
        {"medications": [{"name": "heart tablet", "dose": "Plavix 75"}]},
        {("bleeding", W)},
    ),
    ("DuoPlavin, one tablet of two antithrombotics", medications("DuoPlavin"), {("bleeding", C), ("bleeding", W)}),
    (
        "Clexane and enoxaparin on two lines",
        form(safety(blood_thinners="yes"), medications("Clexane", "enoxaparin 40mg")),
        {("bleeding", W)},
    ),
    (
        "华法林 in Chinese with 布洛芬",
        form({"locale": "zh-Hans"}, safety(blood_thinners="yes"), medications("华法林钠片 3mg", "布洛芬")),
        {("bleeding", C), ("bleeding", W), ("bleeding", INFO)},
    ),
    ("full-width Eliquis from a CJK keyboard", medications("ＥＬＩＱＵＩＳ ５ｍｇ"), {("bleeding", W)}),
    ("Sintrom from Spain", form(safety(blood_thinners="yes"), medications("Sintrom 4")), {("bleeding", W)}),
    (
        "FOLFOX with a fever",
        form(FEVER, medications("FOLFOX every 2 weeks")),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    (
        "R-CHOP, unsure about a fall",
        form(red_flags(recent_serious_injury="unsure"), medications("R-CHOP")),
        {("red_flag_fracture", C), ("immunocompromise", W)},
    ),
    (
        "infliximab infusions with a fever",
        form(FEVER, medications("infliximab infusion every 8 weeks")),
        {("red_flag_infection", C), ("immunocompromise", W)},
    ),
    ("hydrocortisone cream only", medications("hydrocortisone cream"), set()),
    (
        "twelve foreign brands and apixaban",
        form(safety(blood_thinners="yes"), medications(*(f"{name} 10mg" for name in UNKNOWN_BRANDS), "apixaban 5mg")),
        {("medication_list", W), ("bleeding", W)},
    ),
]

ALL_FORMS = FORMS + V2_FORMS + READER_FORMS


def test_the_table_is_large_enough() -> None:
    assert len(FORMS) >= 40 and len(V2_FORMS + READER_FORMS) >= 40
    assert len({name for name, _, _ in ALL_FORMS}) == len(ALL_FORMS)


@pytest.mark.parametrize(("changes", "expected"), [(c, e) for _, c, e in ALL_FORMS], ids=[n for n, _, _ in ALL_FORMS])
def test_form_raises_exactly_the_expected_categories_and_severities(
    changes: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    result = screened(changes)
    assert {(f.category.value, f.severity.value) for f in result.flags} == expected
    severities = {severity for _, severity in expected}
    assert result.status == ("needs_review" if severities & {C, W} else "clear")
    assert result.highest_severity == next((s for s in (C, W, INFO) if s in severities), None)
