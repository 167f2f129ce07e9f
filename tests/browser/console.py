"""Driving the review console the way a practitioner does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.browser.api import LocalApi

TOKEN_KEY = "intake-review.token"
PRACTITIONER = "local-practitioner@example.org"
"""Who `make token` signs in as; the console shows it and the history records it."""


def sign_in(page: Page, api: LocalApi) -> None:
    """Pastes the `make token` token into the console, as the local instructions say."""
    page.goto(f"{api.base_url}/review")
    page.get_by_label("Sign-in token").fill(api.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#queue")).to_be_visible()
    expect(page.locator("#account-name")).to_have_text(f"Signed in as {PRACTITIONER}")


def row_of(page: Page, family_name: str) -> Locator:
    """The queue row of the patient with this (test-unique) family name."""
    return page.locator("#queue-rows tr", has_text=family_name)
