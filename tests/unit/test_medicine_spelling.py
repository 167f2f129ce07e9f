"""The misspelling index finds every name within its edit budget: the candidate search is the only way to a name, so
a name it misses is a misspelling never recognised (medicine_spelling.py)."""

from __future__ import annotations

import random

import pytest

from screening.rules.medicine_spelling import SpellingIndex, within_edits
from screening.rules.medicines import _INDEX

INDEX: SpellingIndex = _INDEX.spelling


def _one_edit(key: str, alphabet: str) -> set[str]:
    """Every string one insert, delete, substitute or neighbour swap away from `key`, with letters of `alphabet`."""
    variants = {key[:i] + key[i + 1 :] for i in range(len(key))}
    variants |= {key[:i] + letter + key[i:] for i in range(len(key) + 1) for letter in alphabet}
    variants |= {key[:i] + letter + key[i + 1 :] for i in range(len(key)) for letter in alphabet}
    variants |= {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(len(key) - 1)}
    return variants


def _names(budget: int) -> list[tuple[str, str]]:
    """(sound key, vowel-blind key) of a seeded sample of names allowed `budget` edits, the shortest keys included."""
    names = sorted((key, blind) for key, (_, allowed, _, blind) in INDEX._names.items() if allowed == budget)
    rng = random.Random(f"spelling-{budget}")
    return sorted(names, key=lambda name: len(name[1]))[:4] + rng.sample(names, 8)


@pytest.mark.parametrize("budget", [1, 2])
def test_every_name_within_its_edit_budget_of_a_typed_key_is_a_candidate(budget: int) -> None:
    missed = []
    for key, blind in _names(budget):
        alphabet = "".join(sorted(set(blind[:2]) | {"x"}))
        variants = _one_edit(blind, alphabet)
        if budget == 2:
            variants = {two for one in variants for two in _one_edit(one, alphabet)}
        missed += [
            (key, typed)
            for typed in variants
            if within_edits(typed, blind, budget) and key not in INDEX._candidates(typed)
        ]
    assert missed == []
