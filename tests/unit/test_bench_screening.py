"""The bench's adversarial forms are forms the handler accepts: valid, within the body limit, and filling it; its warm
figures leave out what a process does once and a neighbour's burst."""

from __future__ import annotations

import itertools
import json
import random
import time
from datetime import date

import pytest

from devtools import bench_screening
from devtools.bench_measure import event
from devtools.bench_screening import MEDICATIONS, STRATEGIES, adversarial_body, received
from screening.contract.intake import MAX_BODY_BYTES, IntakeForm

ESCAPE = 6
"""Bytes of one \\u escape: a body closer than this to the limit has no room for another."""


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_adversarial_bodies_fill_the_body_limit_and_validate(strategy: str) -> None:
    for seed in range(3):
        body = adversarial_body(strategy, seed)
        size = len(body.encode())
        assert MAX_BODY_BYTES - ESCAPE < size <= MAX_BODY_BYTES, (strategy, seed, size)
        form = IntakeForm.model_validate_json(body, context=received())
        assert len(form.medications) == MEDICATIONS
        assert all(m.dose for m in form.medications)


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_the_escapes_change_how_the_texts_are_written_never_what_they_say(strategy: str) -> None:
    rng = random.Random(f"{strategy}/0")
    texts = [dict(zip(("name", "dose"), STRATEGIES[strategy](rng), strict=True)) for _ in range(MEDICATIONS)]
    body = adversarial_body(strategy, 0)
    assert body.count("\\u") > 1000
    assert json.loads(body)["medications"] == texts


def _burn_cpu(milliseconds: float) -> None:
    end = time.process_time_ns() + milliseconds * 1e6
    while time.process_time_ns() < end:
        pass


def _screen_slow_on(slow_calls: range, monkeypatch: pytest.MonkeyPatch) -> None:
    """bench_screening's screen, made to spend 10 ms of CPU on the calls numbered `slow_calls` (from 0)."""
    calls = itertools.count()

    def screen(form: IntakeForm, today: date) -> None:
        if next(calls) in slow_calls:
            _burn_cpu(10)

    monkeypatch.setattr(bench_screening, "screen", screen)


def _warm_cpu(rounds: int) -> float:
    [((cpu, _), _, _)] = bench_screening._warm_micros(
        [[event("intake-clear")["body"]]], rounds, bench_screening._validated_and_screened
    )
    return cpu


def test_the_warm_figures_leave_out_the_first_round(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_screening, "BATCHES", 1)  # one batch: its mean is the figure
    _screen_slow_on(range(1), monkeypatch)
    assert _warm_cpu(rounds=10) < 500  # the 10 ms first call among the ten timed would add 1,000 µs a form


def test_one_slow_batch_does_not_move_the_warm_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_screening, "BATCHES", 10)
    _screen_slow_on(range(1, 11), monkeypatch)  # the whole first of ten batches of ten (call 0 is the warm-up)
    assert _warm_cpu(rounds=100) < 50  # in a mean of the ten batches, the slow one alone would add 100 µs a form


def test_the_groups_batches_alternate(monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow stretch of time slows a batch of each figure, not all the batches of one."""
    monkeypatch.setattr(bench_screening, "BATCHES", 3)
    order: list[int] = []
    monkeypatch.setattr(bench_screening, "screen", lambda form, today: order.append(form.patient.date_of_birth.year))
    clear = json.loads(event("intake-clear")["body"])
    bodies = [
        json.dumps(clear | {"patient": clear["patient"] | {"date_of_birth": f"{year}-01-01"}}) for year in (1960, 1970)
    ]
    bench_screening._warm_micros([[bodies[0]], [bodies[1]]], 3, bench_screening._validated_and_screened)
    assert order == [1960, 1970] + [1960, 1970] * 3


def test_the_bench_reports_each_budget_of_the_screening_and_the_duplicate_key_check() -> None:
    rows = bench_screening.measurements(rounds=30, forms=1)
    budgets = {what.split(" (")[0]: budget for what, _, budget in rows}
    assert budgets == {
        "validate + screen, 3 event forms": 50,
        "validate + screen, 3 forms loaded with 10 medicines": 100,
        "validate + screen, worst adversarial form": 2000,
        **{f"  adversarial: {strategy}".split(" (")[0]: 2000 for strategy in STRATEGIES},
        "duplicate-key check, 3 event forms": 30,
        "duplicate-key check, 3 forms loaded with 10 medicines": 30,
        "duplicate-key check, adversarial bodies of 64 KB": None,
    }
    assert all(cpu > 0 and wall > 0 for _, (cpu, wall), _ in rows)
