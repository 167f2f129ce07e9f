"""A submission that never answers: after 20 s the page says what happened and offers to retry with the same
Idempotency-Key, while a changed answer is a new submission with a new key."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.api import LocalApi, unique_family_name
from tests.browser.forms import Patient, catalog, expect_confirmation, fill_in, intake_posts

pytestmark = pytest.mark.browser
WORDS = catalog("en")
hanging: list[Route] = []


def hang(route: Route) -> None:
    """Never answers (kept, so the request stays open until the page gives up on it)."""
    hanging.append(route)


def wait_out_the_timeout(page: Page) -> None:
    expect(page.locator("#submit-button")).to_be_disabled()
    page.clock.run_for("00:19")
    expect(page.locator("#error-summary")).to_be_hidden()
    page.clock.run_for("00:01")
    expect(page.locator("#error-summary-title")).to_have_text(WORDS["ui.not_sent.title"])


def test_a_request_that_never_answers_says_so_and_the_retry_keeps_the_key(page: Page, api: LocalApi) -> None:
    patient = Patient(unique_family_name("Hang"))
    page.clock.install()
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, patient)
    page.route("**/intakes", hang)
    page.click("#submit-button")
    wait_out_the_timeout(page)
    expect(page.locator("#error-summary-message")).to_have_text(WORDS["ui.not_sent.timeout"].replace("{seconds}", "20"))
    expect(page.locator("#submit-button")).to_be_enabled()
    expect(page.locator("#f-patient-family_name")).to_have_value(patient.family_name)  # nothing was lost

    page.unroute("**/intakes")
    page.get_by_role("button", name=WORDS["ui.retry"]).click()
    expect_confirmation(page)
    assert len(posts) == 2
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
    assert api.queued_names().count(f"{patient.given_name} {patient.family_name}") <= 1


def test_after_a_timeout_a_changed_answer_is_sent_with_a_new_key(page: Page, api: LocalApi) -> None:
    page.clock.install()
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, Patient(unique_family_name("Edited")))
    page.route("**/intakes", hang)
    page.click("#submit-button")
    wait_out_the_timeout(page)
    page.unroute("**/intakes")
    page.fill("#f-notes", "I remembered something")
    page.click("#submit-button")
    expect_confirmation(page)
    keys = [post.headers["idempotency-key"] for post in posts]
    assert len(keys) == 2 and keys[0] != keys[1]


def test_the_same_key_survives_a_reload_after_a_timeout(page: Page, api: LocalApi) -> None:
    page.clock.install()
    page.goto(api.base_url)
    posts = intake_posts(page)
    fill_in(page, Patient(unique_family_name("Reloaded")))
    page.route("**/intakes", hang)
    page.click("#submit-button")
    wait_out_the_timeout(page)
    page.unroute("**/intakes")
    page.reload()
    page.click("#submit-button")
    expect_confirmation(page)
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
