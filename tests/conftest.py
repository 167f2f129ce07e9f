"""Fixtures for every suite: a clean environment and, for integration tests, the template's table on a DynamoDB.

Every test that stores anything runs twice, on moto and on dynalite (`dynamodb_backend`, ids `moto` / `dynalite`):
two independent implementations of DynamoDB. Browser tests marked `page` (the page itself: rendering, languages,
drafts, keyboard, axe, sign-in) run on moto only: what they assert does not depend on the store, and every request
they make is tested on both backends by the integration tests. dynalite decides racing conditional writes per key as
DynamoDB does; moto's in-process backend does not lock, so on moto the fixtures serialise its writes. SNS and SQS are
moto's on both.

Also the terminal summary of figures tests measure (load throughput, latency): they travel as `user_properties`
named `stress:*`, which pytest-xdist carries from its workers to the controller, so the summary appears in
`make test` output without `-s`. It lives here because only the root conftest is loaded on the xdist controller.
Tests never assert on these figures.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from _pytest.terminal import TerminalReporter
from moto import mock_aws
from moto.dynamodb.models import DynamoDBBackend

from devtools.gateway import LocalService
from devtools.local_aws import create_table
from tests.dynalite import Dynalite

_FIGURES: list[tuple[str, str]] = []
REGION = "us-east-1"
TABLE = "intakes-test"
AUDIT_TABLE = "audit-test"

for variable in (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_SNS",
    "AWS_ENDPOINT_URL_EVENTBRIDGE",
    "AWS_PROFILE",
):
    os.environ.pop(variable, None)
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "POWERTOOLS_SERVICE_NAME": "intake-test",
        "POWERTOOLS_METRICS_NAMESPACE": "IntakeScreening",
        "TABLE_NAME": TABLE,
        "ENABLED_LOCALES": "en,es,zh-Hans",
        "AUDIT_TABLE_NAME": AUDIT_TABLE,
    }
)


def reset_cached_clients() -> None:
    """Settings and boto3 clients are cached per execution environment; each test is a fresh one."""
    from screening.alerts import sns_client
    from screening.clinic_time import clinic_zone
    from screening.handlers.access import audit_log
    from screening.handlers.http import intake_store
    from screening.settings import get_settings
    from screening.store.intakes import dynamodb_client

    for cached in (get_settings, dynamodb_client, sns_client, intake_store, audit_log, clinic_zone):
        cached.cache_clear()


@dataclass(frozen=True)
class DynamoDbBackend:
    """Where DynamoDB calls go: `moto` (whatever moto the test runs) or a `dynalite` server at `endpoint_url`."""

    name: str
    dynalite: Dynalite | None = None

    @property
    def endpoint_url(self) -> str | None:
        return self.dynalite.url if self.dynalite else None

    def use(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Points boto3 (ours and the functions') at this backend, empty. On moto the endpoint is left to the test
        (mock_aws, or a stack's embedded server, both in this process), and its writes are made atomic."""
        if self.dynalite is not None:
            self.dynalite.drop_tables()
            monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", self.dynalite.url)
        else:
            _serialise_moto_writes(monkeypatch)


_MOTO_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_MOTO_WRITE_LOCK = threading.RLock()


def _serialise_moto_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB decides a conditional write atomically per item; moto's backend checks and writes without a lock,
    so two racing writes can both pass one condition. One lock around its writes gives moto that guarantee (more
    coarsely). Racing requests still interleave everywhere else: in the handlers, the store and botocore."""

    def serialised(write: Any) -> Any:
        def atomic(*args: Any, **kwargs: Any) -> Any:
            with _MOTO_WRITE_LOCK:
                return write(*args, **kwargs)

        return atomic

    for name in _MOTO_WRITES:
        monkeypatch.setattr(DynamoDBBackend, name, serialised(getattr(DynamoDBBackend, name)))


BACKENDS = ("moto", "dynalite")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselects the dynalite run of `page` browser tests (see the module's docstring)."""
    dropped = [item for item in items if item.get_closest_marker("page") and _backend_of(item) == "dynalite"]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        dropped_ids = {id(item) for item in dropped}
        items[:] = [item for item in items if id(item) not in dropped_ids]


def _backend_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get("dynamodb_backend")


@pytest.fixture(scope="session")
def dynalite_server() -> Iterator[Dynalite]:
    server = Dynalite().start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def dynamodb_backend(request: pytest.FixtureRequest) -> DynamoDbBackend:
    """Session-scoped, so pytest runs each backend's tests together and starts dynalite once per worker."""
    if request.param == "dynalite":
        return DynamoDbBackend("dynalite", request.getfixturevalue("dynalite_server"))
    return DynamoDbBackend("moto")


@contextmanager
def local_stack_on(backend: DynamoDbBackend, **options: Any) -> Iterator[LocalService]:
    """A LocalService whose table is on `backend`: the stack's embedded moto on `moto`, else only its topics are."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        backend.use(monkeypatch)
        with LocalService(**options) as stack:
            yield stack


@dataclass
class Aws:
    dynamodb: Any
    sns: Any
    sqs: Any
    topic_arn: str
    alert_queue_url: str
    backend: DynamoDbBackend

    def items(self) -> list[dict[str, Any]]:
        """The stored intakes (the table also holds the alert-a-minute windows: see `alert_windows`)."""
        return [item for item in self._scan() if not item["id"]["S"].startswith("alert-window#")]

    def alert_windows(self) -> list[dict[str, Any]]:
        return [item for item in self._scan() if item["id"]["S"].startswith("alert-window#")]

    def _scan(self) -> list[dict[str, Any]]:
        return list(self.dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"])

    def alerts(self) -> list[str]:
        """Messages published to the alert topic (delivered raw to an SQS queue subscribed to it)."""
        messages = self.sqs.receive_message(QueueUrl=self.alert_queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [m["Body"] for m in messages]


def provision_aws(monkeypatch: pytest.MonkeyPatch, backend: DynamoDbBackend) -> Aws:
    """The template's table on `backend`, an alert topic and an inbox queue subscribed to it, wherever boto3 points."""
    backend.use(monkeypatch)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    create_table(dynamodb, TABLE)
    create_table(dynamodb, AUDIT_TABLE, "AuditTable")
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic_arn = sns.create_topic(Name="intake-alerts")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    monkeypatch.setenv("ALERT_TOPIC_ARN", topic_arn)
    reset_cached_clients()
    return Aws(dynamodb, sns, sqs, topic_arn, queue_url, backend)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, dynamodb_backend: DynamoDbBackend) -> Iterator[Aws]:
    """moto in-process (`mock_aws`) for SNS and SQS, and for DynamoDB unless the backend is dynalite. boto3's default
    session is kept from test to test (moto would replace it in each): a new session loads every service model
    again, ~100 ms of each test's setup."""
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        yield provision_aws(monkeypatch, dynamodb_backend)
    reset_cached_clients()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _FIGURES.extend((name, str(value)) for name, value in report.user_properties if name.startswith("stress:"))


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("stress figures (this machine, this run)")
        for name, value in _FIGURES:
            terminalreporter.write_line(f"{name.removeprefix('stress:')}: {value}")
