"""Filling in the patient form the way a person does: by label-bound controls, one answer per question."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Request, expect

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = {"en": "en-US", "es": "es-MX", "zh-Hans": "zh-CN"}
"""Each form language and a browser locale that should choose it."""


def catalog(code: str) -> dict[str, Any]:
    """The form's messages in one language, as the page loads them."""
    messages: dict[str, Any] = json.loads((ROOT / "web" / "i18n" / f"{code}.json").read_text("utf-8"))
    return messages


def clinic() -> dict[str, Any]:
    details: dict[str, Any] = json.loads((ROOT / "clinic.json").read_text("utf-8"))
    return details


@contextmanager
def browser_page(browser: Browser, locale: str = "en-US", **options: Any) -> Iterator[Page]:
    """A fresh context in a browser locale (like the `page` fixture); any script error on the page fails the test."""
    settings: dict[str, Any] = {"timezone_id": "America/New_York", "viewport": {"width": 1024, "height": 900}}
    context = browser.new_context(locale=locale, **{**settings, **options})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
    finally:
        context.close()
    assert errors == [], f"script errors on the page: {errors}"


def intake_posts(page: Page) -> list[Request]:
    """Every POST /intakes the page sends from now on."""
    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" and r.url.endswith("/intakes") else None)
    return posts


def sent_body(request: Request) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(request.post_data or "{}")
    return body


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
    guardian: tuple[str, str] | None = None
    """A minor's parent or guardian: (name, relationship); they tick their own confirmation."""

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
    if patient.guardian:
        name, relationship = patient.guardian
        page.fill("#f-consent-guardian_name", name)
        choose(page, "consent.guardian_relationship", relationship)
        page.check("#f-consent-guardian_confirmed")
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


def expect_confirmation(page: Page, language: str = "en") -> str:
    """Waits for the confirmation (in that language) and returns the reference (intake id) it shows."""
    expect(page.locator("#confirmation")).to_be_visible()
    expect(page.locator("#confirmation-title")).to_have_text(catalog(language)["ui.confirm.title"])
    reference = page.locator("#confirmation-reference").inner_text()
    assert reference
    return reference
