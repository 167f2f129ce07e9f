"""Contraindications and precautions: the first table of docs/clinical-basis.md, one or more rules per row.

Texts are what the practitioner reads; sources marked "traditional" rest on practice rather than evidence.
"""

from __future__ import annotations

from screening.contract.screening import Category, Evidence, Severity
from screening.rules.builders import CLARIFY, UNSURE_SOURCE, answered, continued, question_rules, unsure_notes
from screening.rules.facts import START_BACK_INPUT, Facts, Question, age_evidence, item_evidence, medicine_evidence
from screening.rules.medicines import MedicineGroup
from screening.rules.rule import ALWAYS, Rule
from screening.rules.start_back import BOTHERSOME, PSYCHOSOCIAL_ITEMS

BLEEDING_DISORDER = Question("safety.bleeding_disorder")
BLOOD_THINNERS = Question("safety.blood_thinners")
PREGNANT = Question("safety.pregnant")
PREGNANCY_WEEKS = Question("safety.pregnancy_weeks")
IMMUNE_CONDITION = Question("safety.immune_condition")
DIABETES = Question("safety.diabetes")
ELECTRONIC_IMPLANT = Question("safety.electronic_implant")
GUARDIAN = Question("consent.guardian_name")
_PSYCHOSOCIAL_ITEMS = tuple(Question(f"start_back.{item}") for item in (*PSYCHOSOCIAL_ITEMS, "bothersomeness"))
_SCORED_ANSWERS = frozenset({True, *BOTHERSOME})
"""Answers that score a point: agreeing with items 5–8, "very much" or "extremely" bothered (item 9)."""

ADULT_AGE = 18
_LAST_WEEK_OF_TRIMESTER = ((13, "first"), (27, "second"))
"""Trimesters by completed weeks: 0–13 first, 14–27 second, 28 on third (ACOG convention)."""

_ANTITHROMBOTIC_ACTION = (
    "Superficial needling with fine needles; avoid deep points and compartments; keep INR monitoring"
)
_ANTITHROMBOTIC_SOURCE = "BAcC guide (public Q&A); NHS; McCulloch 2015"
_PREGNANCY_ACTION = (
    "Avoid lumbosacral and lower-abdominal points, LI4, SP6, BL60, BL67, BL31–34, GB21; "
    "no strong stimulation, no electroacupuncture; record weeks/trimester"
)
_TREAT_AS_PREGNANT = f"{CLARIFY}confirm whether the patient is pregnant; until known treat as pregnant: "
_IMMUNE_ACTION = (
    "Strict asepsis; no indwelling or press needles; avoid poor skin; defer at chemotherapy nadir; "
    "liaise with oncology/GP"
)
_IMMUNE_MEDICINES: tuple[MedicineGroup, ...] = ("immunosuppressant", "antineoplastic", "systemic_corticosteroid")
IMMUNOCOMPROMISE_INPUTS = ("immune_condition", "immune_details", "diabetes", *_IMMUNE_MEDICINES)
_PREGNANCY_INPUTS = ("pregnant", "pregnancy_weeks")


def _answer(question: Question, facts: Facts, shown: str | None = None) -> list[Evidence]:
    """The answer as evidence when it is "yes"; when it is not although the form `shown` otherwise, the answer
    noted as contradicted; nothing otherwise."""
    value = question(facts)
    if value == "yes":
        return [question.evidence(facts)]
    return [question.evidence(facts, note=f"answered '{value}', but {shown}")] if shown else []


def _antithrombotic(facts: Facts) -> list[Evidence] | None:
    if BLOOD_THINNERS(facts) != "yes":
        return None
    return [BLOOD_THINNERS.evidence(facts), *medicine_evidence(facts.listed("antithrombotic"))]


def _antithrombotic_disagrees(facts: Facts) -> list[Evidence] | None:
    listed = facts.listed("antithrombotic")
    if not listed or BLOOD_THINNERS(facts) == "yes":
        return None
    shown = "the medication list holds an antithrombotic: answer and list disagree"
    return [*_answer(BLOOD_THINNERS, facts, shown), *medicine_evidence(listed)]


def _combined_antithrombotics(facts: Facts) -> list[Evidence] | None:
    listed = facts.listed("antithrombotic")
    return medicine_evidence(listed) if len({m.drug for m in listed}) >= 2 else None


def _minor_bleeding_medicines(facts: Facts) -> list[Evidence] | None:
    return medicine_evidence(facts.listed("nsaid", "ssri")) or None


