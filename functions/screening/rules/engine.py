"""Screens one validated intake form against the catalog: pure, deterministic, no I/O.

Only rules that read at least one input differing from the all-"no" form are evaluated (see `Rule.reads`); a
typical form leaves a handful, which keeps a screening within microseconds. The tests compare this against
evaluating every rule on many forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from screening.contract.intake import IntakeForm
from screening.contract.screening import Evidence, Screening, Severity
from screening.rules.advice import patient_advice
from screening.rules.catalog import CATALOG, CATALOG_VERSION
from screening.rules.facts import Facts
from screening.rules.rule import Rule

_REVIEW_SEVERITIES = frozenset({Severity.CRITICAL, Severity.WARNING})


def _index(rules: tuple[Rule, ...]) -> dict[str, tuple[int, ...]]:
    """Input key → positions of the rules that read it."""
    index: dict[str, list[int]] = {}
    for position, rule in enumerate(rules):
        for key in rule.reads:
            index.setdefault(key, []).append(position)
    return {key: tuple(positions) for key, positions in index.items()}


_RULES_READING = _index(CATALOG)


def candidates(facts: Facts) -> list[Rule]:
    """The rules that can fire for these facts, in catalog order."""
    positions: set[int] = set()
    for key in facts.active:
        positions.update(_RULES_READING.get(key, ()))
    return [CATALOG[position] for position in sorted(positions)]


def evaluate(facts: Facts, rules: Iterable[Rule]) -> list[tuple[Rule, list[Evidence]]]:
    """The rules that fire, with their evidence, most severe first and otherwise in the order given."""
    fired: list[tuple[Rule, list[Evidence]]] = []
    fired_ids: set[str] = set()
    for rule in rules:
        if rule.unless and not fired_ids.isdisjoint(rule.unless):
            continue
        evidence = rule.find(facts)
        if evidence:
            fired.append((rule, evidence))
            fired_ids.add(rule.rule_id)
    fired.sort(key=lambda item: item[0].severity.rank)
    return fired


def screen(form: IntakeForm, today: date, *, emergency_number: str | None = None) -> Screening:
    """The screening of `form` submitted on `today`: flags most severe first, then in catalog order.

    Patient advice is in the form's language and its closing sentence names `emergency_number`, the clinic's
    emergency number ("999"), when given; otherwise it says "your local emergency number".
    """
    facts = Facts.of(form, today)
    fired = evaluate(facts, candidates(facts))
    return Screening(
        catalog_version=CATALOG_VERSION,
        screened_on=today,
        status="needs_review" if any(rule.severity in _REVIEW_SEVERITIES for rule, _ in fired) else "clear",
        highest_severity=fired[0][0].severity if fired else None,
        flags=[rule.flag(evidence) for rule, evidence in fired],
        start_back=facts.start_back,
        patient_advice=patient_advice(
            [rule.advice for rule, _ in fired if rule.advice], form.locale, emergency_number=emergency_number
        ),
    )
