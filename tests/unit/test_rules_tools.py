"""`python -m devtools.screen`: the screening JSON with exit 0, or field errors (never the values) with exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devtools import screen as screen_tool
from tests.support import merge
from tests.unit.forms import base_form, red_flags

TODAY = "2026-11-24"


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str | bytes, *options: str) -> tuple[int, Any]:
    path = tmp_path / "form.json"
    path.write_bytes(body.encode() if isinstance(body, str) else body)
    code = screen_tool.main([str(path), "--today", TODAY, *options])
    return code, json.loads(capsys.readouterr().out)


def test_prints_the_screening_with_every_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = merge(base_form(), red_flags(saddle_numbness="yes"))
    form["medications"] = [{"name": "Eliquis", "dose": "5 mg twice a day"}]
    code, out = run(tmp_path, capsys, json.dumps(form))
    assert code == 0
    assert set(out) == {
        "catalog_version",
        "screened_on",
        "status",
        "highest_severity",
        "flags",
        "start_back",
        "patient_advice",
    }
    assert (out["status"], out["highest_severity"], out["screened_on"]) == ("needs_review", "critical", TODAY)
    assert out["patient_advice"]
    assert set(out["flags"][0]) == {"rule_id", "category", "severity", "title", "action", "evidence", "source"}
    medicine = next(e for f in out["flags"] for e in f["evidence"] if e["field"] == "medications[0].name")
    assert (medicine["value"], medicine["matched_drug"], medicine["atc_code"], medicine["atc_class"]) == (
        None,
        "apixaban",
        "B01AF02",
        "B01AF",
    )


def test_a_clear_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, capsys, json.dumps(base_form()))
    assert (code, out["status"], out["flags"], out["highest_severity"]) == (0, "clear", [], None)


def test_invalid_form_prints_field_errors_without_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = merge(base_form(), {"patient": {"given_name": "Zelda-Secret"}, "safety": {"epilepsy": "maybe"}, "extra": 1})
    del form["red_flags"]["night_pain"]
    code, out = run(tmp_path, capsys, json.dumps(form))
    assert code == 2
    assert {(e["field"], e["message"]) for e in out} >= {
        ("red_flags.night_pain", "required"),
        ("extra", "unknown field"),
    }
    assert any(e["field"] == "safety.epilepsy" for e in out)
    assert "maybe" not in json.dumps(out) and "Zelda" not in json.dumps(out)


def test_malformed_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, capsys, '{"form_version": "1", ')
    assert code == 2 and out and set(out[0]) == {"field", "message"}


def test_oversized_body_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, capsys, b" " * (64 * 1024 + 1))
    assert (code, out) == (2, [{"field": "(body)", "message": "larger than 65536 bytes"}])


def test_ages_are_computed_on_the_given_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(tmp_path, capsys, json.dumps(merge(base_form(), {"patient": {"date_of_birth": "2008-11-25"}})))
    assert code == 0
    assert [f["rule_id"] for f in out["flags"]] == ["minor_consent.no_guardian"]


def test_the_clinic_number_goes_into_the_advice_in_the_form_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = merge(base_form(), merge(red_flags(worsening_leg_weakness="yes"), {"locale": "es"}))
    code, out = run(tmp_path, capsys, json.dumps(form), "--emergency-number", "112")
    assert code == 0 and out["patient_advice"].endswith("llame al 112.")


def test_a_bad_clinic_number_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "form.json"
    path.write_text(json.dumps(base_form()))
    with pytest.raises(SystemExit) as exit_info:
        screen_tool.main([str(path), "--emergency-number", "call us"])
    assert exit_info.value.code == 2
    assert "emergency_number" in capsys.readouterr().err
