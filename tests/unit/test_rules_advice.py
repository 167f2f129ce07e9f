"""Patient advice in the form's language: every text in every language, the clinic's emergency number in the
closing sentence, plain language, and a clear error for a number that is not one."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from screening.contract.intake import Locale
from screening.rules.advice import MESSAGES, NUMBER, REVIEW_PENDING, AdviceKey, patient_advice
from screening.rules.catalog import CATALOG
from screening.rules.engine import screen
from tests.support import merge
from tests.unit.forms import TODAY, make_form, red_flags

LOCALES = get_args(Locale)
EMERGENCY = red_flags(saddle_numbness="yes")


def test_every_language_has_every_text() -> None:
    assert set(MESSAGES) == set(LOCALES)
    for locale, messages in MESSAGES.items():
        assert set(messages.emergencies) == set(get_args(AdviceKey)), locale
        for text in (messages.opening, messages.closing_local, *messages.emergencies.values()):
            assert text.strip() and NUMBER not in text, locale
        assert NUMBER in messages.closing_call, locale


def test_every_emergency_rule_has_its_advice_in_every_language() -> None:
    keys = {rule.advice for rule in CATALOG if rule.advice}
    assert keys == set(get_args(AdviceKey))


def test_only_the_english_texts_count_as_reviewed() -> None:
    assert set(REVIEW_PENDING) == set(LOCALES) - {"en"}


@pytest.mark.parametrize(
    ("locale", "number", "closing"),
    [
        ("en", "999", "call 999."),
        ("es", "911", "llame al 911."),
        ("zh-Hans", "120", "请拨打 120。"),
        ("en", None, "call your local emergency number."),
        ("es", None, "llame al número de emergencias de su zona."),
        ("zh-Hans", None, "请拨打当地的急救电话。"),
    ],
)
def test_advice_is_in_the_form_language_and_names_the_clinic_number(
    locale: str, number: str | None, closing: str
) -> None:
    form = make_form(merge(EMERGENCY, {"locale": locale}))
    advice = screen(form, TODAY, emergency_number=number).patient_advice
    messages = MESSAGES[form.locale]
    assert advice is not None
    assert advice.startswith(messages.opening) and advice.endswith(closing)
    assert messages.emergencies["cauda_equina"] in advice


def test_a_form_without_a_locale_gets_english() -> None:
    assert (screen(make_form(EMERGENCY), TODAY).patient_advice or "").startswith(MESSAGES["en"].opening)


def test_no_emergency_no_advice_in_any_language() -> None:
    for locale in LOCALES:
        assert screen(make_form({"locale": locale}), TODAY, emergency_number="112").patient_advice is None


@pytest.mark.parametrize("number", ["", "call 999", "999<script>", "+", "9" * 30, "12;34"])
def test_a_number_that_is_not_a_phone_number_is_refused(number: str) -> None:
    with pytest.raises(ValueError, match="emergency_number"):
        patient_advice(["cauda_equina"], "en", number)
    with pytest.raises(ValueError, match="emergency_number"):
        screen(make_form(), TODAY, emergency_number=number)


@pytest.mark.parametrize("number", ["999", "112", "000", "+34 112", "1-800-222"])
def test_phone_numbers_as_clinics_write_them_are_accepted(number: str) -> None:
    assert (patient_advice(["spinal_infection"], "es", number) or "").endswith(f"llame al {number}.")


@pytest.mark.parametrize("locale", ["en", "es"])
def test_plain_language_short_sentences(locale: Locale) -> None:
    messages = MESSAGES[locale]
    for text in (messages.opening, messages.closing_local, *messages.emergencies.values()):
        for sentence in re.split(r"(?<=\.)\s+", text):
            assert len(sentence.split()) <= 30, sentence
        assert not re.search(r"cauda|equina|ATC|acupunct|critical|spinal|síndrome", text, re.I), text


def test_chinese_sentences_are_short() -> None:
    messages = MESSAGES["zh-Hans"]
    for text in (messages.opening, messages.closing_local, *messages.emergencies.values()):
        for sentence in filter(None, text.split("。")):
            assert len(sentence) <= 45, sentence
