"""dynalite, a second DynamoDB implementation (Node, in memory), as the tests run it: started on a free loopback
port, waited for until it answers, stopped at the end. scripts/install-dynalite.sh installs it (`make test` runs it).

Unlike moto's in-process backend, dynalite serialises writes per key, so a conditional write that races another
is decided as DynamoDB decides it; that is what the concurrency assertions rely on.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

CLI = Path(__file__).resolve().parents[1] / ".tools" / "dynalite" / "node_modules" / "dynalite" / "cli.js"
START_TIMEOUT_S = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Dynalite:
    """One dynalite process; tables are created at once (no CREATING delay) and live in memory."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> Dynalite:
        node = shutil.which("node")
        if node is None or not CLI.is_file():
            raise RuntimeError("dynalite is not installed: run scripts/install-dynalite.sh (make test does)")
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        instant = ["--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"]
        self._process = subprocess.Popen(
            [node, str(CLI), "--host", "127.0.0.1", "--port", str(port), *instant],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                self.client().list_tables()
                return self
            except Exception:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    errors = self._process.stderr.read().decode() if self._process.poll() is not None else ""
                    self.stop()
                    raise RuntimeError(f"dynalite did not start on {self.url}: {errors}") from None
                time.sleep(0.1)

    def client(self) -> Any:
        config = Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=10)
        return boto3.client("dynamodb", endpoint_url=self.url, region_name="us-east-1", config=config)

    def drop_tables(self) -> None:
        """Every table goes: each test (or stack) starts on an empty endpoint, as it does on a fresh moto."""
        client = self.client()
        for name in client.list_tables()["TableNames"]:
            client.delete_table(TableName=name)
            client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 0.05})

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stderr is not None:
                self._process.stderr.close()
            self._process = None
