"""The local stand-in for API Gateway's JWT authorizer: HS256 tokens signed with LOCAL_JWT_SECRET.

What reaches the handler mirrors a deployed HTTP API, so the handler's claim parsing is exercised locally:
every claim value is a string, and an array claim such as cognito:groups arrives as "[a b]".
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any

import jwt

DEFAULT_SECRET = "local-dev-secret"
ALGORITHM = "HS256"

# The documented default secret is short on purpose: it guards a laptop, not production (Cognito does that).
warnings.filterwarnings("ignore", category=jwt.InsecureKeyLengthWarning)


def local_secret() -> str:
    return os.environ.get("LOCAL_JWT_SECRET") or DEFAULT_SECRET


def verified_claims(authorization: str | None, secret: str) -> dict[str, Any] | None:
    """The token's claims when `authorization` is `Bearer <HS256 JWT>` with a valid signature and an unexpired exp.

    None for a missing header, another scheme, a malformed token, a wrong signature, another algorithm
    (including "none"), a missing or past exp, or a future nbf/iat: every one of them is a 401.
    """
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        claims: dict[str, Any] = jwt.decode(
            token.strip(), secret, algorithms=[ALGORITHM], options={"require": ["exp"], "verify_aud": False}
        )
    except jwt.InvalidTokenError:
        return None
    return claims


def gateway_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway's HTTP API JWT authorizer passes them: strings, arrays as "[a b]"."""
    return {name: _claim_text(value) for name, value in claims.items()}


def _claim_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_claim_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)
