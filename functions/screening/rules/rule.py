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
from screening.rules.facts import Facts

ALWAYS = "always"
"""The `reads` key of rules that depend on values every form has (age), so they are never skipped."""

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
    patient_advice: str | None = field(default=None, kw_only=True)
    """Plain-language advice for the patient; set only on the emergencies docs/clinical-basis.md marks ⚑."""

    def flag(self, evidence: list[Evidence]) -> Flag:
        return Flag(
            rule_id=self.rule_id,
            category=self.category,
            severity=self.severity,
            title=self.title,
            action=self.action,
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
            "emergency": self.patient_advice is not None,
            "patient_advice": self.patient_advice,
            "unless": list(self.unless),
        }
