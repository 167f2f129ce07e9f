"""Intake form contract v1 (docs/intake-contract.md); field names are fixed within version 1.

Every model refuses unknown fields and coerces nothing (strict mode), so a typo or a wrongly typed answer
is a 422 naming the field rather than a silently dropped safety answer.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    field_validator,
)

MAX_BODY_BYTES = 64 * 1024

Answer = Literal["yes", "no", "unsure"]
PregnancyAnswer = Literal["yes", "no", "unsure", "not_applicable"]
DiabetesAnswer = Literal["no", "controlled", "uncontrolled", "unsure"]
PainArea = Literal["lower_back", "upper_back", "neck", "buttock", "left_leg", "right_leg"]
ImmuneDetail = Literal[
    "chemotherapy",
    "radiotherapy",
    "hiv",
    "organ_transplant",
    "long_term_steroids",
    "immunosuppressant_or_biologic",
    "no_spleen",
    "other",
]
ImplantDetail = Literal[
    "pacemaker", "defibrillator", "spinal_cord_stimulator", "drug_pump", "cochlear_implant", "other"
]
SexAtBirth = Literal["female", "male", "intersex", "undisclosed"]
Bothersomeness = Literal["not_at_all", "slightly", "moderately", "very_much", "extremely"]
Locale = Literal["en", "es", "zh-Hans"]
"""Form languages (contract 1.1): `patient_advice` comes back in the form's language."""
GuardianRelationship = Literal["parent", "legal_guardian", "other"]

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)

# C0 controls and the bidi embeddings, overrides and isolates (contract 1.1): they can hide or reorder what a
# practitioner reads. The marks LRM/RLM (U+200E/U+200F) stay allowed: Hebrew and Arabic names need them. The patterns
# are checked natively by pydantic-core (a Python validator per field was a third of validating a long form) and are
# published in the JSON Schema; errors.py gives their failures these messages.
_BIDI = r"\u202a-\u202e\u2066-\u2069"
ONE_LINE = rf"^[^\x00-\x1f{_BIDI}]*$"
TEXT = rf"^[^\x00-\x08\x0b\x0c\x0e-\x1f{_BIDI}]*$"
"""Tab, newline and carriage return allowed."""
PATTERN_MESSAGES = {
    _EMAIL.pattern: "not a valid email address",
    ONE_LINE: "must not contain control characters or bidirectional overrides",
    TEXT: "must not contain control characters (other than tab and newline) or bidirectional overrides",
}

# Text shown to a practitioner on one line: a name, a medication, an allergy.
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=ONE_LINE)]
ShortText = Annotated[str, Field(max_length=100, pattern=ONE_LINE)]

APPOINTMENT_EARLIEST = timedelta(days=1)
"""How long before the submission an appointment may start (a form filled in just after the visit)."""
APPOINTMENT_LATEST_YEARS = 2
_SURELY_WITHIN_LATEST = timedelta(days=365 * APPOINTMENT_LATEST_YEARS)
"""Never more than APPOINTMENT_LATEST_YEARS calendar years: a start before it needs no calendar arithmetic."""


class _Model(BaseModel):
    # Optional lists default through default_factory: a literal [] default is deep-copied on every validation.
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True, frozen=True, allow_inf_nan=False)


class Patient(_Model):
    given_name: Name
    family_name: Name
    date_of_birth: date
    sex_at_birth: SexAtBirth | None = None
    email: Annotated[str, Field(max_length=254, pattern=_EMAIL.pattern)] | None = None
    phone: Annotated[str, Field(max_length=30, pattern=ONE_LINE)] | None = None

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth_date(cls, value: date, info: ValidationInfo) -> date:
        today = reference_date(info)
        if value > today:
            raise ValueError("date of birth is in the future")
        if today.year - value.year - ((today.month, today.day) < (value.month, value.day)) > 120:
            raise ValueError("age must be 120 or less")
        return value


class Appointment(_Model):
    starts_at: AwareDatetime | None = None
    practitioner: ShortText | None = None

    @field_validator("starts_at")
    @classmethod
    def _plausible_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        """Between a day before and two years after the submission: the time orders the review queue, so an
        unbounded one lets any form jump it (and a year outside 1-9999 once in UTC cannot be stored at all)."""
        if value is None:
            return None
        message = f"must be between one day before and {APPOINTMENT_LATEST_YEARS} years after today"
        try:
            # In UTC, the zone of `now`: datetimes in two zones are compared by asking each for its offset, which
            # cost more than the rest of this check.
            moment = value.astimezone(UTC)
        except OverflowError:  # a year outside 1-9999 once in UTC
            raise ValueError(message) from None
        now = reference_time(info)
        earliest = now - APPOINTMENT_EARLIEST
        if earliest <= moment <= now + _SURELY_WITHIN_LATEST:
            return value
        if earliest <= moment <= _years_later(now, APPOINTMENT_LATEST_YEARS):
            return value
        raise ValueError(message)


