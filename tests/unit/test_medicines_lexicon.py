"""The lexicon's integrity (medicines.json and the generated medicine_guards.json): ATC codes in their classes, every
name once, every entry with its source, class, route and marker words apart from names; and a broken lexicon fails at
import rather than silently missing a medicine."""

from __future__ import annotations

import copy
import json
import random
import re
import unicodedata
from typing import Any, cast

import pytest

from screening.contract.intake import Medication
from screening.rules import medicines
from screening.rules.medicine_lexicon import GUARDS_PATH, LEXICON_PATH, Index, Lexicon, trie_pattern
from screening.rules.medicine_text import fold
from screening.rules.medicines import read_medications

LEXICON: dict[str, Any] = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
GUARDS: list[str] = json.loads(GUARDS_PATH.read_text(encoding="utf-8"))["words"]
DRUGS = [(code, drug) for code, entry in LEXICON["classes"].items() for drug in entry["drugs"]]
GROUPS = {
    "antithrombotic",
    "immunosuppressant",
    "antineoplastic",
    "systemic_corticosteroid",
    "hormonal_cancer",
    "nsaid",
    "ssri",
    "herbal_bleeding",
}


def all_names() -> list[str]:
    names = [name for _, drug in DRUGS for name in drug["names"]]
    names += [name for combination in LEXICON["combinations"] for name in combination["names"]]
    return names + [name for word in LEXICON["class_words"] for name in word["names"]]


def marker_words() -> list[str]:
    routes = LEXICON["local_routes"]
    return [
        *LEXICON["past_words"],
        *LEXICON["allergy_words"],
        *routes["forms"],
        *routes["drops"],
        *routes["drop_sites"],
    ]


class TestEntries:
    @pytest.mark.parametrize(("atc_class", "entry"), LEXICON["classes"].items())
    def test_each_class_has_an_atc_level_4_code_a_name_and_a_group(self, atc_class: str, entry: dict[str, Any]) -> None:
        assert re.fullmatch(r"[A-Z]\d\d[A-Z]{2}", atc_class)
        assert entry["name"] and entry["group"] in GROUPS and entry["drugs"]

    @pytest.mark.parametrize(("atc_class", "drug"), DRUGS, ids=[drug["drug"] for _, drug in DRUGS])
    def test_each_drug_has_a_full_code_in_its_class_names_and_known_sources(
        self, atc_class: str, drug: dict[str, Any]
    ) -> None:
        assert re.fullmatch(rf"{atc_class}\d\d", drug["atc_code"])
        assert drug["names"] and drug["source"]
        assert set(drug["source"]) <= set(LEXICON["sources"])
        assert "who_atc" in drug["source"]

    def test_no_atc_code_twice(self) -> None:
        codes = [drug["atc_code"] for _, drug in DRUGS]
        assert len(codes) == len(set(codes))

    def test_no_name_twice_across_drugs_combinations_and_class_words(self) -> None:
        names = all_names()
        assert [name for name in names if names.count(name) > 1] == []

    def test_every_name_is_folded(self) -> None:
        assert [name for name in all_names() if fold(name) != name or " ".join(name.split()) != name] == []

    def test_combinations_name_their_sources_and_known_codes(self) -> None:
        codes = {drug["atc_code"] for _, drug in DRUGS}
        for combination in LEXICON["combinations"]:
            assert set(combination["atc_codes"]) <= codes and len(combination["atc_codes"]) >= 2
            assert combination["source"] and set(combination["source"]) <= set(LEXICON["sources"])

    def test_class_words_name_a_group_and_a_canonical_word(self) -> None:
        for word in LEXICON["class_words"]:
            assert word["group"] in GROUPS and word["word"] and word["names"]

    def test_the_spec_classes_are_all_there(self) -> None:
        classes = set(LEXICON["classes"])
        assert {"B01AA", "B01AB", "B01AC", "B01AE", "B01AF", "B01AX", "H02AB", "N06AB"} <= classes
        assert {"L04AA", "L04AB", "L04AC", "L04AD", "L04AE", "L04AF", "L04AG", "L04AH", "L04AK", "L04AX"} <= classes
        assert {"L02AE", "L02BA", "L02BB", "L02BG"} <= classes
        assert {code for code in classes if code.startswith("M01A")} >= {"M01AB", "M01AC", "M01AE", "M01AH"}
        assert len([code for code in classes if code.startswith("L01")]) >= 20

    def test_chinese_generic_names_for_the_antithrombotics_and_commonest_others(self) -> None:
        chinese = {drug["drug"] for _, drug in DRUGS if any(not name.isascii() for name in drug["names"])}
        expected = {"warfarin", "heparin", "enoxaparin", "aspirin", "clopidogrel", "ticagrelor", "dabigatran"}
        expected |= {"rivaroxaban", "apixaban", "edoxaban", "fondaparinux", "tacrolimus", "ciclosporin"}
        expected |= {"mycophenolate", "azathioprine", "methotrexate", "prednisone", "prednisolone", "dexamethasone"}
        expected |= {"methylprednisolone", "hydrocortisone", "cyclophosphamide", "capecitabine", "cisplatin"}
        assert expected <= chinese, expected - chinese


