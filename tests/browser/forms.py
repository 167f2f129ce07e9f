"""Filling in the patient form the way a person does: by label-bound controls, one answer per question."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

SAFETY = (  # in the page's order
    "bleeding_disorder",
    "blood_thinners",
    "pregnant",
    "immune_condition",
    "electronic_implant",
    "epilepsy",
    "heart_valve_condition",
    "diabetes",
    "metal_allergy",
    "lymphoedema",
    "skin_problem_at_pain_area",
    "fainting_with_needles",
)
RED_FLAGS = (  # in the page's order
    "saddle_numbness",
    "bladder_or_bowel_change",
    "worsening_leg_weakness",
    "symptoms_in_both_legs",
    "fever_or_unwell",
    "unexplained_weight_loss",
    "cancer_history",
    "recent_serious_injury",
    "night_pain",
    "osteoporosis",
    "injects_drugs",
)


@dataclass
class Patient:
    """What a test patient answers; every safety and red-flag question defaults to "no" unless overridden."""

    family_name: str
    given_name: str = "Ana"
    date_of_birth: str = "1985-04-12"
    answers: dict[str, str] = field(default_factory=dict)
    medications: list[tuple[str, str]] = field(default_factory=list)

    def answer(self, path: str) -> str:
        default = {"safety.pregnant": "not_applicable", "safety.diabetes": "no"}.get(path, "no")
        return self.answers.get(path, default)

    def questions(self) -> list[str]:
        """The required single-answer questions, in the order the page asks them."""
        return [*(f"safety.{name}" for name in SAFETY), *(f"red_flags.{name}" for name in RED_FLAGS)]


def choose(page: Page, path: str, value: str) -> None:
    page.check(f'input[name="{path}"][value="{value}"]')


def fill_in(page: Page, patient: Patient) -> None:
    page.fill("#f-patient-given_name", patient.given_name)
    page.fill("#f-patient-family_name", patient.family_name)
    page.fill("#f-patient-date_of_birth", patient.date_of_birth)
    page.check("#f-consent-privacy_notice_accepted")
    page.check("#f-consent-treatment_consent")
    page.fill("#f-back_pain-duration_weeks", "10")
    page.fill("#f-back_pain-pain_score", "6")
    choose(page, "back_pain.areas", "lower_back")
    for path in patient.questions():
        choose(page, path, patient.answer(path))
    for index, (name, dose) in enumerate(patient.medications):
        if index:
            page.click("#add-medication")
        page.fill(f"#f-medications-{index}-name", name)
        page.fill(f"#f-medications-{index}-dose", dose)


def expect_confirmation(page: Page) -> str:
    """Waits for the confirmation and returns the reference (intake id) it shows."""
    expect(page.locator("#confirmation")).to_be_visible()
    expect(page.locator("#confirmation-title")).to_have_text("Thank you, your answers have been sent")
    reference = page.locator("#confirmation-reference").inner_text()
    assert reference
    return reference
