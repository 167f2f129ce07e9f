"""POST /intakes through the Lambda handler against moto: stored once, refused cleanly, alerts without PHI."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, NoCredentialsError, ReadTimeoutError

from screening.clinic_time import clinic_zone
from screening.handlers import intake
from screening.rules.medicine_lexicon import LEXICON_PATH
from screening.settings import get_settings
from screening.store import intakes as store_module
from screening.store.records import MAX_ITEM_BYTES, item_size
from tests.conftest import Aws
from tests.stress.observe import Observed, observing
from tests.support import ApiResponse, api_event, call, clear_form, example_form, with_changes


@pytest.fixture
def observed(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Iterator[Observed]:
    with observing(capsys, caplog) as captured:
        yield captured


def submit(body: Any, headers: dict[str, str] | None = None) -> ApiResponse:
    return call(intake.lambda_handler, api_event("POST", "/intakes", body=body, headers=headers))


def submit_raw(body: bytes, content_type: str = "application/json") -> ApiResponse:
    """A body as API Gateway passes bytes that are not valid UTF-8 text: base64-encoded."""
    event = api_event("POST", "/intakes", body="{}", headers={"content-type": content_type})
    event |= {"body": base64.b64encode(body).decode(), "isBase64Encoded": True}
    return call(intake.lambda_handler, event)


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
        ("{}", {"content-type": "application/json; foo=bar; charset=latin-1"}, 415, "application/json"),
        ("{}", {"content-type": "application/jsonx"}, 415, "application/json"),
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


ECHO = "Quillon_Vantablack"
"""A patient-chosen text that no field name, message or bound contains: it must never come back."""


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda f: f["safety"].pop("blood_thinners"), "safety.blood_thinners"),
        (lambda f: f["red_flags"].update(saddle_numbness=ECHO), "red_flags.saddle_numbness"),
        (lambda f: f["safety"].update({ECHO: "no"}), f"safety[{len(example_form()['safety'])}]"),
        (lambda f: f.update({ECHO: 1}), f"body[{len(example_form())}]"),
        (lambda f: f["patient"].update({f"{ECHO}_HIV_positive": True}), f"patient[{len(example_form()['patient'])}]"),
        (lambda f: f["consent"].update(treatment_consent=ECHO), "consent.treatment_consent"),
        (lambda f: f["patient"].update(date_of_birth="2999-01-01"), "patient.date_of_birth"),
        (lambda f: f["patient"].update(date_of_birth="1890-01-01"), "patient.date_of_birth"),
        (lambda f: f["patient"].update(given_name="   "), "patient.given_name"),
        (lambda f: f["patient"].update(email=f"{ECHO}@@example.org"), "patient.email"),
        (lambda f: f["back_pain"].update(pain_score=11), "back_pain.pain_score"),
        (lambda f: f["back_pain"].update(pain_score=ECHO), "back_pain.pain_score"),
        (lambda f: f["back_pain"].update(areas=[ECHO]), "back_pain.areas[0]"),
        (lambda f: f["appointment"].update(starts_at=ECHO), "appointment.starts_at"),
        (lambda f: f["appointment"].update(starts_at="2026-12-01T09:30:00"), "appointment.starts_at"),
        (lambda f: f["medications"].append({"name": "", "dose": ECHO}), "medications[1].name"),
        (lambda f: f.update(medications=[{"name": ECHO}] * 51), "medications"),
        (lambda f: f.update(notes=ECHO * 200), "notes"),
        (lambda f: f.update(custom={f"k{i}": i for i in range(51)}), "custom"),
        (lambda f: f.update(custom={"referral": ECHO * 30}), "custom[0]"),  # custom keys are the patient's text
        (lambda f: f.update(custom={"a": 1, ECHO: [ECHO]}), "custom[1]"),
        (lambda f: f.update(custom={ECHO * 5: 1}), "custom[0] (key)"),
        (lambda f: f.update(form_version=ECHO), "form_version"),
    ],
)
def test_invalid_answers_are_422_naming_the_field_without_echoing_it(
    aws: Aws, observed: Observed, mutate: Any, field: str
) -> None:
    form = example_form()
    mutate(form)

    response = submit(form)

    assert response.status == 422
    assert field in _field_errors(response)
    assert ECHO.lower() not in json.dumps(response.body).lower()
    assert "Lopez" not in json.dumps(response.body)
    assert ECHO.lower() not in observed.everything().lower()
    assert aws.items() == []


def test_at_most_20_errors_are_listed_and_the_log_line_holds_counts_and_types_only(
    aws: Aws, observed: Observed
) -> None:
    form = example_form() | {f"{ECHO}_{i}": i for i in range(300)}

    response = submit(form)

    assert response.status == 422
    assert len(response.body["errors"]) == 20
    [line] = [line for line in observed.log_lines() if line["message"] == "request rejected"]
    assert line["error_count"] == 300
    assert line["error_types"] == ["extra_forbidden"]
    assert "fields" not in line
    assert ECHO.lower() not in observed.everything().lower()


def _at(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


@pytest.mark.parametrize(
    "starts_at",
    [
        "9999-12-31T23:00:00-05:00",  # year 10000 in UTC: used to be a 500 while building the queue key
        "0001-01-01T00:30:00+01:00",  # year 0 in UTC
        "0001-01-01T00:00:00Z",  # used to take the top of the queue
        _at(-timedelta(days=2)),
        _at(timedelta(days=2 * 366 + 1)),
    ],
    ids=["year-10000-in-utc", "year-0-in-utc", "year-1", "two-days-ago", "over-two-years-ahead"],
)
def test_an_implausible_appointment_time_is_422_on_the_field_and_stores_and_alerts_nothing(
    aws: Aws, starts_at: str
) -> None:
    response = submit(with_changes(emergency_form(), appointment={"starts_at": starts_at}))

    assert response.status == 422
    assert "appointment.starts_at" in _field_errors(response)
    assert aws.items() == []
    assert aws.alerts() == []


@pytest.mark.parametrize(
    "delta", [-timedelta(hours=23), timedelta(days=2 * 365 - 1)], ids=["yesterday", "in-two-years"]
)
def test_appointments_from_a_day_before_to_two_years_after_are_accepted(aws: Aws, delta: timedelta) -> None:
    assert submit(with_changes(example_form(), appointment={"starts_at": _at(delta)})).status == 201


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("patient", "given_name", "An\u202ea"),  # right-to-left override
        ("patient", "family_name", "Lo\u2066pez"),  # left-to-right isolate
        ("patient", "given_name", "An\x00a"),
        ("consent", "guardian_name", "Maria\tLopez"),
        ("appointment", "practitioner", "Dr\nKim"),
    ],
)
def test_control_and_bidi_characters_in_names_are_422_naming_the_field(
    aws: Aws, section: str, field: str, value: str
) -> None:
    response = submit(with_changes(example_form(), **{section: {field: value}}))

    assert response.status == 422
    assert (
        _field_errors(response)[f"{section}.{field}"]
        == "must not contain control characters or bidirectional overrides"
    )
    assert aws.items() == []


@pytest.mark.parametrize("email", ["ana.example.org", "ana@", "ana@example", "ana@exa mple.org", "ana@-x.org"])
def test_an_email_of_the_wrong_shape_is_422_naming_the_field(aws: Aws, email: str) -> None:
    response = submit(with_changes(example_form(), patient={"email": email}))

    assert response.status == 422
    assert _field_errors(response) == {"patient.email": "not a valid email address"}
    assert aws.items() == []


def test_an_email_of_the_right_shape_is_accepted(aws: Aws) -> None:
    assert submit(with_changes(example_form(), patient={"email": "ana.lopez+intake@mail.example.org"})).status == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"medications": [{"name": "Eliquis\u202b"}]}, "medications[0].name"),
        ({"medications": [{"name": "Eliquis", "dose": "5\x07mg"}]}, "medications[0].dose"),
        ({"allergies": ["latex\u2069"]}, "allergies[0]"),
        ({"notes": "fell\x1b[2J over"}, "notes"),
        ({"notes": "hidden \u202d text"}, "notes"),
    ],
)
def test_control_and_bidi_characters_in_medications_allergies_and_notes_are_422(
    aws: Aws, changes: dict[str, Any], field: str
) -> None:
    response = submit(example_form() | changes)

    assert response.status == 422
    assert _field_errors(response)[field].startswith("must not contain control characters")
    assert aws.items() == []


def test_marks_for_right_to_left_names_and_line_breaks_in_notes_are_accepted(aws: Aws) -> None:
    form = with_changes(example_form(), patient={"given_name": "\u05d0\u05e0\u05d4\u200f"})
    form["notes"] = "first line\n\tsecond line\r\nthird"

    response = submit(form)

    assert response.status == 201
    [item] = aws.items()
    assert json.loads(item["answers"]["S"])["notes"] == "first line\n\tsecond line\r\nthird"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            json.dumps(example_form()).replace(
                '"blood_thinners": "no"', '"blood_thinners": "yes", "blood_thinners": "no"'
            ),
            "safety.blood_thinners",
        ),
        (json.dumps(example_form())[:-1] + ', "notes": "a", "notes": "b"}', "notes"),
        (json.dumps(example_form() | {"custom": {"a": 1, ECHO: 2}})[:-2] + f', "{ECHO}": 3}}}}', "custom[1]"),
        (json.dumps(example_form())[:-1] + f', "{ECHO}": 1, "{ECHO}": 2}}', f"body[{len(example_form())}]"),
    ],
)
def test_a_key_given_twice_is_422_naming_it_by_path_and_stores_nothing(aws: Aws, body: str, field: str) -> None:
    response = submit(body)

    assert response.status == 422
    assert _field_errors(response) == {field: "given more than once"}
    assert ECHO not in json.dumps(response.body)
    assert aws.items() == []


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; foo=bar",
        "application/json; charset=utf-8; foo=bar",
        'application/json;charset="UTF-8"',
        "Application/JSON ; boundary=x",
    ],
)
def test_content_type_parameters_other_than_charset_are_accepted(aws: Aws, content_type: str) -> None:
    assert submit(example_form(), {"content-type": content_type}).status == 201


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps(example_form()).encode().replace(b'"Ana"', b'"An\xffa"'),
        json.dumps(example_form()).encode().replace(b'"Ana"', b'"An\xc0\xafa"'),  # overlong "/"
    ],
)
def test_a_body_that_is_not_valid_utf8_is_400_and_stores_nothing(aws: Aws, raw: bytes) -> None:
    response = submit_raw(raw)

    assert response.status == 400
    assert "UTF-8" in response.body["message"]
    assert aws.items() == []


@pytest.mark.parametrize(("key", "counted"), [("form-7f3a9c", 1), ("c0f3a1b2-8d6e-4f7a-9b1c-2d3e4f5a6b7c", 0)])
def test_short_idempotency_keys_are_accepted_but_counted(aws: Aws, observed: Observed, key: str, counted: int) -> None:
    assert submit(example_form(), {"Idempotency-Key": key}).status == 201
    assert observed.metrics().get("ShortIdempotencyKeys", 0) == counted


def test_invalid_idempotency_key_is_422_and_writes_nothing(aws: Aws) -> None:
    response = submit(example_form(), {"Idempotency-Key": "has spaces and ünïcode"})
    assert response.status == 422
    assert "headers.Idempotency-Key" in _field_errors(response)
    assert aws.items() == []


def test_emergency_answer_returns_patient_advice_and_alerts_without_patient_data(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEW_PAGE_URL", "https://clinic.example.org/review.html")
    get_settings.cache_clear()
    form = emergency_form()
    form["patient"] |= {"given_name": "Zephyrine", "family_name": "Quixotelli", "email": "zq@example.org"}

    response = submit(form)

    assert response.status == 201
    assert response.body["patient_advice"]
    [alert] = aws.alerts()
    with pytest.raises(json.JSONDecodeError):
        json.loads(alert)  # an email people read, not JSON
    assert f"https://clinic.example.org/review.html#intake={response.body['id']}" in alert.splitlines()
    assert "red flag cauda equina" in alert
    assert "check the whole review" in alert
    for value in ("Zephyrine", "Quixotelli", "zq@example.org", "1985-04-12", "Eliquis", "saddle"):
        assert value.lower() not in alert.lower()


def submit_in_one_minute(form: dict[str, Any]) -> ApiResponse:
    """A submission API Gateway received at the start of the current minute (its timeEpoch): several such calls
    fall in the same alert window whenever the test runs."""
    event = api_event("POST", "/intakes", body=form)
    minute_ms = int(datetime.now(UTC).replace(second=0, microsecond=0).timestamp()) * 1000
    event["requestContext"]["timeEpoch"] = minute_ms + 1_000
    return call(intake.lambda_handler, event)


def test_a_flood_of_critical_forms_sends_one_alert_a_minute_and_counts_the_rest(aws: Aws, observed: Observed) -> None:
    responses = [submit_in_one_minute(emergency_form()) for _ in range(4)]

    assert [r.status for r in responses] == [201] * 4
    assert all(r.body["patient_advice"] for r in responses)
    [alert] = aws.alerts()
    assert responses[0].body["id"] in alert
    metrics = observed.metrics()
    assert (metrics["CriticalAlertsSent"], metrics["CriticalAlertsSuppressed"]) == (1, 3)
    [window] = aws.alert_windows()
    assert set(window) == {"id", "expires_at"}
    assert {item["id"]["S"] for item in aws.items()} == {r.body["id"] for r in responses}


def test_a_failed_alert_frees_its_minute_so_the_next_critical_intake_alerts(
    aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []

    def fails_once(topic: str, intake_id: str, *_: Any) -> None:
        if not sent:
            sent.append("failed")
            raise ConnectTimeoutError(endpoint_url="https://sns.example")
        sent.append(intake_id)

    monkeypatch.setattr(intake, "publish_critical_alert", fails_once)

    first, second = submit_in_one_minute(emergency_form()), submit_in_one_minute(emergency_form())

    assert (first.status, second.status) == (201, 201)
    assert sent == ["failed", second.body["id"]]
    metrics = observed.metrics()
    assert metrics["CriticalAlertsFailed"] == 1
    assert "CriticalAlertsSuppressed" not in metrics


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


TRANSIENT = [
    ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "PutItem"),
    ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "PutItem"),
    ClientError(
        {"Error": {"Code": "InternalServerError", "Message": "oops"}, "ResponseMetadata": {"HTTPStatusCode": 500}},
        "PutItem",
    ),
    ConnectTimeoutError(endpoint_url="https://dynamodb.example"),
    ReadTimeoutError(endpoint_url="https://dynamodb.example"),
]
PERMANENT = [
    ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "PutItem"),
    ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "no table"}}, "PutItem"),
    ClientError({"Error": {"Code": "ValidationException", "Message": "Item size has exceeded"}}, "PutItem"),
    NoCredentialsError(),
]


def _failing_put(monkeypatch: pytest.MonkeyPatch, failure: Exception) -> None:
    def failing_put(**_: Any) -> None:
        raise failure

    monkeypatch.setattr(store_module.dynamodb_client(), "put_item", failing_put)


@pytest.mark.parametrize("failure", TRANSIENT, ids=lambda e: type(e).__name__ + str(getattr(e, "response", "")))
def test_transient_storage_failures_are_503_with_retry_after_and_write_nothing(
    aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    _failing_put(monkeypatch, failure)

    response = submit(example_form())

    assert response.status == 503
    assert response.headers["Retry-After"] == "2"
    assert "patient_advice" not in response.body
    assert observed.metrics()["StoreUnavailable"] == 1
    assert aws.items() == []


@pytest.mark.parametrize("failure", PERMANENT, ids=lambda e: type(e).__name__ + str(getattr(e, "response", "")))
def test_permanent_storage_failures_are_500_counted_as_misconfigured_never_a_retry(
    aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    _failing_put(monkeypatch, failure)

    response = submit(example_form())

    assert response.status == 500
    assert "Retry-After" not in response.headers
    metrics = observed.metrics()
    assert metrics["StoreMisconfigured"] == 1
    assert "StoreUnavailable" not in metrics
    assert aws.items() == []


@pytest.mark.parametrize("failure", [TRANSIENT[1], PERMANENT[0]], ids=["throttled", "access-denied"])
def test_a_failed_write_still_gives_the_emergency_advice(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    _failing_put(monkeypatch, failure)

    response = submit(emergency_form())

    assert response.status in (500, 503)
    assert "nothing was saved" in response.body["message"]
    assert response.body["patient_advice"]
    assert aws.items() == []


def amplifying_form(medications: int, **red_flags: str) -> dict[str, Any]:
    """The review's R4: medications of ~25 real drug names each, every one a match whose evidence is stored."""
    lexicon = json.loads(LEXICON_PATH.read_text("utf-8"))
    every = {name for entry in lexicon["classes"].values() for drug in entry["drugs"] for name in drug["names"]}
    names = sorted((name for name in every if name.isascii() and name.isalpha()), key=lambda name: (len(name), name))
    rows = []
    for i in range(medications):
        words = names[i % 7 :: 7]
        kept = [w for k, w in enumerate(words) if len(" ".join(words[: k + 1])) <= 200]
        rows.append({"name": " ".join(kept)})
    return with_changes(example_form(), red_flags=red_flags) | {"medications": rows}


