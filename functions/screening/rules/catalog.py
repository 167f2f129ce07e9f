"""The screening catalog: every rule in the order flags of equal severity are listed, and its version.

CATALOG_VERSION is CalVer `year.month.patch`: the year and month of the clinical basis the catalog
implements (2026.12 = specification version 2, December 2026), and a patch number from 0 for every later change
within it. A new specification starts a new `year.month.0` line. Bump the version whenever a rule's id, trigger,
severity or texts, the patient advice, or the medicine lexicon change: docs/rules.json records the fingerprint of
the catalog the version was given to, and the tests refuse a changed catalog under an unchanged version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, get_args

from screening.contract.intake import RedFlags, Safety
from screening.rules.catalog_red_flags import RED_FLAG_RULES
from screening.rules.catalog_safety import SAFETY_RULES
from screening.rules.facts import AGE_INPUTS, MEDICATION_INPUTS, START_BACK_INPUT
from screening.rules.medicine_lexicon import GUARDS_PATH, LEXICON_PATH
from screening.rules.medicines import MedicineGroup
from screening.rules.rule import Rule

CATALOG_VERSION = "2026.12.2"
LEXICON = (LEXICON_PATH, GUARDS_PATH)
"""The medicine reader's data: the curated lexicon and the generated guard words, both part of the fingerprint."""


INPUTS = frozenset(
    {
        *Safety.model_fields,
        *RedFlags.model_fields,
        *get_args(MedicineGroup),
        *MEDICATION_INPUTS,
        START_BACK_INPUT,
        *AGE_INPUTS,
    }
)
"""Every key a rule may declare in `reads`."""


def _checked(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Refuse at import a catalog with duplicate ids, a rule reading nothing or unknown inputs, or an `unless`
    naming a rule that is not evaluated earlier (the engine evaluates in catalog order)."""
    seen: set[str] = set()
    for rule in rules:
        if rule.rule_id in seen:
            raise ValueError(f"duplicate rule id {rule.rule_id}")
        if not rule.reads or not INPUTS.issuperset(rule.reads):
            raise ValueError(f"{rule.rule_id}: reads must name known inputs: {sorted(set(rule.reads) - INPUTS)}")
        unknown = set(rule.unless) - seen
        if unknown:
            raise ValueError(f"{rule.rule_id}: unless names rules not evaluated before it: {sorted(unknown)}")
        seen.add(rule.rule_id)
    return rules


CATALOG: tuple[Rule, ...] = _checked((*SAFETY_RULES, *RED_FLAG_RULES))


def catalog_rules() -> list[dict[str, Any]]:
    """Every rule as people read it, in catalog order."""
    return [rule.export() for rule in CATALOG]


def catalog_export() -> dict[str, Any]:
    """The catalog as JSON-able data: its version and every rule (for GET /rules and docs/rules.json)."""
    return {"version": CATALOG_VERSION, "rules": catalog_rules()}


def fingerprint(rules: list[dict[str, Any]]) -> str:
    """sha256 of the canonical JSON of the rules (version excluded) and of the medicine lexicon, so a change to a
    rule or to which medicines are recognised changes it."""
    canonical = json.dumps(rules, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode())
    for path in LEXICON:
        digest.update(b"\n" + path.read_bytes())
    return digest.hexdigest()
