"""The AWS side of the local stack: embedded moto, or the endpoints the environment names, and the provisioning."""

from __future__ import annotations

import logging
import os
import urllib.request
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from devtools.local_aws import SERVICES, LocalAws, endpoint_variable, local_name
from tests.dynalite import Dynalite


@pytest.fixture
def external_moto() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    yield url
    # moto's data is process-wide: leave none behind for the next stack in this process.
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=30).close()
    server.stop()


def test_embedded_moto_is_started_and_the_environment_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SNS"):
        monkeypatch.delenv(variable, raising=False)
    aws = LocalAws().start()
    try:
        assert aws.moto_url is not None
        assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == aws.moto_url == os.environ["AWS_ENDPOINT_URL_SNS"]
        table = local_name("IntakeTable")
        assert aws.refs["IntakeTable"] == table
        assert aws.refs["AlertTopic"].endswith(":intake-screening-local-AlertTopic")
        assert table in boto3.client("dynamodb").list_tables()["TableNames"]
    finally:
        aws.stop()
    assert "AWS_ENDPOINT_URL_DYNAMODB" not in os.environ
    assert "AWS_ENDPOINT_URL_SNS" not in os.environ


def test_each_embedded_moto_starts_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SNS"):
        monkeypatch.delenv(variable, raising=False)
    table = local_name("IntakeTable")
    first = LocalAws().start()
    boto3.client("dynamodb").put_item(TableName=table, Item={"id": {"S": "left-behind"}})
    first.stop()
    second = LocalAws().start()
    try:
        assert boto3.client("dynamodb").scan(TableName=table)["Items"] == []
    finally:
        second.stop()


def test_named_endpoints_are_used_and_no_moto_is_started(monkeypatch: pytest.MonkeyPatch, external_moto: str) -> None:
    for service in SERVICES:
        monkeypatch.setenv(endpoint_variable(service), external_moto)
    first = LocalAws().start()
    first.stop()
    second = LocalAws().start()  # the table exists now: created once, found again
    second.stop()
    assert first.moto_url is None and second.moto_url is None
    tables = boto3.client("dynamodb", endpoint_url=external_moto).list_tables()["TableNames"]
    assert sorted(tables) == sorted([local_name("IntakeTable"), local_name("AuditTable")])


def test_dummy_credentials_only_when_none_are_set_and_endpoints_are_local(
    monkeypatch: pytest.MonkeyPatch, external_moto: str
) -> None:
    for service in SERVICES:
        monkeypatch.setenv(endpoint_variable(service), external_moto)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    aws = LocalAws().start()
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine", "configured credentials are never replaced"
    aws.stop()
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    aws = LocalAws().start()
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    aws.stop()
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_an_endpoint_without_update_time_to_live_warns_and_provisioning_goes_on(
    monkeypatch: pytest.MonkeyPatch, dynalite_server: Dynalite, caplog: pytest.LogCaptureFixture
) -> None:
    dynalite_server.drop_tables()
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynalite_server.url)
    monkeypatch.delenv("AWS_ENDPOINT_URL_SNS", raising=False)
    with caplog.at_level(logging.WARNING, logger="devtools.local_aws"):
        aws = LocalAws().start()
    try:
        assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == dynalite_server.url
        assert aws.refs["AlertTopic"].endswith(":intake-screening-local-AlertTopic"), "the topics come after the table"
        assert dynalite_server.client().list_tables()["TableNames"] == [
            local_name("AuditTable"),
            local_name("IntakeTable"),
        ]
    finally:
        aws.stop()
    assert "has no UpdateTimeToLive; items will not expire" in caplog.text
