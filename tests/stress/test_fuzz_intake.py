"""Property-based fuzzing of POST /intakes through the Lambda handler and the store (moto).

For every body: never a 5xx; a refused body (4xx) leaves the table as it was; an accepted body (201/200) is stored
exactly as validated (the answers equal the validated model's dump, the screening equals the engine's result).
Deterministic (derandomized) and bounded, so CI sees the same examples every run.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.contract.intake import MAX_BODY_BYTES, IntakeForm
from screening.handlers import intake
from screening.rules import screen
from tests.conftest import Aws
from tests.stress.strategies import (
    JSON_VALUES,
    ODD_TEXT,
    STRESS,
    deep_nesting,
    json_text,
    leaf_paths,
    mutated_forms,
    today,
    valid_forms,
)
from tests.support import ApiResponse, LambdaContext, api_event, example_form

FUZZ = settings(STRESS, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
"""The `aws` fixture (moto) is shared by a test's examples on purpose: each example checks the table it finds."""


def post(
    body: str,
    *,
    content_type: str | None = "application/json",
    base64_encoded: bool = False,
    headers: dict[str, str] | None = None,
) -> ApiResponse:
    event = api_event("POST", "/intakes", body=body, headers=headers)
    if content_type is None:
        del event["headers"]["content-type"]
    else:
        event["headers"]["content-type"] = content_type
    event["isBase64Encoded"] = base64_encoded
    raw = intake.lambda_handler(event, LambdaContext())
    return ApiResponse(raw["statusCode"], raw.get("headers") or {}, json.loads(raw["body"]) if raw["body"] else None)


def stored_count(aws: Aws) -> int:
    """Items in the table; a COUNT scan, because a full scan's response costs moto more than the test itself."""
    return int(aws.dynamodb.scan(TableName=aws_table(), Select="COUNT", ConsistentRead=True)["Count"])


def check_outcome(aws: Aws, before: int, body: str | bytes, response: ApiResponse) -> None:
    """The three properties every submission must have, whatever its body."""
    assert response.status < 500, response.body
    if response.status >= 400:
        assert stored_count(aws) == before, "a refused body changed the table"
        assert isinstance(response.body["message"], str)
        return
    assert response.status in (200, 201)
    form = IntakeForm.model_validate_json(body, context={"today": today()})
    expected = screen(form, today())
    item = aws.dynamodb.get_item(TableName=aws_table(), Key={"id": {"S": response.body["id"]}}, ConsistentRead=True)
    stored = item["Item"]
    assert stored["status"]["S"] == expected.status
    assert response.body["patient_advice"] == expected.patient_advice
    if expected.status == "clear":
        assert "answers" not in stored and "patient_name" not in stored
        return
    assert json.loads(stored["answers"]["S"]) == form.model_dump(mode="json", exclude_none=True)
    assert json.loads(stored["screening"]["S"]) == expected.model_dump(mode="json")


def aws_table() -> str:
    from screening.settings import get_settings

    return get_settings().table_name


@FUZZ
@given(form=valid_forms())
def test_every_form_the_contract_allows_is_accepted_and_stored_exactly(aws: Aws, form: dict[str, Any]) -> None:
    before = stored_count(aws)
    body = json_text(form)
    response = post(body)
    assert response.status == 201, response.body
    check_outcome(aws, before, body, response)


@FUZZ
@given(form=mutated_forms())
def test_a_form_with_one_field_mutated_is_refused_cleanly_or_stored_exactly(aws: Aws, form: dict[str, Any]) -> None:
    before = stored_count(aws)
    body = json_text(form)
    check_outcome(aws, before, body, post(body))


@FUZZ
@given(value=JSON_VALUES)
def test_random_json_is_never_a_server_error(aws: Aws, value: Any) -> None:
    before = stored_count(aws)
    body = json_text(value)
    response = post(body)
    assert response.status in (400, 422), response.body
    check_outcome(aws, before, body, response)


@FUZZ
@given(form=valid_forms(), text=ODD_TEXT, data=st.data())
def test_odd_strings_in_any_text_answer_are_refused_cleanly_or_stored_exactly(
    aws: Aws, form: dict[str, Any], text: str, data: st.DataObject
) -> None:
    texts = [path for path in leaf_paths(form) if isinstance(_at(form, path), str)]
    *parents, last = data.draw(st.sampled_from(texts))
    _at(form, tuple(parents))[last] = text
    before = stored_count(aws)
    body = json_text(form)
    check_outcome(aws, before, body, post(body))


@FUZZ
@given(text=ODD_TEXT, ascii_only=st.booleans())
def test_odd_strings_in_notes_and_custom_values_either_way_of_encoding(aws: Aws, text: str, ascii_only: bool) -> None:
    """Raw UTF-8 as well as \\u escapes: a lone surrogate cannot be sent raw, so it is dropped from that variant."""
    form = example_form() | {"notes": text, "custom": {"free_text": text}}
    body = json.dumps(form, ensure_ascii=ascii_only)
    if not ascii_only:
        body = body.encode("utf-8", "ignore").decode("utf-8")
    before = stored_count(aws)
    check_outcome(aws, before, body, post(body))


@pytest.mark.parametrize("depth", [50, 1_000, 30_000])
def test_deep_nesting_is_refused_without_a_server_error(aws: Aws, depth: int) -> None:
    before = stored_count(aws)
    body = deep_nesting(depth)
    response = post(body)
    assert response.status in (400, 413, 422)
    check_outcome(aws, before, body, response)


def test_bodies_over_64_kib_are_413_whatever_they_hold(aws: Aws) -> None:
    padded = json_text(example_form() | {"notes": "x" * MAX_BODY_BYTES})
    multibyte = json.dumps(example_form() | {"custom": {"k": "é" * 300}}, ensure_ascii=False) + " " * MAX_BODY_BYTES
    for body in (padded, multibyte, "[" + "0," * MAX_BODY_BYTES + "0]"):
        response = post(body)
        assert response.status == 413
    assert stored_count(aws) == 0


CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin-1",
            "application/json; charset=utf-16",
            "application/jsonp",
            "APPLICATION/JSON",
            "application/json;charset=UTF-8",
            'application/json; charset="utf-8"',
            "application/json; charset",
            "application/json;;;",
        ]
    ),
    st.text(max_size=40),
)


@FUZZ
@given(content_type=CONTENT_TYPES)
def test_content_types_other_than_json_are_415_and_store_nothing(aws: Aws, content_type: str | None) -> None:
    before = stored_count(aws)
    body = json_text(example_form())
    response = post(body, content_type=content_type)
    media = (content_type or "").partition(";")[0].strip().lower()
    if media != "application/json":
        assert response.status == 415
    check_outcome(aws, before, body, response)


@FUZZ
@given(payload=st.one_of(st.binary(max_size=200), st.just(json_text(example_form()).encode())), garble=st.booleans())
def test_base64_bodies_are_decoded_or_refused_never_a_server_error(aws: Aws, payload: bytes, garble: bool) -> None:
    encoded = base64.b64encode(payload).decode()
    if garble:
        encoded = "%%" + encoded[::-1]
    before = stored_count(aws)
    response = post(encoded, base64_encoded=True)
    if garble:
        assert response.status == 400
    check_outcome(aws, before, payload, response)


@FUZZ
@given(key=st.text(max_size=80))
def test_any_idempotency_key_header_is_used_or_refused_never_a_server_error(aws: Aws, key: str) -> None:
    before = stored_count(aws)
    body = json_text(example_form())
    response = post(body, headers={"Idempotency-Key": key})
    check_outcome(aws, before, body, response)


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        value = value[step]
    return value
