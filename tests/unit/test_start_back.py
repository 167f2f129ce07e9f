"""Keele STarT Back scoring: item mapping, the published cut-offs at their boundaries, and its place in a screening."""

from __future__ import annotations

from typing import Any

import pytest

from screening.contract.intake import StartBack
from screening.rules.start_back import risk_group, score_start_back
from tests.unit.forms import found, rule_ids, screened

PHYSICAL = ("leg_pain", "shoulder_or_neck_pain", "walked_short_distances_only", "dressed_more_slowly")
PSYCHOSOCIAL = ("not_safe_to_be_active", "worrying_thoughts", "pain_terrible_never_better", "stopped_enjoying_things")


def answers(agree: tuple[str, ...] = (), bothersomeness: str = "not_at_all") -> dict[str, Any]:
    return {
        **dict.fromkeys(PHYSICAL + PSYCHOSOCIAL, False),
        **dict.fromkeys(agree, True),
        "bothersomeness": bothersomeness,
    }


def score(agree: tuple[str, ...] = (), bothersomeness: str = "not_at_all") -> tuple[int, int, str]:
    result = score_start_back(StartBack.model_validate(answers(agree, bothersomeness)))
    return result.total, result.psychosocial, result.risk


@pytest.mark.parametrize("item", PHYSICAL)
def test_items_1_to_4_count_in_the_total_only(item: str) -> None:
    assert score((item,)) == (1, 0, "low")


@pytest.mark.parametrize("item", PSYCHOSOCIAL)
def test_items_5_to_8_count_in_total_and_subscale(item: str) -> None:
    assert score((item,)) == (1, 1, "low")


@pytest.mark.parametrize(
    ("bothersomeness", "points"),
    [
        ("not_at_all", 0),
        ("slightly", 0),
        ("moderately", 0),
        ("very_much", 1),
        ("extremely", 1),
    ],
)
def test_item_9_scores_only_very_much_or_extremely(bothersomeness: str, points: int) -> None:
    assert score(bothersomeness=bothersomeness) == (points, points, "low")


@pytest.mark.parametrize(
    ("agree", "bothersomeness", "expected"),
    [
        ((), "not_at_all", (0, 0, "low")),
        (PHYSICAL[:3], "not_at_all", (3, 0, "low")),  # total 3: low
        (PHYSICAL, "not_at_all", (4, 0, "medium")),  # total 4, subscale 0: medium
        (PSYCHOSOCIAL[:3], "not_at_all", (3, 3, "low")),  # subscale 3, total 3: low
        (PSYCHOSOCIAL[:3] + PHYSICAL[:1], "not_at_all", (4, 3, "medium")),  # total 4, subscale 3: medium
        (PSYCHOSOCIAL, "not_at_all", (4, 4, "high")),  # subscale 4: high at the lowest total possible
        (PSYCHOSOCIAL[:3], "extremely", (4, 4, "high")),  # item 9 completes the subscale
        (PHYSICAL + PSYCHOSOCIAL[:3], "moderately", (7, 3, "medium")),  # high total, subscale 3: still medium
        (PHYSICAL + PSYCHOSOCIAL, "very_much", (9, 5, "high")),
    ],
)
def test_published_cut_offs(agree: tuple[str, ...], bothersomeness: str, expected: tuple[int, int, str]) -> None:
    assert score(agree, bothersomeness) == expected


@pytest.mark.parametrize(
    ("total", "psychosocial", "risk"),
    [
        (3, 3, "low"),
        (4, 3, "medium"),
        (4, 4, "high"),
        (9, 3, "medium"),
        (5, 5, "high"),
        (0, 0, "low"),
    ],
)
def test_risk_group_boundaries(total: int, psychosocial: int, risk: str) -> None:
    assert risk_group(total, psychosocial) == risk


def test_screening_reports_the_score_and_raises_high_risk_as_info_only() -> None:
    result = screened({"start_back": answers(PSYCHOSOCIAL, "extremely")})
    assert result.start_back is not None
    assert (result.start_back.total, result.start_back.psychosocial, result.start_back.risk) == (5, 5, "high")
    assert found(result) == {("psychosocial_risk", "info")}
    assert result.status == "clear"
    evidence = result.flags[0].evidence
    assert [e.field for e in evidence] == [f"start_back.{item}" for item in PSYCHOSOCIAL] + [
        "start_back.bothersomeness"
    ]
    assert evidence[0].note == "total 5, psychosocial subscale 5: high risk"


@pytest.mark.parametrize("agree", [PHYSICAL + PSYCHOSOCIAL[:3], ()])
def test_medium_and_low_risk_raise_nothing(agree: tuple[str, ...]) -> None:
    result = screened({"start_back": answers(agree)})
    assert result.start_back is not None
    assert "psychosocial_risk.start_back_high" not in rule_ids(result)
    assert result.flags == []


def test_no_questionnaire_no_score() -> None:
    result = screened()
    assert result.start_back is None
    assert result.flags == []
