"""Generates the published JSON Schema of intake form contract v1 from the pydantic models."""

from __future__ import annotations

import sys

from devtools.generated import ROOT, as_json, write_or_check
from screening.contract.intake import IntakeForm

SCHEMA = ROOT / "docs" / "schema" / "intake-form-v1.schema.json"


def schema() -> dict[str, object]:
    document = IntakeForm.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **document,
    }


def main(argv: list[str] | None = None) -> int:
    return write_or_check({SCHEMA: as_json(schema())}, "the intake form v1 JSON Schema", argv)


if __name__ == "__main__":
    sys.exit(main())
