"""The clinic settings the Lambda reads: the emergency number and the enabled form languages."""

from __future__ import annotations

import pytest

from screening.settings import Settings, SettingsError, get_settings


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("TABLE_NAME", "intakes")
    monkeypatch.delenv("EMERGENCY_NUMBER", raising=False)
    monkeypatch.delenv("ENABLED_LOCALES", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def settings() -> Settings:
    get_settings.cache_clear()
    return get_settings()


def test_without_clinic_settings_english_only_and_no_number(environment: pytest.MonkeyPatch) -> None:
    assert settings().enabled_locales == ("en",)
    assert settings().emergency_number is None


def test_the_template_parameters_arrive_as_typed_settings(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("EMERGENCY_NUMBER", "999")
    environment.setenv("ENABLED_LOCALES", "en,es, zh-Hans,es")
    assert settings().emergency_number == "999"
    assert settings().enabled_locales == ("en", "es", "zh-Hans")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EMERGENCY_NUMBER", "call 911"),
        ("EMERGENCY_NUMBER", "9"),
        ("ENABLED_LOCALES", "en,fr"),
        ("ENABLED_LOCALES", " , "),
    ],
)
def test_a_malformed_clinic_setting_is_a_deployment_fault(
    environment: pytest.MonkeyPatch, name: str, value: str
) -> None:
    environment.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        settings()
