"""Serves the files under web/ (the clinic form and the review console) beside the API, never anything outside it,
and the API reference: /docs (Swagger UI from the swagger-ui-bundle-v2 package, no CDN) on /openapi.json.

The form page is stamped from clinic.json on every request (with every language enabled), so a clinic's edits
show on reload without `make configure`.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote

from devtools.configure import PAGE, load_catalogs, local_clinic, stamp_page
from devtools.local_events import HttpResponse

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
PAGES = {"/": "index.html", "/review": "review.html"}
OPENAPI = WEB_ROOT.parent / "docs" / "openapi.json"
API_DOCS = Path(__file__).resolve().parent / "api_docs"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}


def web_file(raw_path: str, root: Path = WEB_ROOT) -> Path | None:
    """The file `raw_path` names under `root` (or the API reference's files), or None when there is none or the path
    would leave its folder."""
    if raw_path == "/openapi.json":
        return OPENAPI
    if raw_path == "/docs":
        return API_DOCS / "index.html"
    if raw_path.startswith("/docs/"):
        import swagger_ui_bundle  # only the API reference needs it

        asset = raw_path.removeprefix("/docs")
        return _file_under(API_DOCS, asset) or _file_under(Path(swagger_ui_bundle.swagger_ui_path), asset)
    return _file_under(root, PAGES.get(raw_path) or raw_path)


def _file_under(root: Path, raw_path: str) -> Path | None:
    relative = unquote(raw_path).lstrip("/")
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    base = root.resolve()
    candidate = (base / relative).resolve()
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate


CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""What web/README.md tells a clinic to send, with the API on the same origin as locally."""
PAGE_HEADERS = [
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("referrer-policy", "no-referrer"),
]


def web_response(file: Path) -> HttpResponse:
    content_type = _TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    headers = [("content-type", content_type), *PAGE_HEADERS]
    body = file.read_bytes()
    if file == PAGE.resolve():  # the form page (a test may serve another web root)
        body = stamp_page(body.decode("utf-8"), local_clinic(), load_catalogs()).encode("utf-8")
    return HttpResponse(200, headers, body)