class Consent(_Model):
    privacy_notice_accepted: Literal[True]
    treatment_consent: Literal[True]
    guardian_name: ShortText | None = None
    # contract 1.1
    privacy_notice_version: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    guardian_relationship: GuardianRelationship | None = None
    guardian_confirmed: bool | None = None
    """The guardian (not the minor) confirmed the treatment consent; absent on contract 1.0 forms."""


class BackPain(_Model):
    duration_weeks: Annotated[int, Field(ge=0, le=1040)]
    pain_score: Annotated[int, Field(ge=0, le=10)]
    areas: Annotated[list[PainArea], Field(min_length=1, max_length=6)]


class Safety(_Model):
    bleeding_disorder: Answer
    blood_thinners: Answer
    pregnant: PregnancyAnswer
    pregnancy_weeks: Annotated[int, Field(ge=0, le=45)] | None = None
    immune_condition: Answer
    immune_details: Annotated[list[ImmuneDetail], Field(max_length=8, default_factory=list)]
    electronic_implant: Answer
    implant_details: Annotated[list[ImplantDetail], Field(max_length=6, default_factory=list)]
    epilepsy: Answer
    heart_valve_condition: Answer
    diabetes: DiabetesAnswer
    metal_allergy: Answer
    lymphoedema: Answer
    skin_problem_at_pain_area: Answer
    fainting_with_needles: Answer


class RedFlags(_Model):
    saddle_numbness: Answer
    bladder_or_bowel_change: Answer
    worsening_leg_weakness: Answer
    symptoms_in_both_legs: Answer
    fever_or_unwell: Answer
    unexplained_weight_loss: Answer
    cancer_history: Answer
    recent_serious_injury: Answer
    night_pain: Answer
    osteoporosis: Answer
    injects_drugs: Answer


class Medication(_Model):
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]
    dose: Annotated[str, Field(max_length=100, pattern=ONE_LINE)] | None = None


class StartBack(_Model):
    """Keele STarT Back items (agree = true); the clinic's licensed wording goes in the form, not here."""

    leg_pain: bool
    shoulder_or_neck_pain: bool
    walked_short_distances_only: bool
    dressed_more_slowly: bool
    not_safe_to_be_active: bool
    worrying_thoughts: bool
    pain_terrible_never_better: bool
    stopped_enjoying_things: bool
    bothersomeness: Bothersomeness


def _custom_value(value: object) -> str | int | float | bool:
    """One check with one message: a union of four types would report four errors under type-named paths."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str):
        if len(value) > MAX_CUSTOM_TEXT:
            raise ValueError(f"text values are at most {MAX_CUSTOM_TEXT} characters")
        return value
    raise ValueError("must be text, a number, true or false")


MAX_CUSTOM_TEXT = 500
CustomValue = Annotated[
    str | int | float | bool,
    PlainValidator(
        _custom_value,
        json_schema_input_type=Annotated[str, Field(max_length=MAX_CUSTOM_TEXT)] | int | float | bool,
    ),
]
CustomKey = Annotated[str, Field(min_length=1, max_length=64)]


class IntakeForm(_Model):
    """POST /intakes body, contract version 1 (1.1 adds optional fields only)."""

    form_version: Literal["1"]
    locale: Locale = "en"
    patient: Patient
    appointment: Appointment | None = None
    consent: Consent
    back_pain: BackPain
    safety: Safety
    red_flags: RedFlags
    medications: Annotated[list[Medication], Field(max_length=50, default_factory=list)]
    allergies: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]],
        Field(max_length=50, default_factory=list),
    ]
    start_back: StartBack | None = None
    notes: Annotated[str, Field(max_length=2000, pattern=TEXT)] | None = None
    custom: Annotated[dict[CustomKey, CustomValue], Field(max_length=50, default_factory=dict)]


def reference_date(info: ValidationInfo) -> date:
    """The date validation is relative to: `today` from the validation context, else today in UTC."""
    context = info.context or {}
    today = context.get("today")
    return today if isinstance(today, date) else datetime.now(UTC).date()


def reference_time(info: ValidationInfo) -> datetime:
    """The moment validation is relative to: `now` from the context, else the start of `today`, else now (UTC)."""
    now = (info.context or {}).get("now")
    if isinstance(now, datetime):
        return now
    return datetime.combine(reference_date(info), time(), UTC)


def _years_later(moment: datetime, years: int) -> datetime:
    """The same date `years` on; 29 February becomes 1 March."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, month=3, day=1)
