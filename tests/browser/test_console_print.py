"""One intake printed as a clean summary (web/print.css): patient, contact, age, flags with actions, answers and
decisions; no buttons, no navigation, no forms. Chromium's print makes the PDF; its first page becomes
docs/screenshots/print-intake.png when UPDATE_SCREENSHOTS=1 (rendered with poppler's pdftoppm when installed,
else a print-media screenshot of the page)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import open_intake, show_queue, sign_in
from tests.support import with_changes

pytestmark = [pytest.mark.browser, pytest.mark.page]

ROOT = Path(__file__).resolve().parents[2]
HIDDEN_IN_PRINT = ["#console-nav", "#account", "#back", "#print-intake", "#decision-form", "#day", "#queue"]


def printed_intake(page: Page, api: LocalApi) -> str:
    name = unique_family_name("Printed")
    form = with_changes(
        flagged_form(name, red_flags={"cancer_history": "yes", "night_pain": "yes"}),
        patient={"phone": "+44 161 496 0000"},
    )
    intake_id = api.submit(form)
    api.review(intake_id, "refer_to_doctor", "GP to rule out metastasis before any needling", 1)
    sign_in(page, api)
    show_queue(page, "reviewed")
    open_intake(page, name)
    return name


def test_the_print_stylesheet_keeps_the_summary_and_drops_every_control(page: Page, api: LocalApi) -> None:
    name = printed_intake(page, api)
    expect(page.locator("#decision-form")).to_be_visible()
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        expect(page.locator(selector)).to_be_hidden()
    assert page.locator("button:visible").count() == 0
    for selector in ("#detail-title", "#detail-glance", "#detail-flags", "#detail-history", "#detail-answers"):
        expect(page.locator(selector)).to_be_visible()
    expect(page.locator("#detail-title")).to_have_text(f"Ana {name}")
    expect(page.locator("#detail-glance")).to_contain_text("+44 161 496 0000")
    expect(page.locator("#detail-glance")).to_contain_text("Age")
    expect(page.locator("#detail-flags .flag").first).to_contain_text("Action: ")
    expect(page.locator("#detail-history")).to_contain_text("GP to rule out metastasis")
    page.emulate_media(media="screen")
    expect(page.locator("#decision-form")).to_be_visible()


def test_chromium_prints_the_intake_to_a_pdf(page: Page, api: LocalApi, tmp_path: Path) -> None:
    printed_intake(page, api)
    pdf = tmp_path / "intake.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/Type /Page" in data, "at least one page"

    folder = ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    image = folder / "print-intake.png"
    if shutil.which("pdftoppm"):
        prefix = tmp_path / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
            check=True,
            timeout=60,
        )
        shutil.copyfile(prefix.with_suffix(".png"), image)
    else:
        page.emulate_media(media="print")
        page.screenshot(path=str(image), full_page=True)
    assert image.stat().st_size > 0
