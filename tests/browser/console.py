"""Driving the clinic console the way a practitioner does, and the tokens of the people who use it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from devtools.jwt_token import make_token
from tests.browser.api import LocalApi

TOKEN_KEY = "intake-review.token"
PRACTITIONER = "local-practitioner"


def display_name(sub: str) -> str:
    """The name the console shows for a local token's user: its verified email, as for a Cognito user."""
    return f"{sub}@example.org"


"""Who `make token` signs in as: its `sub`, which the console shows and the history records as `by`."""
ADMIN_GROUPS = ("practitioners", "clinic_admins")


def admin_token(sub: str = "local-admin") -> str:
    """A local token in the practitioners and clinic_admins groups (what `make token` prints with the admin group)."""
    return make_token(sub, ADMIN_GROUPS)


def sign_in(page: Page, api: LocalApi, token: str | None = None) -> None:
    """Pastes a token (`make token`'s unless given) into the console, as the local instructions say."""
    page.goto(f"{api.base_url}/review")
    page.get_by_label("Sign-in token").fill(token or api.token)
    page.get_by_role("button", name="Sign in with the token").click()
    expect(page.locator("#day-title time")).to_be_visible()  # today's list has arrived
    expect(page.locator("#account-name")).to_contain_text("Signed in as ")


def show_queue(page: Page, status: str = "pending") -> None:
    page.locator("#console-nav").get_by_role("button", name="Review queue").click()
    expect(page.locator("#queue")).to_be_visible()
    if status == "reviewed":
        page.get_by_label("Reviewed").check()
        expect(page.locator("#queue caption")).to_have_text("Reviewed intakes, latest decision first")


def row_of(page: Page, family_name: str, view: str = "queue") -> Locator:
    """The row of the patient with this (test-unique) family name in the list of one view (queue, day, patients)."""
    return page.locator(f"#{view} table.intakes tbody tr", has_text=family_name)


def cell(row: Locator, label: str) -> Locator:
    """One value of a row, by its column's label (the label each cell keeps on a phone)."""
    return row.locator(f'td[data-label="{label}"]')


def open_intake(page: Page, family_name: str, view: str = "queue") -> None:
    row_of(page, family_name, view).get_by_role("button").click()
    expect(page.locator("#detail")).to_be_visible()
    expect(page.locator("#detail-title")).to_contain_text(family_name)


def clinic_day(api: LocalApi, day: str = "today") -> dict[str, Any]:
    """GET /days/{day}: the clinic's date, today and time zone, with the day's counts and intakes."""
    status, body = api.call("GET", f"/days/{day}")
    assert status == 200, body
    return dict(body)


def at(api: LocalApi, day: date, hour: int, minute: int = 0) -> str:
    """An appointment at this clinic-local wall-clock time, as the form sends it (with the clinic's offset)."""
    zone = ZoneInfo(clinic_day(api)["time_zone"])
    return datetime.combine(day, time(hour, minute), zone).isoformat()
