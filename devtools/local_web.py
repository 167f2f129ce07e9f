"""Serves the files under web/ (the clinic form and the review console) beside the API, never anything outside it."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote

from devtools.local_events import HttpResponse

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
PAGES = {"/": "index.html", "/review": "review.html"}
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
    """The file `raw_path` names under `root`, or None when there is none or the path would leave `root`."""
    relative = PAGES.get(raw_path) or unquote(raw_path).lstrip("/")
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
    return HttpResponse(200, [("content-type", content_type), *PAGE_HEADERS], file.read_bytes())
