"""Misspellings of lexicon names: sound-alike keys, a small deletion index and a bounded weighted edit distance.

Spellings that sound alike are one: "ph" is "f", "c", "k", "q" are one letter, "x" and "z" are one, "y" is "i" and a
doubled letter is one letter (`sound_key`: "Zarelto" is "Xarelto", "klopidogrell" is "clopidogrel"). Towards a name of
5 to 7 letters one edit of that key is allowed (insert, delete, substitute, swap two neighbours), anywhere including
the first letter; towards a name of 8 letters or more, two. A vowel written for another vowel is half an edit
("xeralto" is Xarelto). Shorter names are never corrected.

Candidates come from deletion indexes of the keys with every vowel written as one ("vowel-blind"), so vowel slips cost
no lookup: a name allowing one edit is indexed under its key with up to one letter deleted; a name allowing two is
indexed by each half of its key with up to one letter deleted, since two edits leave one half with at most one. A
typed word looks up its own deletions (its halves split at the three points around its middle), so every name within
reach is found by dictionary lookups. A test of consonants (bit masks) discards most; the rest are checked with plain
edits of their vowel-blind keys, then of their sound keys, which bound the weighted distance (each plain edit is one or
two half-edits): a name alone within its budget in plain edits needs no weighted distance, and only names between the
two bounds, or several to rank, are measured with it (pure Python, 25-75 µs a pair on the loaded machine). Answers
and the comparisons charged are those of measuring every candidate, as a test checks. The indexes are built on the
first misspelling a process sees, not at import.

The plain-edit check runs in rapidfuzz (`OSA.distance` with a cutoff; MIT licence, wheels for arm64 Lambda), the
weighted one here. A comparison costs about 0.25 µs there against 1-11 µs for the pure-Python check it replaces; counted
in instructions (callgrind, 2026-12-03, with the phrase-head skip of medicines.py), the bench's seeded near-miss forms
need 12% less work, phrase heads 11% less, forms loaded with 10 medicines 21% less. The two agree on 1.2 million seeded
pairs, and tests/unit/test_medicine_spelling.py keeps the pure-Python check as the oracle. Its candidate search stays
this index's: `process.extract` over the 814 single-word names costs about 45 µs a look-up whatever the word, no less
than the deletion indexes, and knows neither the sound-alike keys nor the half cost of vowel slips. Building the indexes
costs 10-16 ms, once per process.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

MIN_FUZZY_LENGTH = 5
TWO_EDIT_LENGTH = 8
_SOUNDS = str.maketrans("ckqzy", "kkkxi")
_VOWELS = str.maketrans("eiou", "aaaa")
_VOWEL_LETTERS = frozenset("aeiou")
_DOUBLES = re.compile(r"(.)\1+")


def _collapse(key: str) -> str:
    return _DOUBLES.sub(r"\1", key)


def sound_key(word: str) -> str:
    """The word as it sounds: ph -> f, c/k/q -> k, x/z -> x, y -> i, doubled letters once."""
    return _collapse(word.replace("ph", "f").translate(_SOUNDS))


def vowel_blind(key: str) -> str:
    """A sound key with every vowel written as "a" (doubles collapsed again): what the indexes are keyed by."""
    return _collapse(key.translate(_VOWELS))


def edit_budget(name_length: int) -> int:
    """Edits allowed towards a name of this many letters: none under 5, one for 5-7, two from 8."""
    if name_length < MIN_FUZZY_LENGTH:
        return 0
    return 1 if name_length < TWO_EDIT_LENGTH else 2


def _deletions(key: str) -> list[str]:
    """The key with one letter deleted, and the key (a list comprehension: the cheapest way to build them)."""
    deleted = [key[:i] + key[i + 1 :] for i in range(len(key))]
    deleted.append(key)
    return deleted


def half_edits(typed: str, name: str, budget: int) -> int | None:
    """Half-edits from `typed` to `name` if within `budget` edits, else None: optimal string alignment (insert, delete,
    substitute, swap neighbours at 2 half-edits each), a vowel for another vowel costing 1. A table over the band
    of `budget` cells either side of the diagonal (no path outside it stays within the budget), stopping as soon as a
    whole row is over."""
    limit = 2 * budget
    if abs(len(typed) - len(name)) > budget:
        return None
    width = len(name)
    far = limit + 1
    before: list[int] = []
    previous = [2 * j if 2 * j <= limit else far for j in range(width + 1)]
    for i in range(1, len(typed) + 1):
        letter = typed[i - 1]
        current = [far] * (width + 1)
        if 2 * i <= limit:
            current[0] = 2 * i
        row_best = current[0]
        for j in range(max(1, i - budget), min(width, i + budget) + 1):
            other = name[j - 1]
            if letter == other:
                cost = previous[j - 1]
            else:
                cost = min(
                    previous[j - 1] + (1 if letter in _VOWEL_LETTERS and other in _VOWEL_LETTERS else 2),
                    previous[j] + 2,
                    current[j - 1] + 2,
                )
                if i > 1 and j > 1 and letter == name[j - 2] and typed[i - 2] == other:
                    cost = min(cost, before[j - 2] + 2)
            current[j] = min(cost, far)
            row_best = min(row_best, current[j])
        if row_best > limit:
            return None
        before, previous = previous, current
    return previous[width] if previous[width] <= limit else None


@cache
def _osa_distance() -> Callable[..., int]:
    """rapidfuzz's optimal string alignment distance, imported on the first misspelling a process meets (about 40 ms
    of CPU, with the indexes' 10-16 ms) rather than at cold start."""
    from rapidfuzz.distance import OSA  # noqa: PLC0415

    return OSA.distance


