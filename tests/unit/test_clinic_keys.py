"""Pure parts of storage v2: name normalisation and patient keys, ages and days in the clinic's zone, CSV cells."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from screening.clinic_time import age_on, local_date
from screening.day_export import neutralised
from screening.store.records import given_name_key, normalised_name, patient_key
from tests.conftest import reset_cached_clients


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CLINIC_TIME_ZONE", "Europe/London")
    reset_cached_clients()
    yield
    reset_cached_clients()


@pytest.mark.parametrize("typed", ["Ó Briain-Nic", "o briain nic", "OBRIAINNIC", " ó\tbriain  nic "])
def test_case_accents_spaces_and_punctuation_do_not_tell_names_apart(typed: str) -> None:
    assert normalised_name(typed) == "obriainnic"


def test_letters_of_any_script_are_kept() -> None:
    assert normalised_name("王 小明") == "王小明"
    assert normalised_name("Müller") != normalised_name("Miller")


def test_the_patient_key_is_a_digest_holding_no_name_or_birth_date() -> None:
    key = patient_key("López", date(1985, 4, 12))
    assert key == patient_key("lopez", date(1985, 4, 12))
    assert key != patient_key("lopez", date(1985, 4, 13))
    assert "lopez" not in key.lower() and "1985" not in key
    assert given_name_key("Ana") == given_name_key(" ANA ") != given_name_key("Eva")


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(1985, 4, 12), date(2026, 4, 11), 40),
        (date(1985, 4, 12), date(2026, 4, 12), 41),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
    ],
)
def test_age_counts_whole_years_completed(born: date, today: date, age: int) -> None:
    assert age_on(born, today) == age


@pytest.mark.usefixtures("london")
@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 6, 1, 23, 30, tzinfo=UTC), date(2026, 6, 2)),  # BST: already 2 June
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), date(2026, 12, 1)),  # GMT: still 1 December
    ],
)
def test_the_clinic_day_follows_its_zone_and_summer_time(moment: datetime, day: date) -> None:
    assert local_date(moment) == day


@pytest.mark.parametrize("cell", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_cells_are_neutralised(cell: str) -> None:
    assert neutralised(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Ana Lopez", "2026-12-02 09:30", "", "a=b"])
def test_other_cells_are_left_alone(cell: str) -> None:
    assert neutralised(cell) == cell


@pytest.mark.parametrize("zone", ["Europe/Londn", "../etc/passwd"])
def test_an_unknown_clinic_zone_is_a_deployment_fault(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    from screening.clinic_time import clinic_zone
    from screening.settings import SettingsError

    monkeypatch.setenv("CLINIC_TIME_ZONE", zone)
    reset_cached_clients()
    with pytest.raises(SettingsError, match="CLINIC_TIME_ZONE"):
        clinic_zone()
    reset_cached_clients()
