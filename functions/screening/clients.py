"""boto3 clients, made one at a time: boto3's default session is not thread-safe, and two threads creating their
first clients at once can fail (a RuntimeError from botocore). Lambda runs one request per environment, but the
in-process concurrency tests run the handlers in threads, and so may any future threaded code: creation is locked.
The clients themselves are thread-safe and are used without the lock."""

from __future__ import annotations

import threading
from typing import Any

from screening.collector import paused

_CREATING = threading.Lock()


def new_client(service: str, **config: Any) -> Any:
    """A client of `service` with a botocore Config of `config`; boto3 is imported on first use, not at cold start,
    and with the collector paused (collector.py)."""
    with paused():
        import boto3  # noqa: PLC0415
        from botocore.config import Config  # noqa: PLC0415

        with _CREATING:
            return boto3.client(service, config=Config(**config))
