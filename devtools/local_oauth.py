"""A local stand-in for the Cognito hosted UI, so the console's authorization code + PKCE sign-in runs on a laptop.

Served by the local gateway under /local-oauth (set the console's `oauth-domain` to `<gateway>/local-oauth`):
`/oauth2/authorize` shows a one-field sign-in page, `/oauth2/token` swaps a code for tokens after checking the PKCE
verifier (S256 only, as the console sends), `/oauth2/revoke` forgets a refresh token, `/logout` redirects to its
`logout_uri`. Tokens are HS256 with LOCAL_JWT_SECRET, so the gateway's authorizer accepts them like `make token`'s.
Local only: the accepted redirect URI is the same gateway's /review page, and every user name signs in.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, urlencode

import jwt

from devtools.local_auth import ALGORITHM
from devtools.local_events import HttpRequest, HttpResponse, json_response

PREFIX = "/local-oauth"
CLIENT_ID = "local-console"
CODE_LIFETIME_S = 300
TOKEN_LIFETIME_S = 3600
ADMIN_GROUP = "clinic_admins"
PRACTITIONER_GROUP = "practitioners"
_NO_STORE = [("cache-control", "no-store"), ("x-content-type-options", "nosniff")]


@dataclass(frozen=True)
class _Grant:
    """What a code was issued for; the token request must repeat the client, redirect and the PKCE verifier."""

    username: str
    admin: bool
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    expires: float


def _challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _form(body: bytes) -> dict[str, str]:
    """An application/x-www-form-urlencoded body; one that is not UTF-8 reads as empty, so it is refused."""
    try:
        return dict(parse_qsl(body.decode("utf-8")))
    except UnicodeDecodeError:
        return {}


def _redirect(location: str) -> HttpResponse:
    return HttpResponse(302, [("location", location), *_NO_STORE], b"")


def _oauth_error(status: int, error: str) -> HttpResponse:
    """The token endpoint's error shape (RFC 6749 section 5.2), which Cognito follows."""
    return json_response(status, {"error": error}, _NO_STORE)