@pytest.mark.parametrize("medications", [42, 50])
def test_the_reviews_amplifying_form_is_stored_compactly(aws: Aws, medications: int) -> None:
    """Review row 4: each drug's evidence used to repeat the whole line (a 9.7 KB form stored as 364 KiB, 50 lines
    past DynamoDB's 400 KB as a 503 for ever). Evidence now points at the line, so the item stays a small multiple."""
    body = json.dumps(amplifying_form(medications, saddle_numbness="yes"))
    response = submit(json.loads(body))

    assert response.status == 201
    [item] = aws.items()
    assert item_size(item) <= 8 * len(body.encode()) < MAX_ITEM_BYTES


def test_an_intake_over_its_size_budget_is_413_and_stores_nothing(
    aws: Aws, observed: Observed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "item_budget", lambda body_bytes: 1_000)
    response = submit(with_changes(example_form(), red_flags={"saddle_numbness": "yes"}))

    assert response.status == 413, "a 503 would have the form retried for ever"
    assert "Retry-After" not in response.headers
    assert response.body["patient_advice"], "an emergency answer is still answered"
    assert observed.metrics()["IntakesTooLarge"] == 1
    assert aws.items() == []
    assert aws.alerts() == []


@pytest.mark.parametrize(
    "request_event",
    [
        api_event("POST", "/intakes", body=example_form()),
        api_event("POST", "/intakes", body="{}"),
        api_event("POST", "/intakes", body="[1]"),
        api_event("GET", "/nothing-here"),
    ],
    ids=["201", "422", "400", "404"],
)
def test_every_response_carries_no_store_and_nosniff(aws: Aws, request_event: dict[str, Any]) -> None:
    response = call(intake.lambda_handler, request_event)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_route_is_404(aws: Aws) -> None:
    assert call(intake.lambda_handler, api_event("GET", "/nothing-here")).status == 404


