"""One intake at a glance, and flags a practitioner can read: the question as the patient saw it, the text they
wrote (read from the stored answers at the evidence's path), dates in the clinic's format, info flags apart."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import open_intake, show_queue, sign_in
from tests.support import with_changes

pytestmark = pytest.mark.browser

FIELD_PATH = re.compile(r"\b(safety|red_flags|patient|consent|back_pain|medications)(\.|\[)")


def test_the_top_of_an_intake_shows_severity_age_phone_and_email(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Glance")
    form = with_changes(
        flagged_form(name, red_flags={"saddle_numbness": "yes"}),
        patient={"phone": "+1 212 555 0147", "email": "glance@example.org", "date_of_birth": "1961-07-30"},
    )
    intake_id = api.submit(form)
    record = api.intake(intake_id)
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)

    glance = page.locator("#detail-glance")
    expect(glance.locator(".glance-severity dd")).to_have_text("critical")
    expect(glance.locator(".glance-age dd")).to_have_text(str(record["age"]))
    expect(glance.locator(".glance-phone dd")).to_have_text("+1 212 555 0147")
    expect(glance.locator(".glance-email dd")).to_have_text("glance@example.org")
    expect(glance.locator(".glance-dob dd")).to_have_text("Jul 30, 1961")
    terms = glance.locator("dt").all_inner_texts()
    assert terms[:4] == ["Highest severity", "Age", "Phone", "Email"], "severity, age and contact come first"


def test_evidence_and_answers_show_the_question_and_what_the_patient_wrote_never_a_field_path(
    page: Page, api: LocalApi
) -> None:
    name = unique_family_name("Evidence")
    medicines = [{"name": "vitamin D", "dose": "1000 IU"}, {"name": "Eliquis 5mg", "dose": "twice a day"}]
    form = flagged_form(name, medications=medicines)
    form["custom"] = {"referral_source": "GP letter", "Preferred time 2": "mornings"}
    intake_id = api.submit(form)
    record = api.intake(intake_id)
    drug_evidence = [
        evidence
        for flag in record["screening"]["flags"]
        for evidence in flag["evidence"]
        if evidence.get("matched_drug")
    ]
    assert drug_evidence and drug_evidence[0]["field"] == "medications[1].name"
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)

    flags = page.locator("#detail-flags")
    medicine = flags.locator(".evidence", has_text="Medicine 2")
    expect(medicine.first.locator(".question")).to_have_text("Medicine 2: name")
    expect(medicine.first.locator(".answer")).to_have_text("“Eliquis 5mg”")
    expect(medicine.first.locator(".read-as")).to_contain_text(f"read as {drug_evidence[0]['matched_drug']}")
    blood_thinners = flags.locator(".evidence", has_text="thins your blood")  # the form's own wording (i18n/en.json)
    expect(blood_thinners.first.locator(".answer")).to_have_text("“No”")
    detail_text = page.locator("#detail").inner_text()
    assert not FIELD_PATH.search(detail_text), FIELD_PATH.search(detail_text)
    expect(page.locator("#detail-answers")).to_contain_text("Apr 12, 1985")
    custom = page.locator("#detail-answers dt", has_text="Preferred time 2")
    expect(custom).to_have_count(1)
    expect(page.locator("#detail-answers dt", has_text="Referral source")).to_have_count(1)
    expect(page.locator("#detail-answers dd", has_text="mornings")).to_have_count(1)
    assert "1985-04-12" not in detail_text


def test_the_forms_own_question_text_is_used_when_the_message_catalog_has_it(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Labels")
    api.submit(flagged_form(name))
    catalog = {
        "q.safety.blood_thinners": "Do you take medicine that thins your blood?",
        "q.medications.name": "Name of the medicine",
    }

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(catalog))

    page.route("**/i18n/en.json", serve)
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)
    flags = page.locator("#detail-flags")
    expect(flags.locator(".question", has_text="thins your blood").first).to_have_text(
        "Do you take medicine that thins your blood?"
    )
    expect(flags.locator(".question", has_text="Name of the medicine").first).to_have_text(
        "Name of the medicine (medicine 1)"
    )
    expect(page.locator("#detail-answers dt", has_text="thins your blood")).to_have_count(1)


def test_info_only_flags_are_shown_apart_from_the_ones_that_queued_the_intake(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Info")
    intake_id = api.submit(flagged_form(name, red_flags={"night_pain": "yes"}))
    flags = api.intake(intake_id)["screening"]["flags"]
    info = [flag["title"] for flag in flags if flag["severity"] == "info"]
    queueing = [flag["title"] for flag in flags if flag["severity"] != "info"]
    assert info and queueing
    sign_in(page, api)
    show_queue(page)
    open_intake(page, name)

    expect(page.locator("#detail-flags > .flag h4")).to_have_text(queueing)
    expect(page.locator("#detail-info")).to_be_visible()
    expect(page.locator("#detail-info-flags > .flag h4")).to_have_text(info)
    expect(page.locator("#detail-info")).to_contain_text("These did not put the intake in the queue.")
