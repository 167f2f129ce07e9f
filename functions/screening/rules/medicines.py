"""Read the medication list the way patients write it: which medicines of the screening's classes (WHO ATC) are taken
now, which were taken before, which class words ("blood thinner", "化疗") are written, which lines name an allergy.

Both fields of a line are read, name and dose (patients put the drug in either), after the normalisation of
medicine_text.py. Each word is looked up whole: names, phrases ("nu seals"), hyphenated words both joined and split,
acronyms of three letters or fewer only when they are a whole part of the name field with at most dose words beside
them ("ASA 81mg", not "metformin AC"), Chinese and Japanese names as substrings ("华法林钠片"). A word with no exact hit
that is neither a known other medicine, a real word near a name (medicine_guards.json) nor a dose or marker word is
tried as a misspelling (medicine_spelling.py), within a budget per form (`FUZZY_WORDS` distinct words and
`FUZZY_COMPARISONS` exact comparisons); a word seen before in the same form costs nothing. A form's text is read up to
`CHARACTERS` characters, `UNICODE_CHARACTERS` of them in fields that are not plain ASCII (Chinese and Japanese among
them), and `PARTS` parts. When a bound cuts in, the reading says so (`incomplete`) and the screening asks for the list
to be checked by hand. The outcome is deterministic: the process-wide memories of misspellings and of lines read
before only save time, since each form is charged their work.

Import cost: reading medicines.json and medicine_guards.json and building the exact tables takes 4-6 ms of CPU
(`load()`, measured with process_time on the loaded development machine); the misspelling index (10-16 ms) is built
on the first misspelling a process meets.

Per line: a name followed by "free" or preceded by "non" is not the drug ("aspirin-free"); a drug marked `local_forms`
or a class word such as "steroid" next to a local route (cream, crema, 软膏, eye drops, colirio, 滴眼液, inhaler, nasal
spray, in the same part or in the dose field) is a local product and not matched; a line with an allergy word
("aspirin allergy", "alergia", "过敏") is an allergy, not a medicine taken; a line with a past word ("stopped",
"no longer", "until 2019", "ex-", "ya no", "停用") lists past medicines. A combination product or regimen gives one
match per substance, and a substance is matched once per line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from screening.contract.intake import Medication
from screening.contract.screening import Evidence
from screening.rules.medicine_lexicon import (
    LEXICON_PATH,
    MARKER_ALLERGY,
    MARKER_DROP_SITE,
    MARKER_DROPS,
    MARKER_LOCAL,
    MARKER_PAST,
    Drug,
    Index,
    Marker,
    MedicineGroup,
    Term,
    load,
)
from screening.rules.medicine_spelling import MIN_FUZZY_LENGTH
from screening.rules.medicine_text import CJK_START, Part, fold, has_cjk, has_joined_words, parts, plain_words

__all__ = [
    "CHARACTERS",
    "FUZZY_COMPARISONS",
    "FUZZY_WORDS",
    "LEXICON_PATH",
    "PARTS",
    "UNICODE_CHARACTERS",
    "ClassWord",
    "MedicationReading",
    "MedicineGroup",
    "MedicineMatch",
    "read_medications",
]

FUZZY_WORDS = 16
"""Distinct unknown words per form tried as misspellings. Real lists have few (other medicines and common words are
known exactly); with the bounds below it keeps the work for the worst form anyone can build fixed (`make bench`)."""
FUZZY_COMPARISONS = 48
"""Exact distance comparisons per form, over all its unknown words (most words need none or one)."""
CHARACTERS = 3000
"""Characters of names and doses read per form: fifty medicines as patients write them take about 2,500; the
contract allows 15,000."""
PARTS = 150
"""Parts per form read (a part is what "/", "(", "+", "," or "and" separate): a long list has a hundred."""
UNICODE_CHARACTERS = 1000
"""Characters of fields that are not plain ASCII read per form (accents, other scripts, full-width letters, Chinese and
Japanese): such text costs several times ASCII to read (Unicode normalisation up to 150 ns a character for kana with
voiced marks or half-width forms, and Chinese and Japanese are scanned for names as substrings). A list in Spanish or
Chinese as patients write it has a few hundred."""
_REMEMBERED = 4096
"""Entries in each process-wide memory (misspellings, lines) before it is emptied and refilled."""
_PAST_YEAR = re.compile(r"\b(?:until|till|til|hasta|up to)\s+(?:19|20)\d\d\b")
Field = Literal["name", "dose"]


@dataclass(slots=True, unsafe_hash=True)
class MedicineMatch:
    """One recognised substance in one line; a combination tablet gives one per substance. Treated as immutable
    (hashable by value) but not frozen: a long list makes a hundred of them, and a frozen dataclass costs four times as
    much to build."""

    index: int
    """Position in form.medications."""
    field: Field
    """Where it was written."""
    drug: str
    """The generic substance: the identity for "one drug, one count" across the list."""
    atc_code: str
    atc_class: str
    group: MedicineGroup
    # dataclasses.field, since `field` names a field of this class
    _evidence: Evidence | None = dataclasses.field(default=None, init=False, repr=False, compare=False)

    @property
    def evidence(self) -> Evidence:
        """This match as a flag's evidence, built on first use and kept: a line's matches are shared by every screening
        that reads the line, and only those a flag shows need it."""
        evidence = self._evidence
        if evidence is None:
            evidence = self._evidence = Evidence(
                field=line(self.index, self.field),
                value=None,
                matched_drug=self.drug,
                atc_code=self.atc_code,
                atc_class=self.atc_class,
            )
        return evidence


def line(index: int, field: Field | str = "name") -> str:
    """The contract path of one medication line's field."""
    return f"medications[{index}].{field}"


