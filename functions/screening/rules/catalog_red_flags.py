"""Back-pain red flags: the red-flag table of docs/clinical-basis.md.

Unsure answers on the emergencies marked ⚑ (cauda equina, worsening weakness, fever with infection risk) are raised
to critical, not just warning, when a single unsure answer stands between the form and the emergency: critical
flags alert the practice, so someone asks the patient directly before the appointment instead of on the day. They
carry no patient advice, because the answers do not show an emergency. In a row that combines answers an unsure
answer counts as a possible yes, so the row fires at its own severity (`combination_rules`); unsure answers on the
single-answer rows follow the default: warning, "Clarify before treatment".
"""

from __future__ import annotations

from dataclasses import replace

from screening.contract.screening import Category, Evidence, Severity
from screening.rules.builders import (
    CLARIFY,
    UNSURE_SOURCE,
    Sign,
    State,
    answered,
    any_sign,
    combination_rules,
    question_rules,
    sign,
    unsure_notes,
)
from screening.rules.catalog_safety import (
    CLASS_WORD_SOURCE,
    DIABETES,
    IMMUNE_CONDITION,
    IMMUNOCOMPROMISE_INPUTS,
    class_words,
    immunocompromise_evidence,
    past_medicines,
    steroid_duration,
)
from screening.rules.facts import (
    CLASS_WORDS,
    OLDER_WITH_NEW_PAIN,
    PAST_MEDICINES,
    Facts,
    Question,
    age_evidence,
    item_evidence,
    medicine_evidence,
)
from screening.rules.rule import Rule

SADDLE_NUMBNESS = Question("red_flags.saddle_numbness")
BLADDER_OR_BOWEL = Question("red_flags.bladder_or_bowel_change")
WORSENING_WEAKNESS = Question("red_flags.worsening_leg_weakness")
BOTH_LEGS = Question("red_flags.symptoms_in_both_legs")
FEVER = Question("red_flags.fever_or_unwell")
INJECTS_DRUGS = Question("red_flags.injects_drugs")
WEIGHT_LOSS = Question("red_flags.unexplained_weight_loss")
CANCER = Question("red_flags.cancer_history")
NIGHT_PAIN = Question("red_flags.night_pain")
INJURY = Question("red_flags.recent_serious_injury")
OSTEOPOROSIS = Question("red_flags.osteoporosis")
PAIN_WEEKS = Question("back_pain.duration_weeks")

_CANCER_FEATURES = (NIGHT_PAIN, WEIGHT_LOSS, WORSENING_WEAKNESS)
_MALIGNANCY_INPUTS = tuple(q.input for q in (CANCER, *_CANCER_FEATURES))
_CAUDA_EQUINA_INPUTS = (SADDLE_NUMBNESS.input, BLADDER_OR_BOWEL.input)
_INFECTION_INPUTS = (FEVER.input, INJECTS_DRUGS.input, *IMMUNOCOMPROMISE_INPUTS)
_FRACTURE_INPUTS = (INJURY.input, OSTEOPOROSIS.input, "immune_details", "systemic_corticosteroid")
_EMERGENCY_UNSURE = (
    "; critical rather than warning because one unsure answer stands between this form and an emergency: "
    "the practice must ask the patient directly before the appointment (no patient advice: no emergency shown)"
)
_POSSIBLE = "; an unsure answer counts as a possible yes, so the row keeps its severity"
_CAUDA_EQUINA_SOURCE = "NICE CKS back pain; BASS 2018 cauda equina standards"
_INFECTION_SOURCE = "NICE CKS back pain (spinal infection risk factors); NICE NG59 context; ACP (Chou 2011)"
_FRACTURE_SOURCE = "ACP 2011 (Chou 2011)"
_MALIGNANCY_SOURCE = "NICE NG234 (spinal metastases, was CG75)"
_HORMONAL_SOURCE = "NICE NG234 (breast and prostate cancer spread to the spine most)"
_WEAK_SIGNS_SOURCE = "ACP 2011 (Chou 2011); Downie 2013 (combinations predict, single flags do not)"
_WEAK_SIGN_RULES = (
    "red_flag_malignancy.weak_signs_all_three",
    "red_flag_malignancy.weak_signs_all_three.unsure",
    "red_flag_malignancy.weak_signs_two",
)
_NIGHT_PAIN_COMBINATIONS = (
    "red_flag_malignancy.cancer_with_features",
    "red_flag_malignancy.cancer_with_features.unsure",
    *_WEAK_SIGN_RULES,
)
_FEVER_RULES = (
    "red_flag_infection.fever_with_risk",
    "red_flag_infection.fever_with_risk.unsure",
    "red_flag_infection.fever_with_diabetes",
    "red_flag_infection.fever_with_diabetes.unsure",
)