def within_edits(typed: str, name: str, budget: int) -> bool:
    """True when at most `budget` plain edits (insert, delete, substitute, swap two neighbours; optimal string
    alignment) turn `typed` into `name`. The cutoff stops rapidfuzz's count once it is over the budget."""
    return typed == name or _osa_distance()(typed, name, score_cutoff=budget) <= budget


_Entry = tuple[str, int, int, str]
"""A name's entry in the index, by its sound key: (the name, its edit budget, the key's consonants as a bit mask, its
vowel-blind key)."""


_BITS = {character: 1 << bit for bit, character in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}
"""The bits of the characters names are written in (SpellingIndex checks its names use no others)."""


def consonant_mask(key: str) -> int:
    """The consonants of a sound key as bits: two keys' differing consonants are the bits of their exclusive or,
    counted in C (a set built per candidate costs several times more). A character names never hold takes a bit of
    its own beyond theirs, so the count is exactly that of the sets."""
    mask = 0
    other = len(_BITS)
    for character in set(key) - _VOWEL_LETTERS:
        bit = _BITS.get(character)
        if bit is None:
            bit = 1 << other
            other += 1
        mask |= bit
    return mask


def _survivors(key: str, blind: str, compared: list[tuple[str, _Entry]]) -> list[tuple[int, str, str, int]]:
    """Of the compared (sound key, entry): those whose vowel-blind key is within the budget in plain edits (vowel slips
    vanish there, so this must hold) and whose sound key is within twice the budget, the most half-edits allow, as
    (plain edits of the sound keys, name, key, budget): the bounds the module docstring describes."""
    distance = _osa_distance()
    survivors = []
    for candidate, (name, budget, _, name_blind) in compared:
        if within_edits(blind, name_blind, budget):
            plain = distance(key, candidate, score_cutoff=2 * budget)
            if plain <= 2 * budget:
                survivors.append((plain, name, candidate, budget))
    return survivors


class SpellingIndex:
    """The lexicon's single-word names of 5 letters or more, reachable by their misspellings."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names: dict[str, _Entry] = {}
        """Sound key -> (the shortest, then first, name that sounds so, its edit budget, the key's consonant mask, the
        key's vowel-blind form)."""
        for name in sorted(names, key=lambda n: (len(n), n)):
            if len(name) >= MIN_FUZZY_LENGTH:
                key = sound_key(name)
                if not set(key) <= _BITS.keys():
                    raise ValueError(
                        f"a name for the misspelling search must be written in letters a-z and digits: {name!r}"
                    )
                if key not in self._names:
                    self._names[key] = (name, edit_budget(len(name)), consonant_mask(key), vowel_blind(key))
        self._one: dict[str, set[str]] = {}
        self._prefix: dict[str, set[str]] = {}
        self._suffix: dict[str, set[str]] = {}
        self.longest = max((len(key) for key in self._names), default=0)
        for key, (_, budget, _, blind) in self._names.items():
            if budget == 1:
                for deleted in _deletions(blind):
                    self._one.setdefault(deleted, set()).add(key)
            else:
                middle = len(blind) // 2
                for deleted in _deletions(blind[:middle]):
                    self._prefix.setdefault(deleted, set()).add(key)
                for deleted in _deletions(blind[middle:]):
                    self._suffix.setdefault(deleted, set()).add(key)

    def closest(self, word: str, allowance: int) -> tuple[str | None, int]:
        """The name this word misspells, if any (the fewest half-edits, then the shortest name, then alphabetical),
        and how many names it had to be compared with: the work the reader's budget counts. When that is more than
        `allowance`, none is compared and the name is None."""
        key = sound_key(word)
        if len(key) > self.longest + 2 or len(key) < MIN_FUZZY_LENGTH - 1:
            return None, 0
        exact = self._names.get(key)
        if exact:
            return exact[0], 0
        consonants = consonant_mask(key)
        blind = vowel_blind(key)
        names = self._names
        size = len(key)
        # An edit adds or removes at most one consonant on each side: a test of the masks discards most candidates.
        compared = [
            (candidate, entry)
            for candidate in self._candidates(blind)
            if abs(len(candidate) - size) <= (entry := names[candidate])[1]
            and (consonants ^ entry[2]).bit_count() <= 2 * entry[1]
        ]
        if len(compared) > allowance:
            return None, len(compared)
        survivors = _survivors(key, blind, compared)
        if len(survivors) == 1:
            plain, name, _, budget = survivors[0]
            if plain <= budget:
                return name, len(compared)  # the only name in reach, surely within its budget: no ranking
        best: tuple[int, int, str] | None = None
        for _, name, candidate, budget in survivors:
            cost = half_edits(key, candidate, budget)
            if cost is not None and (best is None or (cost, len(name), name) < best):
                best = (cost, len(name), name)
        return (best[2] if best else None), len(compared)

    def _candidates(self, blind: str) -> set[str]:
        """The names indexed under a deletion of this key (one-edit names) or of one of its halves (two-edit names),
        the halves split at the three points around its middle (an edit before the middle moves it by one, and a
        deletion on either side absorbs that): sets of deletions intersected with the indexes in C."""
        middle = len(blind) // 2
        splits = range(max(1, middle - 1), min(len(blind), middle + 2))
        heads: set[str] = set()
        tails: set[str] = set()
        for split in splits:
            heads.update(_deletions(blind[:split]))
            tails.update(_deletions(blind[split:]))
        return set().union(
            *(self._one[key] for key in self._one.keys() & _deletions(blind)),
            *(self._prefix[key] for key in self._prefix.keys() & heads),
            *(self._suffix[key] for key in self._suffix.keys() & tails),
        )
