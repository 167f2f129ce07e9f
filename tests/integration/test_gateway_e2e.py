"""The real stack: infra/template.yaml, the real handlers in their workers, embedded moto and web/."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from devtools.gateway import BANNER_COMMANDS, LocalService
from devtools.jwt_token import make_token
from devtools.local_auth import DEFAULT_SECRET
from tests.conftest import DynamoDbBackend, local_stack_on
from tests.integration.gateway_http import bearer, send
from tests.support import example_form, with_changes

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the documented default

JSON = [("Content-Type", "application/json")]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def stack(dynamodb_backend: DynamoDbBackend) -> Iterator[LocalService]:
    with local_stack_on(dynamodb_backend, jwt_secret=DEFAULT_SECRET) as running:
        yield running


def stored_ids(stack: LocalService) -> list[str]:
    items = boto3.client("dynamodb").scan(TableName=stack.table_name(), ConsistentRead=True)["Items"]
    return [item["id"]["S"] for item in items]


def test_the_contract_example_is_stored_once_per_idempotency_key(stack: LocalService) -> None:
    body = json.dumps(example_form()).encode()
    headers = [*JSON, ("Idempotency-Key", "gateway-e2e-1")]
    first = send(stack.base_url, "POST", "/intakes", body, headers)
    again = send(stack.base_url, "POST", "/intakes", body, headers)
    assert first.status == 201, first.body
    assert again.status in (200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["status"] == "received"
    assert stored_ids(stack).count(first.json()["id"]) == 1


def test_a_practitioner_reads_the_intake_through_the_authorizer(stack: LocalService) -> None:
    created = send(stack.base_url, "POST", "/intakes", json.dumps(example_form()).encode(), JSON).json()
    target = f"/intakes/{created['id']}"
    reply = send(stack.base_url, "GET", target, headers=bearer(make_token(secret=DEFAULT_SECRET)))
    assert reply.status == 200, reply.body
    assert reply.json()["id"] == created["id"]
    assert "bleeding" in json.dumps(reply.json()["screening"])
    assert send(stack.base_url, "GET", target).status == 401
    no_group = send(stack.base_url, "GET", target, headers=bearer(make_token(groups=[], secret=DEFAULT_SECRET)))
    assert no_group.status == 403, "the gateway lets it through; the handler refuses a token without the group"


def test_a_refused_intake_writes_nothing(stack: LocalService) -> None:
    before = stored_ids(stack)
    reply = send(stack.base_url, "POST", "/intakes", b'{"form_version": "1"}', JSON)
    assert reply.status == 422
    assert stored_ids(stack) == before


def test_a_critical_alert_lands_in_moto_without_patient_data(stack: LocalService) -> None:
    form = with_changes(example_form(), red_flags={"saddle_numbness": "yes", "bladder_or_bowel_change": "yes"})
    created = send(stack.base_url, "POST", "/intakes", json.dumps(form).encode(), JSON)
    assert created.status == 201
    sqs = boto3.client("sqs", endpoint_url=stack.aws.moto_url)
    messages = sqs.receive_message(QueueUrl=stack.aws.inboxes["AlertTopic"], MaxNumberOfMessages=10)["Messages"]
    bodies = [message["Body"] for message in messages]
    assert any(created.json()["id"] in body for body in bodies)
    for value in ("Lopez", "Ana", "Eliquis", "1985-04-12", "ana@example.org"):
        assert not any(value in body for body in bodies)


def test_the_web_pages_are_served_beside_the_api(stack: LocalService) -> None:
    for target in ("/", "/review"):
        reply = send(stack.base_url, "GET", target)
        assert reply.status == 200
        assert reply.header("content-type") == "text/html; charset=utf-8"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_make_run_serves_and_stops_cleanly(
    stop_signal: signal.Signals, dynamodb_backend: DynamoDbBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")} | {"PORT": str(port)}
    dynamodb_backend.use(monkeypatch)
    if dynamodb_backend.endpoint_url:
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamodb_backend.endpoint_url
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.gateway"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        startup = ""
        while "Ctrl-C stops" not in startup and process.poll() is None:
            startup += process.stdout.readline()
        assert f"Local stack on http://127.0.0.1:{port}" in startup, startup
        created = send(f"http://127.0.0.1:{port}", "POST", "/intakes", json.dumps(example_form()).encode(), JSON)
        assert created.status == 201
        process.send_signal(stop_signal)
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "Stopped." in output
    assert "Traceback" not in output
    assert "POST /intakes 201" in output
    if dynamodb_backend.name == "dynalite":
        assert "has no UpdateTimeToLive; items will not expire" in startup, "dynalite: warned, and went on"


def test_the_banner_commands_work_as_printed(stack: LocalService) -> None:
    """Each `command` in the banner runs from the repository root in a plain shell; `make token` opens the console."""
    commands = re.findall(r"`([^`]+)`", BANNER_COMMANDS)
    assert commands == ["make token"]
    # a newcomer's shell: not inside make, and the documented default secret the stack fixture uses
    plain_shell = {
        k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "LOCAL_JWT_SECRET")
    }
    result = subprocess.run(
        ["bash", "-c", commands[0]], check=False, cwd=ROOT, env=plain_shell, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert send(stack.base_url, "GET", "/rules", headers=bearer(result.stdout.strip())).status == 200
