"""Prints the screening of one intake form as JSON, for clinicians and reviewers: `make screen FORM=form.json`.

Exit 0 with the screening; exit 2 with the field errors (paths and messages, never the values) when the form is
not a valid contract v1 form.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import ValidationError

from screening.contract.errors import field_errors
from screening.contract.intake import MAX_BODY_BYTES, IntakeForm
from screening.rules import screen

INVALID = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screen one intake form and print the result as JSON.")
    parser.add_argument("form", type=Path, help="path to a JSON intake form (contract v1)")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="submission date YYYY-MM-DD (default: today, UTC); ages are computed on it",
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
    if len(body) > MAX_BODY_BYTES:
        return _invalid([{"field": "(body)", "message": f"larger than {MAX_BODY_BYTES} bytes"}])
    try:
        form = IntakeForm.model_validate_json(body, context={"today": args.today})
    except ValidationError as exc:
        return _invalid(field_errors(exc))
    try:
        screening = screen(form, args.today, emergency_number=args.emergency_number)
    except ValueError as exc:
        parser.error(str(exc))
    print(json.dumps(screening.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


def _invalid(errors: list[dict[str, str]]) -> int:
    print(json.dumps(errors, indent=2, ensure_ascii=False))
    return INVALID


if __name__ == "__main__":
    sys.exit(main())
