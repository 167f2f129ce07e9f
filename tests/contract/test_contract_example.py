"""The example in docs/intake-contract.md is tests/fixtures/example_form.json, the form the README's curl submits, so
a newcomer who copies either sends the same form (an appointment already past would be refused with a 422)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support import FIXTURES

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "intake-contract.md"


def test_the_documented_example_is_the_example_form() -> None:
    found = re.search(r"## Example\n\n```json\n(.*?)\n```", CONTRACT.read_text(encoding="utf-8"), re.DOTALL)
    assert found, "docs/intake-contract.md has an example form"
    assert json.loads(found.group(1)) == json.loads((FIXTURES / "example_form.json").read_text(encoding="utf-8"))
