"""Screening cost per intake (IntakeForm.model_validate_json + screen), against architecture.md's budgets: ordinary
forms under 50 µs, forms loaded with medicines under 100 µs, and at most 2 ms for the worst form anyone can build within
the contract's limits; and the duplicate-key check of contract 1.1 on its own (at most 30 µs). The ordinary and loaded
forms are measured as a warm function meets them: after one untimed round, the median of 30 batches.

The worst case comes from a seeded generator of adversarial forms, several strategies that each aim at one part of
the medicine reader: near-misses of lexicon names with every first letter (the misspelling search), long Unicode
(normalisation), kana with separate voiced marks, half-width and compatibility forms (normalisation's costliest
characters), CJK text made of the first characters of Chinese names (the substring scan), separators and
acronyms (the parts), phrase heads (the phrase look-up), and random unknown words (the budget). Every form has 50
medications with names of 200 characters and doses of 100, written with as many \\u escapes as the handler's body limit
(64 KB) leaves room for, the costliest body it still accepts; and every form is new, so the reader's memory of
misspellings never helps: each figure is a median over fresh forms, the worst strategy is the one reported. Each
figure is CPU time (the verdict) with the wall time beside it: on a shared machine the wall clock also counts waits.
The machine's own speed is printed first (`machine_speed_ms`), so figures from two machines can be compared.

    .venv/bin/python -m devtools.bench_screening [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from devtools.bench_measure import event
from screening.clinic_time import received_at
from screening.contract.errors import parse_without_duplicates
from screening.contract.intake import MAX_BODY_BYTES, IntakeForm
from screening.rules import screen
from screening.rules.medicine_lexicon import LEXICON_PATH

MEDICATIONS = 50
NAME_CHARS = 200
DOSE_CHARS = 100
ORDINARY_BUDGET_US = 50.0
LOADED_BUDGET_US = 100.0
WORST_BUDGET_US = 2000.0
DUPLICATE_CHECK_BUDGET_US = 30.0
"""Contract 1.1's duplicate-key check, measured on its own (architecture.md): the handler parses each body with it
before validating."""

_LEXICON: dict[str, Any] = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
_NAMES = [name for entry in _LEXICON["classes"].values() for drug in entry["drugs"] for name in drug["names"]]
_LATIN = sorted({name for name in _NAMES if name.isascii() and " " not in name and len(name) >= 5})
_CJK = sorted({name for name in _NAMES if not name.isascii()})
_PHRASE_HEADS = sorted({name.split()[0] for name in _NAMES if " " in name})
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

LOADED_MEDICATIONS = [
    {"name": "Eliquis", "dose": "5 mg twice a day"},
    {"name": "warfrin 3mg"},
    {"name": "Ibuprofen 400", "dose": "when needed"},
    {"name": "prednisolone", "dose": "10 mg"},
    {"name": "vitamin D"},
    {"name": "Metformin 500mg", "dose": "twice daily with meals"},
    {"name": "atorvastatin 20mg"},
    {"name": "Humira pen", "dose": "every 2 weeks"},
    {"name": "阿司匹林肠溶片", "dose": "100mg"},
    {"name": "hydrocortisone cream", "dose": "apply thinly"},
]


def _near_miss(rng: random.Random, name: str) -> str:
    """One or two edits of a name, the first letter included: the misspelling search has to look at it."""
    letters = list(name)
    for _ in range(rng.choice((1, 2))):
        at = rng.randrange(len(letters))
        match rng.randrange(3):
            case 0:
                letters[at] = rng.choice(_LETTERS)
            case 1:
                letters.insert(at, rng.choice(_LETTERS))
            case _:
                if len(letters) > 5:
                    del letters[at]
    return "".join(letters)


def _fill(rng: random.Random, make: Callable[[random.Random], str], limit: int, joiner: str = " ") -> str:
    text = ""
    while True:
        piece = make(rng)
        candidate = f"{text}{joiner}{piece}" if text else piece
        if len(candidate) > limit:
            return text or piece[:limit]
        text = candidate


def _near_misses(rng: random.Random) -> tuple[str, str]:
    def word(r: random.Random) -> str:
        return _near_miss(r, r.choice(_LATIN))

    return _fill(rng, word, NAME_CHARS), _fill(rng, word, DOSE_CHARS)


def _unicode(rng: random.Random) -> tuple[str, str]:
    """Full-width letters and combining accents on near-misses: NFKC and accent folding on every character."""

    def word(r: random.Random) -> str:
        miss = _near_miss(r, r.choice(_LATIN))
        if r.random() < 0.5:
            return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in miss)
        return "".join(c + "\u0301" for c in miss)

    return _fill(rng, word, NAME_CHARS), _fill(rng, word, DOSE_CHARS)


def _cjk(rng: random.Random) -> tuple[str, str]:
    """Runs of the first characters of Chinese names, with parts of names: every position starts a candidate."""
    starts = [name[0] for name in _CJK]
    halves = [name[: max(1, len(name) - 1)] for name in _CJK]

    def run(r: random.Random) -> str:
        return "".join(r.choice(starts) if r.random() < 0.6 else r.choice(halves) for _ in range(8))

    return _fill(rng, run, NAME_CHARS, ""), _fill(rng, run, DOSE_CHARS, "")


_NORMALISED = [
    *map(chr, range(0x3041, 0x3097)),  # hiragana
    *map(chr, range(0x3099, 0x309D)),  # voiced sound marks, combining and spacing
    *map(chr, range(0x30A1, 0x30FB)),  # katakana
    *map(chr, range(0xFF66, 0xFFA0)),  # half-width katakana and their voiced marks
    *map(chr, range(0x2F00, 0x2FD6)),  # Kangxi radicals (NFKC: CJK ideographs)
    *map(chr, range(0x3380, 0x33DF)),  # squared units ("㎎")
]


def _normalised(rng: random.Random) -> tuple[str, str]:
    """Kana with separate voiced marks, half-width katakana, Kangxi radicals and squared units: characters that make
    Unicode normalisation do its whole work (up to 150 ns each), and CJK text to scan."""

    def run(r: random.Random) -> str:
        return "".join(r.choice(_NORMALISED) for _ in range(10))

    return _fill(rng, run, NAME_CHARS, ""), _fill(rng, run, DOSE_CHARS, "")


def _separators(rng: random.Random) -> tuple[str, str]:
    """Many tiny parts (/ ( ) + ,) holding acronyms and hyphenated pieces."""
    acronyms = ["asa", "ass", "aas", "mtx", "ac", "ec", "5-fu", "r-chop", "a-b"]

    def part(r: random.Random) -> str:
        return r.choice(acronyms) + r.choice("/+,()")

    return _fill(rng, part, NAME_CHARS, ""), _fill(rng, part, DOSE_CHARS, "")


def _phrase_heads(rng: random.Random) -> tuple[str, str]:
    """First words of lexicon phrases followed by near-misses of their second words."""

    def word(r: random.Random) -> str:
        return f"{r.choice(_PHRASE_HEADS)} {_near_miss(r, r.choice(_LATIN))}"

    return _fill(rng, word, NAME_CHARS), _fill(rng, word, DOSE_CHARS)


def _unknown_words(rng: random.Random) -> tuple[str, str]:
    """Random words of 5 to 14 letters: each is new, so each asks the misspelling search until the budget ends."""

    def word(r: random.Random) -> str:
        return "".join(r.choice(_LETTERS) for _ in range(r.randint(5, 14)))

    return _fill(rng, word, NAME_CHARS), _fill(rng, word, DOSE_CHARS)


STRATEGIES: dict[str, Callable[[random.Random], tuple[str, str]]] = {
    "near-misses, every first letter": _near_misses,
    "Unicode (full-width, combining accents)": _unicode,
    "CJK name starts": _cjk,
    "kana, half-width and compatibility forms": _normalised,
    "separators and acronyms": _separators,
    "phrase heads": _phrase_heads,
    "random unknown words": _unknown_words,
}


def adversarial_body(strategy: str, seed: int) -> str:
    """A valid form of 50 medications built by one strategy, from a seed, as the costliest body the handler accepts."""
    rng = random.Random(f"{strategy}/{seed}")
    form = json.loads(event("intake-clear")["body"])
    medications = []
    for _ in range(MEDICATIONS):
        name, dose = STRATEGIES[strategy](rng)
        medications.append({"name": name, "dose": dose})
    return _filled(form, medications)


def _filled(form: dict[str, Any], medications: list[dict[str, str]]) -> str:
    """The form as UTF-8 JSON with its medication texts' characters written as \\u escapes, in order, while the body
    stays within MAX_BODY_BYTES: the handler refuses a larger body before validating it (so writing every character
    escaped would measure forms nobody can submit), and each escape is six bytes the JSON parser must decode."""

    def plain(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)[1:-1]

    room = MAX_BODY_BYTES - len(_joined(form, [{k: plain(t) for k, t in m.items()} for m in medications]).encode())
    written = []
    for medication in medications:
        fields = {}
        for key, text in medication.items():
            characters = []
            for character in text:
                extra = 6 - len(plain(character).encode())
                if extra <= room and ord(character) <= 0xFFFF:  # one escape (beyond it, a surrogate pair)
                    room -= extra
                    characters.append(f"\\u{ord(character):04x}")
                else:
                    characters.append(plain(character))
            fields[key] = "".join(characters)
        written.append(fields)
    body = _joined(form, written)
    if len(body.encode()) > MAX_BODY_BYTES or json.loads(body)["medications"] != medications:
        raise RuntimeError("the adversarial form does not fit in the body limit")
    return body


def _joined(form: dict[str, Any], medications: list[dict[str, str]]) -> str:
    """The form's JSON with these medications, their texts written as given (already JSON-escaped)."""
    listed = ", ".join("{" + ", ".join(f'"{key}": "{text}"' for key, text in m.items()) + "}" for m in medications)
    empty = json.dumps(form | {"medications": []}, ensure_ascii=False)
    return empty.replace('"medications": []', f'"medications": [{listed}]')


