"""Back-pain red flags: the red-flag table of docs/clinical-basis.md.

Unsure answers on the emergencies marked ⚑ (cauda equina, worsening weakness, fever with infection risk) are raised
to critical, not just warning, when a single unsure answer stands between the form and the emergency: critical
flags alert the practice, so someone asks the patient directly before the appointment instead of on the day. They
carry no patient advice, because the answers do not show an emergency. Unsure answers on the other rows follow
the specification's default: warning, "Clarify before treatment".
"""

from __future__ import annotations

from screening.contract.screening import Category, Evidence, Severity
from screening.rules.builders import CLARIFY, UNSURE_SOURCE, answered, question_rules, unsure_notes
from screening.rules.catalog_safety import (
    DIABETES,
    IMMUNE_CONDITION,
    IMMUNOCOMPROMISE_INPUTS,
    immunocompromise_evidence,
)
from screening.rules.facts import Facts, Question, age_evidence, item_evidence, medicine_evidence
from screening.rules.rule import ALWAYS, Rule

SADDLE_NUMBNESS = Question("red_flags.saddle_numbness")
BLADDER_OR_BOWEL = Question("red_flags.bladder_or_bowel_change")
WORSENING_WEAKNESS = Question("red_flags.worsening_leg_weakness")
FEVER = Question("red_flags.fever_or_unwell")
INJECTS_DRUGS = Question("red_flags.injects_drugs")
WEIGHT_LOSS = Question("red_flags.unexplained_weight_loss")
CANCER = Question("red_flags.cancer_history")
NIGHT_PAIN = Question("red_flags.night_pain")
INJURY = Question("red_flags.recent_serious_injury")
OSTEOPOROSIS = Question("red_flags.osteoporosis")
PAIN_WEEKS = Question("back_pain.duration_weeks")

OLDER_AGE = 50
NEW_PAIN_WEEKS = 6
_CANCER_FEATURES = (NIGHT_PAIN, WEIGHT_LOSS, WORSENING_WEAKNESS)
_MALIGNANCY_INPUTS = tuple(q.input for q in (CANCER, *_CANCER_FEATURES))
_CAUDA_EQUINA_INPUTS = (SADDLE_NUMBNESS.input, BLADDER_OR_BOWEL.input)
_INFECTION_INPUTS = (FEVER.input, INJECTS_DRUGS.input, *IMMUNOCOMPROMISE_INPUTS)
_EMERGENCY_UNSURE = (
    "; critical rather than warning because one unsure answer stands between this form and an emergency: "
    "the practice must ask the patient directly before the appointment (no patient advice: no emergency shown)"
)
_CAUDA_EQUINA_SOURCE = "NICE CKS back pain; BASS 2018 cauda equina standards"
_INFECTION_SOURCE = "NICE NG59 context; ACP (Chou 2011)"
_FRACTURE_SOURCE = "ACP 2011 (Chou 2011)"


def _yes(facts: Facts, *questions: Question) -> list[Evidence]:
    return [q.evidence(facts) for q in questions if q(facts) == "yes"]


def _any(facts: Facts, answer: str, *questions: Question) -> bool:
    return any(q(facts) == answer for q in questions)


def _saddle_or_sphincter(facts: Facts) -> list[Evidence] | None:
    found = _yes(facts, SADDLE_NUMBNESS, BLADDER_OR_BOWEL)
    return [*found, *unsure_notes(facts, SADDLE_NUMBNESS, BLADDER_OR_BOWEL)] if found else None


def _saddle_or_sphincter_unsure(facts: Facts) -> list[Evidence] | None:
    return unsure_notes(facts, SADDLE_NUMBNESS, BLADDER_OR_BOWEL) or None


def _infection_risk(facts: Facts) -> list[Evidence]:
    """Evidence of a spinal-infection risk factor: injecting drugs or any sign of immunocompromise."""
    return [*_yes(facts, INJECTS_DRUGS), *immunocompromise_evidence(facts)]


def _fever_with_risk(facts: Facts) -> list[Evidence] | None:
    if FEVER(facts) != "yes":
        return None
    risk = _infection_risk(facts)
    return [FEVER.evidence(facts), *risk] if risk else None


def _fever_with_risk_unsure(facts: Facts) -> list[Evidence] | None:
    fever = FEVER(facts)
    if fever == "no":
        return None
    risk = _infection_risk(facts)
    if fever == "unsure" and risk:
        return [FEVER.evidence(facts, note="unsure: clarify"), *risk]
    unsure_risk = unsure_notes(facts, INJECTS_DRUGS, IMMUNE_CONDITION, DIABETES)
    return [FEVER.evidence(facts), *unsure_risk] if fever == "yes" and not risk and unsure_risk else None


def _fever_unsure(facts: Facts) -> list[Evidence] | None:
    if FEVER(facts) != "unsure":
        return None
    return [FEVER.evidence(facts), *unsure_notes(facts, INJECTS_DRUGS, IMMUNE_CONDITION, DIABETES)]


