"""Runs the template's functions in worker processes, as Lambda runs them in execution environments.

Each worker is one process of one function, so what a function caches per execution environment (settings parsed
once, boto3 clients, loggers named after their service) stays apart, with exactly the environment the template
gives it. A worker starts on its first invocation (a cold start), serves one invocation at a time, is replaced
after a crash or a timeout, and receives events and returns results as JSON, as Lambda does. A function's pool
runs concurrent requests concurrently, in several workers, as Lambda scales out: a new worker starts only when
every warm one is busy, and the most recently used idle worker takes the next request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from devtools.local_aws import ACCOUNT_ID

WORKERS_PER_FUNCTION = 4
"""Concurrent invocations per function before requests wait for a free worker (Lambda would scale further)."""

INIT_TIMEOUT_S = 60
"""Lambda allows 10 s of init; a busy laptop importing for the first time may need more, and this is not a test."""

_REPO_ROOT = Path(__file__).resolve().parent.parent


class InvocationError(Exception):
    """The function failed, timed out or could not start; API Gateway answers 500 then."""


@dataclass(frozen=True)
class LocalFunction:
    name: str
    handler: str
    code_dir: str
    environment: Mapping[str, str]
    memory_mb: int = 128
    timeout_s: int = 3


class FunctionWorker:
    """The execution environment of one function."""

    def __init__(self, function: LocalFunction, region: str) -> None:
        self.function = function
        self._arn = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{function.name}"
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._to_worker: Connection | None = None
        self._from_worker: Connection | None = None

    def invoke(self, event: dict[str, Any]) -> Any:
        request = {
            "event": event,
            "function_name": self.function.name,
            "function_arn": self._arn,
            "memory_mb": self.function.memory_mb,
            "timeout_s": self.function.timeout_s,
        }
        with self._lock:
            inbox, outbox = self._started()
            try:
                inbox.send_bytes(json.dumps(request).encode())
            except OSError:
                self._discard(kill=True)
                raise InvocationError(f"{self.function.name} exited") from None
            reply = self._receive(outbox, self.function.timeout_s, "timed out")
        if "error" in reply:
            raise InvocationError(f"{self.function.name} raised {reply['error']}\n{reply['frames']}")
        return reply["result"]

    def stop(self) -> None:
        with self._lock:
            self._discard()

    def _started(self) -> tuple[Connection, Connection]:
        if self._process is not None and self._process.poll() is None and self._to_worker and self._from_worker:
            return self._to_worker, self._from_worker
        self._discard()
        worker_in, gateway_out = os.pipe()
        gateway_in, worker_out = os.pipe()
        env = {**os.environ, **self.function.environment}
        command = [sys.executable, "-m", "devtools.local_worker", str(worker_in), str(worker_out)]
        self._process = subprocess.Popen(
            [*command, self.function.handler, self.function.code_dir],
            pass_fds=(worker_in, worker_out),
            env=env,
            cwd=_REPO_ROOT,
        )
        os.close(worker_in)
        os.close(worker_out)
        self._to_worker = Connection(gateway_out, readable=False)
        self._from_worker = Connection(gateway_in, writable=False)
        reply = self._receive(self._from_worker, INIT_TIMEOUT_S, "did not finish init")
        if "error" in reply:
            self._discard()
            raise InvocationError(f"{self.function.name} init raised {reply['error']}\n{reply['frames']}")
        return self._to_worker, self._from_worker

    def _receive(self, outbox: Connection, timeout_s: float, what: str) -> dict[str, Any]:
        try:
            if outbox.poll(timeout_s):
                reply: dict[str, Any] = json.loads(outbox.recv_bytes())
                return reply
        except (EOFError, OSError):
            self._discard()
            raise InvocationError(f"{self.function.name} exited") from None
        self._discard(kill=True)
        raise InvocationError(f"{self.function.name} {what} after {timeout_s} s")

    def _discard(self, *, kill: bool = False) -> None:
        """Closes the pipes (an idle worker exits on EOF) and makes sure the process is gone; `kill` for a busy one."""
        for connection in (self._to_worker, self._from_worker):
            if connection is not None:
                connection.close()
        self._to_worker = self._from_worker = None
        if self._process is not None:
            if kill:
                self._process.kill()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


class FunctionPool:
    """The execution environments of one function: up to `size` workers, each serving one invocation at a time."""

    def __init__(self, function: LocalFunction, region: str, size: int = WORKERS_PER_FUNCTION) -> None:
        if size < 1:
            raise ValueError("a function needs at least one worker")
        self.function = function
        self.size = size
        self._region = region
        self._free = threading.Semaphore(size)
        self._lock = threading.Lock()
        self._idle: list[FunctionWorker] = []
        self._workers: list[FunctionWorker] = []

    @property
    def started(self) -> int:
        """How many execution environments this function has had so far (each one started cold)."""
        with self._lock:
            return len(self._workers)

    def invoke(self, event: dict[str, Any]) -> Any:
        with self._free:
            worker = self._checkout()
            try:
                return worker.invoke(event)
            finally:
                with self._lock:
                    self._idle.append(worker)

    def stop(self) -> None:
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.stop()

    def _checkout(self) -> FunctionWorker:
        """The warmest idle worker, or a new one: the semaphore guarantees fewer than `size` are busy."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            worker = FunctionWorker(self.function, self._region)
            self._workers.append(worker)
            return worker
