"""The intake form as an SDC-style FHIR R4 Questionnaire, generated into docs/fhir/ by `make generate`.

Items, types, required flags, lengths and answer options all come from the contract models (form_items); the texts
come from the form's English message catalog when one is given. Follow-up questions carry enableWhen; the guardian
questions, which depend on the patient's age, carry SDC's enableWhenExpression.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screening.fhir.codes import ANSWER_SYSTEM, QUESTIONNAIRE_URL, QUESTIONNAIRE_VERSION
from screening.fhir.form_items import FormItem, form_items

_ENABLE_WHEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "safety.pregnancy_weeks": ("safety.pregnant", ("yes",)),
    "safety.immune_details": ("safety.immune_condition", ("yes", "unsure")),
    "safety.implant_details": ("safety.electronic_implant", ("yes", "unsure")),
}
"""Follow-up question → (the question it follows, the answers that open it)."""

_UNDER_18 = (
    "%resource.item.where(linkId='patient').item.where(linkId='patient.date_of_birth').answer.value"
    " > today() - 18 years"
)
_GUARDIAN_QUESTIONS = frozenset(
    {"consent.guardian_name", "consent.guardian_relationship", "consent.guardian_confirmed"}
)
_ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
_ANSWER_DISPLAY = {"unsure": "Not sure", "not_applicable": "Does not apply"}


def humanised(name: str) -> str:
    """`bladder_or_bowel_change` → "Bladder or bowel change": the fallback when no catalog text exists."""
    return name.replace("_", " ").capitalize()


def answer_display(code: str, labels: Mapping[str, str]) -> str:
    return labels.get(f"a.{code}") or _ANSWER_DISPLAY.get(code) or humanised(code)


def _question(item: FormItem, labels: Mapping[str, str]) -> dict[str, Any]:
    question: dict[str, Any] = {
        "linkId": item.link_id,
        "text": labels.get(f"q.{item.link_id}") or humanised(item.name),
        "type": item.type,
    }
    if item.required:
        question["required"] = True
    if item.repeats:
        question["repeats"] = True
    if item.max_length is not None:
        question["maxLength"] = item.max_length
    extensions = [
        {"url": url, "valueInteger": value}
        for url, value in ((_MIN_VALUE, item.min_value), (_MAX_VALUE, item.max_value))
        if value is not None
    ]
    if item.link_id in _GUARDIAN_QUESTIONS:
        extensions.append(
            {
                "url": _ENABLE_WHEN_EXPRESSION,
                "valueExpression": {"language": "text/fhirpath", "expression": _UNDER_18},
            }
        )
    if extensions:
        question["extension"] = extensions
    if item.link_id in _ENABLE_WHEN:
        follows, answers = _ENABLE_WHEN[item.link_id]
        question["enableWhen"] = [
            {"question": follows, "operator": "=", "answerCoding": {"system": ANSWER_SYSTEM, "code": code}}
            for code in answers
        ]
        if len(answers) > 1:
            question["enableBehavior"] = "any"
    if item.options:
        question["answerOption"] = [
            {"valueCoding": {"system": ANSWER_SYSTEM, "code": code, "display": answer_display(code, labels)}}
            for code in item.options
        ]
    if item.children:
        question["item"] = [_question(child, labels) for child in item.children]
    return question


def questionnaire(labels: Mapping[str, str]) -> dict[str, Any]:
    """The Questionnaire resource; `labels` maps `q.<linkId>` and `a.<code>` to the form's wording."""
    return {
        "resourceType": "Questionnaire",
        "id": "intake-form",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "IntakeForm",
        "title": "Acupuncture intake for back pain: safety and red-flag screening",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The patient intake form of contract 1.1: every safety and red-flag question answered yes, no or not "
            "sure. linkIds are the contract's field paths."
        ),
        "item": [_question(item, labels) for item in form_items()],
    }
