"""The clinic's own details, consent that means something, the guardian step, and the page without JavaScript."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.api import LocalApi, unique_family_name
from tests.browser.forms import (
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


def test_the_header_shows_the_clinics_name_phone_email_and_address(page: Page, api: LocalApi) -> None:
    details = clinic()
    page.goto(api.base_url)
    header = page.locator(".clinic-header")
    expect(header.locator(".clinic-name")).to_have_text(details["name"])
    phone = header.get_by_role("link", name=details["phone"])
    expect(phone).to_have_attribute("href", "tel:" + "".join(c for c in details["phone"] if c.isdigit() or c == "+"))
    expect(header.get_by_role("link", name=details["email"])).to_have_attribute("href", f"mailto:{details['email']}")
    expect(header).to_contain_text(details["address"])
    expect(page.locator(".notice-urgent")).to_contain_text(f"call {details['emergency_number']}")


def test_the_privacy_notice_is_linked_summarised_and_its_version_sent(page: Page, api: LocalApi) -> None:
    details = clinic()
    page.goto(api.base_url)
    posts = intake_posts(page)
    summary = page.locator(".privacy-summary")
    link = summary.get_by_role("link")
    expect(link).to_have_attribute("href", details["privacy_notice"]["url"])
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_contain_text(f"version {details['privacy_notice']['version']}")
    expect(summary).to_contain_text(f"{details['name']} staff")  # who reads the answers
    expect(summary).to_contain_text(details["retention"]["en"])  # how long they are kept
    expect(summary).to_contain_text("The email contains none of your answers")  # the alert email
    expect(page.locator('label[for="f-consent-privacy_notice_accepted"]')).to_contain_text(details["name"])

    fill_in(page, Patient(unique_family_name("Notice")))
    page.click("#submit-button")
    reference = expect_confirmation(page)
    assert sent_body(posts[0])["consent"]["privacy_notice_version"] == details["privacy_notice"]["version"]
    assert sent_body(posts[0])["locale"] == "en"
    expect(page.locator("#confirmation-clinic")).to_have_text(details["name"])
    expect(page.locator("#confirmation-contact")).to_contain_text(details["phone"])
    assert reference


def test_a_patient_under_18_needs_their_guardians_name_relationship_and_own_confirmation(
    page: Page, api: LocalApi
) -> None:
    today = date.today()
    minor = Patient(unique_family_name("Minor"), date_of_birth=f"{today.year - 15}-01-01")
    page.goto(api.base_url)
    posts = intake_posts(page)
    guardian = page.locator("#guardian")
    page.fill("#f-patient-date_of_birth", f"{today.year - 40}-01-01")
    expect(guardian).to_be_hidden()
    fill_in(page, minor)
    expect(guardian).to_be_visible()
    page.click("#submit-button")

    summary = page.locator("#error-summary")
    expect(summary.locator("li")).to_have_count(3)
    expect(summary).to_contain_text("Name of your parent or guardian")
    expect(summary).to_contain_text("How is this person related to you?")
    expect(summary).to_contain_text("Your parent or guardian's consent")
    assert posts == []

    page.fill("#f-consent-guardian_name", "Maria Lopez")
    page.check("#f-consent-guardian_relationship-legal_guardian")
    page.check("#f-consent-guardian_confirmed")
    page.click("#submit-button")
    reference = expect_confirmation(page)
    consent = sent_body(posts[0])["consent"]
    assert consent["guardian_name"] == "Maria Lopez"
    assert consent["guardian_relationship"] == "legal_guardian"
    assert consent["guardian_confirmed"] is True
    assert api.intake(reference)["id"] == reference  # accepted and stored


def test_an_adult_sends_no_guardian_answers_even_after_typing_a_minors_birth_date(page: Page, api: LocalApi) -> None:
    today = date.today()
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, Patient(unique_family_name("Adult"), date_of_birth=f"{today.year - 16}-01-01"))
    page.fill("#f-consent-guardian_name", "Someone")
    page.fill("#f-patient-date_of_birth", f"{today.year - 30}-01-01")
    expect(page.locator("#guardian")).to_be_hidden()
    page.click("#submit-button")
    expect_confirmation(page)
    consent = sent_body(posts[0])["consent"]
    assert not {"guardian_name", "guardian_relationship", "guardian_confirmed"} & consent.keys()


def test_age_is_counted_on_todays_date_in_the_clinics_time_zone_not_the_browsers(
    browser: Browser, api: LocalApi
) -> None:
    # 20:00 on 15 June in New York (the clinic) is already 16 June in Kiritimati (the browser, UTC+14).
    now = datetime(2026, 6, 16, 0, 0, tzinfo=UTC)
    with browser_page(browser, timezone_id="Pacific/Kiritimati") as page:
        page.clock.set_fixed_time(now)
        page.goto(api.base_url)
        page.fill("#f-patient-date_of_birth", "2008-06-16")  # 18 in the browser's date, 17 in the clinic's
        expect(page.locator("#guardian")).to_be_visible()
        page.fill("#f-patient-date_of_birth", "2008-06-15")  # 18 on the clinic's date too
        expect(page.locator("#guardian")).to_be_hidden()


def test_without_javascript_the_page_gives_the_clinics_phone_and_no_form(browser: Browser, api: LocalApi) -> None:
    details = clinic()
    with browser_page(browser, java_script_enabled=False) as page:
        page.goto(api.base_url)
        notice = page.locator("noscript + *").or_(page.locator(".unavailable")).first
        expect(notice).to_be_visible()
        for code in ("en", "es", "zh-Hans"):
            paragraph = page.locator(f'.unavailable p[lang="{code}"]').first
            expect(paragraph).to_be_visible()
            expect(paragraph).to_contain_text(details["phone"])
            expect(paragraph).to_contain_text(catalog(code)["ui.noscript"].split("{")[0].strip())
        expect(page.locator("#intake-form")).to_be_hidden()
        expect(page.get_by_role("button")).to_have_count(0)  # nothing to press that would lead nowhere
        expect(page.locator(".clinic-name")).to_have_text(details["name"])


def test_when_the_words_cannot_be_loaded_the_page_gives_the_clinics_phone(page: Page, api: LocalApi) -> None:
    page.route("**/i18n/es.json", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(api.base_url)
    expect(page.locator("#form-unavailable")).to_be_visible()
    expect(page.locator("#form-unavailable")).to_contain_text(clinic()["phone"])
    expect(page.locator("#intake-form")).to_be_hidden()
