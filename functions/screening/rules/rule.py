"""The shape of a catalog rule: data a practitioner reads plus one `find` function the engine calls.

`find` returns the evidence when the rule fires and nothing when it does not, so the catalog exports as plain data
and the engine stays a loop. `reads` names the inputs `find` looks at; the engine skips a rule when all of them
hold their all-"no" value, which keeps a typical screening to a handful of calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from screening.contract.screening import Category, Evidence, Flag, Severity
from screening.rules.advice import MESSAGES, AdviceKey
from screening.rules.facts import Facts

Finder = Callable[[Facts], list[Evidence] | None]
"""Returns the evidence when the rule fires; None (or an empty list) when it does not."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One catalog entry. `unless` names earlier rules that, when fired, make this one redundant."""

    rule_id: str
    category: Category
    severity: Severity
    title: str
    trigger: str
    action: str
    source: str
    find: Finder = field(repr=False, compare=False)
    reads: tuple[str, ...] = field(kw_only=True)
    unless: tuple[str, ...] = field(default=(), kw_only=True)
    advice: AdviceKey | None = field(default=None, kw_only=True)
    """The patient's advice (advice.py, in every form language); only on the emergencies marked ⚑."""
    specific: Callable[[list[Evidence]], str | None] | None = field(default=None, kw_only=True, compare=False)
    """Adds a sentence to the flag's action that fits what was found (e.g. the drug class); None adds nothing."""

    def flag(self, evidence: list[Evidence]) -> Flag:
        extra = self.specific(evidence) if self.specific else None
        return Flag(
            rule_id=self.rule_id,
            category=self.category,
            severity=self.severity,
            title=self.title,
            action=f"{self.action}. {extra}" if extra else self.action,
            evidence=evidence,
            source=self.source,
        )

    def export(self) -> dict[str, Any]:
        """The rule as people read it (docs, GET /rules): everything but the code."""
        return {
            "rule_id": self.rule_id,
            "category": self.category.value,
            "severity": self.severity.value,
            "title": self.title,
            "trigger": self.trigger,
            "action": self.action,
            "source": self.source,
            "emergency": self.advice is not None,
            "patient_advice": (
                {locale: messages.emergencies[self.advice] for locale, messages in MESSAGES.items()}
                if self.advice
                else None
            ),
            "unless": list(self.unless),
        }
