"""Fixtures of the stress suite, and a terminal summary of the figures its tests measure (load throughput, latency).

Measured figures travel as `user_properties` named `stress:*`, which pytest-xdist carries from its workers to the
controller, so the summary appears in `make test` output without `-s`; tests never assert on them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _pytest.terminal import TerminalReporter

from devtools.gateway import LocalStack
from tests.conftest import reset_cached_clients
from tests.stress.observe import Observed, observing

_FIGURES: list[tuple[str, str]] = []


@pytest.fixture
def observed(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Iterator[Observed]:
    with observing(capsys, caplog) as captured:
        yield captured


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
