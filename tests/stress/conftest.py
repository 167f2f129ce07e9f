"""Fixtures of the stress suite (the terminal summary of its measured figures is in tests/conftest.py)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

from devtools.gateway import LocalService
from tests.conftest import Aws, DynamoDbBackend, local_stack_on, provision_aws, reset_cached_clients
from tests.stress.observe import Observed, observing


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
def served_aws(moto_server: str, monkeypatch: pytest.MonkeyPatch, dynamodb_backend: DynamoDbBackend) -> Iterator[Aws]:
    """Like `aws`, but moto runs as a server on loopback and the functions reach it over HTTP.

    Fault injection needs this: under `mock_aws` moto answers inside botocore's `before-send` event itself, so
    a request would reach moto even when an injected handler answers it first.
    """
    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")).close()
    for service in ("DYNAMODB", "SNS", "SQS"):
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", moto_server)
    yield provision_aws(monkeypatch, dynamodb_backend)
    reset_cached_clients()


@pytest.fixture
def local_stack(dynamodb_backend: DynamoDbBackend) -> Iterator[LocalService]:
    """The local gateway and an embedded moto server (and dynalite) on free loopback ports, with fresh cached
    clients/settings."""
    reset_cached_clients()
    with local_stack_on(dynamodb_backend, port=0) as stack:
        yield stack
    reset_cached_clients()
