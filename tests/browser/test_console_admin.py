"""Clinic admins (a token in `clinic_admins`) see an intake's audit trail and can erase it with a reason and a
confirmation; practitioners see neither, and the API refuses them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import PRACTITIONER, admin_token, cell, display_name, open_intake, show_queue, sign_in

pytestmark = pytest.mark.browser

ADMIN = "office-lee"


def test_a_practitioner_sees_no_admin_part_and_the_api_refuses_them_the_trail(page: Page, api: LocalApi) -> None:
    name = unique_family_name("NoAdmin")
    intake_id = api.submit(flagged_form(name))
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)
    expect(page.locator("#admin")).to_be_hidden()
    expect(page.get_by_role("button", name="Show the audit trail")).to_be_hidden()
    assert api.call("GET", f"/intakes/{intake_id}/audit")[0] == 403
    assert api.call("DELETE", f"/intakes/{intake_id}", {"reason": "patient asked"})[0] == 403


def test_an_admin_reads_the_audit_trail_of_views_and_decisions_by_subject(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Audited")
    intake_id = api.submit(flagged_form(name))
    api.intake(intake_id)  # the practitioner views it
    api.review(intake_id, "cleared", "", 1)  # and decides
    sign_in(page, api, admin_token(ADMIN))
    show_queue(page, "reviewed")
    open_intake(page, name)  # the admin's own view is audited too

    page.get_by_role("button", name="Show the audit trail").click()
    rows = page.locator("#audit-trail tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#audit-trail caption")).to_have_text("Who read or changed this intake, oldest first")
    actions = [cell(row, "Action").inner_text() for row in rows.all()]
    who = [cell(row, "Who").inner_text() for row in rows.all()]
    assert actions == ["Intake view", "Decision", "Intake view"]
    assert who[:2] == [f"{display_name(PRACTITIONER)} ({PRACTITIONER})"] * 2
    assert who[2] == f"{display_name(ADMIN)} ({ADMIN})"


def test_an_admin_erases_an_intake_after_giving_a_reason_and_confirming(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Erased")
    intake_id = api.submit(flagged_form(name))
    sign_in(page, api, admin_token(ADMIN))
    show_queue(page)
    open_intake(page, name)

    page.get_by_role("button", name="Erase…").click()
    expect(page.locator("#erase-reason-error")).to_have_text(
        "Give the reason for the erasure (for example the patient's written request)."
    )
    expect(page.get_by_label("Reason for erasure")).to_be_focused()
    expect(page.locator("#erase-confirm")).to_be_hidden()

    page.get_by_label("Reason for erasure").fill("Written request from the patient, 2 Dec")
    page.get_by_role("button", name="Erase…").click()
    expect(page.locator("#erase-confirm")).to_be_visible()
    expect(page.locator("#erase-confirm-text")).to_contain_text(f"Ana {name}")
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#erase-confirm")).to_be_hidden()
    assert api.call("GET", f"/intakes/{intake_id}")[0] == 200, "cancel erased nothing"

    page.get_by_role("button", name="Erase…").click()
    page.get_by_role("button", name="Erase for good").click()
    expect(page.locator("#console-status")).to_have_text("The intake was erased. A record of the erasure stays.")
    expect(page.locator("#detail-erased")).to_contain_text("This intake was erased on ")
    expect(page.locator("#detail-body")).to_be_hidden()
    assert name not in page.locator("#detail").inner_text()
    status, body = api.call("GET", f"/intakes/{intake_id}")
    assert status == 410 and body["erased_at"]
    page.get_by_role("button", name="Show the audit trail").click()
    erasure = page.locator("#audit-trail tbody tr").filter(has_text="Erasure")
    expect(cell(erasure, "Who")).to_have_text(f"{display_name(ADMIN)} ({ADMIN})")
