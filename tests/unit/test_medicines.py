"""Medicine recognition in free text (clinical spec, "How the text is read"): what must be recognised, by class and
country, and what must not; past medicines, allergies and class words; the shape of the reading; the work bound."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from screening.contract.intake import Medication
from screening.rules import medicine_spelling, medicines
from screening.rules.medicines import (
    CHARACTERS,
    FUZZY_COMPARISONS,
    FUZZY_WORDS,
    LEXICON_PATH,
    PARTS,
    UNICODE_CHARACTERS,
    ClassWord,
    MedicationReading,
    MedicineMatch,
    read_medications,
)
from tests.unit.medicine_strings import ALLERGIES, CLASS_WORDS, COUNTRIES, NEGATIVES, PAST, POSITIVES

LEXICON: dict[str, Any] = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
CLASS_OF = {drug["drug"]: code for code, entry in LEXICON["classes"].items() for drug in entry["drugs"]}


def read(name: str, dose: str | None = None) -> MedicationReading:
    return read_medications([Medication(name=name, dose=dose)])


@pytest.mark.parametrize(("name", "dose", "expected", "country"), POSITIVES)
def test_recognises(name: str, dose: str | None, expected: tuple[str, ...], country: str) -> None:
    reading = read(name, dose)
    assert tuple(m.drug for m in reading.current) == expected, country
    assert reading.past == () and reading.allergy_lines == () and not reading.incomplete


@pytest.mark.parametrize("name", NEGATIVES)
def test_does_not_recognise(name: str) -> None:
    reading = read(name)
    assert (reading.current, reading.past, reading.class_words) == ((), (), ())


@pytest.mark.parametrize(("name", "dose", "expected"), PAST)
def test_a_stopped_medicine_is_past_never_current(name: str, dose: str | None, expected: tuple[str, ...]) -> None:
    reading = read(name, dose)
    assert (reading.current, tuple(m.drug for m in reading.past)) == ((), expected)


@pytest.mark.parametrize("name", ALLERGIES)
def test_an_allergy_line_is_no_medicine_taken(name: str) -> None:
    reading = read(name)
    assert (reading.current, reading.past, reading.class_words, reading.allergy_lines) == ((), (), (), (0,))


@pytest.mark.parametrize(("name", "group"), CLASS_WORDS)
def test_class_words_are_read_in_every_form_language(name: str, group: str) -> None:
    reading = read(name)
    assert reading.current == ()
    assert [(word.group, word.field) for word in reading.class_words] == [(group, "name")]


def test_the_string_table_covers_every_class_and_country() -> None:
    by_class = Counter(CLASS_OF[expected[0]] for _, _, expected, _ in POSITIVES)
    by_country = Counter(country for *_, country in POSITIVES)
    sys.stdout.write(
        f"\nstrings by ATC class: {dict(sorted(by_class.items()))}"
        f"\nstrings by country: {dict(sorted(by_country.items()))}"
        f"\n{len(POSITIVES)} must match, {len(NEGATIVES)} must not, {len(PAST)} past, {len(ALLERGIES)} allergies, "
        f"{len(CLASS_WORDS)} class words\n"
    )
    assert len(POSITIVES) >= 250 and len(NEGATIVES) >= 150
    assert set(by_country) == set(COUNTRIES)
    assert all(by_country[country] >= 5 for country in COUNTRIES), by_country
    spec_classes = {"B01AA", "B01AB", "B01AC", "B01AE", "B01AF", "B01AX", "H02AB", "M01AE", "N06AB"}
    spec_prefixes = {"L04A", "L01", "L02"}
    assert spec_classes <= set(by_class)
    assert all(any(code.startswith(prefix) for code in by_class) for prefix in spec_prefixes)
    l04 = {code for code in LEXICON["classes"] if code.startswith("L04A")}
    assert l04 <= set(by_class), l04 - set(by_class)


class TestReading:
    def test_carries_index_field_code_and_class(self) -> None:
        medications = [Medication(name="paracetamol"), Medication(name="Eliquis 5mg", dose="5 mg twice a day")]
        assert read_medications(medications).current == (
            MedicineMatch(1, "name", "apixaban", "B01AF02", "B01AF", "antithrombotic"),
        )

    def test_a_drug_in_the_dose_field_says_so(self) -> None:
        assert read("tablets", "warfarin 3mg").current == (
            MedicineMatch(0, "dose", "warfarin", "B01AA03", "B01AA", "antithrombotic"),
        )

    def test_keeps_list_order_and_each_position(self) -> None:
        names = ["Plavix", "vitamin D", "sertraline", "Humira"]
        reading = read_medications([Medication(name=name) for name in names])
        assert [(m.index, m.drug, m.atc_code) for m in reading.current] == [
            (0, "clopidogrel", "B01AC04"),
            (2, "sertraline", "N06AB06"),
            (3, "adalimumab", "L04AB04"),
        ]

    def test_a_combination_tablet_gives_one_match_per_substance(self) -> None:
        reading = read("DuoPlavin 75/100")
        assert [(m.drug, m.atc_code, m.atc_class) for m in reading.current] == [
            ("clopidogrel", "B01AC04", "B01AC"),
            ("aspirin", "B01AC06", "B01AC"),
        ]

    def test_one_match_per_line_and_substance_but_each_line_its_own(self) -> None:
        assert [m.drug for m in read("Coumadin (warfarin) 5mg", "warfarin").current] == ["warfarin"]
        two_lines = read_medications([Medication(name="Eliquis"), Medication(name="apixaban 5mg")])
        assert [(m.index, m.drug) for m in two_lines.current] == [(0, "apixaban"), (1, "apixaban")]

    def test_past_current_allergy_and_class_words_in_one_list(self) -> None:
        medications = [
            Medication(name="warfarin", dose="stopped 2020"),
            Medication(name="aspirin allergy"),
            Medication(name="Eliquis 5mg"),
            Medication(name="blood thinner", dose="don't know the name"),
        ]
        reading = read_medications(medications)
        assert [(m.index, m.drug) for m in reading.past] == [(0, "warfarin")]
        assert [(m.index, m.drug) for m in reading.current] == [(2, "apixaban")]
        assert reading.class_words == (ClassWord(3, "name", "antithrombotic", "blood thinner"),)
        assert reading.allergy_lines == (1,)

    def test_a_class_word_in_a_past_line_is_not_current(self) -> None:
        assert read("used to take blood thinners").class_words == ()

    def test_empty_list(self) -> None:
        assert read_medications([]) == MedicationReading((), (), (), (), incomplete=False)


class TestText:
    @pytest.mark.parametrize(
        "name",
        [
            "Ｗａｒｆａｒｉｎ",  # full-width, from a CJK keyboard
            "warfarin\u0301",  # a combining accent
            "WARFARIN®",
            "Warfarin™ 5mg",
            "Apo-Warfarin",
            "warfarin/Coumadin",
            "(warfarin)",
            "warfarin,",
        ],
    )
    def test_normalises_before_reading(self, name: str) -> None:
        assert [m.drug for m in read(name).current] == ["warfarin"]

    def test_punctuation_inside_a_word_is_dropped(self) -> None:
        assert [m.drug for m in read("A.S.A.").current] == ["aspirin"]

    def test_a_hyphen_is_read_joined_and_split(self) -> None:
        assert [m.drug for m in read("methyl-prednisolone 4mg").current] == ["methylprednisolone"]
        assert [m.drug for m in read("Apo-Clopidogrel").current] == ["clopidogrel"]

    @pytest.mark.parametrize(("name", "dose"), [("ASA", None), ("ASA 81mg daily", None), ("MTX", "10 mg weekly")])
    def test_an_acronym_alone_in_the_name_counts(self, name: str, dose: str | None) -> None:
        assert len(read(name, dose).current) == 1

    @pytest.mark.parametrize(("name", "dose"), [("metformin AC", None), ("omeprazole", "AC"), ("vitamin", "MTX")])
    def test_an_acronym_beside_other_words_or_in_the_dose_does_not(self, name: str, dose: str | None) -> None:
        assert read(name, dose).current == ()

    def test_chinese_names_are_found_inside_text_without_spaces(self) -> None:
        assert [m.drug for m in read("每天吃华法林钠片和阿司匹林").current] == ["warfarin", "aspirin"]

    def test_chinese_names_and_markers_are_found_in_every_run_of_a_part_but_never_across_two(self) -> None:
        assert [m.drug for m in read("每天 5mg 华法林 10mg 阿司匹林").current] == ["warfarin", "aspirin"]
        assert read("华法 5mg 林").current == ()
        assert read("每天 5mg 华法林 x 停用").past[0].drug == "warfarin"
        assert read("停 5mg 用 华法林").current[0].drug == "warfarin"
        assert [m.drug for m in read("每天华法林-早上").current] == ["warfarin"]  # a hyphenated run is scanned too


class TestRoutes:
    @pytest.mark.parametrize(
        "dose", ["1 drop in each eye", "apply thinly twice a day", "2 puffs twice daily", "one spray each nostril"]
    )
    def test_a_local_route_in_the_dose_is_not_systemic(self, dose: str) -> None:
        assert read("prednisolone", dose).current == ()

    @pytest.mark.parametrize("dose", [None, "5 mg tablet in the morning", "40mg for 5 days", "injection into knee"])
    def test_a_systemic_dose_still_matches(self, dose: str | None) -> None:
        assert [m.drug for m in read("prednisolone", dose).current] == ["prednisolone"]

    def test_drops_need_an_eye_or_ear_to_be_local(self) -> None:
        assert [m.drug for m in read("prednisolone drops").current] == ["prednisolone"]

    def test_a_route_never_hides_a_drug_without_local_forms(self) -> None:
        assert [m.drug for m in read("warfarin", "apply cream daily").current] == ["warfarin"]
        assert [m.drug for m in read("methotrexate injection").current] == ["methotrexate"]


class TestBoundedWork:
    """Every word is looked up exactly; misspellings are tried within a budget per form, and the reading says when it
    cut the search short. Timings are in `make bench`; these tests count the work."""

    @staticmethod
    def near_misses(count: int) -> list[Medication]:
        # Distinct unknown words that each need the misspelling search (none is a real word, a medicine or near one).
        words = [f"qz{chr(97 + i % 26)}{chr(97 + i // 26)}xv" for i in range(count)]
        return [Medication(name=" ".join(words[i : i + 4])) for i in range(0, count, 4)]

    def test_a_list_within_the_budget_is_read_fully(self) -> None:
        reading = read_medications([Medication(name="warfrin"), Medication(name="Xeralto 20mg")])
        assert not reading.incomplete and [m.drug for m in reading.current] == ["warfarin", "rivaroxaban"]

    def test_too_many_unknown_words_cut_the_search_and_say_so(self) -> None:
        assert read_medications(self.near_misses(4 * FUZZY_WORDS)).incomplete

    def test_the_distance_is_computed_at_most_the_budget_of_times(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls = Counter[str]()
        within, weighted = medicine_spelling.within_edits, medicine_spelling.half_edits

        def compared(typed: str, name: str, budget: int) -> bool:
            calls["compared"] += 1
            return within(typed, name, budget)

        def measured(typed: str, name: str, budget: int) -> int | None:
            calls["weighted"] += 1
            return weighted(typed, name, budget)

        monkeypatch.setattr(medicine_spelling, "within_edits", compared)
        monkeypatch.setattr(medicine_spelling, "half_edits", measured)
        monkeypatch.setattr(medicines, "_remembered", {})
        # Three edits from rivaroxaban: close enough to be compared, too far to match.
        words = [f"qivaroxab{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200)]
        medications = [Medication(name=" ".join(words[i : i + 4])) for i in range(0, 200, 4)]
        assert read_medications(medications).incomplete
        assert 0 < calls["compared"] <= FUZZY_COMPARISONS
        assert calls["weighted"] <= calls["compared"]

    def test_a_word_seen_before_in_the_form_is_not_tried_again(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(medicines, "_remembered", {})
        same = [Medication(name="warfrinx zzyzx")] * 50
        reading = read_medications(same)
        assert not reading.incomplete

    def test_the_outcome_does_not_depend_on_what_the_process_remembers(self, monkeypatch: pytest.MonkeyPatch) -> None:
        medications = [*self.near_misses(120), Medication(name="Xeralto")]
        warm = read_medications(medications)
        monkeypatch.setattr(medicines, "_remembered", {})
        assert read_medications(medications) == warm

    def test_a_new_unknown_word_beside_a_name_after_the_budget_ran_out_says_the_list_was_cut(self) -> None:
        tried = self.near_misses(FUZZY_WORDS)  # exactly the budget: each word tried, none cut yet
        assert not read_medications(tried).incomplete
        reading = read_medications([*tried, Medication(name="aspirin qzyyxv")])
        assert reading.incomplete
        assert [m.drug for m in reading.current] == ["aspirin"]

    def test_a_misspelling_found_before_the_budget_ran_out_still_counts_later(self) -> None:
        medications = [Medication(name="warfrin"), *self.near_misses(4 * FUZZY_WORDS), Medication(name="warfrin 5mg")]
        reading = read_medications(medications)
        assert reading.incomplete
        assert [(m.index, m.drug) for m in reading.current] == [(0, "warfarin"), (len(medications) - 1, "warfarin")]

    @pytest.mark.parametrize("unknown_before", [0, 8, 12, 13, 14, 15, 16])
    def test_a_remembered_misspelt_line_is_charged_to_the_budget_as_if_read_again(
        self, monkeypatch: pytest.MonkeyPatch, unknown_before: int
    ) -> None:
        # Unknown words near no name: each takes one of the FUZZY_WORDS tries and no comparison.
        tries = [Medication(name=f"jjx{chr(97 + i)}qw") for i in range(unknown_before)]
        misspelt = [Medication(name="warfrin 3mg", dose="Xeralto jjxzqw"), Medication(name="klopidogrell")]
        read_medications(misspelt)  # remembered in this process
        medications = [*tries, *misspelt, *misspelt]
        warm = read_medications(medications)
        monkeypatch.setattr(medicines, "_read_lines", {})
        monkeypatch.setattr(medicines, "_remembered", {})
        assert read_medications(medications) == warm

    def test_a_field_read_before_reads_the_same_in_any_form(self) -> None:
        lines = [Medication(name="Eliquis 5mg", dose="twice daily"), Medication(name="prednisolone eye drops")]
        first = read_medications(lines)
        assert read_medications([*self.near_misses(4 * FUZZY_WORDS), *lines]).current[-1:] == (
            MedicineMatch(FUZZY_WORDS, "name", "apixaban", "B01AF02", "B01AF", "antithrombotic"),
        )
        assert read_medications(lines) == first

    def test_text_past_the_characters_bound_is_not_read_and_the_reading_says_so(self) -> None:
        filler = Medication(name="paracetamol 1g " * 13, dose="as needed " * 10)
        lines = [Medication(name="Eliquis 5mg"), *[filler] * (CHARACTERS // 295 + 1), Medication(name="warfarin")]
        reading = read_medications(lines)
        assert reading.incomplete and [m.drug for m in reading.current] == ["apixaban"]
        short = read_medications(lines[:10] + lines[-1:])  # the line cut off above is read whole when it fits
        assert not short.incomplete and [m.drug for m in short.current] == ["apixaban", "warfarin"]

    def test_text_past_the_parts_bound_is_not_read_and_the_reading_says_so(self) -> None:
        filler = Medication(name="apixaban" + " / tab" * 30)  # 31 parts
        over = PARTS // 31 + 1
        lines = [*[filler] * over, Medication(name="warfarin")]
        reading = read_medications(lines)
        assert reading.incomplete and "warfarin" not in {m.drug for m in reading.current}
        short = read_medications([*lines[: over - 1], lines[-1]])
        assert not short.incomplete and {m.drug for m in short.current} == {"apixaban", "warfarin"}

    def test_the_clinical_basis_states_the_bounds_the_reader_uses(self) -> None:
        basis = " ".join(
            (Path(__file__).resolve().parents[2] / "docs" / "clinical-basis.md").read_text("utf-8").split()
        )
        phrases = [
            f"({FUZZY_WORDS} unknown words, {FUZZY_COMPARISONS} comparisons)",
            f"{CHARACTERS:,} characters of names and doses",
            f"{UNICODE_CHARACTERS:,} of them in fields that are not plain ASCII",
            f"{PARTS} parts",
        ]
        assert [phrase for phrase in phrases if phrase not in basis] == []

    def test_text_past_the_non_ascii_bound_is_not_read_and_the_reading_says_so(self) -> None:
        # Filler lines with accents (so not ASCII) made of dose words alone; after the bound the ASCII line is still
        # read, the accented one is not.
        filler = Medication(name=" ".join(["1 comprimido al día por la mañana"] * 5))
        over = UNICODE_CHARACTERS // len(filler.name) + 1
        lines = [*[filler] * over, Medication(name="warfarin"), Medication(name="warfarína")]
        reading = read_medications(lines)
        assert reading.incomplete and [(m.index, m.drug) for m in reading.current] == [(over, "warfarin")]
        short = read_medications([*lines[: over - 2], *lines[-2:]])
        assert not short.incomplete and [m.drug for m in short.current] == ["warfarin", "warfarin"]

    def test_chinese_text_past_the_non_ascii_bound_is_not_scanned_and_the_reading_says_so(self) -> None:
        filler = Medication(name="每天早上一片" * 20, dose="饭后服用" * 10)
        over = UNICODE_CHARACTERS // (len(filler.name) + len(filler.dose or "")) + 1
        lines = [*[filler] * over, Medication(name="华法林钠片", dose="3mg")]
        reading = read_medications(lines)
        assert reading.incomplete and reading.current == ()
        short = read_medications([*lines[: over - 2], lines[-1]])
        assert not short.incomplete and [m.drug for m in short.current] == ["warfarin"]
