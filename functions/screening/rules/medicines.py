"""Recognise the medicines that change a screening in the medication list patients type, by WHO ATC class.

Patients write "Eliquis 5mg twice a day", "warfrin", "baby aspirin 81mg": the text is cut into words (any case; digits
split words, so doses, routes and frequencies fall away), each word or phrase is looked up whole in the lexicon, so a
name inside another word never counts. Only a word with no exact hit that is neither a known other medicine nor a
common word is tried as a misspelling, of a name with the same first letter (patients misspell the middle of a name,
rarely its start): none under 5 letters, one edit for 5-7 letters and two from 8 (insert, delete, substitute, or swap
two neighbours, an optimal-string-alignment distance), or vowels written for other vowels, each counting as half an
edit ("xeralto" is Xarelto). Candidates come from tables built once at import, keyed by first letter and length and
by the vowel-blind form of each name; two set tests (letters, letter pairs) discard most of them, and the distance is
bounded: it tries each edit only at the first difference, so an unrelated word costs a few comparisons. Exact words
cost a dictionary lookup each; an unknown word costs a few microseconds and is remembered.

The standard library is enough for a lexicon of a few hundred names; a native library such as rapidfuzz would add an
arm64 wheel to the Lambda build and its import to every cold start, for no gain at this size.

The lexicon is medicines.json (its "_about" says what each part means). Drugs marked `local_forms` are not matched
when a local route is written next to them (cream, eye drops, inhaler, nasal spray, in the name or the dose): those
forms act where applied and belong to other ATC classes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypedDict, get_args

from screening.contract.intake import Medication

MedicineGroup = Literal[
    "antithrombotic", "immunosuppressant", "antineoplastic", "systemic_corticosteroid", "nsaid", "ssri"
]


@dataclass(frozen=True, slots=True)
class MedicineMatch:
    """One recognised drug in one written medication; a combination product gives one match per component."""

    index: int
    text: str
    drug: str
    atc_code: str
    atc_class: str
    group: MedicineGroup


@dataclass(frozen=True, slots=True)
class _Drug:
    drug: str
    atc_code: str
    atc_class: str
    group: MedicineGroup
    local_forms: bool


class _DrugEntry(TypedDict, total=False):
    drug: str
    atc_code: str
    names: list[str]
    local_forms: bool


class _ClassEntry(TypedDict):
    name: str
    group: str
    drugs: list[_DrugEntry]


class _Combination(TypedDict):
    names: list[str]
    atc_codes: list[str]


class _LocalRoutes(TypedDict):
    forms: list[str]
    drops: list[str]
    drop_sites: list[str]


class _Negation(TypedDict):
    after: list[str]
    before: list[str]


class _Lexicon(TypedDict):
    classes: dict[str, _ClassEntry]
    combinations: list[_Combination]
    local_routes: _LocalRoutes
    negation: _Negation
    separators: list[str]
    known_words: list[str]


LEXICON_PATH = Path(__file__).with_name("medicines.json")
_GROUPS: dict[str, MedicineGroup] = {group: group for group in get_args(MedicineGroup)}
_WORD = re.compile(r"[^\W\d_]+|[,;/+&]")
"""Runs of letters (any script) and the punctuation that separates two medicines; digits split words ("Xarelto20mg")."""
_ASCII_WORD = re.compile(r"[a-z]+|[,;/+&]")
"""The same for lower-case ASCII text, which most lists are: a third faster."""
_SEPARATOR_MARKS = frozenset(",;/+&")
_VOWELS = "aeiouy"
_MIN_FUZZY_LENGTH = 5
_TWO_EDIT_LENGTH = 8
_REMEMBERED_WORDS = 4096


def _words(text: str) -> list[str]:
    lower = text.lower()
    return (_ASCII_WORD if lower.isascii() else _WORD).findall(lower)


def _edit_budget(length: int) -> int:
    """Edits allowed in a word of this length: none under 5 letters, 1 for 5-7, 2 from 8."""
    if length < _MIN_FUZZY_LENGTH:
        return 0
    return 1 if length < _TWO_EDIT_LENGTH else 2


def _vowel_blind(word: str) -> str:
    """The word with every vowel after the first letter replaced by one symbol: "xeralto" and "xarelto" agree."""
    blind = word[1:]
    for vowel in _VOWELS:
        blind = blind.replace(vowel, "*")
    return word[0] + blind


def _letter_pairs(word: str) -> frozenset[str]:
    return frozenset([word[i : i + 2] for i in range(len(word) - 1)])


def _first_difference(typed: str, name: str) -> int:
    for position, (left, right) in enumerate(zip(typed, name, strict=False)):
        if left != right:
            return position
    return min(len(typed), len(name))


def _within_one_edit(typed: str, name: str) -> bool:
    """True when at most one edit (insert, delete, substitute, swap neighbours) turns `typed` into `name`."""
    surplus = len(typed) - len(name)
    if surplus > 1 or surplus < -1:
        return False
    start = _first_difference(typed, name)
    if surplus == 1:
        return typed[start + 1 :] == name[start:]
    if surplus == -1:
        return typed[start:] == name[start + 1 :]
    return typed[start + 1 :] == name[start + 1 :] or (
        typed[start + 1 : start + 2] == name[start]
        and typed[start] == name[start + 1]
        and typed[start + 2 :] == name[start + 2 :]
    )


def _edits_within(typed: str, name: str, budget: int) -> int | None:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours) of two different words if at
    most `budget` (1 or 2), else None.

    Some edit must happen at the first difference, so each edit is tried there and the rests compared whole: an
    unrelated word costs a few slice comparisons, never a full distance table.
    """
    if _within_one_edit(typed, name):
        return 1
    if budget < 2 or abs(len(typed) - len(name)) > 2:
        return None
    start = _first_difference(typed, name)
    typed, name = typed[start:], name[start:]
    if (
        _within_one_edit(typed[1:], name[1:])
        or _within_one_edit(typed[1:], name)
        or _within_one_edit(typed, name[1:])
        or (typed[1:2] == name[:1] and typed[:1] == name[1:2] and _within_one_edit(typed[2:], name[2:]))
    ):
        return 2
    return None


