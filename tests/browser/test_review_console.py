"""The review queue and the reviewed list in headless Chromium against the local stack (its own fresh DB per module)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import PRACTITIONER, TOKEN_KEY, cell, display_name, open_intake, row_of, show_queue, sign_in
from tests.support import appointment_at

pytestmark = pytest.mark.browser


def test_the_queue_puts_the_most_urgent_first_and_a_decision_moves_the_intake_to_the_reviewed_list(
    page: Page, api: LocalApi
) -> None:
    warning_name = unique_family_name("Warning")
    critical_name = unique_family_name("Critical")
    api.submit(flagged_form(warning_name, appointment={"starts_at": appointment_at(1, 8)}))
    critical_id = api.submit(
        flagged_form(
            critical_name,
            red_flags={"recent_serious_injury": "yes"},
            appointment={"starts_at": appointment_at(8, 17)},
        )
    )
    sign_in(page, api)
    show_queue(page)

    rows = page.locator("#queue table.intakes tbody tr")
    expect(rows.first).to_contain_text(critical_name)
    expect(cell(rows.first, "Highest severity")).to_have_text("critical")
    expect(cell(row_of(page, warning_name), "Highest severity")).to_have_text("warning")
    names = rows.all_inner_texts()
    assert [i for i, text in enumerate(names) if critical_name in text] == [0]
    assert any(warning_name in text for text in names[1:])

    open_intake(page, critical_name)
    expect(page.locator("#detail-no-history")).to_be_visible()
    page.get_by_label("Refer to a doctor before treatment").check()
    page.get_by_role("textbox", name="Note").fill("Sent to the GP for imaging first")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#console-status")).to_have_text("Decision recorded: Refer to a doctor.")
    expect(page.locator("#detail-history li")).to_have_count(1)
    expect(page.locator("#detail-history")).to_contain_text(f"Refer to a doctor by {PRACTITIONER}")
    expect(page.locator("#detail-history")).to_contain_text("Sent to the GP for imaging first")

    stored = api.intake(critical_id)
    assert stored["status"] == "reviewed"
    assert [(h["decision"], h["note"], h["by"], h["by_name"]) for h in stored["history"]] == [
        ("refer_to_doctor", "Sent to the GP for imaging first", "local-practitioner", display_name(PRACTITIONER))
    ]
    page.get_by_role("button", name="Back to the queue").click()
    expect(row_of(page, warning_name)).to_have_count(1)
    expect(row_of(page, critical_name)).to_have_count(0)
    show_queue(page, "reviewed")
    reviewed = row_of(page, critical_name)
    expect(reviewed).to_have_count(1)
    expect(row_of(page, warning_name)).to_have_count(0)
    expect(cell(reviewed, "Decision")).to_have_text("Refer to a doctor")
    expect(cell(reviewed, "By")).to_have_text(stored["history"][0]["by_name"])
    expect(cell(reviewed, "When").locator("time")).to_have_attribute("datetime", stored["history"][0]["at"])


def test_a_stale_decision_shows_what_the_colleague_decided_and_reloads(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Race")
    intake_id = api.submit(flagged_form(name))
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)
    expect(page.locator("#expected-version")).to_have_value("1")

    version = api.intake(intake_id)["version"]
    api.review(intake_id, "declined", "Patient cancelled the course", version)  # a colleague, a moment earlier
    page.get_by_label("Refer to a doctor before treatment").check()
    page.get_by_role("button", name="Record decision").click()

    alert = page.locator("#console-alert")
    expect(alert).to_contain_text(
        f"Another practitioner ({display_name(PRACTITIONER)}) recorded “Declined: not treating”"
    )
    expect(alert).to_contain_text("Patient cancelled the course")
    expect(alert).to_contain_text("your decision was not recorded")
    expect(page.locator("#detail-history li")).to_have_count(1)
    expect(page.locator("#detail-history")).to_contain_text("Declined: not treating")
    expect(page.locator("#expected-version")).not_to_have_value("1")
    assert [h["decision"] for h in api.intake(intake_id)["history"]] == ["declined"]


def test_a_decision_needs_a_choice_and_sends_nothing_without_one(page: Page, api: LocalApi) -> None:
    name = unique_family_name("NoChoice")
    intake_id = api.submit(flagged_form(name))
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#decision-error")).to_have_text("Choose a decision.")
    expect(page.locator("#decision-cleared")).to_be_focused()
    assert api.intake(intake_id)["history"] == []


def test_only_the_token_is_stored_and_sign_out_forgets_it_and_the_patient(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Private")
    api.submit(flagged_form(name))
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)
    assert page.evaluate("Object.keys(sessionStorage)") == [TOKEN_KEY]
    assert page.evaluate("localStorage.length") == 0
    assert name not in page.url

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#sign-in")).to_be_visible()
    expect(page.locator("#console-status")).to_have_text("You have signed out.")
    assert page.evaluate("sessionStorage.length + localStorage.length") == 0
    assert name not in page.locator("body").inner_text()
    assert name not in page.content()
    page.reload()
    expect(page.locator("#sign-in")).to_be_visible()
    expect(page.locator("#day")).to_be_hidden()


def test_a_refused_or_malformed_token_returns_to_sign_in(page: Page, api: LocalApi) -> None:
    page.goto(f"{api.base_url}/review")
    tampered = api.token[:-4] + ("AAAA" if not api.token.endswith("AAAA") else "BBBB")
    page.get_by_label("Sign-in token").fill(tampered)
    page.get_by_role("button", name="Sign in with the token").click()
    expect(page.locator("#console-alert")).to_contain_text("not accepted")
    expect(page.locator("#sign-in")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0

    page.get_by_label("Sign-in token").fill("not a token")
    page.get_by_role("button", name="Sign in with the token").click()
    expect(page.locator("#console-alert")).to_contain_text("does not look like a sign-in token")
    expect(page.locator("#day")).to_be_hidden()


def test_the_queue_pages_with_next_cursor_without_repeating_or_skipping(page: Page, api: LocalApi) -> None:
    for _ in range(27):
        api.submit(flagged_form(unique_family_name("Paging")))
    expected = {item["id"] for item in api.queue()}
    sign_in(page, api)
    show_queue(page)
    rows = page.locator("#queue table.intakes tbody tr")
    expect(rows).to_have_count(25)
    more = page.get_by_role("button", name="Show more intakes")
    while more.is_visible():
        shown = rows.count()
        more.click()
        expect(rows).not_to_have_count(shown)
    ids = [row.get_attribute("data-intake-id") for row in rows.all()]
    assert len(ids) == len(set(ids))
    assert set(ids) == expected


def test_an_alert_link_opens_its_intake_after_sign_in(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Linked")
    intake_id = api.submit(flagged_form(name, red_flags={"saddle_numbness": "yes"}))

    page.goto(f"{api.base_url}/review#intake={intake_id}")
    page.get_by_label("Sign-in token").fill(api.token)
    page.get_by_role("button", name="Sign in with the token").click()

    expect(page.locator("#detail")).to_be_visible()
    expect(page.locator("#detail-title")).to_have_text(f"Ana {name}")
    assert "intake=" not in page.url
