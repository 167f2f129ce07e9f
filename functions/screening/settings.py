"""Typed settings, parsed once per execution environment from the Lambda's environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

DEFAULT_RETENTION_DAYS = 2922  # 8 years: the usual minimum for adult clinical records (e.g. NHS England).


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
        table_name=table_name,
        alert_topic_arn=os.environ.get("ALERT_TOPIC_ARN", "").strip() or None,
        retention_days=retention_days,
        practitioner_group=os.environ.get("PRACTITIONER_GROUP", "practitioners").strip() or "practitioners",
        role_claim=os.environ.get("ROLE_CLAIM", "").strip() or None,
        review_page_url=os.environ.get("REVIEW_PAGE_URL", "").strip() or None,
    )
