"""GET /days/{date}: every intake of a clinic-local day, by appointment time, with counts; one Query on ByDay.
Also the day's CSV export. Days, "today" and ages follow the clinic's time zone, not UTC."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from screening.handlers import review
from tests.conftest import AUDIT_TABLE, Aws, reset_cached_clients
from tests.integration.clinic import (
    AUDIT_FAILURES,
    CAUDA_EQUINA,
    break_audit,
    day,
    decide,
    form_for,
    practitioner,
    submit,
    view,
)
from tests.support import PRACTITIONER, LambdaContext, api_event

SUMMARY_KEYS = {
    "id",
    "status",
    "version",
    "received_at",
    "appointment_starts_at",
    "highest_severity",
    "categories",
    "patient_name",
    "decision",
}

TOMORROW = date.today() + timedelta(days=1)
DAY = TOMORROW.isoformat()
"""The clinic day under test: tomorrow, so appointments on it are inside the contract's window whenever tests run."""
NEXT_DAY = (TOMORROW + timedelta(days=1)).isoformat()
SUMMER = f"{date.today().year + 1}-06-01"
SUMMER_NEXT = f"{date.today().year + 1}-06-02"
LONDON = ZoneInfo("Europe/London")


def clear(**patient: Any) -> dict[str, Any]:
    return form_for(medications=[{"name": "paracetamol"}], **patient)


def test_the_day_lists_clear_and_flagged_intakes_by_appointment_time_with_counts(aws: Aws) -> None:
    late = submit(clear(given="Bo", family="Chen", starts_at=f"{DAY}T16:00:00+00:00"))
    critical = submit(form_for(given="Cy", starts_at=f"{DAY}T11:00:00+00:00", red_flags=CAUDA_EQUINA))
    early = submit(form_for(given="Di", starts_at=f"{DAY}T09:00:00+00:00"))
    submit(clear(starts_at=f"{NEXT_DAY}T09:00:00+00:00"))  # another day

    response = day(DAY)

    assert response.status == 200
    assert [item["id"] for item in response.body["items"]] == [early, critical, late]
    assert [item["status"] for item in response.body["items"]] == ["needs_review", "needs_review", "clear"]
    assert response.body["items"][1]["highest_severity"] == "critical"
    assert response.body["counts"] == {"forms_in": 3, "waiting_for_review": 2, "critical": 1, "reviewed": 0}
    assert {key for item in response.body["items"] for key in item} == SUMMARY_KEYS
    assert (response.body["date"], response.body["time_zone"], response.body["next_cursor"]) == (
        DAY,
        "Europe/London",
        None,
    )


def test_a_decision_shows_on_the_day_list_with_who_and_when(aws: Aws) -> None:
    intake_id = submit(form_for(starts_at=f"{DAY}T09:00:00+00:00"))
    claims = PRACTITIONER | {"custom:display_name": "Dr Kim"}
    assert decide(intake_id, {"decision": "refer_to_doctor", "expected_version": 1}, claims).status == 200

    [item] = day(DAY).body["items"]

    assert item["status"] == "reviewed"
    assert item["decision"]["decision"] == "refer_to_doctor"
    assert item["decision"]["by_name"] == "Dr Kim"
    assert item["decision"]["at"].startswith("20")
    assert day(DAY).body["counts"]["reviewed"] == 1


