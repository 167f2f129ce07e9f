"""Decisions that protect patients, as the console asks for them and as the API enforces them (its 422 shown next
to the field): critical flags need a note and a tick naming each one; "treat with modifications" always needs a
note; after a referral, a new decision needs a note saying what changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import open_intake, show_queue, sign_in

pytestmark = pytest.mark.browser

CRITICAL = {"saddle_numbness": "yes", "recent_serious_injury": "yes"}


def critical_rule_ids(api: LocalApi, intake_id: str) -> list[str]:
    return [f["rule_id"] for f in api.intake(intake_id)["screening"]["flags"] if f["severity"] == "critical"]


def decisions_sent(page: Page) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/review"):
            sent.append(json.loads(request.post_data or "{}"))

    page.on("request", record)
    return sent


def open_named(page: Page, api: LocalApi, name: str) -> None:
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)


def test_clearing_a_critical_intake_asks_for_a_note_and_a_tick_per_critical_flag_then_records_them(
    page: Page, api: LocalApi
) -> None:
    name = unique_family_name("Cauda")
    intake_id = api.submit(flagged_form(name, red_flags=CRITICAL))
    critical = critical_rule_ids(api, intake_id)
    assert len(critical) >= 2
    open_named(page, api, name)
    sent = decisions_sent(page)

    expect(page.locator("#confirm-field")).to_be_hidden()
    page.get_by_label("Cleared: treat as planned").check()
    confirm = page.locator("#confirm-field")
    expect(confirm).to_be_visible()
    titles = [f["title"] for f in api.intake(intake_id)["screening"]["flags"] if f["severity"] == "critical"]
    expect(confirm.locator("label")).to_have_text([f"I have dealt with: {title}" for title in titles])
    expect(page.locator("#decision-note-tag")).to_have_text("required")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#confirm-error")).to_have_text("Tick each critical flag to confirm you have dealt with it.")
    expect(page.locator("#decision-note-error")).to_have_text("Say in the note how you dealt with the critical flags.")
    expect(page.locator("#confirm-0")).to_be_focused()
    expect(page.locator("#console-alert")).to_contain_text("The decision was not recorded")
    assert sent == [] and api.intake(intake_id)["history"] == []

    confirm.locator("input").first.check()
    page.get_by_role("textbox", name="Note").fill("Seen today: no saddle numbness on examination; A&E advice given")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#confirm-error")).to_have_text("Tick each critical flag to confirm you have dealt with it.")
    assert sent == []

    for box in confirm.locator("input").all():
        box.check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#console-status")).to_have_text("Decision recorded: Cleared: treat as planned.")
    assert [sorted(body["confirmed_critical"]) for body in sent] == [sorted(critical)]
    [entry] = api.intake(intake_id)["history"]
    assert entry["decision"] == "cleared" and entry["note"].startswith("Seen today")


def test_the_apis_refusal_is_shown_next_to_the_field_it_names(page: Page, api: LocalApi) -> None:
    """A request the console would not send (no note, no ticks) is refused by the API with 422 naming the rules."""
    name = unique_family_name("Bare")
    intake_id = api.submit(flagged_form(name, red_flags=CRITICAL))
    open_named(page, api, name)

    def strip_the_protections(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        body.update(note="", confirmed_critical=[])
        route.continue_(post_data=json.dumps(body))

    page.route("**/review", strip_the_protections)
    page.get_by_label("Cleared: treat as planned").check()
    for box in page.locator("#confirm-field input").all():
        box.check()
    page.get_by_role("textbox", name="Note").fill("a note the route removes")
    with page.expect_response("**/review") as answer:
        page.get_by_role("button", name="Record decision").click()
    assert answer.value.status == 422
    errors = {error["field"]: error["message"] for error in answer.value.json()["errors"]}
    expect(page.locator("#decision-note-error")).to_have_text(errors["note"])
    expect(page.locator("#confirm-error")).to_have_text(errors["confirmed_critical"])
    expect(page.locator("#decision-note")).to_have_attribute("aria-invalid", "true")
    assert api.intake(intake_id)["history"] == []


def test_treat_with_modifications_always_needs_a_note(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Modify")
    intake_id = api.submit(flagged_form(name))
    assert critical_rule_ids(api, intake_id) == []
    open_named(page, api, name)
    sent = decisions_sent(page)

    page.get_by_label("Treat with the modifications in my note").check()
    expect(page.locator("#confirm-field")).to_be_hidden()
    expect(page.locator("#decision-note-tag")).to_have_text("required")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#decision-note-error")).to_have_text("Say in the note which modifications you will make.")
    expect(page.locator("#decision-note")).to_be_focused()
    assert sent == []

    page.get_by_role("textbox", name="Note").fill("Superficial needling only, no electro")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#console-status")).to_have_text("Decision recorded: Treat with modifications.")
    assert [body["decision"] for body in sent] == ["treat_with_modifications"]


def test_after_a_referral_a_new_decision_asks_what_changed(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Referred")
    intake_id = api.submit(flagged_form(name))
    api.review(intake_id, "refer_to_doctor", "GP to check the anticoagulation first", 1)
    sign_in(page, api)
    show_queue(page, "reviewed")
    open_intake(page, name)

    expect(page.locator("#decision-title")).to_have_text("Record another decision")
    expect(page.locator("#decision-after-referral")).to_be_visible()
    page.get_by_label("Declined: not treating").check()
    expect(page.locator("#decision-note-tag")).to_have_text("required")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#decision-note-error")).to_have_text(
        "Say in the note what changed since the referral (for example the doctor's clearance)."
    )
    page.get_by_role("textbox", name="Note").fill("GP letter: apixaban paused; patient chose physiotherapy")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#console-status")).to_have_text("Decision recorded: Declined: not treating.")
    assert [entry["decision"] for entry in api.intake(intake_id)["history"]] == ["refer_to_doctor", "declined"]


def test_a_decision_can_be_made_with_the_keyboard_only(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Keys")
    intake_id = api.submit(flagged_form(name, red_flags=CRITICAL))
    sign_in(page, api)
    page.locator("#console-nav").get_by_role("button", name="Review queue").focus()
    page.keyboard.press("Enter")
    patient = page.locator("#queue table.intakes tbody tr", has_text=name).get_by_role("button")
    expect(patient).to_be_visible()
    patient.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#detail-title")).to_be_focused()

    page.locator("#decision-cleared").focus()
    page.keyboard.press("Space")
    expect(page.locator("#confirm-field")).to_be_visible()
    page.keyboard.press("Tab")
    for _ in critical_rule_ids(api, intake_id):
        expect(page.locator("#confirm-field input:focus")).to_have_count(1)
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    expect(page.locator("#decision-note")).to_be_focused()
    page.keyboard.type("Checked in person; no red flags on examination")
    page.keyboard.press("Tab")
    expect(page.locator("#decision-submit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#console-status")).to_have_text("Decision recorded: Cleared: treat as planned.")
    expect(page.locator("#detail-title")).to_be_focused()
