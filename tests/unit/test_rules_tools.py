"""`python -m devtools.screen`: the screening JSON (exit 0) or field errors, no values (exit 2); events unwrapped."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
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
        ("body[6]", "unknown field"),  # an unknown key is named by its position, never by its text
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


EVENTS = Path(__file__).resolve().parents[2] / "events"


def test_an_api_gateway_event_is_recognised_and_its_body_screened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "intake-flagged.json"
    path.write_bytes((EVENTS / "intake-flagged.json").read_bytes())
    code = screen_tool.main([str(path), "--today", TODAY])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err.strip() == f"{path}: an API Gateway event for POST /intakes; screening its body"
    _, from_body = run(tmp_path, capsys, json.loads(path.read_text())["body"])
    assert json.loads(captured.out) == from_body
    assert from_body["status"] == "needs_review"


def test_an_event_with_a_base64_body_is_decoded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    event = json.loads((EVENTS / "intake-clear.json").read_text())
    event["body"] = base64.b64encode(event["body"].encode()).decode()
    event["isBase64Encoded"] = True
    code, out = run(tmp_path, capsys, json.dumps(event))
    assert (code, out["status"]) == (0, "clear")


@pytest.mark.parametrize(
    ("event_file", "message"),
    [
        ("rules-get.json", "an API Gateway event for GET /rules, which carries no intake form"),
        ("reviews-list.json", "an API Gateway event for GET /reviews, which carries no intake form"),
    ],
)
def test_an_event_of_another_route_is_one_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], event_file: str, message: str
) -> None:
    path = tmp_path / event_file
    path.write_bytes((EVENTS / event_file).read_bytes())
    code = screen_tool.main([str(path), "--today", TODAY])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err.strip() == f"{path}: {message} (only POST /intakes does)"


def test_an_intake_event_without_a_body_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    event = json.loads((EVENTS / "intake-clear.json").read_text())
    del event["body"]
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    code = screen_tool.main([str(path), "--today", TODAY])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err.strip() == f"{path}: an API Gateway event for POST /intakes without a body"


def test_the_clinic_number_goes_into_the_advice_in_the_form_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = merge(base_form(), merge(red_flags(worsening_leg_weakness="yes"), {"locale": "es"}))
    code, out = run(tmp_path, capsys, json.dumps(form), "--emergency-number", "112")
    assert code == 0 and out["patient_advice"].endswith("llame al 112.")


def test_an_event_without_a_date_given_is_screened_on_the_day_it_was_received(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = json.loads((EVENTS / "intake-flagged.json").read_text())
    received = datetime(2020, 3, 2, 14, 0, tzinfo=UTC)
    event["requestContext"]["timeEpoch"] = int(received.timestamp() * 1000)
    form = json.loads(event["body"])
    form["appointment"] = {"starts_at": "2020-03-03T09:30:00+01:00"}
    event["body"] = json.dumps(form)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))

    code = screen_tool.main([str(path)])

    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert out["screened_on"] == "2020-03-02"


def test_a_bad_clinic_number_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "form.json"
    path.write_text(json.dumps(base_form()))
    with pytest.raises(SystemExit) as exit_info:
        screen_tool.main([str(path), "--emergency-number", "call us"])
    assert exit_info.value.code == 2
    assert "emergency_number" in capsys.readouterr().err