class LocalHostedUi:
    """The four hosted-UI endpoints, with codes and refresh tokens kept in memory for the gateway's lifetime."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._lock = threading.Lock()
        self._codes: dict[str, _Grant] = {}
        self._refresh_tokens: set[str] = set()

    def handle(self, request: HttpRequest) -> HttpResponse:
        path = request.raw_path.removeprefix(PREFIX)
        query = dict(parse_qsl(request.raw_query))
        if path == "/oauth2/authorize" and request.method == "GET":
            return self._authorize_page(request, query)
        if path == "/oauth2/authorize" and request.method == "POST":
            return self._sign_in(request, _form(request.body))
        if path == "/oauth2/token" and request.method == "POST":
            return self._token(request, _form(request.body))
        if path == "/oauth2/revoke" and request.method == "POST":
            return self._revoke(_form(request.body))
        if path == "/logout" and request.method == "GET":
            return self._logout(request, query)
        return json_response(404, {"message": "Not Found"}, _NO_STORE)

    # ---- endpoints ----

    def _authorize_page(self, request: HttpRequest, query: dict[str, str]) -> HttpResponse:
        problem = self._authorize_problem(request, query)
        if problem:
            return json_response(400, {"error": "invalid_request", "error_description": problem}, _NO_STORE)
        hidden = "".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in query.items()
        )
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local sign-in</title></head>
<body><main><h1>Local sign-in</h1>
<p>Stand-in for the Cognito hosted UI (local stack only): any user name signs in.</p>
<form method="post"><label for="username">User name</label> <input id="username" name="username" required
value="local-practitioner"> <label><input type="checkbox" name="admin" value="1"> Clinic admin</label>
{hidden}<button type="submit">Sign in</button></form></main></body></html>"""
        return HttpResponse(200, [("content-type", "text/html; charset=utf-8"), *_NO_STORE], page.encode())

    def _sign_in(self, request: HttpRequest, form: dict[str, str]) -> HttpResponse:
        problem = self._authorize_problem(request, form)
        username = form.get("username", "").strip()
        if problem or not username:
            return json_response(400, {"error": "invalid_request", "error_description": problem}, _NO_STORE)
        code = secrets.token_urlsafe(24)
        grant = _Grant(
            username=username,
            admin=form.get("admin") == "1",
            client_id=form["client_id"],
            redirect_uri=form["redirect_uri"],
            challenge=form["code_challenge"],
            nonce=form.get("nonce", ""),
            expires=time.monotonic() + CODE_LIFETIME_S,
        )
        with self._lock:
            self._codes[code] = grant
        return _redirect(f"{grant.redirect_uri}?{urlencode({'code': code, 'state': form.get('state', '')})}")

    def _token(self, request: HttpRequest, form: dict[str, str]) -> HttpResponse:
        if form.get("grant_type") != "authorization_code":
            return _oauth_error(400, "unsupported_grant_type")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use, even when the rest is wrong
        if grant is None or grant.expires < time.monotonic():
            return _oauth_error(400, "invalid_grant")
        if form.get("client_id") != grant.client_id or form.get("redirect_uri") != grant.redirect_uri:
            return _oauth_error(400, "invalid_grant")
        if _challenge_of(form.get("code_verifier", "")) != grant.challenge:
            return _oauth_error(400, "invalid_grant")
        refresh_token = secrets.token_urlsafe(32)
        with self._lock:
            self._refresh_tokens.add(refresh_token)
        body = {
            "id_token": self._jwt(grant, "id"),
            "access_token": self._jwt(grant, "access"),
            "refresh_token": refresh_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_S,
        }
        return json_response(200, body, _NO_STORE)

    def _revoke(self, form: dict[str, str]) -> HttpResponse:
        if form.get("client_id") != CLIENT_ID:
            return _oauth_error(400, "invalid_client")
        with self._lock:
            self._refresh_tokens.discard(form.get("token", ""))
        return HttpResponse(200, _NO_STORE, b"")

    def _logout(self, request: HttpRequest, query: dict[str, str]) -> HttpResponse:
        if query.get("client_id") != CLIENT_ID or query.get("logout_uri") != self._console_url(request):
            return json_response(400, {"error": "invalid_request"}, _NO_STORE)
        return _redirect(query["logout_uri"])

    # ---- helpers ----

    def _authorize_problem(self, request: HttpRequest, params: dict[str, str]) -> str:
        """Why an authorize request is refused, as Cognito refuses it, or "" when it is acceptable."""
        if params.get("client_id") != CLIENT_ID:
            return "unknown client_id"
        if params.get("redirect_uri") != self._console_url(request):
            return "redirect_uri is not a callback URL of this client"
        if params.get("response_type") != "code":
            return "response_type must be code"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "a code_challenge with method S256 is required"
        return ""

    @staticmethod
    def _console_url(request: HttpRequest) -> str:
        """The one callback and logout URL registered for the local client: this gateway's /review page."""
        host = next((value for name, value in request.headers if name.lower() == "host"), "")
        return f"http://{host}/review"

    def _jwt(self, grant: _Grant, use: str) -> str:
        now = int(time.time())
        groups = [PRACTITIONER_GROUP, ADMIN_GROUP] if grant.admin else [PRACTITIONER_GROUP]
        claims: dict[str, object] = {
            "sub": f"local-{hashlib.sha256(grant.username.encode()).hexdigest()[:16]}",
            "cognito:username": grant.username,
            "cognito:groups": groups,
            "token_use": use,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_S,
        }
        if use == "id":
            claims.update(aud=grant.client_id, nonce=grant.nonce, email=f"{grant.username}@example.org")
            claims["email_verified"] = True
        else:
            claims["client_id"] = grant.client_id
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)
