"""The invocation's time budget: every DynamoDB and SNS call takes its attempts and timeouts from the time left.

Lambda ends an invocation at its timeout whatever it is doing. An intake written but cut off before its alert or its
answer is the worst outcome (the alert is lost, and the patient, told nothing, sends the form again). So each call
gets the largest plan whose worst case (every attempt timing out, every retry waiting its longest backoff) fits in
the time left, keeping back what the later steps need (the alert, on the intake route); when none fits, the call is
not made and the caller sees the store as unavailable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from screening.clients import new_client

ANSWER_MARGIN_S = 0.5
"""Kept back after the last call, to build and return the answer."""


@dataclass(frozen=True, slots=True)
class CallPlan:
    attempts: int
    connect_timeout: float
    read_timeout: float

    def worst_case(self) -> float:
        """Every attempt waits out both timeouts, and botocore's standard mode sleeps up to min(2**i, 20) s before
        retry i after throttling (botocore.retries.standard)."""
        backoff = sum(min(2.0**i, 20.0) for i in range(self.attempts - 1))
        return self.attempts * (self.connect_timeout + self.read_timeout) + backoff


PLANS = (CallPlan(3, 0.5, 1.0), CallPlan(2, 0.5, 1.0), CallPlan(1, 0.5, 1.0), CallPlan(1, 0.25, 0.5))
"""Worst cases 7.5 s, 4 s, 1.5 s and 0.75 s, tried in this order."""
FULL = PLANS[0]

clock: Callable[[], float] = time.monotonic
_ends_at: ContextVar[float | None] = ContextVar("ends_at", default=None)
_reserve_s: ContextVar[float] = ContextVar("reserve_s", default=0.0)


def start(remaining_ms: int, reserve_s: float = 0.0) -> None:
    """Begin an invocation with `remaining_ms` left; store calls leave `reserve_s` for what follows them."""
    _ends_at.set(clock() + remaining_ms / 1000 - ANSWER_MARGIN_S)
    _reserve_s.set(reserve_s)


def plan(*, keep_reserve: bool) -> CallPlan | None:
    """The largest plan that fits in the time left (less the reserve when `keep_reserve`), or None."""
    ends_at = _ends_at.get()
    if ends_at is None:
        return FULL  # outside an invocation (tools, scripts): no deadline to keep
    left = ends_at - clock() - (_reserve_s.get() if keep_reserve else 0.0)
    return next((candidate for candidate in PLANS if candidate.worst_case() <= left), None)


class PlannedClients:
    """The boto3 clients of one service, one per call plan, each created on first use and kept while warm."""

    def __init__(self, service: str) -> None:
        self._service = service
        self._clients: dict[CallPlan, Any] = {}

    def __call__(self, call_plan: CallPlan = FULL) -> Any:
        client = self._clients.get(call_plan)
        if client is None:
            made = new_client(
                self._service,
                retries={"total_max_attempts": call_plan.attempts, "mode": "standard"},
                connect_timeout=call_plan.connect_timeout,
                read_timeout=call_plan.read_timeout,
                tcp_keepalive=True,
            )
            client = self._clients.setdefault(call_plan, made)
        return client

    def cache_clear(self) -> None:
        self._clients.clear()
