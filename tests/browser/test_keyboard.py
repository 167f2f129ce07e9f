"""A patient who uses only the keyboard can reach every question in order, answer it, and send the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.api import LocalApi, unique_family_name
from tests.browser.forms import Patient, expect_confirmation

pytestmark = [pytest.mark.browser, pytest.mark.page]

MAX_TABS = 60
"""Tab presses allowed between two consecutive answers: generous, but a control that is unreachable fails."""

OPTION_ORDER = {
    "safety.pregnant": ["yes", "no", "unsure", "not_applicable"],
    "safety.diabetes": ["no", "controlled", "uncontrolled", "unsure"],
}


def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until the focused element matches `selector` (moving forward only, as a keyboard user does)."""
    for _ in range(MAX_TABS):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached with the Tab key")


def focus_is_visible(page: Page) -> bool:
    return bool(page.evaluate("getComputedStyle(document.activeElement).outlineStyle !== 'none'"))


def choose_by_keyboard(page: Page, path: str, value: str) -> None:
    """Tab into the radio group (its first option), then arrow to the answer, or Space when it is the first."""
    tab_to(page, f'input[name="{path}"]')
    options = OPTION_ORDER.get(path, ["yes", "no", "unsure"])
    steps = options.index(value)
    if steps == 0:
        page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f'input[name="{path}"][value="{value}"]')).to_be_checked()


def test_the_form_can_be_completed_and_sent_with_the_keyboard_only(page: Page, api: LocalApi) -> None:
    patient = Patient(
        unique_family_name("Keyboard"),
        answers={"safety.blood_thinners": "yes", "safety.diabetes": "no", "red_flags.night_pain": "unsure"},
    )
    page.goto(api.base_url)

    tab_to(page, "#f-patient-given_name")
    assert focus_is_visible(page)
    page.keyboard.type(patient.given_name)
    tab_to(page, "#f-patient-family_name")
    page.keyboard.type(patient.family_name)
    tab_to(page, "#f-patient-date_of_birth")
    page.keyboard.type("04121985")
    for consent in ("#f-consent-privacy_notice_accepted", "#f-consent-treatment_consent"):
        tab_to(page, consent)
        assert focus_is_visible(page)
        page.keyboard.press("Space")
    tab_to(page, "#f-back_pain-duration_weeks")
    page.keyboard.type("3")
    tab_to(page, "#f-back_pain-pain_score")
    page.keyboard.type("4")
    tab_to(page, 'input[name="back_pain.areas"][value="lower_back"]')
    page.keyboard.press("Space")
    for path in patient.questions():
        choose_by_keyboard(page, path, patient.answer(path))
    assert focus_is_visible(page)
    tab_to(page, "#f-medications-0-name")
    page.keyboard.type("Apixaban")
    tab_to(page, "#submit-button")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    reference = expect_confirmation(page)
    expect(page.locator("#confirmation")).to_be_focused()
    answers = api.intake(reference)["answers"]
    assert answers["patient"] == {
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": "1985-04-12",
    }
    assert answers["back_pain"] == {"duration_weeks": 3, "pain_score": 4, "areas": ["lower_back"]}
    assert answers["safety"]["blood_thinners"] == "yes"
    assert answers["safety"]["pregnant"] == "not_applicable"
    assert answers["red_flags"]["night_pain"] == "unsure"
    assert answers["red_flags"]["saddle_numbness"] == "no"
    assert answers["medications"] == [{"name": "Apixaban"}]


def test_the_error_summary_links_move_keyboard_focus_to_the_question(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    tab_to(page, "#f-patient-given_name")
    page.keyboard.press("Enter")  # implicit submission from a text field, as many keyboard users send forms
    expect(page.locator("#error-summary")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#f-patient-given_name")).to_be_focused()


def test_the_language_switch_works_from_the_keyboard(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    tab_to(page, '#language-switch button[lang="es"]')
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator('#language-switch button[lang="es"]')).to_be_focused()
    tab_to(page, "#f-patient-given_name")
    page.keyboard.type("Ana")
    expect(page.locator("#f-patient-given_name")).to_have_value("Ana")