def received() -> dict[str, Any]:
    """The validation context the handler builds, at the moment the checked-in events were received (their
    `timeEpoch`): the forms are valid then, not forever."""
    now = received_at(event("intake-clear")["requestContext"]["timeEpoch"])
    return {"today": now.date(), "now": now}


Timing = tuple[float, float]
"""(CPU µs, wall µs): on a shared machine the wall clock also counts the waits for a core, so the verdict uses the
process's CPU time and the wall time is shown beside it."""


Work = Callable[[str, dict[str, Any]], None]
"""What is timed for one body, with the validation context."""


def _validated_and_screened(body: str, context: dict[str, Any]) -> None:
    screen(IntakeForm.model_validate_json(body, context=context), context["today"])


def _duplicate_checked(body: str, context: dict[str, Any]) -> None:
    parse_without_duplicates(body, IntakeForm)


def _micros(work: Work, bodies: list[str], context: dict[str, Any], rounds: int = 1) -> Timing:
    """(CPU, wall) µs per body of `rounds` rounds of `work` over `bodies`."""
    count = rounds * len(bodies)
    cpu, wall = time.process_time_ns(), time.perf_counter_ns()
    for _ in range(rounds):
        for body in bodies:
            work(body, context)
    return (time.process_time_ns() - cpu) / 1e3 / count, (time.perf_counter_ns() - wall) / 1e3 / count