EMERGENCY = {"saddle_numbness": "yes", "bladder_or_bowel_change": "yes"}


def test_the_advice_comes_in_the_forms_language_with_the_clinics_number(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMERGENCY_NUMBER", "112")
    get_settings.cache_clear()
    response = submit(with_changes(example_form(), red_flags=EMERGENCY) | {"locale": "es"})
    assert response.status == 201
    assert "112" in response.body["patient_advice"]
    assert "llame" in response.body["patient_advice"]


def test_a_language_the_clinic_has_not_enabled_gets_the_advice_in_its_first_language(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENABLED_LOCALES", "en")
    get_settings.cache_clear()
    response = submit(with_changes(example_form(), red_flags=EMERGENCY) | {"locale": "zh-Hans"})
    assert response.status == 201
    assert response.body["patient_advice"].isascii()
    [item] = aws.items()
    assert json.loads(item["answers"]["S"])["locale"] == "zh-Hans"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [("CLINIC_TIME_ZONE", "Europe/Londn", "CLINIC_TIME_ZONE"), ("TABLE_NAME", "", "TABLE_NAME")],
)
def test_a_setting_the_function_cannot_use_is_500_counted_for_its_alarm_and_named_in_the_log(
    aws: Aws,
    observed: Observed,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    variable: str,
    value: str,
    named: str,
) -> None:
    """A deployment fault (a ClinicTimeZone given past `make configure`, say) fails every submission: the
    SettingsInvalid alarm must hear of it, and the log says which setting, never an answer."""
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    clinic_zone.cache_clear()

    response = submit(example_form())

    assert response.status == 500
    assert response.body == {"message": "internal error; nothing was saved"}
    metrics = observed.metrics()
    assert metrics["SettingsInvalid"] == 1
    assert "UnexpectedErrors" not in metrics
    (reason,) = [getattr(r, "reason", "") for r in caplog.records if r.getMessage() == "settings invalid"]
    assert named in reason
    assert example_form()["patient"]["family_name"] not in caplog.text
    assert aws.items() == []
