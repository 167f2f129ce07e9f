"""The day list: the console opens on the clinic's today with its counts, a date picker, labelled rows on a phone,
and the day as a CSV file downloaded with the bearer token."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, ViewportSize, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import at, cell, clinic_day, open_intake, row_of, sign_in
from tests.support import example_form, with_changes

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}


def clear_form(family_name: str, starts_at: str) -> dict[str, Any]:
    """A form with nothing to flag: no medicines, every safety and red-flag answer "no"."""
    form = with_changes(
        example_form(),
        patient={"given_name": "Ana", "family_name": family_name, "phone": "+44 20 7946 0000"},
        appointment={"starts_at": starts_at},
    )
    form["medications"] = []
    return form


def test_the_console_opens_on_the_clinics_today_with_counts_and_the_day_by_appointment_time(
    page: Page, api: LocalApi
) -> None:
    today = date.fromisoformat(clinic_day(api)["today"])
    late, clear, critical, reviewed = (unique_family_name(p) for p in ("Late", "Clear", "Critical", "Reviewed"))
    late_id = api.submit(flagged_form(late, appointment={"starts_at": at(api, today, 16, 30)}))
    clear_id = api.submit(clear_form(clear, at(api, today, 9)))
    critical_id = api.submit(
        flagged_form(critical, red_flags={"saddle_numbness": "yes"}, appointment={"starts_at": at(api, today, 11)})
    )
    reviewed_id = api.submit(flagged_form(reviewed, appointment={"starts_at": at(api, today, 14)}))
    api.review(reviewed_id, "declined", "Moved to the physio clinic", 1)
    tomorrow = at(api, today + timedelta(days=1), 9)
    api.submit(flagged_form(unique_family_name("Tomorrow"), appointment={"starts_at": tomorrow}))

    sign_in(page, api)
    expect(page.locator("#day-title")).to_contain_text("Today, ")
    expect(page.locator("#day-title time")).to_have_attribute("datetime", today.isoformat())
    expect(page.locator("#day-date")).to_have_value(today.isoformat())
    counts = {
        key: page.locator(f'#day-counts [data-count="{key}"] dd')
        for key in ("forms_in", "waiting_for_review", "critical", "reviewed")
    }
    for key, expected in {"forms_in": "4", "waiting_for_review": "2", "critical": "1", "reviewed": "1"}.items():
        expect(counts[key]).to_have_text(expected)
    expect(page.locator("#day-counts dt")).to_have_text(["Forms in", "Waiting for review", "Critical", "Reviewed"])

    rows = page.locator("#day table.intakes tbody tr")
    expect(rows).to_have_count(4)
    order = [row.get_attribute("data-intake-id") for row in rows.all()]
    assert order == [clear_id, critical_id, reviewed_id, late_id]
    expect(rows.nth(0).locator('td[data-label="Appointment"]')).to_have_text("9:00 AM")
    expect(rows.nth(3).locator('td[data-label="Appointment"]')).to_have_text("4:30 PM")
    expect(cell(row_of(page, clear, "day"), "Status")).to_have_text("Clear (no flags)")
    expect(cell(row_of(page, clear, "day"), "Highest severity")).to_have_text("No flags")
    expect(cell(row_of(page, critical, "day"), "Highest severity")).to_have_text("critical")
    expect(cell(row_of(page, critical, "day"), "Status")).to_have_text("Waiting for review")
    expect(cell(row_of(page, reviewed, "day"), "Decision")).to_have_text("Declined: not treating")

    open_intake(page, clear, "day")
    expect(page.locator("#detail-answers")).to_contain_text("+44 20 7946 0000")
    expect(page.locator("#detail-flags")).to_contain_text("None: nothing in this form needs a practitioner's review.")
    expect(page.locator("#decision-form")).to_be_hidden()
    page.get_by_role("button", name="Back to the day list").click()
    expect(page.locator("#day-title")).to_be_focused()
    expect(rows).to_have_count(4)


def test_the_date_picker_shows_another_day(page: Page, api: LocalApi) -> None:
    today = date.fromisoformat(clinic_day(api)["today"])
    later = today + timedelta(days=3)
    name = unique_family_name("Later")
    api.submit(flagged_form(name, appointment={"starts_at": at(api, later, 10, 15)}))
    sign_in(page, api)
    expect(row_of(page, name, "day")).to_have_count(0)

    page.get_by_label("Day", exact=True).fill(later.isoformat())
    page.get_by_role("button", name="Show this day").click()
    expect(page.locator("#day-title time")).to_have_attribute("datetime", later.isoformat())
    expect(page.locator("#day-title")).not_to_contain_text("Today")
    expect(page.locator("#day table.intakes tbody tr")).to_have_count(1)
    expect(cell(row_of(page, name, "day"), "Appointment")).to_have_text("10:15 AM")
    expect(page.locator('#day-counts [data-count="forms_in"] dd')).to_have_text("1")

    page.get_by_role("button", name="Today", exact=True).click()
    expect(page.locator("#day-title")).to_contain_text("Today, ")
    expect(row_of(page, name, "day")).to_have_count(0)


def test_on_a_phone_every_value_of_a_row_keeps_its_label(page: Page, api: LocalApi) -> None:
    today = date.fromisoformat(clinic_day(api)["today"])
    name = unique_family_name("Phone")
    api.submit(flagged_form(name, appointment={"starts_at": at(api, today, 8)}))
    page.set_viewport_size(PHONE)
    sign_in(page, api)
    row = row_of(page, name, "day")
    expect(row).to_be_visible()
    shown = row.locator("td").evaluate_all(
        """cells => cells.map(c => [getComputedStyle(c, "::before").content, getComputedStyle(c).display])"""
    )
    assert shown == [
        ['"Appointment"', "grid"],
        ['"Patient"', "grid"],
        ['"Status"', "grid"],
        ['"Highest severity"', "grid"],
        ['"Decision"', "grid"],
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"


def test_download_csv_saves_the_day_with_the_token_in_a_header_not_the_address(
    page: Page, api: LocalApi, tmp_path: Path
) -> None:
    today = date.fromisoformat(clinic_day(api)["today"])
    name = unique_family_name("Export")
    intake_id = api.submit(flagged_form(name, appointment={"starts_at": at(api, today, 12)}))
    sign_in(page, api)
    expect(row_of(page, name, "day")).to_have_count(1)

    with page.expect_request("**/export.csv") as request, page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert request.value.headers["authorization"] == f"Bearer {api.token}"
    assert api.token not in request.value.url
    assert download.value.suggested_filename == f"intakes-{today.isoformat()}.csv"
    saved = tmp_path / "day.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,")
    assert any(line.startswith(f"{intake_id},") and name in line for line in lines[1:])
    expect(page.locator("#console-status")).to_have_text(
        f"The intakes of {today.isoformat()} were downloaded as a CSV file."
    )


def test_an_access_that_could_not_be_audited_shows_nothing_and_says_why(page: Page, api: LocalApi) -> None:
    """The API answers 503 when it cannot write the audit item first; the console shows no patient and says so."""
    name = unique_family_name("Unaudited")
    today = date.fromisoformat(clinic_day(api)["today"])
    api.submit(flagged_form(name, appointment={"starts_at": at(api, today, 13)}))
    sign_in(page, api)
    expect(row_of(page, name, "day")).to_have_count(1)

    def unaudited(route: Route) -> None:
        route.fulfill(status=503, headers={"Retry-After": "2"}, json={"message": "the service is busy"})

    page.route("**/intakes/*", unaudited)
    row_of(page, name, "day").get_by_role("button").click()
    expect(page.locator("#console-alert")).to_have_text(
        "The service is busy or could not record this access. Nothing was shown or changed: try again shortly."
    )
    expect(page.locator("#detail")).to_be_hidden()
    expect(page.locator("#day")).to_be_visible()
