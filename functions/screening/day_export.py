"""The day list as CSV for a spreadsheet: one row per intake, every cell safe to open.

A cell that starts with = + - @ (or a tab or carriage return) would be run as a formula by Excel, LibreOffice or
Sheets (CSV injection): such a cell is prefixed with an apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from screening.clinic_time import local_time

COLUMNS = (
    "id",
    "appointment",
    "received",
    "patient_name",
    "status",
    "highest_severity",
    "categories",
    "decision",
    "decided_by",
    "decided_at",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _local(moment: str | None) -> str:
    """A stored UTC time as the clinic's wall-clock time, e.g. 2026-12-02 09:30."""
    return local_time(datetime.fromisoformat(moment)).strftime("%Y-%m-%d %H:%M") if moment else ""


def _row(summary: dict[str, Any]) -> list[str]:
    decision = summary.get("decision") or {}
    return [
        summary["id"],
        _local(summary.get("appointment_starts_at")),
        _local(summary["received_at"]),
        summary.get("patient_name") or "",
        summary["status"],
        summary.get("highest_severity") or "",
        ";".join(summary.get("categories", [])),
        decision.get("decision") or "",
        decision.get("by_name") or "",
        _local(decision.get("at")),
    ]


def day_csv(summaries: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([neutralised(cell) for cell in _row(summary)] for summary in summaries)
    return out.getvalue()
