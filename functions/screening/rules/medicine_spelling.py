"""Misspellings of lexicon names: sound-alike keys, a small deletion index and a bounded weighted edit distance.

Spellings that sound alike are one: "ph" is "f", "c", "k", "q" are one letter, "x" and "z" are one, "y" is "i" and a
doubled letter is one letter (`sound_key`: "Zarelto" is "Xarelto", "klopidogrell" is "clopidogrel"). Towards a name of
5 to 7 letters one edit of that key is allowed (insert, delete, substitute, swap two neighbours), anywhere including
the first letter; towards a name of 8 letters or more, two. A vowel written for another vowel is half an edit
("xeralto" is Xarelto). Shorter names are never corrected.

Candidates come from deletion indexes of the keys with every vowel written as one ("vowel-blind"), so vowel slips cost
no lookup: a name allowing one edit is indexed under its key with up to one letter deleted; a name allowing two is
indexed by each half of its key with up to one letter deleted, since two edits leave one half with at most one. A
typed word looks up its own deletions (one half window at each split point near its middle), so every name within
reach is found by dictionary lookups, and only those few are checked with the exact distance. The indexes are built
on the first misspelling a process sees, not at import.

Measured on this machine (CPython 3.12, 2 shared cores, the lexicon of medicines.json): building the indexes ~8 ms,
once; a look-up of a 12-letter unknown word ~15 µs, of a 30-letter one ~30 µs (words whose key is longer than the
longest name's plus 2 are never tried). rapidfuzz 3.14 (`process.extractOne`, OSA distance with a cutoff, over the
same names) imports in ~9 ms and compares every name on each look-up (~60 µs): the index is faster, exact about the
spec's sound-alike and vowel rules, and needs no native wheel in the Lambda artifact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

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
    """The key and the key with one letter deleted."""
    return [key, *(key[:i] + key[i + 1 :] for i in range(len(key)))]


def half_edits(typed: str, name: str, budget: int) -> int | None:
    """Half-edits from `typed` to `name` if within `budget` edits, else None: optimal string alignment (insert, delete,
    substitute, swap neighbours at 2 half-edits each), a vowel for another vowel costing 1.

    The common start and end are cut off, and some edit must happen at the first difference, so each edit is tried
    there and the rest compared the same way (remembered, so no pair of rests is compared twice): with a budget of at
    most 4 half-edits an unrelated word costs a few slice comparisons, never a full distance table.
    """
    seen: dict[tuple[str, str, int], int | None] = {}

    def cost(typed: str, name: str, limit: int) -> int | None:
        known = (typed, name, limit)
        if known not in seen:
            seen[known] = _cost(typed, name, limit, cost)
        return seen[known]

    return cost(typed, name, 2 * budget)


def _cost(typed: str, name: str, limit: int, rest: Callable[[str, str, int], int | None]) -> int | None:
    start = 0
    shortest = min(len(typed), len(name))
    while start < shortest and typed[start] == name[start]:
        start += 1
    end = 0
    while end < shortest - start and typed[-1 - end] == name[-1 - end]:
        end += 1
    typed, name = typed[start : len(typed) - end], name[start : len(name) - end]
    if not typed and not name:
        return 0
    if 2 * abs(len(typed) - len(name)) > limit or limit < 1:
        return None
    options: list[tuple[int, str, str]] = []
    if typed and name:
        options.append((1 if typed[0] in _VOWEL_LETTERS and name[0] in _VOWEL_LETTERS else 2, typed[1:], name[1:]))
        if len(typed) > 1 and len(name) > 1 and typed[0] == name[1] and typed[1] == name[0]:
            options.append((2, typed[2:], name[2:]))
    if typed:
        options.append((2, typed[1:], name))
    if name:
        options.append((2, typed, name[1:]))
    best: int | None = None
    for step, typed_rest, name_rest in options:
        allowed = (limit if best is None else min(limit, best - 1)) - step
        if allowed < 0:
            continue
        found = rest(typed_rest, name_rest, allowed)
        if found is not None:
            best = step + found
    return best


class SpellingIndex:
    """The lexicon's single-word names of 5 letters or more, reachable by their misspellings."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names: dict[str, tuple[str, int, frozenset[str]]] = {}
        """Sound key -> (the shortest, then first, name that sounds so, its edit budget, the key's consonants)."""
        for name in sorted(names, key=lambda n: (len(n), n)):
            if len(name) >= MIN_FUZZY_LENGTH:
                key = sound_key(name)
                self._names.setdefault(key, (name, edit_budget(len(name)), frozenset(key) - _VOWEL_LETTERS))
        self._one: dict[str, set[str]] = {}
        self._prefix: dict[str, set[str]] = {}
        self._suffix: dict[str, set[str]] = {}
        self.longest = max((len(key) for key in self._names), default=0)
        for key, (_, budget, _) in self._names.items():
            blind = vowel_blind(key)
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
        consonants = frozenset(key) - _VOWEL_LETTERS
        compared: list[tuple[str, str, int]] = []
        for candidate in self._candidates(vowel_blind(key)):
            name, budget, name_consonants = self._names[candidate]
            # An edit adds or removes at most one consonant on each side: a set test discards most candidates.
            if abs(len(candidate) - len(key)) <= budget and len(consonants ^ name_consonants) <= 2 * budget:
                compared.append((candidate, name, budget))
        if len(compared) > allowance:
            return None, len(compared)
        best: tuple[int, int, str] | None = None
        for candidate, name, budget in compared:
            cost = half_edits(key, candidate, budget)
            if cost is not None and (best is None or (cost, len(name), name) < best):
                best = (cost, len(name), name)
        return (best[2] if best else None), len(compared)

    def _candidates(self, blind: str) -> set[str]:
        one, prefix, suffix = self._one, self._prefix, self._suffix
        found: set[str] = set()
        for deleted in _deletions(blind):
            hit = one.get(deleted)
            if hit:
                found |= hit
        middle = len(blind) // 2
        for split in range(max(1, middle - 2), min(len(blind), middle + 3)):
            for deleted in _deletions(blind[:split]):
                hit = prefix.get(deleted)
                if hit:
                    found |= hit
            for deleted in _deletions(blind[split:]):
                hit = suffix.get(deleted)
                if hit:
                    found |= hit
        return found