def _yes(facts: Facts, *questions: Question) -> list[Evidence]:
    return [q.evidence(facts) for q in questions if q(facts) == "yes"]


def _saddle_or_sphincter(facts: Facts) -> list[Evidence] | None:
    found = _yes(facts, SADDLE_NUMBNESS, BLADDER_OR_BOWEL)
    return [*found, *unsure_notes(facts, SADDLE_NUMBNESS, BLADDER_OR_BOWEL)] if found else None


def _saddle_or_sphincter_unsure(facts: Facts) -> list[Evidence] | None:
    return unsure_notes(facts, SADDLE_NUMBNESS, BLADDER_OR_BOWEL) or None


def _infection_risk(facts: Facts) -> tuple[State, list[Evidence]]:
    """A spinal-infection risk factor: injecting drugs or immunocompromise from any source (answers, details,
    medicines); possible when one of those answers is unsure."""
    shown = [*_yes(facts, INJECTS_DRUGS), *immunocompromise_evidence(facts)]
    if shown:
        return "yes", shown
    unsure = unsure_notes(facts, INJECTS_DRUGS, IMMUNE_CONDITION, DIABETES)
    return ("unsure", unsure) if unsure else ("no", [])


def _controlled_diabetes(facts: Facts) -> tuple[State, list[Evidence]]:
    return ("yes", [DIABETES.evidence(facts)]) if DIABETES(facts) == "controlled" else ("no", [])


def _older_with_new_pain_sign(facts: Facts) -> tuple[State, list[Evidence]]:
    if OLDER_WITH_NEW_PAIN not in facts.active:
        return "no", []
    return "yes", [age_evidence(facts), PAIN_WEEKS.evidence(facts)]


def _long_term_steroids(facts: Facts) -> tuple[State, list[Evidence]]:
    """Long-term steroids: ticked in the immune details, or a systemic corticosteroid taken now (H02)."""
    details = facts.form.safety.immune_details
    evidence = [
        item_evidence("safety.immune_details", i, detail)
        for i, detail in enumerate(details)
        if detail == "long_term_steroids"
    ]
    evidence += facts.shown("systemic_corticosteroid")
    return ("yes", evidence) if evidence else ("no", [])


_FRACTURE_RISK: Sign = any_sign(sign(OSTEOPOROSIS), _long_term_steroids)
_NIGHT_PAIN: Sign = sign(NIGHT_PAIN)
_CANCER_FEATURE: Sign = any_sign(*(sign(q) for q in _CANCER_FEATURES))


def _hormonal_cancer_medicine(facts: Facts) -> list[Evidence] | None:
    listed = facts.listed("hormonal_cancer")
    if not listed:
        return None
    answer = CANCER(facts)
    if answer == "yes":
        cancer = [CANCER.evidence(facts)]
    else:
        disagree = "answer and list disagree" if answer == "no" else "clarify"
        note = f"answered '{answer}', but the medication list holds a hormonal cancer medicine: {disagree}"
        cancer = [CANCER.evidence(facts, note=note)]
    return [*cancer, *medicine_evidence(listed)]


def _cancer_or_weight_loss(facts: Facts) -> list[Evidence] | None:
    return _yes(facts, CANCER, WEIGHT_LOSS) or None


