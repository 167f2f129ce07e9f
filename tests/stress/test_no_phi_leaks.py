"""No patient value anywhere it should not be: the whole flow through the local gateway with distinctive values.

Submit (clear, flagged, critical), alert, invalid bodies, review decisions, a stale decision (409), an idempotency
conflict (409), a failed alert and a storage fault (500); then search every channel that is not the practitioner's
own view: function logs, EMF metrics, other loggers' records (the gateway's access log, moto's), stdout/stderr,
alert messages and every public error body (422s included). Values are chosen so no legitimate text holds them.
"""

from __future__ import annotations

import ast
import http.client
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from devtools.gateway import LocalService
from devtools.jwt_token import make_token
from tests.conftest import DynamoDbBackend, local_stack_on
from tests.stress.observe import observing
from tests.support import appointment_at, example_form, with_changes

SECRETS = {
    "given_name": "Zephyrine",
    "family_name": "Quixotelli",
    "email": "zephyrine.q@quixotelli-mail.example",
    "phone": "+44 7700 900461",
    "date_of_birth": "1979-03-17",
    "guardian": "Barnaby Wimbleworth",
    "practitioner": "Ottoline Brackenbury",
    "medication": "Xarelto",
    "dose": "15 mg with the marmalade",
    "allergy": "quinceberry pollen",
    "notes": "hurt it lifting the harpsichord at the Fenwick lodge",
    "custom": "referred by Dr Vellacourt-Smythe",
    "review_note": "Zebulon protocol, phone her sister",
}
FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def distinctive_form(**red_flags: str) -> dict[str, Any]:
    form = example_form()
    form["patient"] = {
        "given_name": SECRETS["given_name"],
        "family_name": SECRETS["family_name"],
        "date_of_birth": SECRETS["date_of_birth"],
        "email": SECRETS["email"],
        "phone": SECRETS["phone"],
    }
    form["appointment"] = {"starts_at": appointment_at(1), "practitioner": SECRETS["practitioner"]}
    form["consent"] |= {"guardian_name": SECRETS["guardian"]}
    form["medications"] = [{"name": SECRETS["medication"], "dose": SECRETS["dose"]}]
    form["allergies"] = [SECRETS["allergy"]]
    form["notes"] = SECRETS["notes"]
    form["custom"] = {"referral": SECRETS["custom"]}
    return with_changes(form, red_flags=red_flags) if red_flags else form


def clear_distinctive_form() -> dict[str, Any]:
    form = distinctive_form()
    form["medications"] = [{"name": "paracetamol", "dose": SECRETS["dose"]}]
    return form


