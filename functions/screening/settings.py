"""Typed settings, parsed once per execution environment from the Lambda's environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from typing import get_args

from screening.contract.intake import Locale

DEFAULT_RETENTION_DAYS = 2922  # 8 years: the usual minimum for adult clinical records (e.g. NHS England).
DEFAULT_CLINIC_TIME_ZONE = "Europe/London"
_EMERGENCY_NUMBER = re.compile(r"^[0-9]{2,6}$")


class SettingsError(RuntimeError):
    """A required setting is missing or malformed: a deployment fault, never the caller's."""


@dataclass(frozen=True, slots=True)
class Settings:
    table_name: str
    alert_topic_arn: str | None
    retention_days: int
    practitioner_group: str
    role_claim: str | None = None
    """A single-valued claim whose value must equal `practitioner_group` (an external issuer); None: cognito:groups."""
    review_page_url: str | None = None
    """The deployed console's address, for the absolute link in alert emails."""
    queue_index: str = "ReviewQueue"
    day_index: str = "ByDay"
    patient_index: str = "ByPatient"
    clinic_time_zone: str = DEFAULT_CLINIC_TIME_ZONE
    """IANA name; days, "today" and ages are the clinic's, not UTC's (see screening.clinic_time)."""
    audit_table_name: str | None = None
    """Set for the functions that read patient data (review, admin); the public intake function has none."""
    audit_retention_days: int = DEFAULT_RETENTION_DAYS
    admin_group: str = "clinic_admins"
    event_bus_name: str | None = None
    emergency_number: str | None = None
    """What the patient advice tells patients to dial (clinic.json via the ClinicEmergencyNumber parameter)."""
    enabled_locales: tuple[str, ...] = ("en",)
    """The form languages the clinic enabled (ClinicLanguages): advice in any other language falls back to these."""


def _days(name: str, default: int) -> int:
    try:
        days = int(os.environ.get(name, default))
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number of days") from exc
    if days < 1:
        raise SettingsError(f"{name} must be at least 1")
    return days


@cache
def get_settings() -> Settings:
    table_name = os.environ.get("TABLE_NAME", "").strip()
    if not table_name:
        raise SettingsError("TABLE_NAME is not set")
    retention_days = _days("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    return Settings(
        emergency_number=_emergency_number(),
        enabled_locales=_enabled_locales(),
        table_name=table_name,
        alert_topic_arn=os.environ.get("ALERT_TOPIC_ARN", "").strip() or None,
        retention_days=retention_days,
        practitioner_group=os.environ.get("PRACTITIONER_GROUP", "practitioners").strip() or "practitioners",
        role_claim=os.environ.get("ROLE_CLAIM", "").strip() or None,
        clinic_time_zone=os.environ.get("CLINIC_TIME_ZONE", "").strip() or DEFAULT_CLINIC_TIME_ZONE,
        audit_table_name=os.environ.get("AUDIT_TABLE_NAME", "").strip() or None,
        # The audit outlives what it audits: a shorter setting is raised to the intakes' retention, never honoured.
        audit_retention_days=max(_days("AUDIT_RETENTION_DAYS", retention_days), retention_days),
        admin_group=os.environ.get("ADMIN_GROUP", "clinic_admins").strip() or "clinic_admins",
        event_bus_name=os.environ.get("EVENT_BUS_NAME", "").strip() or None,
        review_page_url=os.environ.get("REVIEW_PAGE_URL", "").strip() or None,
    )


def _emergency_number() -> str | None:
    number = os.environ.get("EMERGENCY_NUMBER", "").strip()
    if number and not _EMERGENCY_NUMBER.match(number):
        raise SettingsError("EMERGENCY_NUMBER must be the digits to dial, such as 911, 999 or 112")
    return number or None


def _enabled_locales() -> tuple[str, ...]:
    raw = os.environ.get("ENABLED_LOCALES", "en")
    locales = tuple(dict.fromkeys(code.strip() for code in raw.split(",") if code.strip()))
    supported = get_args(Locale)
    if not locales or any(code not in supported for code in locales):
        raise SettingsError(f"ENABLED_LOCALES must be a comma-separated list of {', '.join(supported)}")
    return locales
