"""How one written medication is cut into words before the lexicon is consulted (clinical spec, "How the text is read").

The text is normalised once: ™ ® © dropped, Unicode NFKC (full-width letters from CJK keyboards become ASCII),
combining accents removed ("ácido" is "acido"), case folded. Punctuation inside a word is dropped ("A.S.A." is "asa",
"St. John's" is "st johns"), and "/", "(", ")", "+", ",", ";", "&" and the ideographic comma split the line into parts,
so "Eliquis (apixaban)" is two parts and a route or a negation applies to its own part only. Digits split words
("Xarelto20mg"); a number joined to letters is also offered whole ("5-FU" is "5fu").

A hyphenated word is kept both ways: as its pieces ("Apo-Warfarin" is "apo warfarin", "aspirin-free" is "aspirin free")
and joined ("methyl-prednisolone" is "methylprednisolone"), which the reader tries first.
"""

from __future__ import annotations

import re
import unicodedata

_SYMBOLS = re.compile("[™®©℠]")
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
"""Combining accents (the kana voicing marks are not among them: "パ" stays "パ")."""
_PART_BREAK = re.compile(r"[/()+,;&、\[\]]")
_TOKEN = re.compile(r"[^\W_]+(?:[-.'’·‐‑][^\W_]+)*")
"""Letters and digits, with the punctuation that may sit inside a word (dot, apostrophe, hyphen)."""
_INNER = re.compile("[.'’·]")
"""Dropped inside a word (a pattern, not str.translate: translating text beyond ASCII looks up every character)."""
_LETTERS = re.compile(r"[^\W\d_\u2e80-\uffff]+|[^\W\d_a-z]+")
"""Runs of letters of one kind: Latin and other spaced scripts, or the scripts written without spaces."""
_ASCII_LETTERS = bytes(c if chr(c).isascii() and chr(c).isalpha() else ord(" ") for c in range(256))
"""A bytes.translate table keeping the ASCII letters: `_LETTERS` of ASCII text, without the pattern."""
_NUMBERED = re.compile(r"\d+-?[^\W\d_]+")
"""A number joined to letters ("5-fu", "5fu", "20mg"): tried whole ("5fu" is a name) before its letters."""
_JOIN_MARKS = ("-", ".", "'", "’", "·", "‐", "‑", *"0123456789")
_JOINS = re.compile(r"[^\W_][-.'’·‐‑][^\W_]|\d[^\W\d_]")
_CJK = re.compile("[\u2e80-\uffff]")
CJK_START = "\u2e80"
"""Scripts from here on (Han, kana, Hangul) are written without spaces: their names are looked for as substrings."""
_BMP_END = "\uffff"
"""The last character `_LETTERS` counts among those scripts."""


def fold(text: str) -> str:
    """NFKC, symbols and combining accents dropped, case folded: the form both the lexicon and the lists are read in."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", _SYMBOLS.sub("", text))
    if not text.isascii():
        # NFKC's output is composed, so recomposing is needed only when accents were dropped: NFC is the costly step
        # (~45 us per 200 characters of kana, which NFD decomposes).
        decomposed = unicodedata.normalize("NFD", text)
        if decomposed != text and _ACCENTS.search(decomposed):
            text = _ACCENTS.sub("", decomposed)
            if not text.isascii():  # ASCII is its own NFC: accented Latin letters need no recomposing
                text = unicodedata.normalize("NFC", text)
    return text.casefold()


Part = tuple[list[str], dict[int, tuple[str, int]]]
"""One part of a written line: its words in order, and the joined form of each hyphenated run of words, by the
position of its first piece: (the pieces joined, how many pieces). A plain tuple: a long list has a hundred parts, and
a NamedTuple is made by a Python-level __new__."""


def parts(folded: str, separators: frozenset[str], limit: int) -> list[Part]:
    """The parts of a folded line, each with its words; `separators` are words that also split ("and", "plus", "y").
    Empty parts (only digits or punctuation) are left out; past `limit` parts the line is not cut any further (the
    result is then longer than `limit`)."""
    result: list[Part] = []
    for chunk in _PART_BREAK.split(folded):
        _split(chunk, separators, result)
        if len(result) > limit:
            break
    return result


def _split(chunk: str, separators: frozenset[str], result: list[Part]) -> None:
    spaced = chunk.split()
    if not spaced:
        return  # between two breaks ("5mg), "): nothing
    plain = "".join(spaced)
    if plain.isascii() and plain.isalpha() and separators.isdisjoint(spaced):
        result.append((spaced, {}))  # plain words between spaces (most of any list): each a word as it stands
        return
    words: list[str] = []
    joined: dict[int, tuple[str, int]] = {}
    for written in _TOKEN.findall(chunk):
        token = written if written.isalnum() else _INNER.sub("", written).replace("‐", "-").replace("‑", "-")
        if token in separators:
            if words:
                result.append((words, joined))
            words, joined = [], {}
            continue
        if token.isalpha() and (token.isascii() or (min(token) >= CJK_START and max(token) <= _BMP_END)):
            words.append(token)  # one run of `_LETTERS` as it stands (a run of kana or Han is one word): no pattern
            continue
        if token.isascii() and token.replace("-", "").isalpha():  # hyphenated ASCII words ("r-chop"): no pattern
            pieces = token.split("-")
            joined[len(words)] = ("".join(pieces), len(pieces))
            words.extend(pieces)
            continue
        start = len(words)
        for piece in token.split("-"):
            words.extend(_LETTERS.findall(piece))
        pieces = len(words) - start
        if _NUMBERED.fullmatch(token) and pieces == 1:
            joined[start] = (token.replace("-", ""), 1)
        elif "-" in token and pieces > 1:
            joined[start] = ("".join(words[start:]), pieces)
    if words:
        result.append((words, joined))


def plain_words(folded: str) -> set[str]:
    """The distinct runs of letters of a folded line, found in one pass: enough to tell whether it is worth reading."""
    if folded.isascii():  # most lines: every other byte made a space, in C (a third of the pattern's cost)
        return set(folded.encode().translate(_ASCII_LETTERS).decode().split())
    return set(_LETTERS.findall(folded))


def has_joined_words(folded: str) -> bool:
    """True when the line has punctuation inside a word or a number joined to letters ("a.s.a", "apo-warfarin",
    "5-fu"), whose joined form may be a name."""
    if not any(mark in folded for mark in _JOIN_MARKS):  # a few substring scans: cheaper than the pattern
        return False
    return _JOINS.search(folded) is not None


def has_cjk(folded: str) -> bool:
    return not folded.isascii() and _CJK.search(folded) is not None


def is_cjk(word: str) -> bool:
    """True for a word in a script written without spaces (its first letter decides: words are runs of one script)."""
    return word[0] >= CJK_START
