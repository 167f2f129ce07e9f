"""Fixtures of the stress suite, and a terminal summary of the figures its tests measure (load throughput, latency).

Measured figures travel as `user_properties` named `stress:*`, which pytest-xdist carries from its workers to the
controller, so the summary appears in `make test` output without `-s`; tests never assert on them.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import boto3
import pytest
from _pytest.terminal import TerminalReporter
from moto.server import ThreadedMotoServer

from devtools.gateway import LocalStack
from devtools.local_aws import create_table
from tests.conftest import REGION, TABLE, Aws, reset_cached_clients
from tests.stress.observe import Observed, observing

_FIGURES: list[tuple[str, str]] = []


@pytest.fixture
def observed(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Iterator[Observed]:
    with observing(capsys, caplog) as captured:
        yield captured


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def served_aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    """Like `aws`, but moto runs as a server on loopback and the functions reach it over HTTP.

    Fault injection needs this: under `mock_aws` moto answers inside botocore's `before-send` event itself, so
    a request would reach moto even when an injected handler answers it first.
    """
    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")).close()
    for service in ("DYNAMODB", "SNS", "SQS"):
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", moto_server)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    create_table(dynamodb, TABLE)
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic_arn = sns.create_topic(Name="intake-alerts")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    monkeypatch.setenv("ALERT_TOPIC_ARN", topic_arn)
    reset_cached_clients()
    yield Aws(dynamodb, sns, sqs, topic_arn, queue_url)
    reset_cached_clients()


@pytest.fixture
def local_stack() -> Iterator[LocalStack]:
    """The local gateway and an embedded moto server on free loopback ports, with fresh cached clients/settings."""
    reset_cached_clients()
    with LocalStack(port=0) as stack:
        yield stack
    reset_cached_clients()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _FIGURES.extend((name, str(value)) for name, value in report.user_properties if name.startswith("stress:"))


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("stress figures (this machine, this run)")
        for name, value in _FIGURES:
            terminalreporter.write_line(f"{name.removeprefix('stress:')}: {value}")
