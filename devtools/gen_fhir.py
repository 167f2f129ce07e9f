"""Generates docs/fhir/questionnaire.json: the intake form as a FHIR R4 Questionnaire, from the contract models.

The question texts come from the form's English message catalog (web/i18n/en.json, keys `q.<linkId>` and
`a.<code>`) when it exists, so the Questionnaire asks what the web form asks.
"""

from __future__ import annotations

import json
import sys

from devtools.generated import ROOT, as_json, write_or_check
from screening.fhir.questionnaire import questionnaire

QUESTIONNAIRE = ROOT / "docs" / "fhir" / "questionnaire.json"
MESSAGES = ROOT / "web" / "i18n" / "en.json"


def labels() -> dict[str, str]:
    if not MESSAGES.exists():
        return {}
    catalog = json.loads(MESSAGES.read_text("utf-8"))
    return {key: value for key, value in catalog.items() if isinstance(value, str)}


def main(argv: list[str] | None = None) -> int:
    return write_or_check({QUESTIONNAIRE: as_json(questionnaire(labels()))}, "the FHIR Questionnaire", argv)


if __name__ == "__main__":
    sys.exit(main())