def _cancer_with_features(facts: Facts) -> list[Evidence] | None:
    if CANCER(facts) != "yes":
        return None
    features = _yes(facts, *_CANCER_FEATURES)
    return [CANCER.evidence(facts), *features] if features else None


def _cancer_with_features_unsure(facts: Facts) -> list[Evidence] | None:
    cancer = CANCER(facts)
    if cancer == "yes" and _any(facts, "unsure", *_CANCER_FEATURES):
        return [CANCER.evidence(facts), *unsure_notes(facts, *_CANCER_FEATURES)]
    if cancer == "unsure" and _any(facts, "yes", *_CANCER_FEATURES):
        return [CANCER.evidence(facts, note="unsure: clarify"), *_yes(facts, *_CANCER_FEATURES)]
    return None


def _cancer_or_weight_loss(facts: Facts) -> list[Evidence] | None:
    return _yes(facts, CANCER, WEIGHT_LOSS) or None


def _cancer_or_weight_loss_unsure(facts: Facts) -> list[Evidence] | None:
    return unsure_notes(facts, CANCER, WEIGHT_LOSS) or None


def _older_with_new_pain(facts: Facts) -> list[Evidence] | None:
    if facts.age < OLDER_AGE or facts.form.back_pain.duration_weeks >= NEW_PAIN_WEEKS:
        return None
    return [age_evidence(facts), PAIN_WEEKS.evidence(facts)]