BATCHES = 30
"""The ordinary and loaded figures are medians over this many batches each, run back to back: a pause of 50 ms after
each round of batches made most batches up to twice as slow on this machine (an idle virtual CPU resumes slowly)."""

Warm = tuple[Timing, float, float]
"""The median batch's (CPU, wall) µs per form, and the lowest and highest batch's CPU µs."""


def _warm_micros(groups: list[list[str]], rounds: int, work: Work) -> list[Warm]:
    """Per group of bodies, what `work` costs a warm function per form: one untimed round first, since it builds what
    a process builds once (the misspelling index on its first misspelling, the memories of lines read: 25 ms a loaded
    form here, 13 µs a form in one mean over 2,000 rounds); then BATCHES batches of rounds/BATCHES rounds, the groups'
    batches alternating, so that a neighbour's burst of load slows a few batches of each figure, not one figure."""
    context = received()
    for bodies in groups:
        for body in bodies:
            work(body, context)
    per_batch = max(1, rounds // BATCHES)
    batches: list[list[Timing]] = [[] for _ in groups]
    for _ in range(BATCHES):
        for bodies, timings in zip(groups, batches, strict=True):
            timings.append(_micros(work, bodies, context, per_batch))
    return [
        (
            (statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)),
            min(t[0] for t in timings),
            max(t[0] for t in timings),
        )
        for timings in batches
    ]


def ordinary_and_loaded() -> tuple[list[str], list[str]]:
    """The checked-in clear, flagged and emergency forms, and the same forms with ten medicines (brands, a misspelling,
    Chinese, a cream), allergies and STarT Back."""
    forms = [json.loads(event(name)["body"]) for name in ("intake-clear", "intake-flagged", "intake-emergency")]
    extras = {
        "medications": LOADED_MEDICATIONS,
        "allergies": ["penicillin", "latex"],
        "start_back": {
            "leg_pain": True,
            "shoulder_or_neck_pain": False,
            "walked_short_distances_only": True,
            "dressed_more_slowly": False,
            "not_safe_to_be_active": True,
            "worrying_thoughts": True,
            "pain_terrible_never_better": False,
            "stopped_enjoying_things": True,
            "bothersomeness": "very_much",
        },
    }
    return [json.dumps(form) for form in forms], [json.dumps(form | extras) for form in forms]


