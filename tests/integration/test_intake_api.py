"""POST /intakes through the Lambda handler against moto: stored once, refused cleanly, alerts without PHI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError

from screening.handlers import intake
from screening.store import intakes as store_module
from tests.conftest import Aws
from tests.support import ApiResponse, api_event, call, clear_form, example_form, with_changes


def submit(body: Any, headers: dict[str, str] | None = None) -> ApiResponse:
    return call(intake.lambda_handler, api_event("POST", "/intakes", body=body, headers=headers))


def emergency_form() -> dict[str, Any]:
    return with_changes(example_form(), red_flags={"saddle_numbness": "yes"})


def test_example_form_is_stored_with_the_bleeding_flag_for_apixaban_under_a_no(aws: Aws) -> None:
    response = submit(example_form())

    assert response.status == 201
    assert response.body["status"] == "received"
    assert response.body["patient_advice"] is None
    [item] = aws.items()
    assert item["id"]["S"] == response.body["id"]
    assert item["status"]["S"] == "needs_review"
    assert item["queue"]["S"] == "pending"
    screening = json.loads(item["screening"]["S"])
    [bleeding] = [f for f in screening["flags"] if f["category"] == "bleeding"]
    assert bleeding["severity"] == "warning"
    drugs = {e.get("matched_drug") for e in bleeding["evidence"]}
    assert "apixaban" in drugs
    assert any(e["field"] == "safety.blood_thinners" and e["value"] == "no" for e in bleeding["evidence"])
    assert json.loads(item["answers"]["S"])["medications"][0]["name"] == "Eliquis"
    assert int(item["expires_at"]["N"]) > 0


def test_clear_intake_keeps_its_answers_on_the_day_and_patient_indexes_but_not_the_queue(aws: Aws) -> None:
    """Design version 2: a clear form is the clinic's record too (allergies, medicines, contact details)."""
    response = submit(clear_form())

    assert response.status == 201
    [item] = aws.items()
    assert item["status"]["S"] == "clear"
    assert json.loads(item["answers"]["S"])["medications"] == [{"name": "paracetamol", "dose": "1 g when needed"}]
    assert {"day", "day_sort", "patient_key", "patient_sort", "given_key"} <= set(item)
    assert "queue" not in item and "queue_sort" not in item
    assert "Lopez" not in item["patient_key"]["S"]


def test_same_idempotency_key_and_body_returns_the_same_id_and_stores_once(aws: Aws) -> None:
    headers = {"Idempotency-Key": "form-7f3a9c"}
    first = submit(example_form(), headers)
    again = submit(example_form(), headers)

    assert first.status == 201
    assert again.status == 200
    assert again.body["id"] == first.body["id"]
    assert len(aws.items()) == 1


def test_same_idempotency_key_with_another_body_is_refused_and_changes_nothing(aws: Aws) -> None:
    headers = {"Idempotency-Key": "form-7f3a9c"}
    submit(example_form(), headers)
    before = aws.items()

    response = submit(with_changes(example_form(), back_pain={"pain_score": 9}), headers)

    assert response.status == 409
    assert aws.items() == before


def test_without_a_key_every_submission_is_new(aws: Aws) -> None:
    ids = {submit(example_form()).body["id"] for _ in range(3)}
    assert len(ids) == 3
    assert len(aws.items()) == 3


@pytest.mark.parametrize(
    ("body", "headers", "status", "message_part"),
    [
        ("[1, 2]", None, 400, "JSON object"),
        ('"just a string"', None, 400, "JSON object"),
        ("{not json", None, 400, "not valid JSON"),
        ("", None, 400, "not valid JSON"),
        ('{"a":' * 5000 + "1" + "}" * 5000, None, 400, "not valid JSON"),
        ("{}", {"content-type": "text/plain"}, 415, "application/json"),
        ("{}", {"content-type": "application/json; charset=latin-1"}, 415, "application/json"),
        ("x" * (64 * 1024 + 1), None, 413, "larger than"),
    ],
)
def test_malformed_requests_get_their_status_and_write_nothing(
    aws: Aws, body: str, headers: dict[str, str] | None, status: int, message_part: str
) -> None:
    response = submit(body, headers)

    assert response.status == status
    assert message_part in response.body["message"]
    assert aws.items() == []


def test_missing_content_type_is_415(aws: Aws) -> None:
    event = api_event("POST", "/intakes", body=example_form())
    del event["headers"]["content-type"]
    assert call(intake.lambda_handler, event).status == 415
    assert aws.items() == []


