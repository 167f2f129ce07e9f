"""Browser-test fixtures: the local stack as a subprocess (as `make run` starts it) and Debian's Chromium.

Each test module gets a fresh stack, so its embedded DynamoDB starts empty and queue-order assertions hold.
Playwright's own browser download does not work here: Chromium comes from `scripts/install-browser.sh`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect, sync_playwright

from tests.browser.api import LocalApi
from tests.conftest import DynamoDbBackend

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 15_000
"""For actions and for expect() alike: a loaded shared 2-core machine can take longer than Playwright's 5 s."""
expect.set_options(timeout=PAGE_TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stack_environment(port: int, backend: DynamoDbBackend) -> dict[str, str]:
    """This environment without any AWS endpoint or table override, so the stack uses its own embedded moto, for
    DynamoDB too unless the backend is dynalite."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_ENDPOINT_URL") and name not in ("TABLE_NAME", "AWS_PROFILE")
    }
    environment["PORT"] = str(port)
    if backend.endpoint_url:
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = backend.endpoint_url
    return environment


def _wait_until_serving(process: subprocess.Popen[bytes], base_url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the local stack exited with {process.returncode} before serving")
        try:
            with urllib.request.urlopen(f"{base_url}/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"the local stack did not serve {base_url}/ within {STARTUP_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, dynamodb_backend: DynamoDbBackend) -> Iterator[LocalApi]:
    """`python -m devtools.gateway` on a free port with a fresh DB (embedded moto, or an empty dynalite); its output
    goes to a log file."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("stack") / "gateway.log"
    with log_path.open("wb") as log, pytest.MonkeyPatch.context() as monkeypatch:
        dynamodb_backend.use(monkeypatch)
        process = subprocess.Popen(
            [sys.executable, "-m", "devtools.gateway"],
            cwd=ROOT,
            env=_stack_environment(port, dynamodb_backend),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            try:
                _wait_until_serving(process, base_url)
            except RuntimeError as error:
                raise RuntimeError(f"{error}; its log:\n{log_path.read_text(errors='replace')}") from error
            yield LocalApi(base_url, _practitioner_token())
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _practitioner_token() -> str:
    """What `make token` prints: the documented way a practitioner gets a local token."""
    result = subprocess.run(
        [sys.executable, "-m", "devtools.jwt_token"], cwd=ROOT, check=True, capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian Chromium is missing: run scripts/install-browser.sh (make browser-tools)")
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile per test (no storage carried over); any script error fails the test."""
    context = browser.new_context(
        locale="en-US", timezone_id="America/New_York", viewport={"width": 1024, "height": 900}
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    opened = context.new_page()
    script_errors: list[str] = []
    opened.on("pageerror", lambda error: script_errors.append(str(error)))

    def on_console(message: ConsoleMessage) -> None:
        # Failed API calls (4xx) are logged by Chromium as console errors; those are expected in some tests.
        if message.type == "error" and "Failed to load resource" not in message.text:
            script_errors.append(message.text)

    opened.on("console", on_console)
    yield opened
    context.close()
    assert script_errors == [], f"script errors on the page: {script_errors}"
