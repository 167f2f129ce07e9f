"""Finding a patient by family name and date of birth, and an intake's links to the same patient's other intakes."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import cell, open_intake, row_of, sign_in
from tests.support import with_changes

pytestmark = pytest.mark.browser


def find(page: Page, family_name: str, date_of_birth: str) -> None:
    page.locator("#console-nav").get_by_role("button", name="Find a patient").click()
    page.get_by_label("Family name").fill(family_name)
    page.get_by_label("Date of birth").fill(date_of_birth)
    page.get_by_role("button", name="Find", exact=True).click()


def test_a_patient_is_found_by_family_name_and_birth_date_with_their_intakes_newest_first_and_linked(
    page: Page, api: LocalApi
) -> None:
    family = unique_family_name("Núñez")
    born = {"date_of_birth": "1979-03-08"}
    first = api.submit(with_changes(flagged_form(family), patient={"given_name": "Ana", **born}))
    again = api.submit(with_changes(flagged_form(family), patient={"given_name": "Ana", **born}))
    twin = api.submit(with_changes(flagged_form(family), patient={"given_name": "Eva", **born}))
    api.submit(with_changes(flagged_form(family), patient={"given_name": "Ana", "date_of_birth": "1980-03-08"}))
    sign_in(page, api)

    searched = family.replace("Núñez", " nunez ").upper()  # another case, no accents, extra spaces
    with page.expect_request("**/patients/search") as request:
        find(page, searched, born["date_of_birth"])
    assert request.value.method == "POST"
    assert searched not in request.value.url and family not in request.value.url
    assert json.loads(request.value.post_data or "{}") == {
        "family_name": searched.strip(),
        "date_of_birth": born["date_of_birth"],
    }
    rows = page.locator("#patients table.intakes tbody tr")
    expect(rows).to_have_count(3)
    assert [row.get_attribute("data-intake-id") for row in rows.all()] == [twin, again, first]
    expect(page.locator("#patients caption")).to_have_text("Intakes of this patient, newest first")

    rows.nth(1).get_by_role("button").click()
    expect(page.locator("#detail-title")).to_have_text(f"Ana {family}")
    others = page.locator("#detail-others table.intakes tbody tr")
    expect(others).to_have_count(2)
    same = page.locator(f'#detail-others tr[data-intake-id="{first}"]')
    other = page.locator(f'#detail-others tr[data-intake-id="{twin}"]')
    expect(cell(same, "Same patient")).to_have_text("Yes (same given name)")
    expect(cell(other, "Same patient")).to_have_text("Not confirmed")
    expect(cell(other, "Patient")).to_have_text(f"Eva {family}")

    same.get_by_role("button").click()
    expect(page.locator("#detail-title")).to_have_text(f"Ana {family}")
    expect(page.locator(f'#detail-others tr[data-intake-id="{again}"]')).to_have_count(1)
    page.get_by_role("button", name="Back to the search").click()
    expect(row_of(page, family, "patients")).to_have_count(3)


def test_the_search_asks_for_both_fields_and_sends_nothing_without_them(page: Page, api: LocalApi) -> None:
    sign_in(page, api)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if "/patients/search" in request.url else None)
    find(page, "  ", "")
    expect(page.locator("#search-family-name-error")).to_have_text("Enter the family name.")
    expect(page.locator("#search-date-of-birth-error")).to_have_text("Enter the date of birth.")
    expect(page.get_by_label("Family name")).to_be_focused()
    expect(page.get_by_label("Family name")).to_have_attribute("aria-invalid", "true")
    assert sent == []


def test_no_match_says_so(page: Page, api: LocalApi) -> None:
    sign_in(page, api)
    find(page, unique_family_name("Nobody"), "1990-01-01")
    expect(page.locator("#search-results")).to_have_text("No intakes with this family name and date of birth.")


def test_an_intake_without_other_intakes_shows_no_links(page: Page, api: LocalApi) -> None:
    family = unique_family_name("Alone")
    api.submit(flagged_form(family))
    sign_in(page, api)
    find(page, family, "1985-04-12")
    open_intake(page, family, "patients")
    expect(page.locator("#detail-others")).to_be_hidden()


def test_a_patient_can_be_found_and_opened_with_the_keyboard_only(page: Page, api: LocalApi) -> None:
    family = unique_family_name("Keyboard")
    api.submit(flagged_form(family))
    sign_in(page, api)
    page.locator("#console-nav").get_by_role("button", name="Find a patient").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#patients")).to_be_visible()
    page.get_by_label("Family name").focus()
    page.keyboard.type(family)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Date of birth")).to_be_focused()
    page.keyboard.type("04121985")  # the date field's own month/day/year segments (en-US)
    page.keyboard.press("Enter")
    result = row_of(page, family, "patients").get_by_role("button")
    expect(page.locator("#patients table.intakes")).to_be_focused()
    page.keyboard.press("Tab")
    expect(result).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#detail-title")).to_be_focused()
    expect(page.locator("#detail-title")).to_have_text(f"Ana {family}")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Back to the search")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#patients-title")).to_be_focused()
