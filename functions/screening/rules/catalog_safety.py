"""Contraindications and precautions: the first table of docs/clinical-basis.md, one or more rules per row.

Texts are what the practitioner reads; sources marked "traditional" rest on practice rather than evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from screening.contract.screening import Category, Evidence, Severity
from screening.rules import medicines
from screening.rules.builders import CLARIFY, UNSURE_SOURCE, answered, continued, question_rules, unsure_notes
from screening.rules.facts import (
    CLASS_WORDS,
    LIST_INCOMPLETE,
    MEDICATION_ALLERGIES,
    MINOR,
    PAST_MEDICINES,
    START_BACK_INPUT,
    Facts,
    Question,
    age_evidence,
    class_word_evidence,
    item_evidence,
    medicine_evidence,
    pointer,
)
from screening.rules.medicines import MedicineGroup, line
from screening.rules.rule import Rule
from screening.rules.start_back import BOTHERSOME, PSYCHOSOCIAL_ITEMS

BLEEDING_DISORDER = Question("safety.bleeding_disorder")
BLOOD_THINNERS = Question("safety.blood_thinners")
PREGNANT = Question("safety.pregnant")
PREGNANCY_WEEKS = Question("safety.pregnancy_weeks")
IMMUNE_CONDITION = Question("safety.immune_condition")
DIABETES = Question("safety.diabetes")
ELECTRONIC_IMPLANT = Question("safety.electronic_implant")
GUARDIAN_CONFIRMED = Question("consent.guardian_confirmed")
_PSYCHOSOCIAL_ITEMS = tuple(Question(f"start_back.{item}") for item in (*PSYCHOSOCIAL_ITEMS, "bothersomeness"))
_SCORED_ANSWERS = frozenset({True, *BOTHERSOME})
"""Answers that score a point: agreeing with items 5–8, "very much" or "extremely" bothered (item 9)."""

_LAST_WEEK_OF_TRIMESTER = ((13, "first"), (27, "second"))
"""Trimesters by completed weeks: 0–13 first, 14–27 second, 28 on third (ACOG convention)."""

_ANTITHROMBOTIC_ACTION = "Superficial needling with fine needles; avoid deep points and compartments"
_ANTITHROMBOTIC_SOURCE = "BAcC guide (public Q&A); NHS; McCulloch 2015"
_PRESCRIBER_CLEARANCE = "Do not needle until the prescriber clears treatment"
_ANTITHROMBOTIC_CLASSES = {
    "B01AA": "vitamin K antagonist",
    "B01AB": "heparin",
    "B01AC": "platelet aggregation inhibitor",
    "B01AE": "direct thrombin inhibitor",
    "B01AF": "direct factor Xa inhibitor",
    "B01AX": "other antithrombotic",
}
"""WHO ATC names of the B01A classes, for the sentence that names what was found."""
_VITAMIN_K_ANTAGONISTS = "B01AA"
_ANTICOAGULANT_CLASSES = frozenset({"B01AA", "B01AB", "B01AE", "B01AF"})
_ANTICOAGULANT_CODES = frozenset({"B01AX05"})
"""Fondaparinux: an anticoagulant filed under "other antithrombotic agents"."""
_PREGNANCY_ACTION = (
    "Avoid lumbosacral and lower-abdominal points, LI4, SP6, BL60, BL67, BL31–34, GB21; "
    "no strong stimulation, no electroacupuncture; record weeks/trimester"
)
_TREAT_AS_PREGNANT = f"{CLARIFY}confirm whether the patient is pregnant; until known treat as pregnant: "
_IMMUNE_ACTION = (
    "Strict asepsis; no indwelling or press needles; avoid poor skin; defer at chemotherapy nadir; "
    "liaise with oncology/GP"
)
_IMMUNE_SOURCE = "WHO 1999; de Valois 2024"
IMMUNE_MEDICINES: tuple[MedicineGroup, ...] = ("immunosuppressant", "antineoplastic", "systemic_corticosteroid")
IMMUNOCOMPROMISE_INPUTS = ("immune_condition", "immune_details", "diabetes", *IMMUNE_MEDICINES)
_MINOR_BLEEDING: tuple[MedicineGroup, ...] = ("nsaid", "ssri")
_BLEEDING_MEDICINES: tuple[MedicineGroup, ...] = ("antithrombotic", *_MINOR_BLEEDING, "herbal_bleeding")
_PREGNANCY_INPUTS = ("pregnant", "pregnancy_weeks")
CLASS_WORD_SOURCE = "precautionary: a class word written instead of a medicine's name is treated as that class"
_PAST_SOURCE = "medication history (shown for context; a stopped medicine is not counted)"
_GUARDIAN_PLACEHOLDERS = frozenset(
    {
        *("", "na", "none", "no", "nobody", "nil", "notapplicable", "self", "myself", "me", "i"),
        *("ninguno", "ninguna", "nadie", "noaplica", "yo", "yomismo", "yomisma"),
        *("无", "没有", "本人", "自己", "我"),
    }
)
"""Guardian names that name nobody, compared without case, spaces or punctuation ("N/A", "-", "self", "本人")."""
_NOT_A_LETTER = re.compile(r"[\W_]+")


def _answer(question: Question, facts: Facts, shown: str | None = None) -> list[Evidence]:
    """The answer as evidence when it is "yes"; when it is not although the form `shown` otherwise, the answer
    noted as contradicted; nothing otherwise."""
    value = question(facts)
    if value == "yes":
        return [question.evidence(facts)]
    return [question.evidence(facts, note=f"answered '{value}', but {shown}")] if shown else []


def antithrombotics_found(evidence: list[Evidence]) -> str | None:
    """The sentence naming each antithrombotic found with its class; INR only for vitamin K antagonists."""
    found = {e.matched_drug: e.atc_class for e in evidence if e.atc_class in _ANTITHROMBOTIC_CLASSES}
    return _antithrombotic_sentence(tuple(found.items())) if found else None


@lru_cache(maxsize=1024)
def _antithrombotic_sentence(found: tuple[tuple[str | None, str | None], ...]) -> str:
    """Built once per set of drugs (a few per clinic), since three bleeding rules name them in every such flag."""
    named = "; ".join(f"{drug} ({_ANTITHROMBOTIC_CLASSES[atc]}, {atc})" for drug, atc in found if atc)
    if any(atc == _VITAMIN_K_ANTAGONISTS for _, atc in found):
        return f"Found: {named}. Vitamin K antagonist: check the INR is monitored and in range"
    return f"Found: {named}"


def _antithrombotic(facts: Facts) -> list[Evidence] | None:
    if BLOOD_THINNERS(facts) != "yes":
        return None
    return [BLOOD_THINNERS.evidence(facts), *facts.shown("antithrombotic")]


def _antithrombotic_disagrees(facts: Facts) -> list[Evidence] | None:
    if "antithrombotic" not in facts.medicines or BLOOD_THINNERS(facts) == "yes":
        return None
    shown = "the medication list holds an antithrombotic: answer and list disagree"
    return [*_answer(BLOOD_THINNERS, facts, shown), *facts.shown("antithrombotic")]


def _combined_antithrombotics(facts: Facts) -> list[Evidence] | None:
    distinct = {m.drug for m in facts.listed("antithrombotic")}
    return list(facts.shown("antithrombotic")) if len(distinct) >= 2 else None


def _anticoagulant_with_nsaid(facts: Facts) -> list[Evidence] | None:
    anticoagulants = [
        m
        for m in facts.listed("antithrombotic")
        if m.atc_class in _ANTICOAGULANT_CLASSES or m.atc_code in _ANTICOAGULANT_CODES
    ]
    nsaids = facts.listed("nsaid")
    return [*medicine_evidence(anticoagulants), *medicine_evidence(nsaids)] if anticoagulants and nsaids else None


def class_words(*groups: MedicineGroup) -> Callable[[Facts], list[Evidence] | None]:
    """Finds the class words of these groups written instead of a medicine's name."""

    def find(facts: Facts) -> list[Evidence] | None:
        return class_word_evidence(facts.written(*groups)) or None

    return find


