"""`make token`: prints a practitioner JWT that the local gateway accepts (HS256, LOCAL_JWT_SECRET).

Usage: python -m devtools.jwt_token [--sub ID] [--group NAME ...] [--admin] [--no-group] [--expired]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import jwt

from devtools.local_auth import ALGORITHM, local_secret

PRACTITIONER_GROUP = "practitioners"
ADMIN_GROUP = "clinic_admins"
LIFETIME_S = 24 * 3600


def make_token(
    sub: str = "local-practitioner",
    groups: Sequence[str] = (PRACTITIONER_GROUP,),
    *,
    expired: bool = False,
    secret: str | None = None,
    now: int | None = None,
) -> str:
    """A signed token shaped like a Cognito ID token: sub, a verified email, cognito:groups, iat, exp (a day, or
    past)."""
    issued = int(time.time()) if now is None else now
    claims: dict[str, object] = {
        "sub": sub,
        "cognito:username": sub,
        "email": f"{sub}@example.org",
        "email_verified": True,
        "iat": issued - 2 * LIFETIME_S if expired else issued,
        "exp": issued - LIFETIME_S if expired else issued + LIFETIME_S,
    }
    if groups:
        claims["cognito:groups"] = list(groups)
    return jwt.encode(claims, secret if secret is not None else local_secret(), algorithm=ALGORITHM)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devtools.jwt_token", description=__doc__)
    parser.add_argument("--sub", default="local-practitioner", help="the token's subject")
    parser.add_argument("--group", action="append", help=f"a cognito:groups entry (default: {PRACTITIONER_GROUP})")
    parser.add_argument("--admin", action="store_true", help=f"add {ADMIN_GROUP} (audit trails, erasure)")
    parser.add_argument("--no-group", action="store_true", help="omit cognito:groups (the handler answers 403)")
    parser.add_argument("--expired", action="store_true", help="exp a day in the past (the gateway answers 401)")
    args = parser.parse_args(argv)
    groups = [] if args.no_group else (args.group or [PRACTITIONER_GROUP])
    if args.admin:
        groups.append(ADMIN_GROUP)
    print(make_token(args.sub, groups, expired=args.expired))


if __name__ == "__main__":
    main()