def _cancer_or_weight_loss_unsure(facts: Facts) -> list[Evidence] | None:
    return unsure_notes(facts, CANCER, WEIGHT_LOSS) or None


def _two_weak_signs(facts: Facts) -> list[Evidence] | None:
    older, age = _older_with_new_pain_sign(facts)
    night, pain = _NIGHT_PAIN(facts)
    return [*age, *pain] if older == "yes" and night != "no" else None


def _older_with_new_pain(facts: Facts) -> list[Evidence] | None:
    state, evidence = _older_with_new_pain_sign(facts)
    return evidence if state == "yes" else None


def _fracture_risk(facts: Facts) -> list[Evidence] | None:
    state, evidence = _FRACTURE_RISK(facts)
    return [e for e in evidence if e.note is None] if state == "yes" else None


_INJURY_RULE, _INJURY_UNSURE_RULE = question_rules(
    "red_flag_fracture.recent_injury",
    Category.RED_FLAG_FRACTURE,
    INJURY,
    severity=Severity.CRITICAL,
    title="Recent serious injury: possible fracture",
    unsure_title="Unsure about a recent serious injury",
    action="Do not needle until assessed: imaging / medical assessment first",
    ask="ask about recent falls, road accidents or other serious injuries",
    source=_FRACTURE_SOURCE,
)
RED_FLAG_RULES: tuple[Rule, ...] = (
    Rule(
        "red_flag_cauda_equina.saddle_or_sphincter",
        Category.RED_FLAG_CAUDA_EQUINA,
        Severity.CRITICAL,
        "Possible cauda equina syndrome: saddle numbness or bladder/bowel change",
        "`red_flags.saddle_numbness` yes or `red_flags.bladder_or_bowel_change` yes (⚑ emergency)",
        "Do not treat; same-day emergency assessment",
        _CAUDA_EQUINA_SOURCE,
        _saddle_or_sphincter,
        reads=_CAUDA_EQUINA_INPUTS,
        advice="cauda_equina",
    ),
    Rule(
        "red_flag_cauda_equina.saddle_or_sphincter.unsure",
        Category.RED_FLAG_CAUDA_EQUINA,
        Severity.CRITICAL,
        "Unsure about saddle numbness or bladder/bowel change",
        f"`red_flags.saddle_numbness` or `red_flags.bladder_or_bowel_change` unsure{_EMERGENCY_UNSURE}",
        f"{CLARIFY}contact the patient before the appointment and ask directly about numbness between the legs or "
        "around the bottom and new bladder or bowel trouble; do not needle until both are ruled out; "
        "any yes: same-day emergency assessment",
        f"{_CAUDA_EQUINA_SOURCE}; {UNSURE_SOURCE}",
        _saddle_or_sphincter_unsure,
        reads=_CAUDA_EQUINA_INPUTS,
        unless=("red_flag_cauda_equina.saddle_or_sphincter",),
    ),
    *question_rules(
        "red_flag_cauda_equina.both_legs",
        Category.RED_FLAG_CAUDA_EQUINA,
        BOTH_LEGS,
        title="Symptoms in both legs",
        unsure_title="Unsure about symptoms in both legs",
        action="Ask about saddle and bladder symptoms; any yes: emergency assessment",
        ask="ask about pain, numbness or tingling in both legs",
        source="BASS 2018 cauda equina standards",
    ),
    Rule(
        "red_flag_neurological_deficit.worsening_weakness",
        Category.RED_FLAG_NEUROLOGICAL_DEFICIT,
        Severity.CRITICAL,
        "Worsening leg weakness",
        "`red_flags.worsening_leg_weakness` yes (⚑ emergency)",
        "Do not needle; urgent medical assessment",
        "ACP 2011 imaging advice (Chou 2011)",
        answered(WORSENING_WEAKNESS, "yes"),
        reads=(WORSENING_WEAKNESS.input,),
        advice="worsening_weakness",
    ),
    Rule(
        "red_flag_neurological_deficit.worsening_weakness.unsure",
        Category.RED_FLAG_NEUROLOGICAL_DEFICIT,
        Severity.CRITICAL,
        "Unsure about worsening leg weakness",
        f"`red_flags.worsening_leg_weakness` unsure{_EMERGENCY_UNSURE}",
        f"{CLARIFY}contact the patient before the appointment and ask whether leg weakness is getting worse; "
        "any yes: urgent medical assessment",
        f"ACP 2011 imaging advice (Chou 2011); {UNSURE_SOURCE}",
        answered(WORSENING_WEAKNESS, "unsure"),
        reads=(WORSENING_WEAKNESS.input,),
    ),
    *combination_rules(
        "red_flag_infection.fever_with_risk",
        Category.RED_FLAG_INFECTION,
        Severity.CRITICAL,
        (sign(FEVER), _infection_risk),
        title="Fever or unwell with a spinal-infection risk",
        unsure_title="Fever or unwell, with a spinal-infection risk possible",
        trigger="`red_flags.fever_or_unwell` yes with `red_flags.injects_drugs` yes or immunocompromise from any "
        "source: answers, details or medicines (as rule immunocompromise.present, class words excepted) (⚑ emergency)",
        unsure_trigger="`red_flags.fever_or_unwell` and a spinal-infection risk factor, each yes or unsure "
        f"(`red_flags.injects_drugs`, `safety.immune_condition` or `safety.diabetes` unsure), one at least unsure"
        f"{_EMERGENCY_UNSURE}",
        action="Do not needle; same-day medical assessment (possible spinal infection)",
        ask="contact the patient before the appointment about fever, injecting drugs and immune problems",
        source=_INFECTION_SOURCE,
        reads=_INFECTION_INPUTS,
        advice="spinal_infection",
    ),
    *combination_rules(
        "red_flag_infection.fever_with_diabetes",
        Category.RED_FLAG_INFECTION,
        Severity.CRITICAL,
        (sign(FEVER), _controlled_diabetes),
        title="Fever or unwell with diabetes",
        unsure_title="Possible fever or feeling unwell, with diabetes",
        trigger="`red_flags.fever_or_unwell` yes with `safety.diabetes` controlled and no other spinal-infection "
        "risk (critical without patient advice)",
        unsure_trigger=f"`red_flags.fever_or_unwell` unsure with `safety.diabetes` controlled{_POSSIBLE}",
        action="Contact the patient today; same-day medical assessment if feverish (possible spinal infection)",
        ask="ask the patient today about fever, chills or feeling generally unwell",
        source="NICE CKS back pain (diabetes is a spinal-infection risk factor)",
        reads=(FEVER.input, DIABETES.input),
        unless=("red_flag_infection.fever_with_risk", "red_flag_infection.fever_with_risk.unsure"),
    ),
    Rule(
        "red_flag_infection.fever",
        Category.RED_FLAG_INFECTION,
        Severity.WARNING,
        "Fever or unwell",
        "`red_flags.fever_or_unwell` yes without a spinal-infection risk factor",
        "Medical assessment before treatment",
        _INFECTION_SOURCE,
        answered(FEVER, "yes"),
        reads=(FEVER.input,),
        unless=_FEVER_RULES,
    ),
    Rule(
        "red_flag_infection.fever.unsure",
        Category.RED_FLAG_INFECTION,
        Severity.WARNING,
        "Unsure about fever or feeling unwell",
        "`red_flags.fever_or_unwell` unsure without a spinal-infection risk factor, present or possible",
        f"{CLARIFY}ask about fever, chills or feeling generally unwell. If yes: medical assessment before "
        "treatment; same day if the patient injects drugs, is immunocompromised or has diabetes",
        f"{_INFECTION_SOURCE}; {UNSURE_SOURCE}",
        answered(FEVER, "unsure"),
        reads=(FEVER.input,),
        unless=_FEVER_RULES,
    ),
    *question_rules(
        "red_flag_infection.injects_drugs",
        Category.RED_FLAG_INFECTION,
        INJECTS_DRUGS,
        title="Injects drugs: spinal-infection risk",
        unsure_title="Unsure about injecting drugs",
        action="Ask about fever, sweats and recent infection; medical assessment if any",
        ask="ask whether the patient injects drugs",
        source="NICE CKS back pain (intravenous drug use is a spinal-infection risk factor)",
        unless=_FEVER_RULES,
    ),
    *combination_rules(
        "red_flag_malignancy.cancer_with_features",
        Category.RED_FLAG_MALIGNANCY,
        Severity.CRITICAL,
        (sign(CANCER), _CANCER_FEATURE),
        title="Cancer history with night pain, weight loss or worsening weakness",
        unsure_title="Cancer history with possible night pain, weight loss or worsening weakness",
        trigger="`red_flags.cancer_history` yes with `red_flags.night_pain`, `red_flags.unexplained_weight_loss` or "
        "`red_flags.worsening_leg_weakness` yes",
        unsure_trigger="`red_flags.cancer_history` and night pain, weight loss or worsening weakness, each yes or "
        f"unsure, one at least unsure{_POSSIBLE}",
        action="Do not needle until assessed: urgent GP / oncology contact (possible spinal metastasis)",
        ask="ask about past cancer, constant night pain, unexplained weight loss and worsening leg weakness",
        source=_MALIGNANCY_SOURCE,
        reads=_MALIGNANCY_INPUTS,
    ),
    *combination_rules(
        "red_flag_malignancy.cancer_with_both_legs",
        Category.RED_FLAG_MALIGNANCY,
        Severity.CRITICAL,
        (sign(CANCER), sign(BOTH_LEGS)),
        title="Cancer history with symptoms in both legs: possible spinal cord compression",
        unsure_title="Cancer history with possible symptoms in both legs",
        trigger="`red_flags.cancer_history` yes with `red_flags.symptoms_in_both_legs` yes (critical without "
        "patient advice)",
        unsure_trigger="`red_flags.cancer_history` and `red_flags.symptoms_in_both_legs`, each yes or unsure, one "
        f"at least unsure{_POSSIBLE}",
        action="Contact the patient today; same-day contact with the acute oncology / MSCC service if the leg "
        "symptoms are new (possible spinal cord compression)",
        ask="ask the patient today about past cancer and about pain, numbness or weakness in both legs",
        source="NICE NG234 (metastatic spinal cord compression)",
        reads=(CANCER.input, BOTH_LEGS.input),
    ),
    Rule(
        "red_flag_malignancy.hormonal_medicine",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Hormonal medicine of the cancer group in the medication list",
        "a hormonal medicine of the cancer group taken now (L02: tamoxifen, aromatase inhibitors, anti-androgens, "
        "GnRH analogues, which also treat endometriosis and fertility); when `red_flags.cancer_history` is no, the "
        "flag says the list and the answer disagree (unsure: clarify)",
        "Ask why it is taken; if for cancer, treat as a cancer history: with night pain, weight loss, worsening "
        "weakness or symptoms in both legs, urgent GP / oncology contact",
        _HORMONAL_SOURCE,
        _hormonal_cancer_medicine,
        reads=("hormonal_cancer",),
    ),
    Rule(
        "red_flag_malignancy.class_word",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "A hormonal cancer-treatment class word instead of a medicine's name",
        'a class word such as "hormone therapy for cancer" in the medication list (never counted towards a '
        "combination)",
        "Ask which medicine it is and why it is taken; if for cancer, treat as a cancer history: with night pain, "
        "weight loss, worsening weakness or symptoms in both legs, urgent GP / oncology contact",
        f"{_HORMONAL_SOURCE}; {CLASS_WORD_SOURCE}",
        class_words("hormonal_cancer"),
        reads=(CLASS_WORDS,),
    ),
    Rule(
        "red_flag_malignancy.past_medicine",
        Category.RED_FLAG_MALIGNANCY,
        Severity.INFO,
        "Stopped hormonal medicine of the cancer group",
        "the medication list says a hormonal medicine of the cancer group (L02) was stopped: shown, never counted",
        "Worth knowing: ask why it was taken; if for cancer, treat as a cancer history",
        _HORMONAL_SOURCE,
        past_medicines("hormonal_cancer"),
        reads=(PAST_MEDICINES,),
    ),
    Rule(
        "red_flag_malignancy.cancer_or_weight_loss",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Cancer history or unexplained weight loss",
        "`red_flags.cancer_history` yes alone (no critical malignancy combination), or "
        "`red_flags.unexplained_weight_loss` yes",
        "GP review before a course of treatment",
        "ACP 2011 (Chou 2011); NICE NG12",
        _cancer_or_weight_loss,
        reads=_MALIGNANCY_INPUTS,
        unless=("red_flag_malignancy.cancer_with_features", "red_flag_malignancy.cancer_with_both_legs"),
    ),
    Rule(
        "red_flag_malignancy.cancer_or_weight_loss.unsure",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Unsure about cancer history or weight loss",
        "`red_flags.cancer_history` or `red_flags.unexplained_weight_loss` unsure, nothing above fired",
        f"{CLARIFY}ask about past cancer and unexplained weight loss. If yes: GP review before a course of treatment",
        f"ACP 2011 (Chou 2011); NICE NG12; {UNSURE_SOURCE}",
        _cancer_or_weight_loss_unsure,
        reads=_MALIGNANCY_INPUTS,
        unless=(
            "red_flag_malignancy.cancer_with_features",
            "red_flag_malignancy.cancer_with_features.unsure",
            "red_flag_malignancy.cancer_with_both_legs",
            "red_flag_malignancy.cancer_with_both_legs.unsure",
            "red_flag_malignancy.cancer_or_weight_loss",
        ),
    ),
    *combination_rules(
        "red_flag_malignancy.weak_signs_all_three",
        Category.RED_FLAG_MALIGNANCY,
        Severity.CRITICAL,
        (_older_with_new_pain_sign, sign(NIGHT_PAIN), sign(WEIGHT_LOSS)),
        title="Aged 50 or over with new pain, night pain and unexplained weight loss",
        unsure_title="Aged 50 or over with new pain, and possible night pain and weight loss",
        trigger="all three: age ≥ 50 with `back_pain.duration_weeks` < 6, `red_flags.night_pain` yes and "
        "`red_flags.unexplained_weight_loss` yes",
        unsure_trigger="age ≥ 50 with pain of < 6 weeks, and night pain and weight loss each yes or unsure, one at "
        f"least unsure{_POSSIBLE}",
        action="Do not needle until assessed: medical assessment first (myeloma / metastasis work-up)",
        ask="ask about constant pain at night and unexplained weight loss",
        source="NICE NG12; NICE NG234; Downie 2013",
        reads=(OLDER_WITH_NEW_PAIN,),
    ),
    Rule(
        "red_flag_malignancy.weak_signs_two",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Aged 50 or over with new pain and night pain",
        "age ≥ 50 with `back_pain.duration_weeks` < 6 and `red_flags.night_pain` yes or unsure (two weak signs; "
        "with weight loss the rows above apply)",
        "GP review before a course of treatment",
        _WEAK_SIGNS_SOURCE,
        _two_weak_signs,
        reads=(OLDER_WITH_NEW_PAIN,),
        unless=("red_flag_malignancy.weak_signs_all_three", "red_flag_malignancy.weak_signs_all_three.unsure"),
    ),
    Rule(
        "red_flag_malignancy.night_pain",
        Category.RED_FLAG_MALIGNANCY,
        Severity.INFO,
        "Night pain",
        "`red_flags.night_pain` yes alone (no cancer history, yes or unsure, and not with age ≥ 50 and new pain)",
        "Keep in mind; review if no improvement in 4–6 weeks",
        "ACP 2011 (Chou 2011)",
        answered(NIGHT_PAIN, "yes"),
        reads=(NIGHT_PAIN.input,),
        unless=_NIGHT_PAIN_COMBINATIONS,
    ),
    Rule(
        "red_flag_malignancy.night_pain.unsure",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Unsure about night pain",
        "`red_flags.night_pain` unsure (warning although a yes alone is info: every unsure answer is at least a "
        "warning)",
        f"{CLARIFY}ask about constant pain at night not eased by rest. If yes: keep in mind; review if no "
        "improvement in 4–6 weeks",
        f"ACP 2011 (Chou 2011); {UNSURE_SOURCE}",
        answered(NIGHT_PAIN, "unsure"),
        reads=(NIGHT_PAIN.input,),
        unless=_NIGHT_PAIN_COMBINATIONS,
    ),
    Rule(
        "red_flag_malignancy.older_with_new_pain",
        Category.RED_FLAG_MALIGNANCY,
        Severity.INFO,
        "Aged 50 or over with back pain of under 6 weeks",
        "age ≥ 50 on the submission date and `back_pain.duration_weeks` < 6, alone",
        "Keep in mind; review if no improvement in 4–6 weeks",
        "ACP 2011 (Chou 2011)",
        _older_with_new_pain,
        reads=(OLDER_WITH_NEW_PAIN,),
        unless=_WEAK_SIGN_RULES,
    ),
    _INJURY_RULE,
    *combination_rules(
        "red_flag_fracture.injury_unsure_with_risk",
        Category.RED_FLAG_FRACTURE,
        Severity.CRITICAL,
        (sign(INJURY, holds="unsure"), _FRACTURE_RISK),
        title="Possible injury with osteoporosis or long-term steroids: possible fracture",
        unsure_title="Possible injury, with osteoporosis possible",
        trigger="`red_flags.recent_serious_injury` unsure with `red_flags.osteoporosis` yes or long-term steroids "
        "(`safety.immune_details` long_term_steroids or a systemic corticosteroid, H02, in the medication list)",
        unsure_trigger="`red_flags.recent_serious_injury` unsure with `red_flags.osteoporosis` unsure and no "
        f"steroid use shown{_POSSIBLE}",
        action="Do not needle until assessed: imaging / medical assessment first (minor trauma is enough)",
        ask="ask about recent falls or knocks, however minor, and about osteoporosis or thin bones",
        source="NICE CKS back pain (fragility fracture: minor trauma with osteoporosis or corticosteroids)",
        reads=_FRACTURE_INPUTS,
    ),
    replace(
        _INJURY_UNSURE_RULE,
        unless=("red_flag_fracture.injury_unsure_with_risk", "red_flag_fracture.injury_unsure_with_risk.unsure"),
    ),
    Rule(
        "red_flag_fracture.osteoporosis_or_steroids",
        Category.RED_FLAG_FRACTURE,
        Severity.WARNING,
        "Osteoporosis or long-term steroids: fracture risk",
        "`red_flags.osteoporosis` yes, `safety.immune_details` long_term_steroids or a systemic corticosteroid "
        "(H02) in the medication list, without a recent serious injury",
        "Gentle technique; medical review if sudden severe pain",
        _FRACTURE_SOURCE,
        _fracture_risk,
        reads=("osteoporosis", "immune_details", "systemic_corticosteroid"),
        unless=("red_flag_fracture.recent_injury", "red_flag_fracture.injury_unsure_with_risk"),
        specific=steroid_duration,
    ),
    Rule(
        "red_flag_fracture.osteoporosis_or_steroids.unsure",
        Category.RED_FLAG_FRACTURE,
        Severity.WARNING,
        "Unsure about osteoporosis",
        "`red_flags.osteoporosis` unsure, no recent serious injury (yes or unsure) and no steroid use shown",
        f"{CLARIFY}ask about osteoporosis or thin bones. If yes: gentle technique; medical review if sudden "
        "severe pain",
        f"{_FRACTURE_SOURCE}; {UNSURE_SOURCE}",
        answered(OSTEOPOROSIS, "unsure"),
        reads=(OSTEOPOROSIS.input,),
        unless=(
            "red_flag_fracture.recent_injury",
            "red_flag_fracture.injury_unsure_with_risk.unsure",
            "red_flag_fracture.osteoporosis_or_steroids",
        ),
    ),
)
