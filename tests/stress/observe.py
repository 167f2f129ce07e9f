"""What the functions leave behind: Powertools log lines, EMF metrics, other loggers' records; and boto3 faults.

Faults are injected on a real boto3 client's event system (`before-send`), so botocore's own retry handler sees
them exactly as it would see DynamoDB's or SNS's answers, and every attempt is counted.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from screening.handlers.http import logger as function_logger


@dataclass
class Observed:
    """Everything written while a test ran: function logs, stdout/stderr (EMF lands there) and logging records."""

    capsys: pytest.CaptureFixture[str]
    caplog: pytest.LogCaptureFixture
    function_logs: io.StringIO = field(default_factory=io.StringIO)
    _stdout: str = ""
    _stderr: str = ""

    def _drain(self) -> None:
        captured = self.capsys.readouterr()
        self._stdout += captured.out
        self._stderr += captured.err

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.function_logs.getvalue().splitlines() if line.strip()]

    def emf(self) -> list[dict[str, Any]]:
        self._drain()
        documents = [json.loads(line) for line in self._stdout.splitlines() if line.startswith('{"_aws"')]
        return documents

    def metrics(self) -> dict[str, float]:
        """Metric name → total value over every EMF document printed so far."""
        totals: dict[str, float] = {}
        for document in self.emf():
            for directive in document["_aws"]["CloudWatchMetrics"]:
                for metric in directive["Metrics"]:
                    values = document[metric["Name"]]
                    totals[metric["Name"]] = totals.get(metric["Name"], 0) + sum(
                        values if isinstance(values, list) else [values]
                    )
        return totals

    def everything(self) -> str:
        """All text any channel received, for leak checks (records with their arguments and extra fields)."""
        self._drain()
        records = "\n".join(f"{r.getMessage()} {vars(r)}" for r in self.caplog.records)
        return "\n".join([self.function_logs.getvalue(), self._stdout, self._stderr, records])


@contextmanager
def observing(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Iterator[Observed]:
    observed = Observed(capsys, caplog)
    handler = function_logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(observed.function_logs)
    caplog.set_level(logging.INFO)  # what a deployed function could emit; DEBUG would dump whole requests
    try:
        yield observed
    finally:
        handler.setStream(previous)


class _Body:
    def __init__(self, payload: bytes) -> None:
        self._payload = payload

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._payload


def aws_error(status: int, code: str, protocol: str = "json") -> Callable[[Any], AWSResponse]:
    """An error response as the service sends it (JSON protocol for DynamoDB, query/XML for SNS)."""
    if protocol == "json":
        payload = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "injected"}).encode()
        headers = {"content-type": "application/x-amz-json-1.0", "x-amzn-errortype": code}
    else:
        payload = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected</Message></Error>"
            "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
        ).encode()
        headers = {"content-type": "text/xml"}
    return lambda request: AWSResponse(request.url, status, headers, _Body(payload))


def raises(error: Callable[[str], Exception]) -> Callable[[Any], AWSResponse]:
    """An answer that never arrives: the exception botocore's HTTP layer raises (retried as a connection error)."""

    def fail(request: Any) -> AWSResponse:
        raise error(request.url)

    return fail


TIMEOUTS: dict[str, Callable[[str], Exception]] = {
    "ReadTimeoutError": lambda url: ReadTimeoutError(endpoint_url=url, error="injected"),
    "ConnectTimeoutError": lambda url: ConnectTimeoutError(endpoint_url=url, error="injected"),
    "EndpointConnectionError": lambda url: EndpointConnectionError(endpoint_url=url),
}


@dataclass
class Injected:
    attempts: int = 0


@contextmanager
def failing(client: Any, operation: str, answer: Callable[[Any], AWSResponse | None]) -> Iterator[Injected]:
    """Every `operation` attempt on `client` gets `answer` (None: sent on to the service); attempts are counted."""
    injected = Injected()
    event = f"before-send.{client.meta.service_model.service_id.hyphenize()}.{operation}"

    def intercept(request: Any, **_: Any) -> AWSResponse | None:
        injected.attempts += 1
        return answer(request)

    client.meta.events.register(event, intercept, unique_id=f"stress-fault-{operation}")
    try:
        yield injected
    finally:
        client.meta.events.unregister(event, unique_id=f"stress-fault-{operation}")


@contextmanager
def recorded_backoff(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """botocore's retry sleeps, recorded instead of slept (so fault tests take milliseconds, not seconds)."""
    import botocore.endpoint

    sleeps: list[float] = []

    class _Clock:
        @staticmethod
        def sleep(seconds: float) -> None:
            sleeps.append(seconds)

    monkeypatch.setattr(botocore.endpoint, "time", _Clock)
    yield sleeps