class TestWordsApart:
    def test_route_marker_and_dose_words_are_not_names(self) -> None:
        names = set(all_names())
        assert names.isdisjoint(marker_words())
        assert names.isdisjoint(LEXICON["dose_words"])
        assert names.isdisjoint(LEXICON["separators"])
        assert names.isdisjoint(LEXICON["negation"]["after"] + LEXICON["negation"]["before"])

    def test_known_and_guard_words_are_not_names(self) -> None:
        names = set(all_names())
        assert names.isdisjoint(LEXICON["known_words"])
        assert names.isdisjoint(GUARDS)

    def test_known_and_guard_words_are_never_matched(self) -> None:
        words = sorted(set(LEXICON["known_words"]) | set(GUARDS))
        for start in range(0, len(words), 50):
            reading = read_medications([Medication(name=word) for word in words[start : start + 50]])
            assert reading.current == () and reading.class_words == (), [words[m.index] for m in reading.current]

    def test_the_guard_words_are_generated_folded_and_sorted(self) -> None:
        assert sorted(set(GUARDS)) == GUARDS and all(fold(word) == word for word in GUARDS)


def changed(change: Any) -> Lexicon:
    lexicon = copy.deepcopy(LEXICON)
    change(lexicon)
    return cast(Lexicon, lexicon)


class TestBrokenLexicon:
    """A broken lexicon fails at import, naming the file, never by silently missing a medicine."""

    def test_the_lexicon_loads(self) -> None:
        assert "apixaban" in Index(cast(Lexicon, LEXICON), GUARDS).terms

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda lx: lx["classes"]["B01AF"]["drugs"][0].update(atc_code="B01AC99"), "outside its class"),
            (lambda lx: lx["classes"]["B01AF"]["drugs"][1].update(atc_code="B01AF01"), "repeated"),
            (lambda lx: lx["classes"]["B01AF"]["drugs"][1]["names"].append("xarelto"), "listed twice"),
            (lambda lx: lx["classes"]["B01AF"]["drugs"][0]["names"].append("Eliquis"), "folded"),
            (lambda lx: lx["classes"]["B01AF"]["drugs"][0].update(source=[]), "source"),
            (lambda lx: lx["classes"]["B01AF"]["drugs"][0].update(source=["wikipedia"]), "source"),
            (lambda lx: lx["past_words"].append("aspirin"), "marker"),
            (lambda lx: lx["known_words"].append("eliquis"), "also names"),
        ],
    )
    def test_refuses(self, change: Any, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            Index(changed(change), GUARDS)

    def test_refuses_a_guard_word_that_is_a_name(self) -> None:
        with pytest.raises(ValueError, match="also names"):
            Index(cast(Lexicon, LEXICON), [*GUARDS, "warfarin"])

    def test_refuses_an_unknown_group(self) -> None:
        with pytest.raises(ValueError, match="unknown group"):
            Index(changed(lambda lx: lx["classes"]["B01AF"].update(group="anticoagulant")), GUARDS)

    def test_refuses_a_combination_of_unknown_codes(self) -> None:
        mix = {"names": ["mix"], "atc_codes": ["B01AF01", "B01AF99"], "source": ["who_atc"]}
        with pytest.raises(ValueError, match="unknown ATC code"):
            Index(changed(lambda lx: lx["combinations"].append(mix)), GUARDS)


@pytest.mark.parametrize(
    "names",
    [
        ["ab", "abc", "abcd", "abd", "b", "bc"],
        sorted(medicines._INDEX.cjk_by_name),
    ],
    ids=["nested prefixes", "the lexicon's CJK names"],
)
def test_the_cjk_trie_finds_what_the_names_longest_first_find(names: list[str]) -> None:
    plain = re.compile("|".join(map(re.escape, sorted(names, key=lambda n: (-len(n), n)))))
    trie = re.compile(trie_pattern(names))
    pieces = [name[:end] for name in names for end in range(1, len(name) + 1)] + ["x", "。"]
    rng = random.Random(9)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    assert [trie.findall(text) for text in texts] == [plain.findall(text) for text in texts]


def test_folding_recomposes_only_where_accents_were_dropped() -> None:
    def reference(text: str) -> str:  # NFKC; when the NFD differs, accents dropped from it and recomposed; casefold
        text = unicodedata.normalize("NFKC", text.replace("™", ""))
        decomposed = unicodedata.normalize("NFD", text)
        if decomposed != text:
            text = unicodedata.normalize("NFC", re.sub("[\u0300-\u036f]+", "", decomposed))
        return text.casefold()

    letters = ["バ", "ガ", "カ", "\u3099", "각", "가", "\u11a8", "阿", "ｗ", "Ａ", "é", "e", "\u0301", "ñ", "ß", "™"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    assert [fold(text) for text in texts] == [reference(text) for text in texts]
