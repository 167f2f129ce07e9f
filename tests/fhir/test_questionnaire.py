"""docs/fhir/questionnaire.json: the form as an SDC-style Questionnaire, generated from the contract models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from devtools import gen_fhir
from screening.contract.intake import IntakeForm
from screening.fhir import codes
from tests.fhir.validation import assert_valid_questionnaire, published_questionnaire


def link_ids(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(link_ids(item.get("item", [])))
    return found


def contract_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    paths = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        paths.add(path)
        nested = [t for t in (*getattr(info.annotation, "__args__", ()), info.annotation) if isinstance(t, type)]
        for candidate in nested:
            if issubclass(candidate, BaseModel):
                paths |= contract_paths(candidate, path)
    return paths


def test_the_published_questionnaire_is_valid_r4_and_current() -> None:
    published = published_questionnaire()
    assert_valid_questionnaire(published)
    assert gen_fhir.main(["--check"]) == 0
    assert published["url"] == codes.QUESTIONNAIRE_URL


def test_every_question_of_the_contract_is_an_item_and_nothing_else_is() -> None:
    items = link_ids(published_questionnaire()["item"])
    expected = contract_paths(IntakeForm) - {"form_version", "locale"}
    expected |= {"medications.name", "medications.dose", "custom.key", "custom.text", "custom.number", "custom.flag"}
    assert set(items) == expected


def test_required_answers_and_their_yes_no_unsure_options() -> None:
    items = link_ids(published_questionnaire()["item"])
    blood_thinners = items["safety.blood_thinners"]
    assert blood_thinners["required"] is True
    assert [o["valueCoding"]["code"] for o in blood_thinners["answerOption"]] == ["yes", "no", "unsure"]
    assert blood_thinners["answerOption"][2]["valueCoding"]["display"] == "Not sure"
    assert items["medications"]["repeats"] is True
    assert "required" not in items["notes"] and items["notes"]["maxLength"] == 2000


def test_follow_up_questions_open_only_after_the_answer_they_follow() -> None:
    items = link_ids(published_questionnaire()["item"])
    assert items["safety.pregnancy_weeks"]["enableWhen"] == [
        {"question": "safety.pregnant", "operator": "=", "answerCoding": {"system": codes.ANSWER_SYSTEM, "code": "yes"}}
    ]
    assert items["safety.immune_details"]["enableBehavior"] == "any"
    assert {c["answerCoding"]["code"] for c in items["safety.implant_details"]["enableWhen"]} == {"yes", "unsure"}
    guardian = items["consent.guardian_name"]["extension"][0]
    assert guardian["url"].endswith("sdc-questionnaire-enableWhenExpression")
    assert "18 years" in guardian["valueExpression"]["expression"]
