"""Prints the screening of one intake form as JSON, for clinicians and reviewers: `make screen FORM=form.json`.

Exit 0 with the screening; exit 2 with the field errors (paths and messages, never the values) when the form is
not a valid contract v1 form. An API Gateway event (as in events/) is recognised and its body screened, so
`make screen FORM=events/intake-flagged.json` screens the form that event carries instead of reporting the event's
keys as a dozen unknown fields.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from screening.clinic_time import received_at
from screening.contract.errors import field_errors
from screening.contract.intake import MAX_BODY_BYTES, IntakeForm
from screening.rules import screen

INVALID = 2
INTAKE_ROUTE = "POST /intakes"


class NotAForm(Exception):
    """The file is an API Gateway event that carries no intake form; the message says why."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screen one intake form and print the result as JSON.")
    parser.add_argument("form", type=Path, help="path to a JSON intake form (contract v1), or an API Gateway event")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        help=(
            "submission date YYYY-MM-DD; ages are computed on it (default: when the event was received, for an API"
            " Gateway event; else today, UTC)"
        ),
    )
    parser.add_argument(
        "--emergency-number",
        help="the clinic's emergency number, named in the patient advice (default: 'your local emergency number')",
    )
    args = parser.parse_args(argv)
    try:
        body = args.form.read_bytes()
    except OSError as exc:
        parser.error(f"cannot read {args.form}: {exc.strerror}")
    try:
        body, received = form_body(body, args.form)
    except NotAForm as exc:
        print(f"{args.form}: {exc}", file=sys.stderr)
        return INVALID
    if len(body) > MAX_BODY_BYTES:
        return _invalid([{"field": "(body)", "message": f"larger than {MAX_BODY_BYTES} bytes"}])
    # As the handler does: an event is judged at the moment it was received, so the events in events/ stay valid.
    context: dict[str, Any] = {"today": args.today} if args.today else {"today": received.date(), "now": received}
    today: date = context["today"]
    try:
        form = IntakeForm.model_validate_json(body, context=context)
    except ValidationError as exc:
        try:
            data = json.loads(body)  # only to name unknown keys by their position
        except ValueError:
            data = None
        listed, _ = field_errors(exc, data, IntakeForm)
        return _invalid(listed)
    try:
        screening = screen(form, today, emergency_number=args.emergency_number)
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps(screening.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


def form_body(content: bytes, path: Path) -> tuple[bytes, datetime]:
    """The form in `content` (the file itself, or the body of the API Gateway HTTP API event it holds) and when it was
    received: the event's `timeEpoch`, else now."""
    event = _as_event(content)
    if event is None:
        return content, datetime.now(UTC)
    route = event.get("routeKey") or "an unknown route"
    if route != INTAKE_ROUTE:
        raise NotAForm(f"an API Gateway event for {route}, which carries no intake form (only {INTAKE_ROUTE} does)")
    body = event.get("body")
    if not isinstance(body, str):
        raise NotAForm(f"an API Gateway event for {route} without a body")
    print(f"{path}: an API Gateway event for {route}; screening its body", file=sys.stderr)
    received = received_at(event["requestContext"].get("timeEpoch"))
    if event.get("isBase64Encoded") is True:
        try:
            return base64.b64decode(body, validate=True), received
        except binascii.Error:
            raise NotAForm("an API Gateway event whose base64 body does not decode") from None
    return body.encode(), received


def _as_event(content: bytes) -> dict[str, Any] | None:
    """The parsed event when `content` is an HTTP API payload (version 2.0 with a requestContext), else None."""
    try:
        parsed = json.loads(content)
    except ValueError:
        return None  # not JSON: the form validation says so, with its own message
    if isinstance(parsed, dict) and parsed.get("version") == "2.0" and isinstance(parsed.get("requestContext"), dict):
        return parsed
    return None


def _invalid(errors: list[dict[str, str]]) -> int:
    print(json.dumps(errors, indent=2, ensure_ascii=False))
    return INVALID


if __name__ == "__main__":
    sys.exit(main())
