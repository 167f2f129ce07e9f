"""Keele STarT Back Screening Tool scoring (Hill et al. 2008), exactly as published.

Items 1–8 score 1 when the patient agrees; item 9 (bothersomeness) scores 1 for "very much" or "extremely".
Total = items 1–9; psychosocial subscale = items 5–9. Low risk: total ≤ 3; medium: total ≥ 4 and subscale ≤ 3;
high: subscale ≥ 4 (whatever the total).
"""

from __future__ import annotations

from functools import cache
from operator import attrgetter

from screening.contract.intake import StartBack
from screening.contract.screening import RiskGroup, StartBackScore

_PHYSICAL_ITEMS = ("leg_pain", "shoulder_or_neck_pain", "walked_short_distances_only", "dressed_more_slowly")
"""Items 1–4, contract names in the tool's item order."""

PSYCHOSOCIAL_ITEMS = (
    "not_safe_to_be_active",
    "worrying_thoughts",
    "pain_terrible_never_better",
    "stopped_enjoying_things",
)
"""Items 5–8; item 9 is bothersomeness."""

BOTHERSOME = frozenset({"very_much", "extremely"})
_HIGH_SUBSCALE = 4
_MEDIUM_TOTAL = 4


_psychosocial_items = attrgetter(*PSYCHOSOCIAL_ITEMS)
_physical_items = attrgetter(*_PHYSICAL_ITEMS)


def score_start_back(answers: StartBack) -> StartBackScore:
    """Total, psychosocial subscale and risk group of one completed questionnaire."""
    psychosocial = sum(_psychosocial_items(answers)) + (answers.bothersomeness in BOTHERSOME)
    return _score(psychosocial + sum(_physical_items(answers)), psychosocial)


@cache
def _score(total: int, psychosocial: int) -> StartBackScore:
    """The score is immutable and there are at most 60 of them: each is built once."""
    return StartBackScore(total=total, psychosocial=psychosocial, risk=risk_group(total, psychosocial))


def risk_group(total: int, psychosocial: int) -> RiskGroup:
    """The published cut-offs: the subscale decides high risk before the total decides low or medium."""
    if psychosocial >= _HIGH_SUBSCALE:
        return "high"
    return "medium" if total >= _MEDIUM_TOTAL else "low"