def _weeks_evidence(facts: Facts) -> Evidence:
    weeks = PREGNANCY_WEEKS(facts)
    if weeks is None:
        return PREGNANCY_WEEKS.evidence(facts, note="weeks not given: record weeks/trimester")
    trimester = next((name for last, name in _LAST_WEEK_OF_TRIMESTER if weeks <= last), "third")
    return PREGNANCY_WEEKS.evidence(facts, note=f"{trimester} trimester")


def _pregnant(facts: Facts) -> list[Evidence] | None:
    return [PREGNANT.evidence(facts), _weeks_evidence(facts)] if PREGNANT(facts) == "yes" else None


def _pregnancy_unsure(facts: Facts) -> list[Evidence] | None:
    if PREGNANT(facts) != "unsure":
        return None
    return [PREGNANT.evidence(facts), *([_weeks_evidence(facts)] if PREGNANCY_WEEKS(facts) is not None else [])]


def _pregnancy_weeks_disagree(facts: Facts) -> list[Evidence] | None:
    if PREGNANCY_WEEKS(facts) is None or PREGNANT(facts) not in ("no", "not_applicable"):
        return None
    return [
        PREGNANT.evidence(facts, note="pregnancy weeks were given: the answers disagree"),
        PREGNANCY_WEEKS.evidence(facts),
    ]


def immunocompromise_evidence(facts: Facts) -> list[Evidence]:
    """Every answer that shows immunocompromise; empty when none does. Also read by the spinal-infection rules."""
    safety = facts.form.safety
    shown = [item_evidence("safety.immune_details", i, detail) for i, detail in enumerate(safety.immune_details)]
    shown += medicine_evidence(facts.listed(*_IMMUNE_MEDICINES))
    evidence = _answer(IMMUNE_CONDITION, facts, "the details or the medication list show it" if shown else None)
    evidence += shown
    if safety.diabetes == "uncontrolled":
        evidence.append(DIABETES.evidence(facts))
    return evidence


def _immunocompromise(facts: Facts) -> list[Evidence] | None:
    evidence = immunocompromise_evidence(facts)
    return [*evidence, *unsure_notes(facts, DIABETES)] if evidence else None


def _immunocompromise_unsure(facts: Facts) -> list[Evidence] | None:
    return unsure_notes(facts, IMMUNE_CONDITION, DIABETES) or None


def _electronic_implant(facts: Facts) -> list[Evidence] | None:
    details = facts.form.safety.implant_details
    shown = [item_evidence("safety.implant_details", i, detail) for i, detail in enumerate(details)]
    return [*_answer(ELECTRONIC_IMPLANT, facts, "implant details were given" if shown else None), *shown] or None


def _minor_without_guardian(facts: Facts) -> list[Evidence] | None:
    if facts.age >= ADULT_AGE or GUARDIAN(facts):
        return None
    return [age_evidence(facts), GUARDIAN.evidence(facts, note="no guardian named")]


def _start_back_high(facts: Facts) -> list[Evidence] | None:
    score = facts.start_back
    if score is None or score.risk != "high":
        return None
    note = f"total {score.total}, psychosocial subscale {score.psychosocial}: high risk"
    scored = [q for q in _PSYCHOSOCIAL_ITEMS if q(facts) in _SCORED_ANSWERS]
    return [q.evidence(facts, note=note if i == 0 else None) for i, q in enumerate(scored)]