@dataclass(frozen=True, slots=True)
class ClassWord:
    """A class written instead of a drug ("blood thinner", "anticoagulante", "抗凝药", "chemo"): `word` is canonical."""

    index: int
    field: Field
    group: MedicineGroup
    word: str


@dataclass(frozen=True, slots=True)
class MedicationReading:
    current: tuple[MedicineMatch, ...]
    """Medicines taken now, in list order."""
    past: tuple[MedicineMatch, ...]
    """Medicines on lines saying they were stopped: shown as info, never counted."""
    class_words: tuple[ClassWord, ...]
    allergy_lines: tuple[int, ...]
    """Lines naming an allergy or intolerance: not medicines taken."""
    incomplete: bool
    """A bound of the reading cut in for this form (misspelling search, characters, non-ASCII characters, parts or CJK
    characters): part of the list was not read fully."""


_INDEX: Index = load()


_remembered: dict[str, tuple[str | None, int]] = {}
"""Misspellings already resolved in this process, with the comparisons they cost: a warm function meets the same
unknown words again and again. Each form is still charged the comparisons, so results never depend on this memory."""


@dataclass(slots=True)
class _Form:
    """The misspelling budget of one form and the words already tried in it."""

    tried: dict[str, str | None] = field(default_factory=dict)
    costs: dict[str, int] = field(default_factory=dict)
    """The comparisons each tried word cost when it was first tried."""
    asked: dict[str, None] = field(default_factory=dict)
    """The words the current line asked the misspelling search about, in order (what a replay of the line charges)."""
    found: set[str] = field(default_factory=set)
    """The tried words that are misspellings of a name."""
    comparisons: int = 0
    unicode_characters: int = 0
    parts: int = 0
    characters: int = 0
    incomplete: bool = False
    consulted: int = 0
    """Fields whose reading depended on the misspelling search (so on what the form read before): never cached."""

    def replays(self, line: _Line) -> bool:
        """Counts a remembered line's work, if it fits in what is left of the bounds (else it is read again).

        A line that asked the misspelling search was read with the budget never exhausted, where each word's answer
        depends on the word alone; it is replayed only when the words new to this form leave the budget unexhausted
        too (fewer than `FUZZY_WORDS` tried, comparisons within `FUZZY_COMPARISONS`), so reading it again would
        charge the same and find the same."""
        if (
            self.characters + line.characters > CHARACTERS
            or self.parts + line.parts > PARTS
            or self.unicode_characters + line.unicode_characters > UNICODE_CHARACTERS
        ):
            return False
        if line.misspellings:
            if self.exhausted:
                return False
            new = [spelt for spelt in line.misspellings if spelt[0] not in self.tried]
            if len(self.tried) + len(new) >= FUZZY_WORDS or (
                self.comparisons + sum(cost for _, _, cost in new) > FUZZY_COMPARISONS
            ):
                return False
            for word, name, cost in new:
                self.tried[word] = name
                self.costs[word] = cost
                self.comparisons += cost
                if name is not None:
                    self.found.add(word)
        self.characters += line.characters
        self.parts += line.parts
        self.unicode_characters += line.unicode_characters
        return True

    @property
    def exhausted(self) -> bool:
        """No further unknown word will be tried as a misspelling."""
        return self.incomplete or len(self.tried) >= FUZZY_WORDS

    def unknown(self, words: set[str]) -> tuple[dict[str, Term], set[str]]:
        """Of a part's unknown words: the misspellings found (within the budget), and the words in a script written
        without spaces, to be scanned for names."""
        if max(words, default="") < CJK_START and max(map(len, words), default=0) < MIN_FUZZY_LENGTH:
            return {}, set()  # short words in spaced scripts ask nothing: the commonest case, without the sets below
        misspelt: dict[str, Term] = {}
        # is_cjk, inlined (a long part has hundreds of words), and only when one is: max() compares in C
        cjk = {word for word in words if word[0] >= CJK_START} if max(words, default="") >= CJK_START else set()
        spelt = sorted(word for word in words - cjk if len(word) >= MIN_FUZZY_LENGTH)
        self.consulted += len(spelt)
        if self.exhausted and spelt:
            # No new word is tried any more: only the words tried before can still name something (set lookups).
            untried = set(spelt) - self.tried.keys()
            if untried and min(map(len, untried)) <= _INDEX.longest_fuzzy:
                self.incomplete = True
            spelt = [word for word in spelt if word in self.tried]
        for word in spelt:
            name = self.misspelt(word)
            if name is not None:
                misspelt[word] = _INDEX.terms[name]
        return misspelt, cjk

    def misspelt(self, word: str) -> str | None:
        if word in self.tried:
            self.asked[word] = None
            return self.tried[word]
        if len(word) > _INDEX.longest_fuzzy:
            return None
        if self.incomplete or len(self.tried) >= FUZZY_WORDS:
            self.incomplete = True
            return None
        allowance = FUZZY_COMPARISONS - self.comparisons
        found = _remembered.get(word)
        if found is None:
            found = _INDEX.spelling.closest(word, allowance)
            if found[1] <= allowance:
                if len(_remembered) >= _REMEMBERED:
                    _remembered.clear()
                _remembered[word] = found
        name, cost = found
        if cost > allowance:
            self.incomplete = True
            return None
        self.comparisons += cost
        self.tried[word] = name
        self.costs[word] = cost
        self.asked[word] = None
        if name is not None:
            self.found.add(word)
        return name