class Client:
    """A browser or console talking to the local gateway; keeps every response it got."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self._connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        self._token = make_token("prac-leak-test")
        self.responses: list[tuple[str, int, str]] = []

    def send(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        all_headers = {"content-type": "application/json", **(headers or {})}
        if (method, path) != ("POST", "/intakes"):  # every other route is a practitioner's
            all_headers["authorization"] = f"Bearer {self._token}"
        payload = body if isinstance(body, str) else json.dumps(body) if body is not None else None
        self._connection.request(method, path, body=payload, headers=all_headers)
        response = self._connection.getresponse()
        text = response.read().decode()
        self.responses.append((f"{method} {path}", response.status, text))
        return response.status, json.loads(text) if text else None

    def submit(self, form: Any, key: str | None = None) -> Any:
        return self.send("POST", "/intakes", form, {"idempotency-key": key} if key else None)

    def public_error_bodies(self, status: int | None = None) -> list[str]:
        return [
            text
            for route, got, text in self.responses
            if route == "POST /intakes" and got >= 400 and status in (None, got)
        ]


INVALID_BODIES: list[Any] = [
    with_changes(distinctive_form(), patient={"given_name": SECRETS["given_name"] * 12}),
    with_changes(distinctive_form(), patient={"email": "Zephyrine@@Quixotelli"}),
    with_changes(distinctive_form(), patient={"phone": SECRETS["phone"] * 3}),
    with_changes(distinctive_form(), patient={"date_of_birth": "Quixotelli"}),
    with_changes(distinctive_form(), back_pain={"pain_score": "Quixotelli", "areas": ["Zephyrine"]}),
    with_changes(distinctive_form(), safety={"blood_thinners": SECRETS["medication"]}),
    with_changes(distinctive_form(), appointment={"starts_at": SECRETS["family_name"]}),
    distinctive_form() | {"notes": SECRETS["notes"] * 40},
    distinctive_form() | {"medications": [{"name": "", "dose": SECRETS["dose"] * 10}]},
    distinctive_form() | {"custom": {"referral": [SECRETS["custom"]]}},
    distinctive_form() | {"allergies": SECRETS["allergy"]},
    distinctive_form() | {"consent": {"privacy_notice_accepted": SECRETS["guardian"], "treatment_consent": True}},
    json.dumps(distinctive_form())[:-40],  # truncated JSON
]


def test_the_whole_flow_leaks_no_patient_value(
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    dynamodb_backend: DynamoDbBackend,
) -> None:
    """The functions run in worker processes: their output is captured at the file-descriptor level, unbuffered
    (as Lambda forwards each line), and read once the stack has stopped and every worker has exited."""
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    with observing(capfd, caplog) as observed, local_stack_on(dynamodb_backend, port=0) as stack:
        client = Client(stack.base_url)
        messages = run_whole_flow(stack, client)

    metrics = observed.metrics()
    assert metrics["StoreMisconfigured"] == 1 and metrics["CriticalAlertsFailed"] == 1  # the channels were live
    assert metrics["IntakesStored"] == 4 and metrics["ReviewsRecorded"] == 1
    assert any(line.startswith("POST /intakes 201") for line in (r.getMessage() for r in caplog.records))
    assert len(messages) == 1
    assert "intake stored" in observed.everything() and "storage misconfigured" in observed.everything()
    channels = {
        "logs, metrics, stdout/stderr and log records": observed.everything(),
        "alert messages": "\n".join(messages),
        "public error bodies": "\n".join(client.public_error_bodies()),
    }
    leaks = {
        channel: [name for name, value in SECRETS.items() if value.lower() in text.lower()]
        for channel, text in channels.items()
    }
    assert {channel: found for channel, found in leaks.items() if found} == {}
    assert "aws_xray_sdk" not in sys.modules
    field_errors = [json.loads(text)["errors"] for text in client.public_error_bodies(422)]
    assert len(field_errors) == len(INVALID_BODIES) - 1
    assert all(errors and all(set(error) == {"field", "message"} for error in errors) for errors in field_errors)


def run_whole_flow(stack: LocalService, client: Client) -> list[str]:
    """Every outcome a patient or practitioner can cause; returns the alert messages that went out."""
    alerts = alert_inbox(stack)
    assert client.submit(distinctive_form(), key="leak-flagged")[0] == 201
    assert client.submit(distinctive_form(), key="leak-flagged")[0] == 200
    assert client.submit(clear_distinctive_form())[0] == 201
    status, critical = client.submit(distinctive_form(saddle_numbness="yes"))
    assert status == 201 and critical["patient_advice"]
    assert client.submit(with_changes(distinctive_form(), back_pain={"pain_score": 2}), key="leak-flagged")[0] == 409
    for body in INVALID_BODIES:
        assert client.submit(body)[0] == (400 if isinstance(body, str) else 422)

    status, queue = client.send("GET", "/reviews?status=pending")
    assert status == 200 and len(queue["items"]) == 2
    assert client.send("GET", f"/intakes/{critical['id']}")[0] == 200
    decision = {"decision": "refer_to_doctor", "note": SECRETS["review_note"], "expected_version": 1}
    assert client.send("POST", f"/intakes/{critical['id']}/review", decision)[0] == 200
    assert client.send("POST", f"/intakes/{critical['id']}/review", decision)[0] == 409
    messages = alerts()

    # Faults the functions cannot tell from an outage: the alert topic and then the table disappear.
    boto3.client("sns", endpoint_url=stack.aws.moto_url).delete_topic(TopicArn=stack.aws.refs["AlertTopic"])
    dynamodb = boto3.client("dynamodb")  # the stack's moto, or dynalite
    for window in dynamodb.scan(TableName=stack.table_name())["Items"]:  # free the minute's alert window
        if window["id"]["S"].startswith("alert-window#"):
            dynamodb.delete_item(TableName=stack.table_name(), Key={"id": window["id"]})
    assert client.submit(distinctive_form(saddle_numbness="yes"))[0] == 201
    dynamodb.delete_table(TableName=stack.table_name())
    assert client.submit(distinctive_form())[0] == 500  # a missing table is permanent: no "retry" 503
    return messages


def alert_inbox(stack: LocalService) -> Callable[[], list[str]]:
    """An SQS queue on the embedded moto subscribed to the alert topic; returns a function reading it."""
    sqs = boto3.client("sqs", endpoint_url=stack.aws.moto_url)
    sns = boto3.client("sns", endpoint_url=stack.aws.moto_url)
    queue_url = sqs.create_queue(QueueName="leak-alerts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(
        TopicArn=stack.aws.refs["AlertTopic"],
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "true"},
    )

    def read() -> list[str]:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [message["Body"] for message in messages]

    return read


def test_no_function_module_imports_a_tracer() -> None:
    """X-Ray sees only invocation timings (Tracing: Active): no SDK or Powertools Tracer adds annotations."""
    for source in FUNCTIONS.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(alias.name for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            assert not [n for n in names if "xray" in n or n == "Tracer" or n.endswith(".tracing")], source