SAFETY_RULES: tuple[Rule, ...] = (
    *question_rules(
        "bleeding.disorder",
        Category.BLEEDING,
        BLEEDING_DISORDER,
        severity=Severity.CRITICAL,
        title="Bleeding disorder",
        unsure_title="Unsure about a bleeding disorder",
        action="Defer needling; haematology or GP clearance first; if treated later, superficial needling only",
        ask="ask about haemophilia, von Willebrand disease, low platelets or unusual bleeding",
        source="WHO 1999; NHS",
    ),
    Rule(
        "bleeding.antithrombotic.combined",
        Category.BLEEDING,
        Severity.CRITICAL,
        "Two or more antithrombotic medicines together",
        "two or more distinct antithrombotic drugs (ATC B01A) in the medication list, e.g. DOAC + antiplatelet or "
        "dual antiplatelet therapy, whatever `safety.blood_thinners` says",
        "Do not needle until the prescriber clears treatment (combined bleeding risk)",
        "raised tier for combined bleeding risk (clinical specification)",
        _combined_antithrombotics,
        reads=("antithrombotic",),
    ),
    Rule(
        "bleeding.antithrombotic",
        Category.BLEEDING,
        Severity.WARNING,
        "Takes a blood thinner",
        "`safety.blood_thinners` yes (antithrombotic medicines recognised in the list, ATC B01A, shown with it)",
        _ANTITHROMBOTIC_ACTION,
        _ANTITHROMBOTIC_SOURCE,
        _antithrombotic,
        reads=("blood_thinners", "antithrombotic"),
    ),
    Rule(
        "bleeding.antithrombotic.list_disagrees",
        Category.BLEEDING,
        Severity.WARNING,
        "Blood thinner in the medication list, but the blood-thinner answer says otherwise",
        "`safety.blood_thinners` no or unsure while the medication list holds an antithrombotic (ATC B01A)",
        f"Confirm with the patient which medicines they take; meanwhile: {continued(_ANTITHROMBOTIC_ACTION)}",
        f"{_ANTITHROMBOTIC_SOURCE}; consistency check",
        _antithrombotic_disagrees,
        reads=("blood_thinners", "antithrombotic"),
    ),
    Rule(
        "bleeding.antithrombotic.unsure",
        Category.BLEEDING,
        Severity.WARNING,
        "Unsure about blood thinners",
        "`safety.blood_thinners` unsure and no antithrombotic recognised in the medication list",
        f"{CLARIFY}ask for every current medicine, including aspirin and injections. "
        f"If a blood thinner: {continued(_ANTITHROMBOTIC_ACTION)}",
        f"{_ANTITHROMBOTIC_SOURCE}; {UNSURE_SOURCE}",
        answered(BLOOD_THINNERS, "unsure"),
        reads=("blood_thinners",),
        unless=("bleeding.antithrombotic.list_disagrees",),
    ),
    Rule(
        "bleeding.nsaid_or_ssri",
        Category.BLEEDING,
        Severity.INFO,
        "NSAID or SSRI: slightly raised bleeding risk",
        "an NSAID or an SSRI in the medication list",
        "Worth knowing: press needle sites a little longer; no change to the plan needed",
        "clinical specification: NSAIDs and SSRIs raise bleeding risk a little (info at most)",
        _minor_bleeding_medicines,
        reads=("nsaid", "ssri"),
    ),
    Rule(
        "pregnancy.pregnant",
        Category.PREGNANCY,
        Severity.WARNING,
        "Pregnant",
        "`safety.pregnant` yes (`safety.pregnancy_weeks` and trimester shown when given)",
        _PREGNANCY_ACTION,
        "WHO 1999 §2.1 (traditional practice); AACP 2012",
        _pregnant,
        reads=_PREGNANCY_INPUTS,
    ),
    Rule(
        "pregnancy.unsure",
        Category.PREGNANCY,
        Severity.WARNING,
        "Unsure whether pregnant",
        "`safety.pregnant` unsure",
        f"{_TREAT_AS_PREGNANT}{continued(_PREGNANCY_ACTION)}",
        "WHO 1999 §2.1 (traditional practice); AACP 2012; clinical specification (pregnancy unsure row)",
        _pregnancy_unsure,
        reads=_PREGNANCY_INPUTS,
    ),
    Rule(
        "pregnancy.weeks_disagree",
        Category.PREGNANCY,
        Severity.WARNING,
        "Pregnancy weeks given, but pregnancy answered no",
        "`safety.pregnancy_weeks` given while `safety.pregnant` is no or not_applicable",
        f"{_TREAT_AS_PREGNANT}{continued(_PREGNANCY_ACTION)}",
        "consistency check",
        _pregnancy_weeks_disagree,
        reads=_PREGNANCY_INPUTS,
    ),
    Rule(
        "immunocompromise.present",
        Category.IMMUNOCOMPROMISE,
        Severity.WARNING,
        "Immunocompromised: raised infection risk",
        "`safety.immune_condition` yes, or any `safety.immune_details`, or an immunosuppressant (L04), antineoplastic "
        "(L01) or systemic corticosteroid (H02) in the medication list, or `safety.diabetes` uncontrolled",
        _IMMUNE_ACTION,
        "WHO 1999; de Valois 2024",
        _immunocompromise,
        reads=IMMUNOCOMPROMISE_INPUTS,
    ),
    Rule(
        "immunocompromise.present.unsure",
        Category.IMMUNOCOMPROMISE,
        Severity.WARNING,
        "Unsure about immune condition or diabetes control",
        "`safety.immune_condition` unsure or `safety.diabetes` unsure",
        f"{CLARIFY}ask about conditions or treatments that weaken the immune system (chemotherapy, transplant, "
        f"steroids, biologics, HIV, no spleen) and whether diabetes is well controlled. "
        f"If so: {continued(_IMMUNE_ACTION)}",
        f"WHO 1999; de Valois 2024; {UNSURE_SOURCE}",
        _immunocompromise_unsure,
        reads=("immune_condition", "diabetes"),
        unless=("immunocompromise.present",),
    ),
    Rule(
        "implanted_device.electronic",
        Category.IMPLANTED_DEVICE,
        Severity.WARNING,
        "Electronic implant",
        "`safety.electronic_implant` yes, or any `safety.implant_details` (pacemaker, defibrillator, spinal cord "
        "stimulator, drug pump, cochlear implant…)",
        "No electroacupuncture; do not needle over the device",
        "BAcC; BMAS (Cummings 2011)",
        _electronic_implant,
        reads=("electronic_implant", "implant_details"),
    ),
    Rule(
        "implanted_device.electronic.unsure",
        Category.IMPLANTED_DEVICE,
        Severity.WARNING,
        "Unsure about an electronic implant",
        "`safety.electronic_implant` unsure and no implant details",
        f"{CLARIFY}ask about pacemakers, defibrillators, stimulators and pumps. "
        "If yes: no electroacupuncture; do not needle over the device",
        f"BAcC; BMAS (Cummings 2011); {UNSURE_SOURCE}",
        answered(ELECTRONIC_IMPLANT, "unsure"),
        reads=("electronic_implant",),
        unless=("implanted_device.electronic",),
    ),
    *question_rules(
        "seizure.epilepsy",
        Category.SEIZURE,
        Question("safety.epilepsy"),
        title="Epilepsy",
        unsure_title="Unsure about epilepsy or seizures",
        action="No electroacupuncture; never leave the patient unattended",
        ask="ask about epilepsy or past seizures",
        source="BAcC",
    ),
    *question_rules(
        "cardiac_valve.condition",
        Category.CARDIAC_VALVE,
        Question("safety.heart_valve_condition"),
        title="Heart valve condition: endocarditis risk",
        unsure_title="Unsure about a heart valve condition",
        action="Strict asepsis; no indwelling or ear-stud needles; cardiology advice if prosthetic valve or past "
        "endocarditis",
        ask="ask about valve disease, a replacement valve or past endocarditis",
        source="case reports of endocarditis after ear studs",
    ),
    *question_rules(
        "metal_allergy.reported",
        Category.METAL_ALLERGY,
        Question("safety.metal_allergy"),
        title="Metal (nickel) allergy",
        unsure_title="Unsure about a metal allergy",
        action="Use gold-plated or titanium needles",
        ask="ask about reactions to nickel, jewellery or watch straps",
        source="NHS",
    ),
    *question_rules(
        "lymphoedema.reported",
        Category.LYMPHOEDEMA,
        Question("safety.lymphoedema"),
        title="Lymphoedema or lymph nodes removed",
        unsure_title="Unsure about lymphoedema",
        action="Do not needle the affected limb",
        ask="ask about limb swelling or lymph nodes removed, and which limb",
        source="BAcC guide (weak evidence; cellulitis risk)",
    ),
    *question_rules(
        "skin.problem_at_pain_area",
        Category.SKIN,
        Question("safety.skin_problem_at_pain_area"),
        title="Skin problem where needles would go",
        unsure_title="Unsure about skin problems where needles would go",
        action="Do not needle affected skin",
        ask="look at the skin over the pain area for infection, wounds or rash",
        source="NHS",
    ),
    *question_rules(
        "vasovagal.fainting_with_needles",
        Category.VASOVAGAL,
        Question("safety.fainting_with_needles"),
        title="Needle fear or fainting with needles",
        unsure_title="Unsure about fainting with needles",
        action="First session lying down, few needles, watch the patient",
        ask="ask about needle fear and past fainting at injections or blood tests",
        source="WHO 1999 §3.3",
    ),
    Rule(
        "minor_consent.no_guardian",
        Category.MINOR_CONSENT,
        Severity.WARNING,
        "Under 18 with no guardian named",
        "patient under 18 on the submission date (a 29 February birthday counts from 1 March) and no "
        "`consent.guardian_name`",
        "Guardian consent before treatment",
        "consent of a parent or guardian for minors (clinical specification)",
        _minor_without_guardian,
        reads=(ALWAYS,),
    ),
    Rule(
        "psychosocial_risk.start_back_high",
        Category.PSYCHOSOCIAL_RISK,
        Severity.INFO,
        "STarT Back high risk",
        "STarT Back psychosocial subscale (items 5–9) ≥ 4",
        "Psychologically informed approach; consider referral",
        "Keele STarT Back (Hill et al. 2008)",
        _start_back_high,
        reads=(START_BACK_INPUT,),
    ),
)
