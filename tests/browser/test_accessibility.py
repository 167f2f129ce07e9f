"""axe-core on every state of both pages (no serious or critical violation), a phone-width check, and screenshots.

Screenshots go to docs/screenshots/ only when UPDATE_SCREENSHOTS=1, so an ordinary test run never changes the tree.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import admin_token, at, clinic_day, open_intake, row_of, show_queue, sign_in
from tests.browser.forms import LANGUAGES, Patient, browser_page, expect_confirmation, fill_in

pytestmark = [pytest.mark.browser, pytest.mark.page]

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

Snapshot = Callable[[Page, str, bool], None]
"""snapshot(page, name, full_page): full_page False keeps to what is on screen (the form is very long)."""


@pytest.fixture
def snapshot(tmp_path: Path) -> Snapshot:
    folder = ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path

    def save(page: Page, name: str, full_page: bool) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)

    return save


def blocking_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (every rule axe runs by default)."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run scripts/install-browser.sh (make browser-tools)")
    # Evaluated through the DevTools protocol: an injected <script> would be (rightly) blocked by the pages' CSP.
    page.evaluate(AXE_SCRIPT.read_text())
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
        }))"""
    )
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def test_the_intake_form_passes_axe_when_empty_with_errors_and_with_advice(
    page: Page, api: LocalApi, snapshot: Snapshot
) -> None:
    page.goto(api.base_url)
    assert blocking_violations(page) == []
    snapshot(page, "form-empty", True)

    page.click("#submit-button")
    expect(page.locator("#error-summary")).to_be_focused()
    assert blocking_violations(page) == []
    page.set_viewport_size({"width": 1024, "height": 1400})
    page.locator('[data-field="safety.bleeding_disorder"]').scroll_into_view_if_needed()
    snapshot(page, "form-errors-fields", False)
    page.evaluate("window.scrollTo(0, 0)")
    snapshot(page, "form-errors", False)

    page.reload()
    fill_in(page, Patient(unique_family_name("Advice"), answers={"red_flags.bladder_or_bowel_change": "yes"}))
    page.click("#submit-button")
    expect_confirmation(page)
    expect(page.locator("#patient-advice")).to_be_visible()
    assert blocking_violations(page) == []
    snapshot(page, "form-advice", False)


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_intake_form_passes_axe_in_every_language_at_desktop_and_phone_widths(
    browser: Browser, api: LocalApi, code: str, width: str
) -> None:
    viewport = PHONE if width == "phone" else DESKTOP
    with browser_page(browser, LANGUAGES[code], viewport=viewport) as page:
        page.goto(api.base_url)
        expect(page.locator("#intake-form")).to_be_visible()
        assert page.evaluate("document.documentElement.lang") == code
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "no sideways scrolling"
        assert blocking_violations(page) == []

        page.fill("#f-patient-date_of_birth", "2015-01-01")  # the guardian step is showing
        page.click("#submit-button")
        expect(page.locator("#error-summary")).to_be_focused()
        expect(page.locator("#guardian")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "no sideways scrolling"
        assert blocking_violations(page) == []


def test_the_language_and_confirmation_screenshots(browser: Browser, api: LocalApi, snapshot: Snapshot) -> None:
    """docs/screenshots/form-zh-Hans.png, form-es.png and form-confirmation.png, each checked with axe."""
    with browser_page(browser, LANGUAGES["zh-Hans"]) as page:
        page.goto(api.base_url)
        expect(page.locator("#intake-form")).to_be_visible()
        snapshot(page, "form-zh-Hans", False)
    with browser_page(browser, LANGUAGES["es"]) as page:
        page.goto(api.base_url)
        page.fill("#f-patient-date_of_birth", "2012-05-01")
        expect(page.locator("#guardian")).to_be_visible()
        page.locator("#section-consent").evaluate("section => section.scrollIntoView()")
        assert blocking_violations(page) == []
        snapshot(page, "form-es", False)
    with browser_page(browser, viewport={"width": 1024, "height": 760}) as page:
        page.goto(api.base_url)
        fill_in(page, Patient(unique_family_name("Shown"), answers={"red_flags.worsening_leg_weakness": "yes"}))
        page.click("#submit-button")
        expect_confirmation(page)
        expect(page.locator("#patient-advice")).to_be_visible()
        expect(page.locator("#confirmation-contact")).to_be_visible()
        assert blocking_violations(page) == []
        snapshot(page, "form-confirmation", True)


def test_the_intake_form_fits_a_phone_screen(page: Page, api: LocalApi, snapshot: Snapshot) -> None:
    page.set_viewport_size(PHONE)
    page.goto(api.base_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    assert blocking_violations(page) == []
    snapshot(page, "form-phone", False)


def seed_console(api: LocalApi) -> str:
    """Today's intakes for the console's views: a critical one (returned), a warning, a reviewed one and a clear one."""
    today = date.fromisoformat(clinic_day(api)["today"])
    critical = unique_family_name("Garcia")
    api.submit(
        flagged_form(
            critical,
            safety={"blood_thinners": "yes"},
            red_flags={"cancer_history": "yes", "night_pain": "yes", "saddle_numbness": "yes"},
            medications=[{"name": "Eliquis", "dose": "5 mg twice a day"}, {"name": "baby aspirin", "dose": "75 mg"}],
            appointment={"starts_at": at(api, today, 9, 30)},
        )
    )
    api.submit(
        flagged_form(
            unique_family_name("Okafor"),
            safety={"metal_allergy": "yes"},
            medications=[],
            appointment={"starts_at": at(api, today, 11)},
        )
    )
    reviewed = api.submit(flagged_form(unique_family_name("Chen"), appointment={"starts_at": at(api, today, 14)}))
    api.review(reviewed, "treat_with_modifications", "Fine needles, no deep points", 1)
    clear = flagged_form(unique_family_name("Smith"), medications=[], appointment={"starts_at": at(api, today, 16)})
    api.submit(clear)
    return critical


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_console_view_passes_axe_and_fits_the_screen(
    page: Page, api: LocalApi, snapshot: Snapshot, viewport: ViewportSize
) -> None:
    critical = seed_console(api)
    phone = viewport == PHONE
    page.set_viewport_size(viewport)
    suffix = "-phone" if phone else ""

    def check(view: str) -> None:
        assert blocking_violations(page) == [], view
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], f"{view}: sideways scroll"

    page.goto(f"{api.base_url}/review")
    expect(page.locator("#sign-in")).to_be_visible()
    check("sign-in")

    sign_in(page, api, admin_token())
    expect(row_of(page, critical, "day")).to_have_count(1)
    check("day list")
    snapshot(page, f"console-day{suffix}", not phone)

    show_queue(page)
    expect(row_of(page, critical)).to_have_count(1)
    check("review queue")
    if not phone:
        snapshot(page, "console-queue", True)
    show_queue(page, "reviewed")
    check("reviewed list")

    page.locator("#console-nav").get_by_role("button", name="Find a patient").click()
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.locator("#search-family-name-error")).to_be_visible()
    check("search with errors")
    page.get_by_label("Family name").fill(critical)
    page.get_by_label("Date of birth").fill("1985-04-12")
    page.get_by_role("button", name="Find", exact=True).click()
    expect(row_of(page, critical, "patients")).to_have_count(1)
    check("search results")

    open_intake(page, critical, "patients")
    expect(page.locator("#detail-flags .flag").first).to_be_visible()
    check("intake")
    snapshot(page, f"console-detail{suffix}", not phone)

    page.get_by_label("Cleared: treat as planned").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#confirm-error")).to_be_visible()
    check("decision prompt")
    if not phone:
        page.evaluate("document.getElementById('decision-form').scrollIntoView()")
        snapshot(page, "console-decision", False)

    page.get_by_role("button", name="Show the audit trail").click()
    expect(page.locator("#audit-trail table")).to_be_visible()
    page.get_by_label("Reason for erasure").fill("Written request from the patient")
    page.get_by_role("button", name="Erase…").click()
    expect(page.locator("#erase-confirm")).to_be_visible()
    check("admin: audit trail and erasure confirmation")
    page.get_by_role("button", name="Erase for good").click()
    expect(page.locator("#detail-erased")).to_be_visible()
    check("erased intake")


def test_the_accessibility_check_reports_a_serious_violation_when_there_is_one(page: Page) -> None:
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert "label" in {violation["id"] for violation in blocking_violations(page)}
