"""The collector is paused while a cold start builds objects that live as long as the process, and only then."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from screening.clients import new_client
from screening.collector import paused
from screening.rules import medicine_lexicon


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_the_collector_is_paused_inside_and_on_again_after(collector_on: None) -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_error(collector_on: None) -> None:
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError("building failed")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off(collector_on: None) -> None:
    with paused():
        with paused():
            pass
        assert not gc.isenabled()


def test_the_lexicon_is_built_with_the_collector_paused(collector_on: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = medicine_lexicon.Index

    def index(*args: Any) -> medicine_lexicon.Index:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(medicine_lexicon, "Index", index)
    medicine_lexicon.load()
    assert seen == [False]
    assert gc.isenabled()


def test_clients_are_made_with_the_collector_paused(collector_on: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(boto3, "client", lambda service, config: seen.append(gc.isenabled()))
    new_client("dynamodb")
    assert seen == [False]
    assert gc.isenabled()
