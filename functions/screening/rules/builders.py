"""Small constructors for the catalog's most common rule shapes, so each clinical row reads as data."""

from __future__ import annotations

from screening.contract.screening import Category, Evidence, Severity
from screening.rules.facts import Facts, Question
from screening.rules.rule import Finder, Rule

CLARIFY = "Clarify before treatment: "
UNSURE_SOURCE = "an unsure answer is screened as a possible yes (clinical specification)"


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
    return [q.evidence(facts, note="unsure: clarify") for q in questions if q(facts) == "unsure"]


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
) -> tuple[Rule, Rule]:
    """A yes rule for one tri-state question and its unsure companion (warning, "Clarify before treatment")."""
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
        ),
    )
