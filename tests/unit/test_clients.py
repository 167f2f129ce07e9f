"""Clients are made one at a time (boto3's default session is not thread-safe), and each gets the Config asked for."""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3
import pytest

from screening.clients import new_client


def test_threads_make_their_clients_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    inside, most = 0, 0
    count = threading.Lock()

    def slow_client(service: str, config: Any) -> tuple[str, Any]:
        nonlocal inside, most
        with count:
            inside += 1
            most = max(most, inside)
        time.sleep(0.02)
        with count:
            inside -= 1
        return service, config

    monkeypatch.setattr(boto3, "client", slow_client)
    made: list[tuple[str, Any]] = []
    threads = [threading.Thread(target=lambda: made.append(new_client("dynamodb", read_timeout=2))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1 and len(made) == 6
    assert {service for service, _ in made} == {"dynamodb"} and made[0][1].read_timeout == 2
