"""Typed settings, parsed once per execution environment from the Lambda's environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from typing import get_args

from screening.contract.intake import Locale

DEFAULT_RETENTION_DAYS = 2922  # 8 years: the usual minimum for adult clinical records (e.g. NHS England).
_EMERGENCY_NUMBER = re.compile(r"^[0-9]{2,6}$")


class SettingsError(RuntimeError):
    """A required setting is missing or malformed: a deployment fault, never the caller's."""


@dataclass(frozen=True, slots=True)
class Settings:
    table_name: str
    alert_topic_arn: str | None
    retention_days: int
    practitioner_group: str
    queue_index: str = "ReviewQueue"
    emergency_number: str | None = None
    """What the patient advice tells patients to dial (clinic.json via the ClinicEmergencyNumber parameter)."""
    enabled_locales: tuple[str, ...] = ("en",)
    """The form languages the clinic enabled (ClinicLanguages): advice in any other language falls back to these."""


@cache
def get_settings() -> Settings:
    table_name = os.environ.get("TABLE_NAME", "").strip()
    if not table_name:
        raise SettingsError("TABLE_NAME is not set")
    try:
        retention_days = int(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    except ValueError as exc:
        raise SettingsError("RETENTION_DAYS must be a whole number of days") from exc
    if retention_days < 1:
        raise SettingsError("RETENTION_DAYS must be at least 1")
    return Settings(
        emergency_number=_emergency_number(),
        enabled_locales=_enabled_locales(),
        table_name=table_name,
        alert_topic_arn=os.environ.get("ALERT_TOPIC_ARN", "").strip() or None,
        retention_days=retention_days,
        practitioner_group=os.environ.get("PRACTITIONER_GROUP", "practitioners").strip() or "practitioners",
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
