"""The patient intake form in headless Chromium against the local stack."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.api import LocalApi, unique_family_name
from tests.browser.forms import Patient, choose, expect_confirmation, fill_in, intake_posts

pytestmark = pytest.mark.browser


def test_flagged_history_is_sent_stored_and_confirmed(page: Page, api: LocalApi) -> None:
    patient = Patient(
        unique_family_name("Flagged"), answers={"safety.blood_thinners": "yes"}, medications=[("Apixaban", "5 mg")]
    )
    page.goto(api.base_url)
    fill_in(page, patient)
    page.click("#submit-button")

    reference = expect_confirmation(page)
    expect(page.locator("#patient-advice")).to_be_hidden()
    record = api.intake(reference)
    assert record["answers"]["safety"]["blood_thinners"] == "yes"
    assert record["answers"]["medications"] == [{"name": "Apixaban", "dose": "5 mg"}]
    assert record["answers"]["patient"]["family_name"] == patient.family_name
    assert "bleeding" in {flag["category"] for flag in record["screening"]["flags"]}
    # Nothing of the answers outlives the submission: not in the URL, not in storage, not in the (reset) form.
    assert page.url == f"{api.base_url}/"
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    page.click("#new-form")
    expect(page.locator("#f-patient-family_name")).to_have_value("")
    expect(page.locator('input[name="safety.blood_thinners"]:checked')).to_have_count(0)


def test_emergency_answer_shows_the_advice_first(page: Page, api: LocalApi) -> None:
    patient = Patient(unique_family_name("Emergency"), answers={"red_flags.saddle_numbness": "yes"})
    page.goto(api.base_url)
    fill_in(page, patient)
    page.click("#submit-button")

    reference = expect_confirmation(page)
    advice = page.locator("#patient-advice")
    expect(advice).to_be_visible()
    expect(advice).to_have_attribute("role", "alert")
    stored_advice = api.intake(reference)["screening"]["patient_advice"]
    assert stored_advice
    expect(page.locator("#patient-advice-text")).to_have_text(stored_advice)
    advice_box = advice.bounding_box()
    thanks_box = page.locator("#confirmation-title").bounding_box()
    assert advice_box is not None and thanks_box is not None
    assert advice_box["y"] < thanks_box["y"], "the advice must come before the thank-you"
    assert page.evaluate("document.activeElement.id") == "confirmation"


def test_unanswered_and_out_of_range_answers_are_shown_at_their_fields_and_nothing_is_sent(
    page: Page, api: LocalApi
) -> None:
    patient = Patient(unique_family_name("Invalid"))
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, patient)
    page.evaluate(  # un-answer one safety question: an unanswered question must never pass as "no"
        "document.querySelectorAll('input[name=\"safety.blood_thinners\"]').forEach(i => i.checked = false)"
    )
    page.fill("#f-back_pain-pain_score", "11")
    page.click("#submit-button")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(2)
    blood_thinners = page.locator('[data-field="safety.blood_thinners"]')
    expect(blood_thinners.locator(".field-error")).to_have_text("Error: Please choose an answer.")
    expect(blood_thinners).to_have_attribute("aria-describedby", "f-safety-blood_thinners-error")
    pain = page.locator("#f-back_pain-pain_score")
    expect(pain).to_have_attribute("aria-invalid", "true")
    pain_error = page.locator("#f-back_pain-pain_score-error")
    expect(pain_error).to_have_text("Error: Please enter a whole number from 0 to 10.")
    # Questions answered correctly carry no error.
    expect(page.locator('[data-field="safety.bleeding_disorder"] .field-error')).to_be_hidden()
    assert posts == []
    assert patient.family_name not in api.queued_names()

    summary.get_by_role("link", name="Do you take a medicine that thins your blood").click()
    expect(page.locator("#f-safety-blood_thinners-yes")).to_be_focused()

    choose(page, "safety.blood_thinners", "no")
    page.fill("#f-back_pain-pain_score", "6")
    expect(pain).not_to_have_attribute("aria-invalid", "true")
    page.click("#submit-button")
    expect_confirmation(page)
    assert len(posts) == 1


def test_server_field_errors_are_shown_next_to_their_fields(page: Page, api: LocalApi) -> None:
    def refuse(route: Route) -> None:
        errors = [
            {"field": "safety.blood_thinners", "message": "Input should be 'yes', 'no' or 'unsure'"},
            {"field": "medications[0].name", "message": "String should have at most 200 characters"},
            {"field": "allergies[1]", "message": "String should have at most 200 characters"},
            {"field": "custom.colour", "message": "Extra inputs are not permitted"},
        ]
        route.fulfill(status=422, json={"message": "some answers need attention", "errors": errors})

    page.route("**/intakes", refuse)
    page.goto(api.base_url)
    fill_in(page, Patient(unique_family_name("Refused"), medications=[("Ibuprofen", "")]))
    page.fill("#f-allergies", "latex\npenicillin")
    page.click("#submit-button")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(4)
    blood_thinners_error = page.locator("#f-safety-blood_thinners-error")
    expect(blood_thinners_error).to_have_text("Error: Input should be 'yes', 'no' or 'unsure'")
    expect(page.locator("#f-medications-0-name-error")).to_have_text("Error: String should have at most 200 characters")
    expect(page.locator("#f-medications-0-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-allergies-error")).to_have_text("Error: String should have at most 200 characters")
    # A field the form does not have is still reported, in the summary, without a link.
    expect(summary.locator("li", has_text="custom.colour: Extra inputs are not permitted")).to_have_count(1)
    expect(page.locator("#confirmation")).to_be_hidden()


def test_double_click_sends_one_intake(page: Page, api: LocalApi) -> None:
    patient = Patient(unique_family_name("Double"), medications=[("Eliquis", "5 mg twice a day")])
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, patient)
    page.dblclick("#submit-button")

    expect_confirmation(page)
    assert len(posts) == 1
    assert api.queued_names().count(f"{patient.given_name} {patient.family_name}") == 1


def test_a_retry_after_a_network_failure_reuses_the_idempotency_key(page: Page, api: LocalApi) -> None:
    patient = Patient(unique_family_name("Retry"), medications=[("Warfarin", "3 mg")])
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, patient)
    page.route("**/intakes", lambda route: route.abort("connectionreset"))
    page.click("#submit-button")
    expect(page.locator("#error-summary-title")).to_have_text("Your answers have not been sent yet")
    expect(page.locator("#submit-button")).to_be_enabled()

    page.unroute("**/intakes")
    page.click("#submit-button")
    expect_confirmation(page)
    keys = {post.headers["idempotency-key"] for post in posts}
    assert len(posts) == 2 and len(keys) == 1
    assert api.queued_names().count(f"{patient.given_name} {patient.family_name}") == 1


def test_changed_answers_after_a_refusal_are_a_new_submission_key(page: Page, api: LocalApi) -> None:
    page.route("**/intakes", lambda route: route.fulfill(status=503, headers={"Retry-After": "7"}, json={}))
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, Patient(unique_family_name("Busy")))
    page.click("#submit-button")
    expect(page.locator("#error-summary-message")).to_contain_text("Please wait 7 seconds")
    page.click("#submit-button")
    page.fill("#f-notes", "I have changed my mind about something")
    page.click("#submit-button")
    expect(page.locator("#error-summary")).to_be_visible()
    keys = [post.headers["idempotency-key"] for post in posts]
    assert len(keys) == 3
    assert keys[0] == keys[1] != keys[2]


def test_detail_questions_appear_only_when_relevant_and_hidden_ones_are_never_sent(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, Patient(unique_family_name("Details")))
    weeks = page.locator("#f-safety-pregnancy_weeks")
    immune_details = page.locator('[data-field="safety.immune_details"]')
    expect(weeks).to_be_hidden()
    expect(immune_details).to_be_hidden()

    choose(page, "safety.pregnant", "yes")
    expect(weeks).to_be_visible()
    page.fill("#f-safety-pregnancy_weeks", "20")
    choose(page, "safety.immune_condition", "unsure")
    expect(immune_details).to_be_visible()
    choose(page, "safety.immune_details", "chemotherapy")
    choose(page, "safety.electronic_implant", "yes")
    choose(page, "safety.implant_details", "pacemaker")
    # The patient changes their mind: the details they had ticked disappear and must not be sent.
    choose(page, "safety.pregnant", "no")
    choose(page, "safety.immune_condition", "no")
    expect(weeks).to_be_hidden()
    expect(immune_details).to_be_hidden()
    page.click("#submit-button")

    expect_confirmation(page)
    sent = json.loads(posts[0].post_data or "{}")
    assert sent["safety"]["pregnant"] == "no"
    assert "pregnancy_weeks" not in sent["safety"]
    assert "immune_details" not in sent["safety"]
    assert sent["safety"]["implant_details"] == ["pacemaker"]
    assert "start_back" not in sent
    assert "guardian_name" not in sent["consent"]


def test_start_back_section_is_all_or_nothing(page: Page, api: LocalApi) -> None:
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, Patient(unique_family_name("StartBack")))
    choose(page, "start_back.leg_pain", "agree")
    page.click("#submit-button")
    expect(page.locator("#error-summary li")).to_have_count(8)
    assert posts == []

    for item in (
        "shoulder_or_neck_pain",
        "walked_short_distances_only",
        "dressed_more_slowly",
        "not_safe_to_be_active",
        "worrying_thoughts",
        "pain_terrible_never_better",
        "stopped_enjoying_things",
    ):
        choose(page, f"start_back.{item}", "disagree")
    choose(page, "start_back.bothersomeness", "extremely")
    page.click("#submit-button")
    expect_confirmation(page)
    sent = json.loads(posts[0].post_data or "{}")
    assert sent["start_back"]["leg_pain"] is True
    assert sent["start_back"]["worrying_thoughts"] is False
    assert sent["start_back"]["bothersomeness"] == "extremely"
