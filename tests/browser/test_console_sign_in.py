"""Sign-in with the authorization code flow and PKCE, against the local stand-in of the Cognito hosted UI.

The console is pointed at the stand-in (devtools/local_oauth.py, served by the gateway under /local-oauth) with
window.INTAKE_OAUTH, as a clinic points it at its hosted UI with the oauth-domain and oauth-client-id meta tags.
"""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, Request, Route, expect

from devtools.jwt_token import make_token
from devtools.local_oauth import CLIENT_ID
from tests.browser.api import LocalApi, flagged_form, unique_family_name
from tests.browser.console import TOKEN_KEY, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.page]

REFRESH_KEY = "intake-review.refresh"
PENDING_KEY = "intake-review.pending-sign-in"


def use_hosted_ui(page: Page, api: LocalApi) -> None:
    config = {"domain": f"{api.base_url}/local-oauth", "clientId": CLIENT_ID}
    page.add_init_script(f"window.INTAKE_OAUTH = {json.dumps(config)};")


def claims_of(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    claims: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


def start_sign_in(page: Page, api: LocalApi) -> dict[str, list[str]]:
    """Clicks the clinic account button; returns the authorize request's parameters, at the stand-in's page."""
    page.goto(f"{api.base_url}/review")
    with page.expect_request(lambda request: "/local-oauth/oauth2/authorize" in request.url) as authorize:
        page.get_by_role("button", name="Sign in with your clinic account").click()
    expect(page.get_by_role("heading", name="Local sign-in")).to_be_visible()
    return parse_qs(urlsplit(authorize.value.url).query)


def authorize_with(page: Page, **changes: str) -> None:
    """Makes the hosted UI's sign-in page answer for other parameters than the console sent (another sign-in's)."""

    def changed(route: Route) -> None:
        if route.request.method != "GET":  # the sign-in form's post carries the page's (changed) hidden fields
            route.continue_()
            return
        url = urlsplit(route.request.url)
        params = {name: values[0] for name, values in parse_qs(url.query).items()} | changes
        route.fulfill(response=route.fetch(url=url._replace(query=urlencode(params)).geturl()))

    page.route("**/local-oauth/oauth2/authorize?*", changed)


def test_the_code_flow_sends_an_s256_challenge_and_random_state_and_nonce_then_signs_in(
    page: Page, api: LocalApi
) -> None:
    use_hosted_ui(page, api)
    token_requests: list[Request] = []
    page.on("request", lambda request: token_requests.append(request) if "/oauth2/token" in request.url else None)
    params = start_sign_in(page, api)
    assert params["response_type"] == ["code"]
    assert params["client_id"] == [CLIENT_ID]
    assert params["redirect_uri"] == [f"{api.base_url}/review"]
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["state"][0]) >= 43 and len(params["nonce"][0]) >= 43
    assert params["state"] != params["nonce"]

    page.get_by_label("User name").fill("dr-kim")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#day")).to_be_visible()
    expect(page.locator("#account-name")).to_have_text("Signed in as dr-kim")
    assert "code=" not in page.url and "state=" not in page.url

    [token_request] = token_requests
    form = parse_qs(token_request.post_data or "")
    verifier = form["code_verifier"][0]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert digest == params["code_challenge"][0], "the verifier sent is the one the challenge was made from"
    assert form["grant_type"] == ["authorization_code"] and form["redirect_uri"] == params["redirect_uri"]
    token = page.evaluate(f"sessionStorage.getItem('{TOKEN_KEY}')")
    assert claims_of(token)["nonce"] == params["nonce"][0]
    assert page.evaluate(f"sessionStorage.getItem('{PENDING_KEY}')") is None


def test_a_second_sign_in_gets_fresh_state_nonce_and_verifier(page: Page, api: LocalApi) -> None:
    use_hosted_ui(page, api)
    first = start_sign_in(page, api)
    second = start_sign_in(page, api)
    for name in ("state", "nonce", "code_challenge"):
        assert first[name] != second[name], name


def test_a_code_with_a_state_this_tab_did_not_create_is_refused_without_asking_for_tokens(
    page: Page, api: LocalApi
) -> None:
    use_hosted_ui(page, api)
    authorize_with(page, state="a-state-from-another-tab")
    start_sign_in(page, api)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/oauth2/token" in request.url else None)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#console-alert")).to_contain_text("did not start in this tab, so it was refused")
    expect(page.locator("#sign-in")).to_be_visible()
    assert asked == []
    assert page.evaluate("sessionStorage.length") == 0


