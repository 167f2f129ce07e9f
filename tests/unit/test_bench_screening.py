"""The bench's adversarial forms are forms the handler accepts: valid, within the body limit, and filling it."""

from __future__ import annotations

import json
import random

import pytest

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
