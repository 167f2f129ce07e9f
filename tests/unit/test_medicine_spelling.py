"""The misspelling index finds every name within its edit budget: the candidate search is the only way to a name, so
a name it misses is a misspelling never recognised (medicine_spelling.py)."""

from __future__ import annotations

import random

import pytest

from screening.rules.medicine_spelling import (
    MIN_FUZZY_LENGTH,
    SpellingIndex,
    consonant_mask,
    half_edits,
    sound_key,
    vowel_blind,
    within_edits,
)
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


_VOWELS = frozenset("aeiou")


def _closest_by_weighted_distance(word: str) -> tuple[str | None, int]:
    """`closest` as it was first written, without its shortcuts: every name the candidate search and the consonant
    sets let through is compared with the weighted distance, and the fewest half-edits, then the shortest name, then
    the first alphabetically wins."""
    key = sound_key(word)
    if len(key) > INDEX.longest + 2 or len(key) < MIN_FUZZY_LENGTH - 1:
        return None, 0
    if key in INDEX._names:
        return INDEX._names[key][0], 0
    blind = vowel_blind(key)
    consonants = set(key) - _VOWELS
    compared = [
        candidate
        for candidate in INDEX._candidates(blind)
        if abs(len(candidate) - len(key)) <= INDEX._names[candidate][1]
        and len(consonants ^ (set(candidate) - _VOWELS)) <= 2 * INDEX._names[candidate][1]
    ]
    ranked = []
    for candidate in compared:
        name, budget, _, name_blind = INDEX._names[candidate]
        cost = half_edits(key, candidate, budget) if within_edits(blind, name_blind, budget) else None
        if cost is not None:
            ranked.append((cost, len(name), name))
    return (min(ranked)[2] if ranked else None), len(compared)


def _misspellings(rng: random.Random, count: int) -> list[str]:
    """Seeded misspellings of the index's names (one to three edits, vowel slips among them) and random words with
    digits and letters beyond a-z."""
    names = sorted(name for name, *_ in INDEX._names.values())
    words = []
    for _ in range(count):
        word = rng.choice(names)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(word))
            letter = rng.choice("aeiouaeioubcdfklmnprstxz")
            word = rng.choice(
                (word[:at] + letter + word[at + 1 :], word[:at] + letter + word[at:], word[:at] + word[at + 1 :])
            )
        words.append(word)
    words += [
        "".join(rng.choice("aeioubcdklmnrstvxzøłж5") for _ in range(rng.randint(4, 16))) for _ in range(count // 4)
    ]
    return words


def test_the_closest_name_is_the_one_the_weighted_distance_ranks_first() -> None:
    """Plain edits in C decide alone only where they bound the weighted distance (a sole name within its budget, or
    beyond twice it); the consonant bit masks count what the sets counted. Both must leave every answer, and the
    comparisons charged, as they were."""
    words = _misspellings(random.Random("closest"), 4000)
    disagreements = [word for word in words if INDEX.closest(word, 10**6) != _closest_by_weighted_distance(word)]
    assert disagreements == []
    assert sum(INDEX.closest(word, 10**6)[0] is not None for word in words) > 1000


def test_consonant_masks_count_the_consonants_two_keys_do_not_share() -> None:
    rng = random.Random("masks")
    names = list(INDEX._names)
    typed = ["".join(rng.choice("abcdfklmnorstxz5øłж") for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    wrong = [
        (word, name)
        for word, name in zip(typed, rng.choices(names, k=len(typed)), strict=True)
        if (consonant_mask(word) ^ consonant_mask(name)).bit_count() != len((set(word) ^ set(name)) - _VOWELS)
    ]
    assert wrong == []


def test_a_name_beyond_a_z_and_digits_is_refused_by_the_index() -> None:
    """A name in other letters would share a mask bit with typed text and let the consonant count pass too little."""
    with pytest.raises(ValueError, match="a-z and digits"):
        SpellingIndex(["warfarin", "łamotrygina"])
