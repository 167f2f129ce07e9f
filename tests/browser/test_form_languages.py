"""The form in each language: chosen from the browser's languages, switched by hand, sent as `locale`, and its
errors, confirmation and emergency advice in that language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.api import LocalApi, unique_family_name
from tests.browser.forms import (
    LANGUAGES,
    Patient,
    browser_page,
    catalog,
    clinic,
    expect_confirmation,
    fill_in,
    intake_posts,
    sent_body,
)

pytestmark = [pytest.mark.browser, pytest.mark.page]


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_a_full_submission_in_the_browsers_language(browser: Browser, api: LocalApi, code: str) -> None:
    words = catalog(code)
    with browser_page(browser, LANGUAGES[code]) as page:
        page.goto(api.base_url)
        posts = intake_posts(page)
        expect(page.locator("h1")).to_have_text(words["ui.title"])
        assert page.evaluate("document.documentElement.lang") == code
        assert page.title() == words["ui.doc_title"]
        question = page.locator('[data-field="safety.blood_thinners"]')
        expect(question.locator("legend")).to_have_text(words["q.safety.blood_thinners"])
        expect(question.get_by_label(words["option.unsure"], exact=True)).to_be_visible()  # "Not sure", everywhere
        expect(page.locator(f'#language-switch button[lang="{code}"]')).to_have_attribute("aria-pressed", "true")

        fill_in(page, Patient(unique_family_name(f"Lang{code}"), medications=[("Ibuprofen", "200 mg")]))
        page.click("#submit-button")
        reference = expect_confirmation(page, code)
        body = sent_body(posts[0])
        assert body["locale"] == code
        assert body["medications"] == [{"name": "Ibuprofen", "dose": "200 mg"}]
        assert api.intake(reference)["id"] == reference
        expect(page.locator("#confirmation")).to_contain_text(words["ui.confirm.reference"])
        expect(page.locator("#confirmation-clinic")).to_have_text(clinic()["name"])


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_errors_are_in_the_forms_language(browser: Browser, api: LocalApi, code: str) -> None:
    words = catalog(code)
    with browser_page(browser, LANGUAGES[code]) as page:
        page.goto(api.base_url)
        posts = intake_posts(page)
        page.fill("#f-back_pain-pain_score", "11")
        page.click("#submit-button")
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(page.locator("#error-summary-title")).to_have_text(words["ui.summary.title"])
        count = summary.locator("li").count()
        expect(page.locator("#error-summary-message")).to_have_text(
            words["ui.summary.many"].replace("{count}", str(count))
        )
        expect(page.locator("#f-safety-epilepsy-error")).to_have_text(
            f"{words['ui.error_prefix']} {words['error.missing.choice']}"
        )
        expect(page.locator("#f-back_pain-pain_score-error")).to_contain_text(
            words["error.int_range"].replace("{min}", "0").replace("{max}", "10")
        )
        link = summary.get_by_role("link").filter(has_text=words["q.safety.epilepsy"])
        link.click()
        expect(page.locator("#f-safety-epilepsy-yes")).to_be_focused()
        assert posts == []


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_emergency_advice_is_shown_with_the_clinics_emergency_number(
    browser: Browser, api: LocalApi, code: str
) -> None:
    words = catalog(code)
    number = clinic()["emergency_number"]
    with browser_page(browser, LANGUAGES[code]) as page:
        page.goto(api.base_url)
        fill_in(page, Patient(unique_family_name(f"Urgent{code}"), answers={"red_flags.saddle_numbness": "yes"}))
        page.click("#submit-button")
        reference = expect_confirmation(page, code)
        advice = page.locator("#patient-advice")
        expect(advice).to_be_visible()
        expect(advice.locator("h2")).to_have_text(words["ui.advice.title"])
        stored = api.intake(reference)["screening"]["patient_advice"]
        expect(page.locator("#patient-advice-text")).to_have_text(stored)
        assert advice.inner_text().count(number) == 1  # the advice's closing names it: the page adds no second call


def test_the_language_switch_changes_every_text_and_keeps_the_answers(browser: Browser, api: LocalApi) -> None:
    spanish, chinese = catalog("es"), catalog("zh-Hans")
    with browser_page(browser, "en-GB") as page:
        page.goto(api.base_url)
        page.fill("#f-patient-given_name", "Ana")
        page.check("#f-safety-epilepsy-unsure")
        page.click("#submit-button")  # an error summary is showing when the language changes
        page.get_by_role("button", name="Español").click()
        assert page.evaluate("document.documentElement.lang") == "es"
        expect(page.locator("h1")).to_have_text(spanish["ui.title"])
        expect(page.locator("#error-summary-title")).to_have_text(spanish["ui.summary.title"])
        expect(page.locator("#f-patient-family_name-error")).to_contain_text(spanish["error.missing.text"])
        expect(page.locator('label[for="f-safety-epilepsy-unsure"]')).to_have_text(spanish["option.unsure"])
        expect(page.locator("#f-patient-given_name")).to_have_value("Ana")
        expect(page.locator("#f-safety-epilepsy-unsure")).to_be_checked()
        expect(page.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")
        untranslated = page.evaluate(
            """() => [...document.querySelectorAll('[data-i18n]')].filter(n => n.textContent.trim() === ''
                || n.textContent === n.dataset.i18n).map(n => n.dataset.i18n)"""
        )
        assert untranslated == []

        page.get_by_role("button", name="简体中文").click()
        page.reload()  # the chosen language is kept with the answers in this tab
        expect(page.locator("h1")).to_have_text(chinese["ui.title"])
        expect(page.locator("#f-patient-given_name")).to_have_value("Ana")


@pytest.mark.parametrize(("browser_locale", "expected"), [("zh-TW", "en"), ("zh-SG", "zh-Hans"), ("fr-FR", "en")])
def test_a_language_the_form_does_not_have_falls_back_to_the_clinics_first(
    browser: Browser, api: LocalApi, browser_locale: str, expected: str
) -> None:
    with browser_page(browser, browser_locale) as page:
        page.goto(api.base_url)
        expect(page.locator("h1")).to_have_text(catalog(expected)["ui.title"])