def past_medicines(*groups: MedicineGroup) -> Callable[[Facts], list[Evidence] | None]:
    """Finds the stopped medicines of these groups: shown to the practitioner, never counted."""

    def find(facts: Facts) -> list[Evidence] | None:
        stopped = [m for m in facts.past if m.group in groups]
        return medicine_evidence(stopped, note="past medicine: not counted") or None

    return find


def _minor_bleeding_medicines(facts: Facts) -> list[Evidence] | None:
    return [
        *facts.shown(*_MINOR_BLEEDING),
        *class_word_evidence(facts.written(*_MINOR_BLEEDING)),
    ] or None


def _herbal_bleeding(facts: Facts) -> list[Evidence] | None:
    return [*facts.shown("herbal_bleeding"), *class_word_evidence(facts.written("herbal_bleeding"))] or None


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
    """Every answer that shows immunocompromise; empty when none does. Also read by the spinal-infection rules.

    Class words ("chemo") are not part of it: they raise their own warning and never complete a combination.
    """
    safety = facts.form.safety
    shown = [item_evidence("safety.immune_details", i, detail) for i, detail in enumerate(safety.immune_details)]
    shown += facts.shown(*IMMUNE_MEDICINES)
    evidence = _answer(IMMUNE_CONDITION, facts, "the details or the medication list show it" if shown else None)
    evidence += shown
    if safety.diabetes == "uncontrolled":
        evidence.append(DIABETES.evidence(facts))
    return evidence


