"""Small constructors for the catalog's most common rule shapes, so each clinical row reads as data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from screening.contract.screening import Category, Evidence, Severity
from screening.rules.advice import AdviceKey
from screening.rules.facts import Facts, Question
from screening.rules.rule import Finder, Rule

CLARIFY = "Clarify before treatment: "
UNSURE_SOURCE = "precautionary: an unsure answer is screened as a possible yes"
UNSURE_NOTE = "unsure: clarify"

State = Literal["yes", "unsure", "no"]
Sign = Callable[[Facts], tuple[State, list[Evidence]]]
"""One part of a combination row: whether it holds (yes), may hold (unsure) or not, with its evidence."""


def continued(action: str) -> str:
    """An action sentence continuing another one ("… If yes: superficial needling …")."""
    return action[0].lower() + action[1:]


def answered(question: Question, answer: str) -> Finder:
    """Fires with the answer as evidence when `question` was answered exactly `answer`."""

    def find(facts: Facts) -> list[Evidence] | None:
        return [question.evidence(facts)] if question(facts) == answer else None

    return find


def unsure_notes(facts: Facts, *questions: Question) -> list[Evidence]:
    """The unsure answers among `questions`, noted so the practitioner clarifies them as well."""
    return [q.evidence(facts, note=UNSURE_NOTE) for q in questions if q(facts) == "unsure"]


def question_rules(
    rule_id: str,
    category: Category,
    question: Question,
    *,
    title: str,
    unsure_title: str,
    action: str,
    ask: str,
    source: str,
    severity: Severity = Severity.WARNING,
    unless: tuple[str, ...] = (),
) -> tuple[Rule, Rule]:
    """A yes rule for one tri-state question and its unsure companion (warning, "Clarify before treatment"), both
    skipped when a rule of `unless` fired."""
    return (
        Rule(
            rule_id,
            category,
            severity,
            title,
            f"`{question.path}` yes",
            action,
            source,
            answered(question, "yes"),
            reads=(question.input,),
            unless=unless,
        ),
        Rule(
            f"{rule_id}.unsure",
            category,
            Severity.WARNING,
            unsure_title,
            f"`{question.path}` unsure",
            f"{CLARIFY}{ask}. If yes: {continued(action)}",
            f"{source}; {UNSURE_SOURCE}",
            answered(question, "unsure"),
            reads=(question.input,),
            unless=unless,
        ),
    )


def sign(question: Question, holds: str = "yes") -> Sign:
    """The sign that `question` was answered `holds`; "unsure" makes it possible."""

    def read(facts: Facts) -> tuple[State, list[Evidence]]:
        answer = question(facts)
        if answer == holds:
            return "yes", [question.evidence(facts)]
        if answer == "unsure":
            return "unsure", [question.evidence(facts, note=UNSURE_NOTE)]
        return "no", []

    return read


def any_sign(*signs: Sign) -> Sign:
    """Holds when any of `signs` holds (with every holding or possible one as evidence); possible when one is."""

    def read(facts: Facts) -> tuple[State, list[Evidence]]:
        states = [s(facts) for s in signs]
        evidence = [e for state, found in states if state != "no" for e in found]
        if any(state == "yes" for state, _ in states):
            return "yes", evidence
        return ("unsure", evidence) if evidence else ("no", [])

    return read


def _combination(signs: tuple[Sign, ...], *, possible: bool) -> Finder:
    def find(facts: Facts) -> list[Evidence] | None:
        evidence: list[Evidence] = []
        unsure = False
        for read in signs:
            state, found = read(facts)
            if state == "no":
                return None
            unsure |= state == "unsure"
            evidence += found
        return evidence if unsure is possible else None

    return find


def combination_rules(
    rule_id: str,
    category: Category,
    severity: Severity,
    signs: tuple[Sign, ...],
    *,
    title: str,
    unsure_title: str,
    trigger: str,
    unsure_trigger: str,
    action: str,
    ask: str,
    source: str,
    reads: tuple[str, ...],
    unless: tuple[str, ...] = (),
    advice: AdviceKey | None = None,
) -> tuple[Rule, Rule]:
    """A row combining signs: the rule when every sign holds, and its ".unsure" companion at the same severity
    when every sign holds or may hold (an unsure answer counts as a possible yes), without patient advice: the
    answers do not show the emergency, so the practice asks first."""
    return (
        Rule(
            rule_id,
            category,
            severity,
            title,
            trigger,
            action,
            source,
            _combination(signs, possible=False),
            reads=reads,
            unless=unless,
            advice=advice,
        ),
        Rule(
            f"{rule_id}.unsure",
            category,
            severity,
            unsure_title,
            unsure_trigger,
            f"{CLARIFY}{ask}. If so: {continued(action)}",
            f"{source}; {UNSURE_SOURCE}",
            _combination(signs, possible=True),
            reads=reads,
            unless=(*unless, rule_id),
        ),
    )
