"""The local hosted-UI stand-in refuses what Cognito refuses, so the console's sign-in tests cannot pass by luck:
a wrong redirect URI, a plain or missing PKCE challenge, a wrong verifier, a code used twice."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt

from devtools.local_auth import DEFAULT_SECRET
from devtools.local_events import HttpRequest, HttpResponse
from devtools.local_oauth import CLIENT_ID, LocalHostedUi

HOST = "127.0.0.1:3000"
CONSOLE = f"http://{HOST}/review"
VERIFIER = "v" * 43
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()


def call(
    ui: LocalHostedUi, method: str, path: str, query: dict[str, str] | None = None, form: dict[str, str] | None = None
) -> HttpResponse:
    request = HttpRequest(
        method=method,
        raw_path=f"/local-oauth{path}",
        raw_query=urlencode(query or {}),
        headers=[("Host", HOST), ("Content-Type", "application/x-www-form-urlencoded")],
        body=urlencode(form or {}).encode(),
        source_ip="127.0.0.1",
    )
    return ui.handle(request)


def authorize_params(**changes: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": CONSOLE,
        "state": "s" * 43,
        "nonce": "n" * 43,
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    return params | changes


def code_for(ui: LocalHostedUi, **form: str) -> str:
    response = call(ui, "POST", "/oauth2/authorize", form=authorize_params() | {"username": "dr-kim"} | form)
    assert response.status == 302
    location = dict(response.headers)["location"]
    assert location.startswith(f"{CONSOLE}?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["s" * 43]
    return query["code"][0]


def exchange(ui: LocalHostedUi, code: str, verifier: str = VERIFIER) -> HttpResponse:
    form = {
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "code": code,
        "redirect_uri": CONSOLE,
        "code_verifier": verifier,
    }
    return call(ui, "POST", "/oauth2/token", form=form)


def test_a_code_with_its_verifier_gives_an_id_token_carrying_the_nonce_and_the_client() -> None:
    ui = LocalHostedUi(DEFAULT_SECRET)
    response = exchange(ui, code_for(ui, admin="1"))
    assert response.status == 200
    tokens = json.loads(response.body)
    claims = jwt.decode(tokens["id_token"], DEFAULT_SECRET, algorithms=["HS256"], audience=CLIENT_ID)
    assert claims["nonce"] == "n" * 43 and claims["cognito:username"] == "dr-kim"
    assert claims["cognito:groups"] == ["practitioners", "clinic_admins"]
    assert tokens["refresh_token"]


def test_the_sign_in_page_refuses_another_redirect_uri_and_a_missing_or_plain_challenge() -> None:
    ui = LocalHostedUi(DEFAULT_SECRET)
    assert call(ui, "GET", "/oauth2/authorize", query=authorize_params()).status == 200
    for changes in (
        {"redirect_uri": "http://evil.example/review"},
        {"code_challenge_method": "plain"},
        {"code_challenge": ""},
        {"response_type": "token"},
        {"client_id": "another-client"},
    ):
        assert call(ui, "GET", "/oauth2/authorize", query=authorize_params(**changes)).status == 400, changes


def test_a_wrong_verifier_or_a_second_use_of_a_code_is_refused() -> None:
    ui = LocalHostedUi(DEFAULT_SECRET)
    code = code_for(ui)
    assert json.loads(exchange(ui, code, verifier="w" * 43).body) == {"error": "invalid_grant"}
    assert exchange(ui, code).status == 400, "a refused code is spent"
    fresh = code_for(ui)
    assert exchange(ui, fresh).status == 200
    assert exchange(ui, fresh).status == 400


def test_logout_goes_back_only_to_the_registered_console() -> None:
    ui = LocalHostedUi(DEFAULT_SECRET)
    back = call(ui, "GET", "/logout", query={"client_id": CLIENT_ID, "logout_uri": CONSOLE})
    assert back.status == 302 and dict(back.headers)["location"] == CONSOLE
    elsewhere = call(ui, "GET", "/logout", query={"client_id": CLIENT_ID, "logout_uri": "http://evil.example/"})
    assert elsewhere.status == 400