def test_day_boundaries_are_the_clinics_not_utcs(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    """23:30 UTC on 1 June (next year) is 00:30 on 2 June in London (BST) and 19:30 on 1 June in New York."""
    london = submit(form_for(starts_at=f"{SUMMER}T23:30:00+00:00"))
    assert [item["id"] for item in day(SUMMER_NEXT).body["items"]] == [london]
    assert day(SUMMER).body["items"] == []

    monkeypatch.setenv("CLINIC_TIME_ZONE", "America/New_York")
    reset_cached_clients()
    new_york = submit(form_for(given="Eve", starts_at=f"{SUMMER}T23:30:00+00:00"))
    assert [item["id"] for item in day(SUMMER).body["items"]] == [new_york]
    assert day(SUMMER).body["time_zone"] == "America/New_York"


def test_intakes_without_an_appointment_come_last_under_the_day_received(aws: Aws) -> None:
    today = day("today").body["today"]
    walk_in = submit(clear())
    booked = submit(clear(given="Bo", starts_at=f"{today}T12:00:00+00:00"))  # midday UTC: today in London too
    response = day("today")
    assert response.body["date"] == today
    assert [item["id"] for item in response.body["items"]] == [booked, walk_in]
    assert response.body["items"][1]["appointment_starts_at"] is None


def test_a_day_pages_with_a_cursor_that_only_that_day_accepts(aws: Aws) -> None:
    ids = [submit(form_for(given=g, starts_at=f"{DAY}T0{h}:00:00+00:00")) for g, h in (("A", 8), ("B", 9))]
    first = day(DAY, limit="1")
    assert [item["id"] for item in first.body["items"]] == ids[:1]
    assert first.body["next_cursor"]
    second = day(DAY, limit="1", cursor=first.body["next_cursor"])
    assert [item["id"] for item in second.body["items"]] == ids[1:]
    assert day(NEXT_DAY, cursor=first.body["next_cursor"]).status == 400
    queue_page = practitioner("GET", "/reviews", "/reviews", query={"limit": "1"})
    assert day(DAY, cursor=queue_page.body["next_cursor"]).status == 400


@pytest.mark.parametrize("date", ["2026-13-01", "2026-02-30", "yesterday", "2026-1-2", "20261202", "2026-12-02x"])
def test_a_bad_date_is_400_naming_the_path_and_reads_nothing(aws: Aws, date: str) -> None:
    response = day(date)
    assert response.status == 400
    assert response.body["errors"] == [{"field": "path.date", "message": "YYYY-MM-DD or today"}]
    assert aws.dynamodb.scan(TableName=AUDIT_TABLE)["Items"] == []


@pytest.mark.parametrize("limit", ["0", "101", "ten", "-1"])
def test_a_bad_limit_is_400(aws: Aws, limit: str) -> None:
    assert day(DAY, limit=limit).status == 400


def test_the_day_list_is_audited_with_the_ids_it_showed(aws: Aws) -> None:
    intake_id = submit(form_for(starts_at=f"{DAY}T09:00:00+00:00"))
    assert day(DAY).status == 200
    [item] = aws.dynamodb.scan(TableName=AUDIT_TABLE)["Items"]
    assert item["subject"]["S"] == f"actor#{PRACTITIONER['sub']}"
    assert (item["action"]["S"], item["scope"]["S"]) == ("day_list", f"day:{DAY}")
    assert [shown["S"] for shown in item["intake_ids"]["L"]] == [intake_id]
    assert "Lopez" not in str(item)


@pytest.mark.parametrize(("failure", "status"), AUDIT_FAILURES)
def test_no_day_list_without_its_audit_item(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: str, status: int
) -> None:
    submit(form_for(starts_at=f"{DAY}T09:00:00+00:00"))
    break_audit(aws, monkeypatch, failure)
    response = day(DAY)
    assert response.status == status
    assert "Lopez" not in str(response.body) and "items" not in response.body


def test_the_intake_header_carries_age_phone_and_email(aws: Aws) -> None:
    intake_id = submit(form_for(born="1985-04-12", patient={"phone": "+44 20 7946 0000"}))
    body = view(intake_id).body
    today = day("today").body["today"]
    year, month, date_ = (int(part) for part in today.split("-"))
    assert body["age"] == year - 1985 - ((month, date_) < (4, 12))
    assert (body["phone"], body["email"], body["patient_name"]) == ("+44 20 7946 0000", "ana@example.org", "Ana Lopez")


def export(date: str) -> dict[str, Any]:
    event = api_event(
        "GET",
        f"/days/{date}/export.csv",
        route="/days/{date}/export.csv",
        claims=PRACTITIONER,
        path_parameters={"date": date},
    )
    result: dict[str, Any] = review.lambda_handler(event, LambdaContext())
    return result


def test_the_day_exports_as_csv_with_formula_cells_neutralised(aws: Aws) -> None:
    plain = submit(clear(given="Bo", family="Chen", starts_at=f"{DAY}T09:30:00+00:00"))
    formula = submit(form_for(given="@SUM(A1)", family="=HYPERLINK(1)", starts_at=f"{DAY}T10:00:00+00:00"))

    result = export(DAY)

    assert result["statusCode"] == 200
    assert result["headers"]["Content-Type"] == "text/csv; charset=utf-8"
    assert result["headers"]["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(result["body"])))
    assert [row["id"] for row in rows] == [plain, formula]
    assert rows[0]["patient_name"] == "Bo Chen"
    assert rows[0]["appointment"] == f"{DAY} " + datetime.fromisoformat(f"{DAY}T09:30:00+00:00").astimezone(
        LONDON
    ).strftime("%H:%M")
    assert rows[0]["status"] == "clear"
    assert rows[1]["patient_name"] == "'@SUM(A1) =HYPERLINK(1)"
    assert rows[1]["categories"]
    [audit] = aws.dynamodb.scan(TableName=AUDIT_TABLE)["Items"]
    assert audit["action"]["S"] == "export"
    assert [shown["S"] for shown in audit["intake_ids"]["L"]] == [plain, formula]


@pytest.mark.parametrize(("failure", "status"), AUDIT_FAILURES)
def test_no_export_without_its_audit_item(aws: Aws, monkeypatch: pytest.MonkeyPatch, failure: str, status: int) -> None:
    submit(clear(starts_at=f"{DAY}T09:30:00+00:00"))
    break_audit(aws, monkeypatch, failure)
    result = export(DAY)
    assert result["statusCode"] == status
    assert "Lopez" not in result["body"]