class _Index:
    """The lexicon as lookup tables: exact names, phrase heads, misspelling candidates, route and negation words."""

    def __init__(self, lexicon: _Lexicon) -> None:
        self.names: dict[str, tuple[_Drug, ...]] = {}
        by_code: dict[str, _Drug] = {}
        for atc_class, entry in lexicon["classes"].items():
            group = _GROUPS[entry["group"]]
            for item in entry["drugs"]:
                drug = _Drug(item["drug"], item["atc_code"], atc_class, group, item.get("local_forms", False))
                if not drug.atc_code.startswith(atc_class) or drug.atc_code in by_code:
                    raise ValueError(f"medicines.json: ATC code {drug.atc_code} is outside its class or repeated")
                by_code[drug.atc_code] = drug
                self._add(item["names"], (drug,))
        for combination in lexicon["combinations"]:
            self._add(combination["names"], tuple(by_code[code] for code in combination["atc_codes"]))
        routes = lexicon["local_routes"]
        self.local_forms = frozenset(routes["forms"])
        self.drops = frozenset(routes["drops"])
        self.drop_sites = frozenset(routes["drop_sites"])
        self.negate_after = frozenset(lexicon["negation"]["after"])
        self.negate_before = frozenset(lexicon["negation"]["before"])
        self.separators = _SEPARATOR_MARKS | frozenset(lexicon["separators"])
        self.plain_words = frozenset(lexicon["known_words"]) | self.local_forms | self.drops | self.drop_sites
        if not self.plain_words.isdisjoint(self.names):
            raise ValueError("medicines.json: a known or route word is also a lexicon name")
        self.closest = lru_cache(maxsize=_REMEMBERED_WORDS)(self._closest)
        """`_closest`, remembered: a warm function sees the same unknown words (other medicines) again and again."""
        self.phrase_widths: dict[str, int] = {}
        self.vowel_blind: dict[str, list[str]] = {}
        self.similar: dict[tuple[str, int], list[tuple[str, int, frozenset[str], frozenset[str]]]] = {}
        """(first letter, typed length) -> (name, edit budget, letters, letter pairs) of each name within reach."""
        for name in self.names:
            words = name.split()
            if len(words) > 1:
                self.phrase_widths[words[0]] = max(len(words), self.phrase_widths.get(words[0], 0))
            elif len(name) >= _MIN_FUZZY_LENGTH:
                self.vowel_blind.setdefault(_vowel_blind(name), []).append(name)
                letters, pairs = frozenset(name), _letter_pairs(name)
                for typed_length in range(len(name) - 2, len(name) + 3):
                    budget = _edit_budget(min(typed_length, len(name)))
                    if abs(typed_length - len(name)) <= budget:
                        candidate = (name, budget, letters, pairs)
                        self.similar.setdefault((name[0], typed_length), []).append(candidate)

    def _add(self, names: Sequence[str], drugs: tuple[_Drug, ...]) -> None:
        for name in names:
            key = " ".join(_words(name))
            if key != name or key in self.names:
                raise ValueError(f"medicines.json: name {name!r} is not lower-case words or is listed twice")
            self.names[key] = drugs

    def drugs_in(self, name: str, dose: str | None) -> list[_Drug]:
        """The drugs one written medication names, each once, part by part: in "prednisone and hydrocortisone cream"
        the cream is a route for the second part only."""
        words = _words(name)
        if self.separators.isdisjoint(words):
            found = self._drugs_in_part(words, dose)
        else:
            found = [drug for part in _parts(words, self.separators) for drug in self._drugs_in_part(part, dose)]
        return list(dict.fromkeys(found)) if len(found) > 1 else found

    def _drugs_in_part(self, words: list[str], dose: str | None) -> list[_Drug]:
        names, phrase_widths, plain_words = self.names, self.phrase_widths, self.plain_words
        named: list[_Drug] = []
        negated: list[_Drug] = []
        skip_to = 0
        for position, word in enumerate(words):
            if position < skip_to:
                continue
            width = 1
            drugs = names.get(word)
            if word in phrase_widths:
                drugs, width = self._phrase(words, position) or (drugs, 1)
            elif drugs is None:
                if len(word) < _MIN_FUZZY_LENGTH or word in plain_words:
                    continue
                misspelt = self.closest(word)
                if misspelt is None:
                    continue
                drugs = names[misspelt]
            if drugs:
                after = position + width
                denied = (after < len(words) and words[after] in self.negate_after) or (
                    position > 0 and words[position - 1] in self.negate_before
                )
                (negated if denied else named).extend(drugs)
            skip_to = position + width
        if negated:
            named = [drug for drug in named if drug not in negated]
        for drug in named:
            if drug.local_forms:
                if self.is_local(words) or (dose is not None and self.is_local(_words(dose))):
                    return [drug for drug in named if not drug.local_forms]
                break
        return named

    def _phrase(self, words: list[str], start: int) -> tuple[tuple[_Drug, ...], int] | None:
        """The longest lexicon phrase starting at words[start] and its width in words, if any."""
        for width in range(min(self.phrase_widths[words[start]], len(words) - start), 1, -1):
            drugs = self.names.get(" ".join(words[start : start + width]))
            if drugs:
                return drugs, width
        return None

    def _closest(self, word: str) -> str | None:
        """The lexicon name this word misspells, if any: fewest half-edits, then alphabetical order.

        A vowel written for another vowel costs half an edit (found through the vowel-blind form of the names);
        any other edit costs one (found by the bounded distance on names of the same first letter and a near length).
        """
        best: tuple[int, str] | None = None
        for name in self.vowel_blind.get(_vowel_blind(word), ()):
            half_edits = sum(left != right for left, right in zip(word, name, strict=True))
            if half_edits <= 2 * _edit_budget(len(name)) and (best is None or (half_edits, name) < best):
                best = (half_edits, name)
        letters = frozenset(word)
        pairs: frozenset[str] | None = None
        for name, budget, name_letters, name_pairs in self.similar.get((word[0], len(word)), ()):
            # One edit changes at most two distinct letters and breaks at most three letter pairs (a swap does):
            # cheap tests that leave the distance to the few names that could be a misspelling.
            if len(letters ^ name_letters) > 2 * budget:
                continue
            pairs = pairs or _letter_pairs(word)
            if len(name_pairs - pairs) > 3 * budget:
                continue
            edits = _edits_within(word, name, budget)
            if edits is not None and (best is None or (2 * edits, name) < best):
                best = (2 * edits, name)
        return best[1] if best else None

    def is_local(self, words: Sequence[str]) -> bool:
        """True when the words name a local route: a form such as cream or inhaler, or drops for eye or ear."""
        return not self.local_forms.isdisjoint(words) or (
            not self.drops.isdisjoint(words) and not self.drop_sites.isdisjoint(words)
        )


def _load() -> _Index:
    with LEXICON_PATH.open(encoding="utf-8") as source:
        lexicon: _Lexicon = json.load(source)
    return _Index(lexicon)


_INDEX = _load()


def match_medicines(medications: Sequence[Medication]) -> list[MedicineMatch]:
    """Every recognised drug in the list, in list order: one match per (medication, drug)."""
    matches: list[MedicineMatch] = []
    for index, medication in enumerate(medications):
        for drug in _INDEX.drugs_in(medication.name, medication.dose):
            matches.append(MedicineMatch(index, medication.name, drug.drug, drug.atc_code, drug.atc_class, drug.group))
    return matches


def _parts(words: list[str], separators: frozenset[str]) -> Iterator[list[str]]:
    part: list[str] = []
    for word in words:
        if word not in separators:
            part.append(word)
        elif part:
            yield part
            part = []
    if part:
        yield part
