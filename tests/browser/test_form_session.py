"""No lost answers: kept in this tab's sessionStorage (never localStorage) across a reload, cleared on "Start
again" and after 30 idle minutes, a warning before leaving a half-filled form, and progress by section."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.api import LocalApi, unique_family_name
from tests.browser.forms import Patient, catalog, choose, expect_confirmation, fill_in

pytestmark = [pytest.mark.browser, pytest.mark.page]
WORDS = catalog("en")
LEAVING_IS_WARNED = """() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
}"""


def stored(page: Page) -> dict[str, int]:
    return page.evaluate("({local: localStorage.length, session: sessionStorage.length})")  # type: ignore[no-any-return]


def test_a_reload_puts_every_answer_back_and_only_session_storage_holds_them(page: Page, api: LocalApi) -> None:
    patient = Patient(
        unique_family_name("Reload"),
        answers={"safety.electronic_implant": "yes"},
        medications=[("Warfarin", "3 mg"), ("Aspirin", "75 mg")],
    )
    page.goto(api.base_url)
    expect(page.locator("#draft-note")).to_have_text(WORDS["ui.draft.note"])  # the page says where answers are
    fill_in(page, patient)
    choose(page, "safety.implant_details", "pacemaker")
    page.fill("#f-allergies", "latex\npenicillin")
    assert stored(page) == {"local": 0, "session": 1}
    saved = page.evaluate("JSON.stringify(sessionStorage)")
    assert patient.family_name in saved

    page.reload()
    expect(page.locator("#draft-status")).to_have_text(WORDS["ui.draft.restored"])
    expect(page.locator("#f-patient-family_name")).to_have_value(patient.family_name)
    expect(page.locator("#f-consent-treatment_consent")).to_be_checked()
    expect(page.locator("#f-safety-electronic_implant-yes")).to_be_checked()
    expect(page.locator("#f-safety-implant_details-pacemaker")).to_be_checked()
    expect(page.locator("#f-medications-1-name")).to_have_value("Aspirin")
    expect(page.locator("#f-allergies")).to_have_value("latex\npenicillin")
    page.click("#submit-button")
    reference = expect_confirmation(page)
    assert api.intake(reference)["answers"]["medications"][1] == {"name": "Aspirin", "dose": "75 mg"}
    assert stored(page) == {"local": 0, "session": 0}  # sent: nothing of the answers is left in the browser


def test_start_again_deletes_every_answer_here_and_in_storage(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    fill_in(page, Patient(unique_family_name("Again"), medications=[("Warfarin", "3 mg"), ("Aspirin", "")]))
    page.click("#start-again")
    expect(page.locator("#draft-status")).to_have_text(WORDS["ui.draft.cleared"])
    expect(page.locator("#f-patient-family_name")).to_have_value("")
    expect(page.locator("#intake-form input:checked")).to_have_count(0)
    expect(page.locator("#medication-rows > li")).to_have_count(1)
    assert stored(page) == {"local": 0, "session": 0}
    page.reload()
    expect(page.locator("#f-patient-family_name")).to_have_value("")


def test_after_30_idle_minutes_the_answers_are_gone(page: Page, api: LocalApi) -> None:
    page.clock.install()
    page.goto(api.base_url)
    fill_in(page, Patient(unique_family_name("Idle")))
    page.clock.run_for("29:00")
    expect(page.locator("#f-patient-given_name")).to_have_value("Ana")
    page.fill("#f-notes", "still here")  # activity restarts the 30 minutes
    page.clock.run_for("29:00")
    expect(page.locator("#f-patient-given_name")).to_have_value("Ana")
    page.clock.run_for("01:01")
    expect(page.locator("#draft-status")).to_have_text(WORDS["ui.draft.expired"])
    expect(page.locator("#f-patient-given_name")).to_have_value("")
    expect(page.locator("#intake-form input:checked")).to_have_count(0)
    assert stored(page) == {"local": 0, "session": 0}


def test_a_draft_older_than_30_minutes_is_not_restored(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    page.fill("#f-patient-given_name", "Ana")
    key = page.evaluate("sessionStorage.key(0)")
    draft = json.loads(page.evaluate("(key) => sessionStorage.getItem(key)", key))
    draft["savedAt"] -= 31 * 60 * 1000
    page.evaluate("([key, value]) => sessionStorage.setItem(key, value)", [key, json.dumps(draft)])
    page.reload()
    expect(page.locator("#draft-status")).to_have_text(WORDS["ui.draft.expired"])
    expect(page.locator("#f-patient-given_name")).to_have_value("")
    assert stored(page)["session"] == 0


def test_leaving_a_half_filled_form_is_warned_but_not_an_empty_or_sent_one(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    assert page.evaluate(LEAVING_IS_WARNED) is False
    page.fill("#f-patient-given_name", "Ana")
    assert page.evaluate(LEAVING_IS_WARNED) is True
    with page.expect_event("dialog") as shown:
        page.close(run_before_unload=True)  # as when the patient closes the tab: the browser asks first
    assert shown.value.type == "beforeunload"
    shown.value.dismiss()


def test_a_sent_form_leaves_without_a_warning(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    fill_in(page, Patient(unique_family_name("Sent")))
    page.click("#submit-button")
    expect_confirmation(page)
    assert page.evaluate(LEAVING_IS_WARNED) is False


def test_progress_counts_the_sections_whose_required_answers_are_given(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    count = page.locator("#progress-count")
    expect(count).to_have_text("0 of 5 sections done")
    about = page.locator("#progress-list li").first
    expect(about).to_contain_text(f"({WORDS['ui.progress.todo']})")
    expect(page.locator("#progress-list li", has_text="Appointment")).to_contain_text("(optional)")
    page.fill("#f-patient-given_name", "Ana")
    page.fill("#f-patient-family_name", "Lopez")
    page.fill("#f-patient-date_of_birth", "1985-04-12")
    expect(count).to_have_text("1 of 5 sections done")
    expect(about).to_contain_text(f"({WORDS['ui.progress.done']})")
    page.fill("#f-patient-date_of_birth", "2099-01-01")  # an answer the API would refuse is not done
    expect(count).to_have_text("0 of 5 sections done")
    fill_in(page, Patient(unique_family_name("Progress")))
    expect(count).to_have_text("5 of 5 sections done")
    about.get_by_role("link").click()
    assert page.evaluate("location.hash") == "#section-about"