def _immunocompromise(facts: Facts) -> list[Evidence] | None:
    evidence = immunocompromise_evidence(facts)
    return [*evidence, *unsure_notes(facts, DIABETES)] if evidence else None


def steroid_duration(evidence: list[Evidence]) -> str | None:
    """Systemic steroids listed as current count as long-term; the practitioner confirms for how long."""
    steroids = {e.matched_drug for e in evidence if e.matched_drug and (e.atc_class or "").startswith("H02")}
    return _steroid_sentence(frozenset(steroids)) if steroids else None


@lru_cache(maxsize=1024)
def _steroid_sentence(steroids: frozenset[str]) -> str:
    return f"Counted as long-term steroid use ({', '.join(sorted(steroids))}): confirm how long it has been taken"


def _immunocompromise_unsure(facts: Facts) -> list[Evidence] | None:
    return unsure_notes(facts, IMMUNE_CONDITION, DIABETES) or None


def _electronic_implant(facts: Facts) -> list[Evidence] | None:
    details = facts.form.safety.implant_details
    shown = [item_evidence("safety.implant_details", i, detail) for i, detail in enumerate(details)]
    return [*_answer(ELECTRONIC_IMPLANT, facts, "implant details were given" if shown else None), *shown] or None


def _comparable(text: str) -> str:
    """A name compared without case, spaces, punctuation or full-width forms."""
    return _NOT_A_LETTER.sub("", unicodedata.normalize("NFKC", text).casefold())


def _guardian_problem(facts: Facts) -> str | None:
    """Why the guardian named on the form is no guardian; None when a real one was named."""
    name = facts.form.consent.guardian_name
    if name is None or not name:
        return "no guardian named"
    guardian = _comparable(name)
    if guardian in _GUARDIAN_PLACEHOLDERS:
        return "a placeholder, not a guardian's name"
    patient = facts.form.patient
    own = {_comparable(patient.given_name + patient.family_name), _comparable(patient.family_name + patient.given_name)}
    if guardian in own or guardian == _comparable(patient.given_name):
        return "the patient's own name, not a guardian's"
    return None


def _minor_without_guardian(facts: Facts) -> list[Evidence] | None:
    if MINOR not in facts.active:
        return None
    evidence = [age_evidence(facts)]
    problem = _guardian_problem(facts)
    if problem:
        evidence.append(pointer("consent.guardian_name", problem))
    if facts.form.consent.guardian_confirmed is False:
        evidence.append(GUARDIAN_CONFIRMED.evidence(facts, note="the guardian has not confirmed the consent"))
    return evidence if len(evidence) > 1 else None


def _allergy_lines(facts: Facts) -> list[Evidence] | None:
    note = "an allergy or intolerance written in the medication list: not a medicine taken"
    return [pointer(line(index), note) for index in facts.allergy_lines] or None