def adversarial_micros(forms: int) -> dict[str, tuple[Timing, float]]:
    """Per strategy: the median (CPU, wall) µs over `forms` fresh forms, each screened once, and the maximum CPU µs."""
    context = received()
    _validated_and_screened(adversarial_body("near-misses, every first letter", -1), context)  # first-use index build
    result: dict[str, tuple[Timing, float]] = {}
    for strategy in STRATEGIES:
        timings = [
            _micros(_validated_and_screened, [adversarial_body(strategy, seed)], context) for seed in range(forms)
        ]
        cpu = statistics.median(t[0] for t in timings)
        wall = statistics.median(t[1] for t in timings)
        result[strategy] = ((cpu, wall), max(t[0] for t in timings))
    return result


def largest_bodies_duplicate_check(forms: int) -> Timing:
    """The median (CPU, wall) µs of the duplicate-key check over `forms` adversarial bodies of each strategy: bodies of
    64 KB, reported beside the budget, which architecture.md sets for the intake forms."""
    context = received()
    timings = [
        _micros(_duplicate_checked, [adversarial_body(strategy, seed)], context)
        for strategy in STRATEGIES
        for seed in range(forms)
    ]
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def measurements(rounds: int, forms: int) -> list[tuple[str, Timing, float | None]]:
    """(what, (CPU µs, wall µs), budget µs or None when only reported) for ordinary, loaded and the worst adversarial
    strategy, then each one; then the duplicate-key check."""
    ordinary, loaded = ordinary_and_loaded()
    forms_of = {"event forms": ordinary, "forms loaded with 10 medicines": loaded}
    spread = f"median of {BATCHES} batches"
    rows: list[tuple[str, Timing, float | None]] = [
        (f"validate + screen, {len(bodies)} {kind} ({spread}: {low:.0f}-{high:.0f})", timing, budget)
        for (kind, bodies), (timing, low, high), budget in zip(
            forms_of.items(),
            _warm_micros(list(forms_of.values()), rounds, _validated_and_screened),
            (ORDINARY_BUDGET_US, LOADED_BUDGET_US),
            strict=True,
        )
    ]
    adversarial = adversarial_micros(forms)
    worst = max(adversarial, key=lambda strategy: adversarial[strategy][0][0])
    label = f"validate + screen, worst adversarial form (median of {forms}: {worst})"
    rows.append((label, adversarial[worst][0], WORST_BUDGET_US))
    rows.extend(
        (f"  adversarial: {strategy} (median; max cpu {high:.0f} us)", timing, WORST_BUDGET_US)
        for strategy, (timing, high) in adversarial.items()
    )
    rows.extend(
        (
            f"duplicate-key check, {len(bodies)} {kind} ({spread}: {low:.0f}-{high:.0f})",
            timing,
            DUPLICATE_CHECK_BUDGET_US,
        )
        for (kind, bodies), (timing, low, high) in zip(
            forms_of.items(), _warm_micros(list(forms_of.values()), rounds, _duplicate_checked), strict=True
        )
    )
    largest = f"duplicate-key check, adversarial bodies of 64 KB (median of {forms} of each strategy)"
    rows.append((largest, largest_bodies_duplicate_check(forms), None))
    return rows


def machine_speed_ms() -> float:
    """CPU ms of sum(range(10**7)), best of three: a plain interpreter loop, to tell a slow machine from slow code."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time_ns()
        sum(range(10**7))
        best = min(best, (time.process_time_ns() - start) / 1e6)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench_screening", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a smoke run, not a measurement")
    args = parser.parse_args(argv)
    rounds, forms = (50, 10) if args.quick else (2000, 60)
    print(f"machine: sum(range(10**7)) in {machine_speed_ms():.0f} ms CPU")
    for what, (cpu, wall), budget in measurements(rounds, forms):
        verdict = "(reported)" if budget is None else f"(budget {budget:.0f} us) {'PASS' if cpu <= budget else 'MISS'}"
        print(f"{what:<90} cpu {cpu:>8.1f} us  wall {wall:>8.1f} us  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
