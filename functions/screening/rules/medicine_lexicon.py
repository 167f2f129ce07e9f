"""The lexicon (medicines.json, with the generated medicine_guards.json) as lookup tables for the reader.

Every name, class word, route, negation and marker word is looked up whole in a dictionary; names of several words are
found from their first word. Names in scripts written without spaces (Chinese, Japanese) are found as substrings,
from a table keyed by their first character. A broken lexicon fails at import (ValueError naming the file), never by
silently missing a medicine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict, get_args

from screening.collector import paused
from screening.rules.medicine_spelling import MIN_FUZZY_LENGTH, SpellingIndex
from screening.rules.medicine_text import fold, is_cjk

MedicineGroup = Literal[
    "antithrombotic",
    "immunosuppressant",
    "antineoplastic",
    "systemic_corticosteroid",
    "hormonal_cancer",
    "nsaid",
    "ssri",
    "herbal_bleeding",
]

LEXICON_PATH = Path(__file__).with_name("medicines.json")
GUARDS_PATH = Path(__file__).with_name("medicine_guards.json")
ACRONYM_LENGTH = 3
"""Names this short count only as a whole part of the name field ("ASA 81", not "aspirin EC")."""
_GROUPS: dict[str, MedicineGroup] = {group: group for group in get_args(MedicineGroup)}


@dataclass(frozen=True, slots=True)
class Drug:
    drug: str
    atc_code: str
    atc_class: str
    group: MedicineGroup
    local_forms: bool


@dataclass(frozen=True, slots=True)
class Term:
    """What one lexicon word or phrase means: drugs (several for a combination or regimen), or a class word."""

    drugs: tuple[Drug, ...] = ()
    class_group: MedicineGroup | None = None
    class_word: str = ""
    local_forms: bool = False
    """For a class word: a local route next to it means a local product ("steroid cream")."""


class DrugEntry(TypedDict, total=False):
    drug: str
    atc_code: str
    names: list[str]
    source: list[str]
    local_forms: bool


class ClassEntry(TypedDict):
    name: str
    group: str
    drugs: list[DrugEntry]


class Combination(TypedDict):
    names: list[str]
    atc_codes: list[str]
    source: list[str]


class ClassWordEntry(TypedDict, total=False):
    word: str
    group: str
    names: list[str]
    local_forms: bool


class LocalRoutes(TypedDict):
    forms: list[str]
    drops: list[str]
    drop_sites: list[str]


class Negation(TypedDict):
    after: list[str]
    before: list[str]


class Lexicon(TypedDict):
    sources: dict[str, str]
    classes: dict[str, ClassEntry]
    combinations: list[Combination]
    class_words: list[ClassWordEntry]
    local_routes: LocalRoutes
    negation: Negation
    separators: list[str]
    past_words: list[str]
    allergy_words: list[str]
    dose_words: list[str]
    known_words: list[str]


MARKER_PAST: Literal["past"] = "past"
MARKER_ALLERGY: Literal["allergy"] = "allergy"
MARKER_LOCAL: Literal["local"] = "local"
MARKER_DROPS: Literal["drops"] = "drops"
MARKER_DROP_SITE: Literal["drop_site"] = "drop_site"
Marker = Literal["past", "allergy", "local", "drops", "drop_site"]


class Index:
    """The lexicon as lookup tables: exact names and phrases, acronyms, CJK substrings, markers and plain words."""

    def __init__(self, lexicon: Lexicon, guards: list[str]) -> None:
        self.terms: dict[str, Term] = {}
        self.acronyms: dict[str, Term] = {}
        self.cjk_terms: dict[str, list[tuple[str, Term]]] = {}
        """First character -> (name, term), longest names first."""
        by_code: dict[str, Drug] = {}
        sources = lexicon["sources"]
        for atc_class, entry in lexicon["classes"].items():
            group = _group(entry["group"], atc_class)
            for item in entry["drugs"]:
                drug = Drug(item["drug"], item["atc_code"], atc_class, group, item.get("local_forms", False))
                if not drug.atc_code.startswith(atc_class) or drug.atc_code in by_code:
                    raise ValueError(f"medicines.json: ATC code {drug.atc_code} is outside its class or repeated")
                _check_sources(item.get("source", []), sources, drug.drug)
                by_code[drug.atc_code] = drug
                self._add(item["names"], Term(drugs=(drug,)))
        for combination in lexicon["combinations"]:
            _check_sources(combination.get("source", []), sources, combination["names"][0])
            if not set(combination["atc_codes"]) <= by_code.keys():
                raise ValueError(f"medicines.json: combination {combination['names'][0]!r} names an unknown ATC code")
            self._add(combination["names"], Term(drugs=tuple(by_code[code] for code in combination["atc_codes"])))
        for class_word in lexicon["class_words"]:
            group = _group(class_word["group"], class_word["word"])
            local = class_word.get("local_forms", False)
            self._add(class_word["names"], Term(class_group=group, class_word=class_word["word"], local_forms=local))
        self.markers, self.cjk_markers = self._markers(lexicon)
        self.marker_heads = frozenset(word.split()[0] for word in self.markers if " " in word)
        """First words of the markers of two words ("no longer"): only these look at the word after them."""
        self.negate_after = frozenset(lexicon["negation"]["after"])
        self.negate_before = frozenset(lexicon["negation"]["before"])
        self.separators = frozenset(lexicon["separators"])
        self.dose_words = frozenset(lexicon["dose_words"])
        self.plain_words = (
            (frozenset(lexicon["known_words"]) | frozenset(guards) | self.dose_words | self.negate_after)
            | self.negate_before
            | self.separators
            | frozenset(self.markers)
        )
        """Words never corrected towards a name: other medicines, real words near a name, dose and marker words."""
        clashes = self.plain_words & (self.terms.keys() | self.acronyms.keys())
        if clashes:
            raise ValueError(f"medicines.json: known, guard or marker words are also names: {sorted(clashes)[:5]}")
        self.phrase_widths, self.phrase_seconds = self._phrases()
        """First word of a phrase -> its most words, and -> the words that may follow it (for most heads, none)."""
        cjk_names = sorted((name for names in self.cjk_terms.values() for name, _ in names), key=lambda n: (-len(n), n))
        self.cjk_pattern = re.compile(trie_pattern(cjk_names)) if cjk_names else None
        """Every CJK name: one scan finds them, the longest at each position."""
        self.cjk_by_name = {name: term for names in self.cjk_terms.values() for name, term in names}
        self.vocabulary = (
            frozenset(name for name in self.terms if " " not in name)
            | frozenset(self.phrase_widths)
            | frozenset(word.split()[0] for word in self.markers)
            | frozenset(self.acronyms)
        )
        """Every word that names something exactly or may start a name or marker: the words worth a closer look."""
        self.followers = self._followers()
        """Words that say something only with one of these words after them (phrase and marker heads that are not a
        name, marker or acronym alone): the reader skips them elsewhere."""
        self.fuzzy_names = [name for name in self.terms if " " not in name and len(name) >= MIN_FUZZY_LENGTH]
        self.longest_fuzzy = max(map(len, self.fuzzy_names), default=0) + 4
        """Longer words cannot be a misspelling of any name (its key is at most 2 edits longer, doubles included)."""
        self._spelling: SpellingIndex | None = None

    def _phrases(self) -> tuple[dict[str, int], dict[str, frozenset[str]]]:
        widths: dict[str, int] = {}
        seconds: dict[str, frozenset[str]] = {}
        for name in self.terms:
            words = name.split()
            if len(words) > 1:
                widths[words[0]] = max(len(words), widths.get(words[0], 0))
                seconds[words[0]] = seconds.get(words[0], frozenset()) | {words[1]}
        return widths, seconds

    def _followers(self) -> dict[str, frozenset[str]]:
        alone = (
            frozenset(name for name in self.terms if " " not in name)
            | frozenset(word for word in self.markers if " " not in word)
            | frozenset(self.acronyms)
        )
        seconds = {head: set(after) for head, after in self.phrase_seconds.items()}
        for marker in self.markers:
            if " " in marker:
                head, second = marker.split()[:2]
                seconds.setdefault(head, set()).add(second)
        return {head: frozenset(after) for head, after in seconds.items() if head not in alone}

    def _markers(self, lexicon: Lexicon) -> tuple[dict[str, Marker], list[tuple[str, Marker]]]:
        """Past, allergy and route words: spaced ones by word, CJK ones to look for inside text."""
        markers: dict[str, Marker] = {}
        cjk_markers: list[tuple[str, Marker]] = []
        routes = lexicon["local_routes"]
        for words, marker in (
            (lexicon["past_words"], MARKER_PAST),
            (lexicon["allergy_words"], MARKER_ALLERGY),
            (routes["forms"], MARKER_LOCAL),
            (routes["drops"], MARKER_DROPS),
            (routes["drop_sites"], MARKER_DROP_SITE),
        ):
            for word in words:
                if fold(word) != word or word in markers or word in self.terms or word in self.acronyms:
                    raise ValueError(f"medicines.json: marker word {word!r} is not folded, repeated or a name")
                if is_cjk(word):
                    cjk_markers.append((word, marker))
                else:
                    markers[word] = marker
        return markers, cjk_markers

    def _add(self, names: list[str], term: Term) -> None:
        for name in names:
            if fold(name) != name or " ".join(name.split()) != name or not name:
                raise ValueError(f"medicines.json: name {name!r} is not folded lower-case words")
            if (
                name in self.terms
                or name in self.acronyms
                or any(name == n for n, _ in self.cjk_terms.get(name[0], ()))
            ):
                raise ValueError(f"medicines.json: name {name!r} is listed twice")
            if is_cjk(name):
                self.cjk_terms.setdefault(name[0], []).append((name, term))
            elif len(name) <= ACRONYM_LENGTH:
                self.acronyms[name] = term
            else:
                self.terms[name] = term

    @property
    def spelling(self) -> SpellingIndex:
        """The misspelling index, built on first use: most forms never need it, and cold starts stay short."""
        if self._spelling is None:
            self._spelling = SpellingIndex(self.fuzzy_names)
        return self._spelling


_Trie = dict[str, "_Trie"]
_END = ""
"""The key marking that a name ends at this node of the trie (no character is the empty string)."""


def trie_pattern(names: list[str]) -> str:
    """A regular expression matching any of `names`, the longest at each position, as a trie: the engine tests one
    character per branch instead of every name at every position (the alternation of 190 names longest first cost
    ~50 µs per 200 characters of CJK text). Names matching at one position are prefixes of each other, so trying the
    longer continuation before ending a name finds what the alternation longest first finds."""
    trie: _Trie = {}
    for name in names:
        node = trie
        for character in name:
            node = node.setdefault(character, {})
        node[_END] = {}
    return _render(trie)


def _render(node: _Trie) -> str:
    branches = [re.escape(character) + _render(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    body = "|".join(branches)
    if _END in node:
        return f"(?:{body})?"  # greedy: the longer name first, then the name ending here
    return f"(?:{body})" if len(branches) > 1 else body


def _group(name: str, what: str) -> MedicineGroup:
    if name not in _GROUPS:
        raise ValueError(f"medicines.json: {what!r} has an unknown group {name!r}")
    return _GROUPS[name]


def _check_sources(keys: list[str], sources: dict[str, str], what: str) -> None:
    if not keys or any(key not in sources for key in keys):
        raise ValueError(f"medicines.json: {what!r} names no source or an unknown one")


def load() -> Index:
    """The lexicon and its guard words as lookup tables, built with the collector paused (collector.py)."""
    with paused():
        with LEXICON_PATH.open(encoding="utf-8") as source:
            lexicon: Lexicon = json.load(source)
        with GUARDS_PATH.open(encoding="utf-8") as source:
            guards: list[str] = json.load(source)["words"]
        return Index(lexicon, guards)