def test_a_token_whose_nonce_is_not_this_tabs_is_refused_and_its_refresh_token_revoked(
    page: Page, api: LocalApi
) -> None:
    use_hosted_ui(page, api)
    authorize_with(page, nonce="an-attackers-nonce")  # a code issued to another sign-in, replayed into this tab
    start_sign_in(page, api)
    revoked: list[str] = []
    page.on("request", lambda request: revoked.append(request.post_data or "") if "/revoke" in request.url else None)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#console-alert")).to_contain_text("could not be verified, so it was refused")
    expect(page.locator("#sign-in")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0
    assert len(revoked) == 1 and "token=" in revoked[0]


def test_a_token_in_the_fragment_never_replaces_the_session(page: Page, api: LocalApi) -> None:
    """Row 9 of the security review: `#id_token=` of another user opened in a signed-in tab."""
    sign_in(page, api)
    mallory = make_token("mallory")
    page.goto(f"{api.base_url}/review?from=mail#id_token={mallory}")
    expect(page.locator("#day")).to_be_visible()
    expect(page.locator("#console-alert")).to_have_text("A sign-in token in the address was ignored.")
    expect(page.locator("#account-name")).to_have_text("Signed in as local-practitioner")
    assert page.evaluate(f"sessionStorage.getItem('{TOKEN_KEY}')") == api.token
    assert mallory not in page.url


def test_a_token_in_the_fragment_does_not_sign_anyone_in(page: Page, api: LocalApi) -> None:
    page.goto(f"{api.base_url}/review#id_token={api.token}&token_type=Bearer&expires_in=3600")
    expect(page.locator("#sign-in")).to_be_visible()
    expect(page.locator("#console-alert")).to_have_text("A sign-in token in the address was ignored.")
    assert page.evaluate("sessionStorage.length") == 0
    assert "#" not in page.url


def test_sign_out_revokes_the_refresh_token_and_ends_the_hosted_ui_session(page: Page, api: LocalApi) -> None:
    use_hosted_ui(page, api)
    start_sign_in(page, api)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#day")).to_be_visible()
    refresh_token = page.evaluate(f"sessionStorage.getItem('{REFRESH_KEY}')")
    assert refresh_token

    revoked: list[dict[str, list[str]]] = []
    page.on(
        "request",
        lambda request: revoked.append(parse_qs(request.post_data or "")) if "/oauth2/revoke" in request.url else None,
    )
    with page.expect_request(lambda request: "/local-oauth/logout" in request.url) as logout:
        page.get_by_role("button", name="Sign out").click()
    assert revoked == [{"token": [refresh_token], "client_id": [CLIENT_ID]}]
    assert parse_qs(urlsplit(logout.value.url).query) == {
        "client_id": [CLIENT_ID],
        "logout_uri": [f"{api.base_url}/review"],
    }
    expect(page.locator("#sign-in")).to_be_visible()
    assert page.url == f"{api.base_url}/review"
    assert page.evaluate("sessionStorage.length") == 0


def test_a_code_in_the_address_never_replaces_the_session(page: Page, api: LocalApi) -> None:
    sign_in(page, api)
    page.goto(f"{api.base_url}/review?code=an-attackers-code&state=anything")
    expect(page.locator("#console-alert")).to_have_text(
        "A sign-in in the address was ignored: you are already signed in in this tab."
    )
    expect(page.locator("#account-name")).to_have_text("Signed in as local-practitioner")
    assert page.evaluate(f"sessionStorage.getItem('{TOKEN_KEY}')") == api.token
    assert page.url == f"{api.base_url}/review"


def test_an_alert_link_survives_the_trip_to_the_hosted_ui(page: Page, api: LocalApi) -> None:
    name = unique_family_name("Alerted")
    intake_id = api.submit(flagged_form(name, red_flags={"saddle_numbness": "yes"}))
    use_hosted_ui(page, api)
    page.goto(f"{api.base_url}/review#intake={intake_id}")
    page.get_by_role("button", name="Sign in with your clinic account").click()
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#detail")).to_be_visible()
    expect(page.locator("#detail-title")).to_have_text(f"Ana {name}")
    assert "intake=" not in page.url
