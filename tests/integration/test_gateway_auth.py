"""The local JWT authorizer and `make token`."""

from __future__ import annotations

import time

import jwt
import pytest

from devtools import jwt_token
from devtools.local_auth import DEFAULT_SECRET, gateway_claims, local_secret, verified_claims

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the documented default


def test_a_fresh_practitioner_token_verifies() -> None:
    claims = verified_claims(f"Bearer {jwt_token.make_token(secret='s')}", "s")
    assert claims is not None
    assert claims["sub"] == "local-practitioner"
    assert claims["cognito:groups"] == ["practitioners"]
    assert claims["exp"] - claims["iat"] == 24 * 3600


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Token abc", f"Bearer {jwt_token.make_token(secret='other')}", "Bearer a.b.c"],
)
def test_unverifiable_headers_yield_no_claims(header: str | None) -> None:
    assert verified_claims(header, "s") is None


def test_a_token_expired_a_second_ago_is_refused() -> None:
    now = int(time.time())
    expired = jwt.encode({"sub": "x", "iat": now - 60, "exp": now - 1}, "s", "HS256")
    assert verified_claims(f"Bearer {expired}", "s") is None


def test_a_token_issued_in_the_future_is_refused() -> None:
    now = int(time.time())
    early = jwt.encode({"sub": "x", "iat": now + 3600, "exp": now + 7200}, "s", "HS256")
    assert verified_claims(f"Bearer {early}", "s") is None


def test_claims_are_rendered_as_api_gateway_renders_them() -> None:
    rendered = gateway_claims(
        {
            "sub": "u",
            "exp": 1700000000,
            "cognito:groups": ["practitioners", "admins"],
            "email_verified": True,
            "address": {"city": "Lyon"},
            "empty": [],
        }
    )
    assert rendered == {
        "sub": "u",
        "exp": "1700000000",
        "cognito:groups": "[practitioners admins]",
        "email_verified": "true",
        "address": '{"city":"Lyon"}',
        "empty": "[]",
    }


def test_the_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCAL_JWT_SECRET", raising=False)
    assert local_secret() == DEFAULT_SECRET == "local-dev-secret"
    monkeypatch.setenv("LOCAL_JWT_SECRET", "rotated")
    assert local_secret() == "rotated"


def _printed(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    jwt_token.main(list(argv))
    printed = capsys.readouterr().out.strip()
    assert printed.count(".") == 2, "one JWT and nothing else, so TOKEN=$(make token) works"
    claims: dict[str, object] = jwt.decode(printed, options={"verify_signature": False})
    return claims


def test_cli_default_is_a_practitioner_valid_for_a_day(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOCAL_JWT_SECRET", raising=False)
    jwt_token.main([])
    printed = capsys.readouterr().out.strip()
    claims = verified_claims(f"Bearer {printed}", DEFAULT_SECRET)
    assert claims is not None
    assert claims["sub"] == "local-practitioner"
    assert claims["cognito:groups"] == ["practitioners"]
    assert "@" in claims["email"]
    assert 0 < claims["exp"] - time.time() <= 24 * 3600


def test_cli_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert _printed(capsys, "--sub", "dr-kim")["sub"] == "dr-kim"
    assert _printed(capsys, "--group", "a", "--group", "b")["cognito:groups"] == ["a", "b"]
    assert "cognito:groups" not in _printed(capsys, "--no-group")
    expired = _printed(capsys, "--expired")
    assert isinstance(expired["exp"], int) and expired["exp"] < time.time()