def _field_errors(response: ApiResponse) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.body["errors"]}


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda f: f["safety"].pop("blood_thinners"), "safety.blood_thinners"),
        (lambda f: f["red_flags"].update(saddle_numbness="maybe"), "red_flags.saddle_numbness"),
        (lambda f: f["safety"].update(bleding_disorder="no"), "safety.bleding_disorder"),
        (lambda f: f.update(extra_field=1), "extra_field"),
        (lambda f: f["consent"].update(treatment_consent=False), "consent.treatment_consent"),
        (lambda f: f["patient"].update(date_of_birth="2999-01-01"), "patient.date_of_birth"),
        (lambda f: f["patient"].update(date_of_birth="1890-01-01"), "patient.date_of_birth"),
        (lambda f: f["patient"].update(given_name="   "), "patient.given_name"),
        (lambda f: f["patient"].update(email="not-an-email"), "patient.email"),
        (lambda f: f["back_pain"].update(pain_score=11), "back_pain.pain_score"),
        (lambda f: f["back_pain"].update(pain_score="6"), "back_pain.pain_score"),
        (lambda f: f["back_pain"].update(areas=[]), "back_pain.areas"),
        (lambda f: f["appointment"].update(starts_at="2026-12-01T09:30:00"), "appointment.starts_at"),
        (lambda f: f["medications"].append({"name": ""}), "medications[1].name"),
        (lambda f: f.update(medications=[{"name": "x"}] * 51), "medications"),
        (lambda f: f.update(notes="n" * 2001), "notes"),
        (lambda f: f.update(custom={f"k{i}": i for i in range(51)}), "custom"),
        (lambda f: f.update(custom={"referral": "x" * 501}), "custom.referral"),
        (lambda f: f.update(custom={"referral": ["from", "GP"]}), "custom.referral"),
        (lambda f: f.update(custom={"k" * 65: 1}), f"custom.{'k' * 65} (key)"),
        (lambda f: f.update(form_version="2"), "form_version"),
    ],
)
def test_invalid_answers_are_422_naming_the_field_without_echoing_it(aws: Aws, mutate: Any, field: str) -> None:
    form = example_form()
    mutate(form)

    response = submit(form)

    assert response.status == 422
    assert field in _field_errors(response)
    assert "Lopez" not in json.dumps(response.body)
    assert aws.items() == []


def test_invalid_idempotency_key_is_422_and_writes_nothing(aws: Aws) -> None:
    response = submit(example_form(), {"Idempotency-Key": "has spaces and ünïcode"})
    assert response.status == 422
    assert "headers.Idempotency-Key" in _field_errors(response)
    assert aws.items() == []


def test_emergency_answer_returns_patient_advice_and_alerts_without_patient_data(aws: Aws) -> None:
    form = emergency_form()
    form["patient"] |= {"given_name": "Zephyrine", "family_name": "Quixotelli", "email": "zq@example.org"}

    response = submit(form)

    assert response.status == 201
    assert response.body["patient_advice"]
    [alert] = aws.alerts()
    message = json.loads(alert)
    assert message["intake_id"] == response.body["id"]
    assert message["severity"] == "critical"
    assert "red_flag_cauda_equina" in message["categories"]
    for value in ("Zephyrine", "Quixotelli", "zq@example.org", "1985-04-12", "Eliquis", "saddle"):
        assert value.lower() not in alert.lower()


def test_warning_only_intake_sends_no_alert(aws: Aws) -> None:
    submit(example_form())
    assert aws.alerts() == []


def test_failed_alert_loses_no_intake(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_publish(*_: Any, **__: Any) -> None:
        raise ConnectTimeoutError(endpoint_url="https://sns.example")

    monkeypatch.setattr(intake, "publish_critical_alert", broken_publish)

    response = submit(emergency_form())

    assert response.status == 201
    assert len(aws.items()) == 1


@pytest.mark.parametrize(
    "failure",
    [
        ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "PutItem"),
        ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "PutItem"),
        ClientError({"Error": {"Code": "InternalServerError", "Message": "oops"}}, "PutItem"),
        ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "PutItem"),
        ConnectTimeoutError(endpoint_url="https://dynamodb.example"),
    ],
)
def test_storage_failures_are_503_with_retry_after_and_write_nothing(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    client = store_module.dynamodb_client()

    def failing_put(**_: Any) -> None:
        raise failure

    monkeypatch.setattr(client, "put_item", failing_put)

    response = submit(example_form())

    assert response.status == 503
    assert response.headers["Retry-After"] == "2"
    assert aws.items() == []


def test_unknown_route_is_404(aws: Aws) -> None:
    assert call(intake.lambda_handler, api_event("GET", "/nothing-here")).status == 404
