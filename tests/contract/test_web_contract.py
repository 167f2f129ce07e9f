"""web/contract.js is the JSON Schema's choices, limits and required answers, and every language has every message."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from devtools import gen_web_contract as gen
from screening.contract.intake import ONE_LINE

SCHEMA: dict[str, Any] = json.loads(gen.SCHEMA.read_text("utf-8"))


@pytest.fixture
def catalogs() -> dict[str, dict[str, Any]]:
    return copy.deepcopy(gen.load_catalogs())


def problems(catalogs: dict[str, dict[str, Any]]) -> list[str]:
    return gen.catalog_problems(SCHEMA, catalogs, gen.page_message_keys())


def test_the_checked_in_module_is_current_and_the_catalogs_complete(catalogs: dict[str, dict[str, Any]]) -> None:
    assert gen.MODULE.read_text("utf-8") == gen.module_text(SCHEMA)
    assert problems(catalogs) == []
    assert gen.main(["--check"]) == 0


def test_the_module_carries_the_contracts_choices_limits_and_required_answers() -> None:
    fields = gen.fields(SCHEMA)
    assert fields["safety.pregnant"] == {
        "type": "string",
        "enum": ["yes", "no", "unsure", "not_applicable"],
        "required": "always",
    }
    assert fields["back_pain.pain_score"]["maximum"] == 10
    assert fields["patient.email"]["pattern"].startswith("^")
    assert fields["medications"]["maxItems"] == 50
    assert fields["medications[].name"]["required"] == "with_siblings"  # needed once a dose is written
    assert fields["start_back.leg_pain"]["required"] == "with_siblings"  # all or none
    assert fields["appointment.practitioner"]["required"] is None
    assert fields["allergies"]["items"] == {"type": "string", "minLength": 1, "maxLength": 200, "pattern": ONE_LINE}


def test_the_page_asks_every_question_of_the_contract() -> None:
    questions = {key for key in gen.contract_message_keys(SCHEMA) if key.startswith("q.")}
    assert len(questions) == 55
    assert questions <= gen.page_message_keys()


@pytest.mark.parametrize("language", ["en", "es", "zh-Hans"])
def test_a_message_missing_in_any_language_fails_the_check(catalogs: dict[str, dict[str, Any]], language: str) -> None:
    del catalogs[language]["q.safety.blood_thinners"]
    del catalogs[language]["ui.retry"]  # named only in the page's script
    found = problems(catalogs)
    assert f"web/i18n/{language}.json: missing message 'q.safety.blood_thinners'" in found
    assert f"web/i18n/{language}.json: missing message 'ui.retry'" in found


def test_a_choice_the_schema_allows_needs_a_text(catalogs: dict[str, dict[str, Any]]) -> None:
    schema = copy.deepcopy(SCHEMA)
    schema["$defs"]["Safety"]["properties"]["diabetes"]["enum"].append("type_1")
    found = gen.catalog_problems(schema, catalogs, gen.page_message_keys())
    assert "web/i18n/es.json: missing message 'option.type_1'" in found


def test_other_placeholders_an_unused_message_an_empty_one_and_an_unmarked_review_fail(
    catalogs: dict[str, dict[str, Any]],
) -> None:
    catalogs["es"]["ui.urgent"] = "Llame al 112."
    catalogs["zh-Hans"]["ui.no_such_text"] = "多余"
    catalogs["en"]["ui.left_over"] = "A message no page shows"
    catalogs["es"]["ui.title"] = " "
    del catalogs["zh-Hans"]["_meta"]["reviewed_by_clinician"]
    assert set(problems(catalogs)) == {
        "web/i18n/es.json: message 'ui.urgent' has other placeholders than en",
        "web/i18n/zh-Hans.json: message 'ui.no_such_text' is not used",
        "web/i18n/en.json: message 'ui.left_over' is not used",
        "web/i18n/es.json: missing message 'ui.left_over'",  # while English has it, every language needs it
        "web/i18n/zh-Hans.json: missing message 'ui.left_over'",
        "web/i18n/es.json: message 'ui.title' is empty",
        "web/i18n/zh-Hans.json: _meta.reviewed_by_clinician must be true or false",
    }


def test_a_missing_catalog_fails_and_the_generator_check_exits_1(
    catalogs: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    del catalogs["es"]
    assert "web/i18n/es.json is missing" in problems(catalogs)
    monkeypatch.setattr(gen, "load_catalogs", lambda: catalogs)
    assert gen.main(["--check"]) == 1
