"""The API reference an integrator opens: /docs on the local stack (Swagger UI) and the same document in Redoc."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from tests.browser.api import LocalApi

pytestmark = [pytest.mark.browser, pytest.mark.page]

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "openapi.json"
REDOC = ROOT / ".tools" / "redoc" / "package" / "bundles" / "redoc.standalone.js"
OPERATIONS = sum(len(item) for item in json.loads(DOCUMENT.read_text("utf-8"))["paths"].values())


def test_docs_page_renders_every_operation_from_the_served_document(api: LocalApi, page: Page, tmp_path: Path) -> None:
    """docs/screenshots/api-docs.png when UPDATE_SCREENSHOTS=1 (else a scratch file: a test run leaves the tree as
    it was)."""
    page.goto(f"{api.base_url}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() == OPERATIONS
    assert page.locator(".errors-wrapper").count() == 0
    assert page.get_by_text("Intake screening API").first.is_visible()
    page.locator(".opblock-summary", has_text="/intakes/{id}/fhir").first.click()
    page.get_by_text("Example Value").first.wait_for()
    page.set_viewport_size({"width": 1280, "height": 1400})
    folder = ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=str(folder / "api-docs.png"), full_page=False)


def test_the_document_renders_in_redoc_too(page: Page) -> None:
    """Redoc (the renderer v1's document failed in) loads the checked-in document with no error."""
    files = {"/redoc.standalone.js": (REDOC, "text/javascript"), "/openapi.json": (DOCUMENT, "application/json")}
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Redoc</title></head><body>'
        '<redoc spec-url="/openapi.json"></redoc>'
        '<script type="module" src="/redoc.standalone.js"></script></body></html>'
    )

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix("http://docs.test")
        if path in files:
            file, content_type = files[path]
            route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)
        else:
            route.fulfill(status=200, body=html, content_type="text/html")

    page.route("http://docs.test/**", serve)
    page.goto("http://docs.test/")
    page.wait_for_selector("a[href^='#/intake/']", timeout=60_000)
    assert page.get_by_text("Something went wrong").count() == 0
    links = page.eval_on_selector_all("a[href^='#/']", "links => links.map(link => link.getAttribute('href'))")
    operations = {link for link in links if link.count("/") == 2}
    assert len(operations) == OPERATIONS, operations
