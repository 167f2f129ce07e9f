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


def _first_difference(typed: str, name: str) -> int:
    for position, (left, right) in enumerate(zip(typed, name, strict=False)):
        if left != right:
            return position
    return min(len(typed), len(name))


def _within_one_edit(typed: str, name: str) -> bool:
    surplus = len(typed) - len(name)
    if surplus > 1 or surplus < -1:
        return False
    start = _first_difference(typed, name)
    if surplus == 1:
        return typed[start + 1 :] == name[start:]
    if surplus == -1:
        return typed[start:] == name[start + 1 :]
    return typed[start + 1 :] == name[start + 1 :] or (
        typed[start + 1 : start + 2] == name[start : start + 1]
        and typed[start : start + 1] == name[start + 1 : start + 2]
        and typed[start + 2 :] == name[start + 2 :]
    )


def _oracle(typed: str, name: str, budget: int) -> bool:
    """The pure-Python check rapidfuzz replaced: some edit must happen at the first difference, so each edit is tried
    there and the rest compared whole (optimal string alignment: no letter is edited twice)."""
    if typed == name or _within_one_edit(typed, name):
        return True
    if budget < 2 or abs(len(typed) - len(name)) > 2:
        return False
    start = _first_difference(typed, name)
    typed, name = typed[start:], name[start:]
    return (
        _within_one_edit(typed[1:], name[1:])
        or _within_one_edit(typed[1:], name)
        or _within_one_edit(typed, name[1:])
        or (typed[1:2] == name[:1] and typed[:1] == name[1:2] and _within_one_edit(typed[2:], name[2:]))
    )


def _edited(rng: random.Random, word: str, alphabet: str) -> str:
    letters = list(word)
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(letters) + 1)
        match rng.randrange(4):
            case 0:
                letters.insert(at, rng.choice(alphabet))
            case 1 if at < len(letters):
                del letters[at]
            case 2 if at < len(letters):
                letters[at] = rng.choice(alphabet)
            case 3 if at + 1 < len(letters):
                letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


@pytest.mark.parametrize("alphabet", ["ab", "abc", "bdfgklmnprstvxa"])
def test_the_plain_edit_check_agrees_with_the_optimal_string_alignment_oracle(alphabet: str) -> None:
    """Seeded near pairs over small alphabets (where swaps, repeats and double edits collide), both budgets."""
    rng = random.Random(f"osa-{alphabet}")
    disagreements = []
    for _ in range(20_000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 14)))
        typed = _edited(rng, name, alphabet)
        disagreements += [
            (typed, name, budget)
            for budget in (1, 2)
            if within_edits(typed, name, budget) is not _oracle(typed, name, budget)
        ]
    assert disagreements == []


@pytest.mark.parametrize(
    ("typed", "name", "budget", "expected"),
    [
        ("warfarin", "warfarin", 1, True),
        ("wafarin", "warfarin", 1, True),  # a letter left out
        ("qarfarin", "warfarin", 1, True),  # the first letter
        ("wrafarin", "warfarin", 1, True),  # two neighbours swapped: one edit
        ("wrafrain", "warfarin", 1, False),
        ("wrafrain", "warfarin", 2, True),
        ("ca", "abc", 2, False),  # optimal string alignment: the swapped pair is not edited again
        ("metformin", "warfarin", 2, False),
    ],
)
def test_plain_edits_count_as_the_spelling_rules_say(typed: str, name: str, budget: int, expected: bool) -> None:
    assert within_edits(typed, name, budget) is expected
