"""The catalog as data: complete, consistent, exported, documented, and versioned."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import get_args

import pytest

from devtools import gen_rules
from screening.contract.intake import Locale
from screening.contract.screening import Category, Severity
from screening.rules import CATALOG_VERSION, catalog_export
from screening.rules.catalog import CATALOG, _checked, catalog_rules, fingerprint

EMERGENCIES = {
    "red_flag_cauda_equina.saddle_or_sphincter",
    "red_flag_neurological_deficit.worsening_weakness",
    "red_flag_infection.fever_with_risk",
}
FIELDS = {
    "rule_id",
    "category",
    "severity",
    "title",
    "trigger",
    "action",
    "source",
    "emergency",
    "patient_advice",
    "unless",
}


def test_every_contract_category_has_rules() -> None:
    assert {rule.category for rule in CATALOG} == set(Category)


def test_rule_ids_are_stable_dotted_names_under_their_category() -> None:
    for rule in CATALOG:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", rule.rule_id), rule.rule_id
        assert rule.rule_id.split(".")[0] == rule.category.value
    assert len({rule.rule_id for rule in CATALOG}) == len(CATALOG)


def test_every_rule_says_what_why_and_what_to_do_in_one_line_each() -> None:
    for rule in CATALOG:
        for text in (rule.title, rule.trigger, rule.action, rule.source):
            assert text.strip() and "\n" not in text, rule.rule_id
        assert len(rule.title) <= 90, rule.rule_id


def test_unsure_rules_are_at_least_warnings_asking_to_clarify() -> None:
    unsure = [rule for rule in CATALOG if rule.rule_id.endswith(".unsure")]
    assert len(unsure) >= 20
    for rule in unsure:
        assert rule.severity in (Severity.CRITICAL, Severity.WARNING), rule.rule_id
        assert rule.action.startswith("Clarify before treatment: ") or rule.rule_id == "pregnancy.unsure"
        assert "unsure" in rule.trigger and rule.advice is None


def test_unsure_on_an_emergency_is_critical_and_says_why() -> None:
    for rule_id in EMERGENCIES:
        unsure = next(rule for rule in CATALOG if rule.rule_id == f"{rule_id}.unsure")
        assert unsure.severity == Severity.CRITICAL
        assert "critical rather than warning" in unsure.trigger


def test_patient_advice_only_on_the_marked_emergencies() -> None:
    assert {rule.rule_id for rule in CATALOG if rule.advice} == EMERGENCIES
    assert all(rule.severity == Severity.CRITICAL for rule in CATALOG if rule.advice)


def test_a_combination_keeps_its_severity_when_an_answer_is_unsure() -> None:
    by_id = {rule.rule_id: rule for rule in CATALOG}
    for rule_id in (
        "red_flag_infection.fever_with_risk",
        "red_flag_infection.fever_with_diabetes",
        "red_flag_malignancy.cancer_with_features",
        "red_flag_malignancy.cancer_with_both_legs",
        "red_flag_malignancy.weak_signs_all_three",
        "red_flag_fracture.injury_unsure_with_risk",
    ):
        assert by_id[f"{rule_id}.unsure"].severity == by_id[rule_id].severity == Severity.CRITICAL, rule_id
        assert rule_id in by_id[f"{rule_id}.unsure"].unless


def test_sources_cite_published_guidance_not_internal_documents() -> None:
    for rule in CATALOG:
        assert not re.search(r"specification|internal|design doc|screening-knowledge", rule.source, re.I), rule.rule_id


def test_the_version_is_calver_on_the_2026_12_line() -> None:
    year, month, patch = CATALOG_VERSION.split(".")
    assert (year, month) == ("2026", "12") and patch.isdigit() and str(int(patch)) == patch


def test_nsaids_and_ssris_are_info_at_most() -> None:
    assert next(rule for rule in CATALOG if rule.rule_id == "bleeding.nsaid_or_ssri").severity == Severity.INFO


def test_export_is_json_with_every_field() -> None:
    export = catalog_export()
    assert export["version"] == CATALOG_VERSION
    assert json.loads(json.dumps(export)) == export
    assert [rule["rule_id"] for rule in export["rules"]] == [rule.rule_id for rule in CATALOG]
    for rule in export["rules"]:
        assert set(rule) == FIELDS
        assert rule["emergency"] is (rule["patient_advice"] is not None)
        if rule["emergency"]:
            assert set(rule["patient_advice"]) == set(get_args(Locale))


def test_catalog_refuses_duplicates_unknown_inputs_and_forward_unless() -> None:
    first, second = CATALOG[0], CATALOG[1]
    with pytest.raises(ValueError, match="duplicate"):
        _checked((first, first))
    with pytest.raises(ValueError, match="reads"):
        _checked((replace(first, reads=("blood_thiners",)),))
    with pytest.raises(ValueError, match="reads"):
        _checked((replace(first, reads=()),))
    with pytest.raises(ValueError, match="unless"):
        _checked((replace(first, unless=(second.rule_id,)), second))


def test_fingerprint_changes_with_any_rule_text() -> None:
    rules = catalog_rules()
    changed = [dict(rules[0], action=rules[0]["action"] + "."), *rules[1:]]
    assert fingerprint(changed) != fingerprint(rules)
    assert fingerprint(json.loads(json.dumps(rules))) == fingerprint(rules)


def test_generated_docs_are_current() -> None:
    assert gen_rules.main(["--check"]) == 0, (
        "docs/rules.md or docs/rules.json is stale: run python -m devtools.gen_rules"
    )


def test_catalog_version_was_bumped_for_the_current_rules() -> None:
    recorded = gen_rules.recorded_document()
    assert recorded is not None
    assert gen_rules.version_problem(recorded, gen_rules.document()) is None, "bump CATALOG_VERSION"
    assert recorded["fingerprint"] == fingerprint(catalog_rules()), "run python -m devtools.gen_rules"


def test_version_guard_refuses_a_changed_catalog_under_the_same_version() -> None:
    current = gen_rules.document()
    stale = {**current, "fingerprint": "0" * 64}
    problem = gen_rules.version_problem(stale, current)
    assert problem is not None and "bump CATALOG_VERSION" in problem
    assert gen_rules.version_problem({**stale, "version": "2000.1.0"}, current) is None
    assert gen_rules.version_problem(current, current) is None
    assert gen_rules.version_problem(None, current) is None


def test_markdown_lists_every_rule_with_trigger_severity_action_and_source() -> None:
    text = gen_rules.RULES_MD.read_text("utf-8")
    assert CATALOG_VERSION in text
    for rule in CATALOG:
        assert f"### `{rule.rule_id}` — {rule.severity.value}" in text
        for part in (rule.trigger, rule.action, rule.source):
            assert part in text