@dataclass(slots=True)
class _Found:
    """What one part of a line says: its terms (with whether a route makes them local) and its marker words."""

    terms: list[Term] = field(default_factory=list)
    markers: set[Marker] = field(default_factory=set)

    @property
    def local(self) -> bool:
        return MARKER_LOCAL in self.markers or {MARKER_DROPS, MARKER_DROP_SITE} <= self.markers


def read_medications(medications: Sequence[Medication]) -> MedicationReading:
    """The whole list read once: current and past medicines, class words, allergy lines, and whether it was cut."""
    form = _Form()
    current: list[MedicineMatch] = []
    past: list[MedicineMatch] = []
    class_words: list[ClassWord] = []
    allergy_lines: list[int] = []
    for index, medication in enumerate(medications):
        if form.characters > CHARACTERS:
            break  # past the bound no field is read (`_read`): the remaining lines would say nothing
        line = _read_line(medication, form)
        if line.kind == "allergy":
            allergy_lines.append(index)
            continue
        matches, written = line.at(index)
        if line.kind == "past":
            past.extend(matches)
        else:
            current.extend(matches)
            class_words.extend(written)
    return MedicationReading(tuple(current), tuple(past), tuple(class_words), tuple(allergy_lines), form.incomplete)


@dataclass(frozen=True, slots=True)
class _Line:
    """What one line says, and the work reading it cost (replayed when the line is met again)."""

    kind: Literal["current", "past", "allergy"]
    drugs: tuple[tuple[Field, Drug], ...]
    class_words: tuple[tuple[Field, MedicineGroup, str], ...]
    characters: int
    parts: int
    unicode_characters: int
    misspellings: tuple[tuple[str, str | None, int], ...]
    """The words it asked the misspelling search about: (word, the name it misspells or None, comparisons)."""
    _at: dict[int, tuple[tuple[MedicineMatch, ...], tuple[ClassWord, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Its matches and class words by position in the list, built once: at most one entry per position."""

    def at(self, index: int) -> tuple[tuple[MedicineMatch, ...], tuple[ClassWord, ...]]:
        """The line's matches and class words when it is form.medications[index]."""
        found = self._at.get(index)
        if found is None:
            found = self._at[index] = (
                tuple(MedicineMatch(index, where, d.drug, d.atc_code, d.atc_class, d.group) for where, d in self.drugs),
                tuple(ClassWord(index, where, group, word) for where, group, word in self.class_words),
            )
        return found


_read_lines: dict[tuple[str, str | None], _Line] = {}
"""Lines already read in this process ("Eliquis 5mg", "twice daily", "warfrin 3mg"): a warm function meets them again
and again. Each is replayed with the work it cost, misspelling comparisons included, so a form's bounds, and its
reading, never depend on this memory; a line read while the misspelling budget was exhausted (or cut) is never
remembered."""


def _read_line(medication: Medication, form: _Form) -> _Line:
    key = (medication.name, medication.dose)
    known = _read_lines.get(key)
    if known is not None and form.replays(known):
        return known
    before = (form.consulted, form.exhausted, form.characters, form.parts, form.unicode_characters)
    form.asked.clear()
    name_parts, name_until = _read(medication.name, "name", form)
    dose_parts, dose_until = _read(medication.dose, "dose", form)
    markers: set[Marker] = set().union(*(found.markers for _, found in name_parts + dose_parts))
    drugs, words = _line(name_parts, dose_parts)
    kind: Literal["current", "past", "allergy"] = "current"
    if MARKER_ALLERGY in markers:
        kind, drugs, words = "allergy", (), ()
    elif MARKER_PAST in markers or name_until or dose_until:
        kind, words = "past", ()
    misspellings = tuple((word, form.tried[word], form.costs[word]) for word in form.asked)
    line = _Line(
        kind,
        drugs,
        words,
        form.characters - before[2],
        form.parts - before[3],
        form.unicode_characters - before[4],
        misspellings,
    )
    # Read whole, and either without the misspelling search or with its budget never exhausted.
    if not form.incomplete and (form.consulted == before[0] or not (before[1] or form.exhausted)):
        if len(_read_lines) >= _REMEMBERED:
            _read_lines.clear()
        _read_lines[key] = line
    return line


def _line(
    name_parts: list[tuple[Field, _Found]], dose_parts: list[tuple[Field, _Found]]
) -> tuple[tuple[tuple[Field, Drug], ...], tuple[tuple[Field, MedicineGroup, str], ...]]:
    """The substances of one line, each once (the name field first), and its class words; local products left out."""
    local_dose = any(found.local for _, found in dose_parts)
    drugs: dict[str, tuple[Field, Drug]] = {}
    words: dict[str, tuple[Field, MedicineGroup, str]] = {}
    for where, found in name_parts + dose_parts:
        local = local_dose or found.local
        for term in found.terms:
            if term.class_group is not None:
                if not (local and term.local_forms) and term.class_word not in words:
                    words[term.class_word] = (where, term.class_group, term.class_word)
                continue
            for drug in term.drugs:
                if not (local and drug.local_forms) and drug.drug not in drugs:
                    drugs[drug.drug] = (where, drug)
    return tuple(drugs.values()), tuple(words.values())


def _read(text: str | None, where: Field, form: _Form) -> tuple[list[tuple[Field, _Found]], bool]:
    """The parts of one field, and whether it says "until 2019" ("hasta 2020": a past medicine)."""
    if not text:
        return [], False
    form.characters += len(text)
    if form.characters > CHARACTERS:
        form.incomplete = True
        return [], False
    if not text.isascii():
        form.unicode_characters += len(text)
        if form.unicode_characters > UNICODE_CHARACTERS:
            form.incomplete = True
            return [], False
    return _read_fresh(text, where, form)


def _read_fresh(text: str, where: Field, form: _Form) -> tuple[list[tuple[Field, _Found]], bool]:
    """A field with no word worth a closer look is not cut into parts at all; a form with more parts than `PARTS` is
    read up to there."""
    folded = fold(text)
    until = ("19" in folded or "20" in folded) and _PAST_YEAR.search(folded) is not None
    if not _worth_reading(folded, form):
        return [], until
    found = parts(folded, _INDEX.separators, PARTS - form.parts)
    form.parts += len(found)
    if form.parts > PARTS:
        form.incomplete = True
        return [], until
    said = (_read_part(part, where, form) for part in found)
    return [(where, part) for part in said if part is not None], until


def _worth_reading(folded: str, form: _Form) -> bool:
    index = _INDEX
    if has_cjk(folded):  # first: finding the words of such a text costs more than reading it
        return True
    words = plain_words(folded)
    if not words.isdisjoint(index.vocabulary) or has_joined_words(folded):
        return True
    unknown = words - index.plain_words
    if form.exhausted:
        # Only words tried before the budget ran out can still name something; any other new word is not tried.
        if not unknown or all(len(word) < MIN_FUZZY_LENGTH for word in unknown):
            return False
        form.consulted += 1
        if not form.incomplete and not unknown <= form.tried.keys():
            form.incomplete = True
        return not unknown.isdisjoint(form.found)
    if all(len(word) < MIN_FUZZY_LENGTH for word in unknown):
        return False
    form.consulted += 1
    return True


def _read_part(part: Part, where: Field, form: _Form) -> _Found | None:
    """The terms and markers of one part (None when it has none). Set operations first pick the few words worth a
    closer look (exact names, phrase heads, markers, acronyms, and unknown words the misspelling budget still allows),
    so the bulk of a long text costs no Python work per word."""
    index = _INDEX
    words, joined = part
    if len(words) == 1 and not joined and words[0] in index.vocabulary:
        return _word_alone(words, where)
    distinct = set(words)
    hits = distinct & index.vocabulary
    unknown = distinct - hits - index.plain_words
    misspelt, cjk = form.unknown(unknown) if unknown else ({}, set())
    if not hits and not joined and not misspelt and not cjk:
        return None
    found = _Found()
    negated: list[Term] = []
    count = len(words)
    # Only the words picked above (and hyphenated runs) can say anything: the loop visits those positions alone.
    picked = hits | cjk | misspelt.keys()
    positions = [position for position, word in enumerate(words) if word in picked]
    heads = hits & index.followers.keys()
    if heads:  # a phrase or marker head followed by a word that cannot continue it says nothing
        follows = index.followers
        positions = [
            p for p in positions if words[p] not in heads or (p + 1 < count and words[p + 1] in follows[words[p]])
        ]
    if joined:
        positions = sorted(joined.keys() | positions)
    after = 0
    scanned: list[str] = []
    for position in positions:
        if position < after:
            continue  # inside the phrase, marker or hyphenated run just read
        word = words[position]
        if word in cjk and position not in joined:  # a run of Chinese or Japanese: scanned below, with the others
            scanned.append(word)
            after = position + 1
            continue
        term, width = _term_at(part, position, hits, where, found)
        if term is None:
            if word in cjk:
                scanned.append(word)
            else:
                term = misspelt.get(word)
        if term is not None:
            end = position + width
            if (end < count and words[end] in index.negate_after) or (
                position > 0 and words[position - 1] in index.negate_before
            ):
                negated.append(term)
            else:
                found.terms.append(term)
        after = position + width
    if negated:
        found.terms = [term for term in found.terms if term not in negated]
    if scanned:
        _read_cjk("\n".join(scanned), found)
    return found


def _word_alone(words: list[str], where: Field) -> _Found | None:
    """A part of one word that names something (the commonest part: "/"-separated names, a dose after a comma): a
    marker, a name, or an acronym standing alone, with nothing beside it to negate it or make it a phrase."""
    index = _INDEX
    word = words[0]
    found = _Found()
    marker = index.markers.get(word)
    if marker is not None:
        found.markers.add(marker)
        return found
    term = index.terms.get(word) or _acronym(word, words, 0, 1, where)
    if term is None:
        return None
    found.terms.append(term)
    return found


def _term_at(part: Part, position: int, hits: set[str], where: Field, found: _Found) -> tuple[Term | None, int]:
    """What the lexicon says starts at words[position] and how many words it takes: a hyphenated run joined, a
    marker (added to `found`, no term), a name, an acronym or the longest phrase."""
    index = _INDEX
    words, joined = part
    if position in joined:
        whole, pieces = joined[position]
        term = index.terms.get(whole) or _acronym(whole, words, position, pieces, where)
        if term is not None:
            return term, pieces
    word = words[position]
    if word not in hits:
        return None, 1
    marker = index.markers.get(word)
    width = 1
    if word in index.marker_heads and position + 1 < len(words):
        two = index.markers.get(f"{word} {words[position + 1]}")
        if two is not None:
            marker, width = two, 2
    if marker is not None:
        found.markers.add(marker)
        return None, width
    term = index.terms.get(word)
    if term is None and word in index.acronyms:
        term = _acronym(word, words, position, 1, where)
    if word in index.phrase_widths:
        phrase = _phrase(words, position)
        if phrase is not None:
            return phrase
    return term, 1


def _acronym(word: str, words: list[str], position: int, width: int, where: Field) -> Term | None:
    """An acronym counts only in the name field, with nothing but dose words beside it in its part."""
    index = _INDEX
    term = index.acronyms.get(word)
    if term is None or where != "name":
        return None
    beside = words[:position] + words[position + width :]
    return term if all(other in index.dose_words for other in beside) else None


def _phrase(words: list[str], start: int) -> tuple[Term, int] | None:
    """The longest lexicon phrase starting at words[start] and its width in words, if any."""
    index = _INDEX
    if start + 1 >= len(words) or words[start + 1] not in index.phrase_seconds[words[start]]:
        return None
    for width in range(min(index.phrase_widths[words[start]], len(words) - start), 1, -1):
        term = index.terms.get(" ".join(words[start : start + width]))
        if term is not None:
            return term, width
    return None


def _read_cjk(text: str, found: _Found) -> None:
    """Names, class words and markers inside the runs of Chinese or Japanese text of one part (written without spaces;
    one line each, so a name is never read across two runs). They follow the part's other terms."""
    index = _INDEX
    if index.cjk_pattern is not None:
        found.terms.extend(index.cjk_by_name[name] for name in index.cjk_pattern.findall(text))
    for marker_word, marker in index.cjk_markers:
        if marker_word in text:
            found.markers.add(marker)
