"""Patient and practitioner text reaches the console's page only as text (row 19 of the security review, kept
true for the new views): markup in every free-text answer, in a decision note, in a search and in the signed-in
name is shown as typed, runs nothing and adds no element."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from devtools.jwt_token import make_token
from tests.browser.api import LocalApi, flagged_form
from tests.browser.console import admin_token, at, clinic_day, open_intake, row_of, show_queue, sign_in
from tests.support import with_changes

pytestmark = [pytest.mark.browser, pytest.mark.page]

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1"><script>window.__xss=1</script>'


def injected(page: Page) -> dict[str, int]:
    return dict(
        page.evaluate(
            """() => ({
                xss: window.__xss || 0,
                elements: document.querySelectorAll("#main img, #main script, #main svg, #main iframe").length,
            })"""
        )
    )


def test_markup_in_answers_notes_searches_and_the_user_name_is_shown_as_text(page: Page, api: LocalApi) -> None:
    family = f"Evil{PAYLOAD}"
    form = with_changes(
        flagged_form(
            family,
            red_flags={"saddle_numbness": "yes"},
            appointment={"starts_at": at(api, date.fromisoformat(clinic_day(api)["today"]), 10)},
        ),
        patient={"given_name": f"Ana{PAYLOAD}", "phone": "+1 555 0100"},
    )
    form["notes"] = f"notes {PAYLOAD}"
    form["medications"] = [{"name": f"Eliquis {PAYLOAD}", "dose": PAYLOAD}]
    intake_id = api.submit(form)
    api.review(intake_id, "refer_to_doctor", f"note {PAYLOAD}", 1)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    sign_in(page, api, admin_token())
    expect(row_of(page, "Evil", "day")).to_contain_text(PAYLOAD)
    show_queue(page, "reviewed")
    open_intake(page, "Evil")
    expect(page.locator("#detail-title")).to_contain_text(PAYLOAD)
    expect(page.locator("#detail-flags")).to_contain_text(f"Eliquis {PAYLOAD}")
    expect(page.locator("#detail-history")).to_contain_text(f"note {PAYLOAD}")
    expect(page.locator("#detail-answers")).to_contain_text(f"notes {PAYLOAD}")
    page.get_by_role("button", name="Show the audit trail").click()
    expect(page.locator("#audit-trail table")).to_be_visible()
    page.locator("#console-nav").get_by_role("button", name="Find a patient").click()
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Date of birth").fill("1985-04-12")
    page.get_by_role("button", name="Find", exact=True).click()
    expect(row_of(page, "Evil", "patients")).to_contain_text(PAYLOAD)
    assert injected(page) == {"xss": 0, "elements": 0}

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, api, make_token(f"dr{PAYLOAD}"))  # local tokens carry cognito:username = sub
    expect(page.locator("#account-name")).to_have_text(f"Signed in as dr{PAYLOAD}")
    assert injected(page) == {"xss": 0, "elements": 0}
    assert dialogs == []


def test_the_console_source_never_writes_markup_from_strings() -> None:
    sources = [*sorted((ROOT / "web" / "console").glob("*.js")), ROOT / "web" / "common.js"]
    sinks = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")
    found = {
        (path.name, sink)
        for path in sources
        for sink in sinks
        for line in path.read_text(encoding="utf-8").splitlines()
        if sink in line and not line.lstrip().startswith(("*", "/*", "//"))
    }
    assert found == set()