def _list_incomplete(facts: Facts) -> list[Evidence] | None:
    if not facts.list_incomplete:
        return None
    return [pointer("medications", f"{len(facts.form.medications)} lines; the misspelling search was cut short")]


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
        "two or more distinct antithrombotic substances (ATC B01A) taken now, e.g. DOAC + antiplatelet, dual "
        "antiplatelet therapy or heparin bridging onto warfarin; a brand and its generic count once, a combination "
        "tablet counts each substance; whatever `safety.blood_thinners` says",
        f"{_PRESCRIBER_CLEARANCE} (combined bleeding risk)",
        "NICE CKS anticoagulation and antiplatelet treatment; McCulloch 2015",
        _combined_antithrombotics,
        reads=("antithrombotic",),
        specific=antithrombotics_found,
    ),
    Rule(
        "bleeding.anticoagulant_with_nsaid",
        Category.BLEEDING,
        Severity.CRITICAL,
        "Anticoagulant together with an NSAID",
        "an anticoagulant (ATC B01AA, B01AB, B01AE, B01AF or fondaparinux) and a systemic NSAID (M01A) both taken now",
        f"{_PRESCRIBER_CLEARANCE} (NSAIDs raise the bleeding risk of anticoagulants)",
        "NICE CKS anticoagulation, oral (avoid NSAIDs)",
        _anticoagulant_with_nsaid,
        reads=("antithrombotic",),
        specific=antithrombotics_found,
    ),
    Rule(
        "bleeding.antithrombotic",
        Category.BLEEDING,
        Severity.WARNING,
        "Takes a blood thinner",
        "`safety.blood_thinners` yes (antithrombotic medicines recognised in the list, ATC B01A, shown with it; the "
        "flag's action names each one with its class, and the INR only for vitamin K antagonists)",
        _ANTITHROMBOTIC_ACTION,
        _ANTITHROMBOTIC_SOURCE,
        _antithrombotic,
        reads=("blood_thinners", "antithrombotic"),
        specific=antithrombotics_found,
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
        specific=antithrombotics_found,
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
        "bleeding.class_word",
        Category.BLEEDING,
        Severity.WARNING,
        "A blood-thinner class word instead of a medicine's name",
        'a class word such as "blood thinner", "anticoagulant", "DOAC", "anticoagulante" or "抗凝药" in '
        "the medication list (never counted towards a combination)",
        f"Ask which medicine it is; until known treat as a blood thinner: {continued(_ANTITHROMBOTIC_ACTION)}",
        f"{_ANTITHROMBOTIC_SOURCE}; {CLASS_WORD_SOURCE}",
        class_words("antithrombotic"),
        reads=(CLASS_WORDS,),
    ),
    Rule(
        "bleeding.nsaid_or_ssri",
        Category.BLEEDING,
        Severity.INFO,
        "NSAID or SSRI: slightly raised bleeding risk",
        "an NSAID (M01A) or an SSRI (N06AB) in the medication list, or their class word",
        "Worth knowing: press needle sites a little longer; no change to the plan needed",
        "BNF interactions (NSAIDs and SSRIs increase the risk of bleeding)",
        _minor_bleeding_medicines,
        reads=(*_MINOR_BLEEDING, CLASS_WORDS),
    ),
    Rule(
        "bleeding.herbal_supplement",
        Category.BLEEDING,
        Severity.INFO,
        "Herbal supplement with a bleeding effect",
        "a supplement with a bleeding effect (ginkgo, fish oil, turmeric, garlic…) in the medication list",
        "Worth knowing: press needle sites a little longer; no change to the plan needed",
        "NCCIH Herbs at a Glance (ginkgo, fish oil, turmeric, garlic)",
        _herbal_bleeding,
        reads=("herbal_bleeding", CLASS_WORDS),
    ),
    Rule(
        "bleeding.past_medicine",
        Category.BLEEDING,
        Severity.INFO,
        "Stopped medicine with a bleeding effect",
        "the medication list says an antithrombotic, NSAID, SSRI or bleeding-effect supplement was stopped "
        '("stopped", "no longer", "used to", "until 2019"…): shown, never counted',
        "Worth knowing: confirm it has been stopped",
        _PAST_SOURCE,
        past_medicines(*_BLEEDING_MEDICINES),
        reads=(PAST_MEDICINES,),
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
        f"WHO 1999 §2.1 (traditional practice); AACP 2012; {UNSURE_SOURCE}",
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
        "WHO 1999 §2.1 (traditional practice); consistency check",
        _pregnancy_weeks_disagree,
        reads=_PREGNANCY_INPUTS,
    ),
    Rule(
        "immunocompromise.present",
        Category.IMMUNOCOMPROMISE,
        Severity.WARNING,
        "Immunocompromised: raised infection risk",
        "`safety.immune_condition` yes, or any `safety.immune_details`, or taken now: an immunosuppressant (L04, "
        "every subgroup), an antineoplastic (L01, oral or infused, regimen names included) or a systemic "
        "corticosteroid (H02, counted as long-term), or `safety.diabetes` uncontrolled",
        f"{_IMMUNE_ACTION}; for a listed systemic steroid, confirm how long it has been taken",
        _IMMUNE_SOURCE,
        _immunocompromise,
        reads=IMMUNOCOMPROMISE_INPUTS,
        specific=steroid_duration,
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
        f"{_IMMUNE_SOURCE}; {UNSURE_SOURCE}",
        _immunocompromise_unsure,
        reads=("immune_condition", "diabetes"),
        unless=("immunocompromise.present",),
    ),
    Rule(
        "immunocompromise.class_word",
        Category.IMMUNOCOMPROMISE,
        Severity.WARNING,
        "An immunosuppressant, chemotherapy or steroid class word instead of a medicine's name",
        'a class word such as "chemo", "chemotherapy", "immunosuppressant", "biologic", "steroid '
        'tablets", "quimioterapia" or "化疗" in the medication list (never counted towards a combination)',
        f"Ask which medicine it is and whether it is taken now; until known treat as immunocompromised: "
        f"{continued(_IMMUNE_ACTION)}",
        f"{_IMMUNE_SOURCE}; {CLASS_WORD_SOURCE}",
        class_words(*IMMUNE_MEDICINES),
        reads=(CLASS_WORDS,),
    ),
    Rule(
        "immunocompromise.past_medicine",
        Category.IMMUNOCOMPROMISE,
        Severity.INFO,
        "Stopped immunosuppressant, chemotherapy or systemic steroid",
        "the medication list says an immunosuppressant (L04), antineoplastic (L01) or systemic corticosteroid (H02) "
        "was stopped: shown, never counted",
        "Worth knowing: confirm when it was stopped; recent chemotherapy or steroids may still lower immunity",
        _PAST_SOURCE,
        past_medicines(*IMMUNE_MEDICINES),
        reads=(PAST_MEDICINES,),
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
        "Under 18 without a real guardian",
        "patient under 18 on the submission date (a 29 February birthday counts from 1 March) and "
        '`consent.guardian_name` missing, a placeholder ("n/a", "none", "-", "self", "myself", "me"…) '
        "or the patient's own name, or `consent.guardian_confirmed` false (absent is fine)",
        "Guardian consent before treatment",
        "BAcC code of practice (consent of a parent or guardian for minors)",
        _minor_without_guardian,
        reads=(MINOR,),
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
    Rule(
        "medication_list.incomplete",
        Category.MEDICATION_LIST,
        Severity.WARNING,
        "Medication list too long to read fully: check by hand",
        (
            "a bound of the medicine reader cut in for this form: more than "
            f"{medicines.FUZZY_WORDS} unknown words or {medicines.FUZZY_COMPARISONS} comparisons for the misspelling "
            f"search, or more text than it reads ({medicines.CHARACTERS:,} characters of names and doses, "
            f"{medicines.UNICODE_CHARACTERS:,} of them in fields that are not plain ASCII, Chinese and Japanese among "
            f"them, {medicines.PARTS} parts)"
        ),
        "Read the whole medication list by hand for blood thinners, immunosuppressants, chemotherapy and steroids",
        "precautionary: a list the screen could not read fully may hide a medicine that changes treatment",
        _list_incomplete,
        reads=(LIST_INCOMPLETE,),
    ),
    Rule(
        "medication_list.allergy",
        Category.MEDICATION_LIST,
        Severity.INFO,
        "Allergy or intolerance written in the medication list",
        'a line of the medication list names an allergy or intolerance ("aspirin allergy", "allergic to '
        'warfarin"): not a medicine taken, so it raises no other flag',
        "Worth knowing: read the line and add it to the allergy record",
        "medication history (an allergy is not a medicine taken)",
        _allergy_lines,
        reads=(MEDICATION_ALLERGIES,),
    ),
)
