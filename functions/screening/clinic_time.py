"""The clinic's calendar: days, "today" and ages in the clinic's time zone, never UTC's.

A patient in London who submits at 00:30 on 2 March (BST) submitted on 2 March, not on 1 March (UTC); a day list, an
age and the screening's "today" all follow the clinic. The zone is loaded on first use and cached.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import cache

from screening.settings import SettingsError, get_settings


@cache
def clinic_zone() -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415 - loaded on the first request only

    name = get_settings().clinic_time_zone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError("CLINIC_TIME_ZONE is not an IANA time zone name") from exc


def received_at(epoch_ms: object) -> datetime:
    """When API Gateway received a request: its `timeEpoch` in milliseconds (set by AWS, not the caller), else now."""
    if isinstance(epoch_ms, int) and not isinstance(epoch_ms, bool) and epoch_ms > 0:
        return datetime.fromtimestamp(epoch_ms / 1000, UTC)
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The clinic-local calendar day of an aware moment."""
    return moment.astimezone(clinic_zone()).date()


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(clinic_zone())


def age_on(date_of_birth: date, today: date) -> int:
    """Whole years completed on `today` (someone born on 29 February turns a year older on 1 March)."""
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