def _fracture_risk(facts: Facts) -> list[Evidence] | None:
    evidence = _yes(facts, OSTEOPOROSIS)
    details = facts.form.safety.immune_details
    if "long_term_steroids" in details:
        evidence.append(
            item_evidence("safety.immune_details", details.index("long_term_steroids"), "long_term_steroids")
        )
    evidence += medicine_evidence(facts.listed("systemic_corticosteroid"))
    return evidence or None


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
        patient_advice="Numbness between your legs or around your bottom, or new trouble with your bladder or "
        "bowels, can mean the nerves at the bottom of your spine are being squeezed. Please go to a hospital "
        "emergency department today.",
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
        Question("red_flags.symptoms_in_both_legs"),
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
        patient_advice="Leg weakness that is getting worse needs to be checked by a doctor today. Please contact "
        "your doctor or an urgent care service today.",
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
    Rule(
        "red_flag_infection.fever_with_risk",
        Category.RED_FLAG_INFECTION,
        Severity.CRITICAL,
        "Fever or unwell with a spinal-infection risk",
        "`red_flags.fever_or_unwell` yes with `red_flags.injects_drugs` yes or immunocompromise "
        "(as rule immunocompromise.present) (⚑ emergency)",
        "Do not needle; same-day medical assessment (possible spinal infection)",
        _INFECTION_SOURCE,
        _fever_with_risk,
        reads=_INFECTION_INPUTS,
        patient_advice="Feeling feverish or unwell together with back pain can be a sign of an infection that "
        "needs treatment quickly. Please contact your doctor or an urgent care service today.",
    ),
    Rule(
        "red_flag_infection.fever_with_risk.unsure",
        Category.RED_FLAG_INFECTION,
        Severity.CRITICAL,
        "Fever or unwell, with a spinal-infection risk possible",
        "`red_flags.fever_or_unwell` yes with a risk factor unsure (`red_flags.injects_drugs`, "
        "`safety.immune_condition` or `safety.diabetes` unsure), or fever unsure with a risk factor present"
        f"{_EMERGENCY_UNSURE}",
        f"{CLARIFY}contact the patient before the appointment about fever, injecting drugs and immune problems; "
        "fever with either: same-day medical assessment (possible spinal infection)",
        f"{_INFECTION_SOURCE}; {UNSURE_SOURCE}",
        _fever_with_risk_unsure,
        reads=_INFECTION_INPUTS,
        unless=("red_flag_infection.fever_with_risk",),
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
        unless=("red_flag_infection.fever_with_risk", "red_flag_infection.fever_with_risk.unsure"),
    ),
    Rule(
        "red_flag_infection.fever.unsure",
        Category.RED_FLAG_INFECTION,
        Severity.WARNING,
        "Unsure about fever or feeling unwell",
        "`red_flags.fever_or_unwell` unsure without a spinal-infection risk factor (risk factors unsure included)",
        f"{CLARIFY}ask about fever, chills or feeling generally unwell. If yes: medical assessment before "
        "treatment; same day if the patient injects drugs or is immunocompromised",
        f"{_INFECTION_SOURCE}; {UNSURE_SOURCE}",
        _fever_unsure,
        reads=_INFECTION_INPUTS,
        unless=("red_flag_infection.fever_with_risk.unsure",),
    ),
    Rule(
        "red_flag_malignancy.cancer_with_features",
        Category.RED_FLAG_MALIGNANCY,
        Severity.CRITICAL,
        "Cancer history with night pain, weight loss or worsening weakness",
        "`red_flags.cancer_history` yes with `red_flags.night_pain`, `red_flags.unexplained_weight_loss` or "
        "`red_flags.worsening_leg_weakness` yes",
        "Do not needle until assessed: urgent GP / oncology contact (possible spinal metastasis)",
        "NICE NG234 (was CG75)",
        _cancer_with_features,
        reads=_MALIGNANCY_INPUTS,
    ),
    Rule(
        "red_flag_malignancy.cancer_with_features.unsure",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Cancer history with possible night pain, weight loss or worsening weakness",
        "`red_flags.cancer_history` yes with night pain, weight loss or worsening weakness unsure (none yes), or "
        "cancer history unsure with one of them yes",
        f"{CLARIFY}ask about past cancer, constant night pain, unexplained weight loss and worsening leg "
        "weakness; cancer history with any of them: urgent GP / oncology contact",
        f"NICE NG234 (was CG75); {UNSURE_SOURCE}",
        _cancer_with_features_unsure,
        reads=_MALIGNANCY_INPUTS,
        unless=("red_flag_malignancy.cancer_with_features",),
    ),
    Rule(
        "red_flag_malignancy.cancer_or_weight_loss",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Cancer history or unexplained weight loss",
        "`red_flags.cancer_history` yes alone, or `red_flags.unexplained_weight_loss` yes",
        "GP review before a course of treatment",
        "ACP 2011 (Chou 2011); NICE NG12",
        _cancer_or_weight_loss,
        reads=_MALIGNANCY_INPUTS,
        unless=("red_flag_malignancy.cancer_with_features",),
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
            "red_flag_malignancy.cancer_or_weight_loss",
        ),
    ),
    Rule(
        "red_flag_malignancy.night_pain",
        Category.RED_FLAG_MALIGNANCY,
        Severity.INFO,
        "Night pain",
        "`red_flags.night_pain` yes alone (no cancer history, yes or unsure)",
        "Keep in mind; review if no improvement in 4–6 weeks",
        "ACP 2011 (Chou 2011)",
        answered(NIGHT_PAIN, "yes"),
        reads=(NIGHT_PAIN.input,),
        unless=("red_flag_malignancy.cancer_with_features", "red_flag_malignancy.cancer_with_features.unsure"),
    ),
    Rule(
        "red_flag_malignancy.night_pain.unsure",
        Category.RED_FLAG_MALIGNANCY,
        Severity.WARNING,
        "Unsure about night pain",
        "`red_flags.night_pain` unsure (warning although a yes alone is info: the specification raises every "
        "unsure answer to warning)",
        f"{CLARIFY}ask about constant pain at night not eased by rest. If yes: keep in mind; review if no "
        "improvement in 4–6 weeks",
        f"ACP 2011 (Chou 2011); {UNSURE_SOURCE}",
        answered(NIGHT_PAIN, "unsure"),
        reads=(NIGHT_PAIN.input,),
        unless=("red_flag_malignancy.cancer_with_features", "red_flag_malignancy.cancer_with_features.unsure"),
    ),
    Rule(
        "red_flag_malignancy.older_with_new_pain",
        Category.RED_FLAG_MALIGNANCY,
        Severity.INFO,
        "Aged 50 or over with back pain of under 6 weeks",
        "age ≥ 50 on the submission date and `back_pain.duration_weeks` < 6",
        "Keep in mind; review if no improvement in 4–6 weeks",
        "ACP 2011 (Chou 2011)",
        _older_with_new_pain,
        reads=(ALWAYS,),
    ),
    *question_rules(
        "red_flag_fracture.recent_injury",
        Category.RED_FLAG_FRACTURE,
        INJURY,
        severity=Severity.CRITICAL,
        title="Recent serious injury: possible fracture",
        unsure_title="Unsure about a recent serious injury",
        action="Do not needle until assessed: imaging / medical assessment first",
        ask="ask about recent falls, road accidents or other serious injuries",
        source=_FRACTURE_SOURCE,
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
        unless=("red_flag_fracture.recent_injury",),
    ),
    Rule(
        "red_flag_fracture.osteoporosis_or_steroids.unsure",
        Category.RED_FLAG_FRACTURE,
        Severity.WARNING,
        "Unsure about osteoporosis",
        "`red_flags.osteoporosis` unsure, no recent serious injury and no steroid use shown",
        f"{CLARIFY}ask about osteoporosis or thin bones. If yes: gentle technique; medical review if sudden "
        "severe pain",
        f"{_FRACTURE_SOURCE}; {UNSURE_SOURCE}",
        answered(OSTEOPOROSIS, "unsure"),
        reads=(OSTEOPOROSIS.input,),
        unless=("red_flag_fracture.recent_injury", "red_flag_fracture.osteoporosis_or_steroids"),
    ),
)
