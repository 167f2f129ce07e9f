"""axe-core on every state of both pages (no serious or critical violation), a phone-width check, and screenshots.

Screenshots go to docs/screenshots/ only when UPDATE_SCREENSHOTS=1, so an ordinary test run never changes the tree.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import row_of, sign_in
from tests.browser.forms import Patient, expect_confirmation, fill_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE: ViewportSize = {"width": 390, "height": 844}

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


def test_the_intake_form_fits_a_phone_screen(page: Page, api: LocalApi, snapshot: Snapshot) -> None:
    page.set_viewport_size(PHONE)
    page.goto(api.base_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    assert blocking_violations(page) == []
    snapshot(page, "form-phone", False)


def test_the_review_console_passes_axe_signed_out_on_the_queue_and_on_an_intake(
    page: Page, api: LocalApi, snapshot: Snapshot
) -> None:
    critical = unique_family_name("Garcia")
    api.submit(
        flagged_form(
            critical,
            safety={"blood_thinners": "yes"},
            red_flags={"cancer_history": "yes", "night_pain": "yes"},
            medications=[{"name": "Eliquis", "dose": "5 mg twice a day"}, {"name": "baby aspirin", "dose": "75 mg"}],
        )
    )
    api.submit(flagged_form(unique_family_name("Okafor"), safety={"metal_allergy": "yes"}, medications=[]))
    page.goto(f"{api.base_url}/review")
    expect(page.locator("#sign-in")).to_be_visible()
    assert blocking_violations(page) == []

    sign_in(page, api)
    expect(row_of(page, critical)).to_have_count(1)
    assert blocking_violations(page) == []
    snapshot(page, "console-queue", True)

    row_of(page, critical).get_by_role("button").click()
    expect(page.locator("#detail-flags .flag").first).to_be_visible()
    assert blocking_violations(page) == []
    snapshot(page, "console-detail", True)

    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"


def test_the_accessibility_check_reports_a_serious_violation_when_there_is_one(page: Page) -> None:
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert "label" in {violation["id"] for violation in blocking_violations(page)}
