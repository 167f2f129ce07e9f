"""Medicine recognition in free text: the lexicon, what must match (brands, doses, case, misspellings, phrases,
combinations) and what must not (other medicines, look-alike words, local routes, "-free", names inside words)."""

from __future__ import annotations

import json
import re
from typing import Any, Final, cast

import pytest

from screening.contract.intake import Medication
from screening.rules.medicines import LEXICON_PATH, MedicineMatch, _Index, _Lexicon, match_medicines

AT: Final = "antithrombotic"
IMMUNE: Final = "immunosuppressant"
CANCER: Final = "antineoplastic"
STEROID: Final = "systemic_corticosteroid"
NSAID: Final = "nsaid"
SSRI: Final = "ssri"

Expected = tuple[tuple[str, str], ...]

POSITIVES: list[tuple[str, Expected]] = [
    # Brands and generics with doses, frequencies and punctuation around them
    ("Eliquis 5mg twice a day", (("apixaban", AT),)),
    ("ELIQUIS", (("apixaban", AT),)),
    ("eliquis 2.5 mg BD", (("apixaban", AT),)),
    ("warfarin 3 mg OD", (("warfarin", AT),)),
    ("Warfarin sodium 5mg (INR 2-3)", (("warfarin", AT),)),
    ("Coumadin", (("warfarin", AT),)),
    ("Jantoven 2mg", (("warfarin", AT),)),
    ("Marevan", (("warfarin", AT),)),
    ("Sintrom 4", (("acenocoumarol", AT),)),
    ("phenindione", (("phenindione", AT),)),
    ("baby aspirin 81mg", (("aspirin", AT),)),
    ("aspirin (low dose)", (("aspirin", AT),)),
    ("Low-dose Aspirin 75 mg daily", (("aspirin", AT),)),
    ("ASA 81", (("aspirin", AT),)),
    ("acetylsalicylic acid", (("aspirin", AT),)),
    ("acetyl salicylic acid 100mg", (("aspirin", AT),)),
    ("Nu-Seals 75", (("aspirin", AT),)),
    ("Ecotrin", (("aspirin", AT),)),
    ("Xarelto20mg", (("rivaroxaban", AT),)),
    ("rivaroxaban 20 mg with evening meal", (("rivaroxaban", AT),)),
    ("Pradaxa 150mg", (("dabigatran", AT),)),
    ("Savaysa", (("edoxaban", AT),)),
    ("Lixiana 60", (("edoxaban", AT),)),
    ("Plavix 75mg", (("clopidogrel", AT),)),
    ("Effient", (("prasugrel", AT),)),
    ("Efient 10mg", (("prasugrel", AT),)),
    ("Brilinta 90mg bid", (("ticagrelor", AT),)),
    ("Brilique", (("ticagrelor", AT),)),
    ("Persantin retard", (("dipyridamole", AT),)),
    ("ticlopidine", (("ticlopidine", AT),)),
    ("Pletal", (("cilostazol", AT),)),
    ("Lovenox injection 40mg", (("enoxaparin", AT),)),
    ("Clexane 40mg/0.4ml", (("enoxaparin", AT),)),
    ("Fragmin 5000 units", (("dalteparin", AT),)),
    ("innohep", (("tinzaparin", AT),)),
    ("Arixtra 2.5mg s/c", (("fondaparinux", AT),)),
    ("heparin flush for my PICC line", (("heparin", AT),)),
    ("warfarin - stopped last year", (("warfarin", AT),)),  # listed is listed: the practitioner asks
    # Misspellings within the bound
    ("warfrin", (("warfarin", AT),)),
    ("wafarin 5mg", (("warfarin", AT),)),
    ("eliquiss", (("apixaban", AT),)),
    ("Eliqius 5mg", (("apixaban", AT),)),
    ("clopidogrell", (("clopidogrel", AT),)),
    ("clopidogral 75", (("clopidogrel", AT),)),
    ("rivaroxiban", (("rivaroxaban", AT),)),
    ("apixiban", (("apixaban", AT),)),
    ("xeralto", (("rivaroxaban", AT),)),
    ("Xarleto", (("rivaroxaban", AT),)),
    ("asprin", (("aspirin", AT),)),
    ("Aspirine", (("aspirin", AT),)),
    ("Plavex 75mg", (("clopidogrel", AT),)),
    ("plavis", (("clopidogrel", AT),)),
    ("pradexa", (("dabigatran", AT),)),
    ("enoxaparine", (("enoxaparin", AT),)),
    ("methotrexat weekly", (("methotrexate", IMMUNE),)),
    ("prednisone 5mg", (("prednisone", STEROID),)),
    ("predisone", (("prednisone", STEROID),)),
    ("prednisolon 10 mg", (("prednisolone", STEROID),)),
    ("sertralin", (("sertraline", SSRI),)),
    ("Lexipro", (("escitalopram", SSRI),)),
    ("ibuprofin", (("ibuprofen", NSAID),)),
    ("advill", (("ibuprofen", NSAID),)),
    ("ciclosporine", (("ciclosporin", IMMUNE),)),
    ("Neural 100mg", (("ciclosporin", IMMUNE),)),  # Neoral as heard: a real word, but safer matched than missed
    ("Stellara injection", (("ustekinumab", IMMUNE),)),
    # Immunosuppressants, JAK inhibitors, biologics
    ("tacrolimus 2mg bd", (("tacrolimus", IMMUNE),)),
    ("Prograf", (("tacrolimus", IMMUNE),)),
    ("cyclosporine", (("ciclosporin", IMMUNE),)),
    ("Neoral 100mg", (("ciclosporin", IMMUNE),)),
    ("mycophenolate mofetil 1g", (("mycophenolate", IMMUNE),)),
    ("CellCept", (("mycophenolate", IMMUNE),)),
    ("azathioprine", (("azathioprine", IMMUNE),)),
    ("Imuran 50", (("azathioprine", IMMUNE),)),
    ("methotrexate 15mg weekly", (("methotrexate", IMMUNE),)),
    ("Metoject pen", (("methotrexate", IMMUNE),)),
    ("Xeljanz 5mg", (("tofacitinib", IMMUNE),)),
    ("baricitinib", (("baricitinib", IMMUNE),)),
    ("Rinvoq 15mg", (("upadacitinib", IMMUNE),)),
    ("Humira pen every 2 weeks", (("adalimumab", IMMUNE),)),
    ("Enbrel", (("etanercept", IMMUNE),)),
    ("Remicade infusions", (("infliximab", IMMUNE),)),
    ("rituximab", (("rituximab", IMMUNE),)),
    ("Stelara", (("ustekinumab", IMMUNE),)),
    # Antineoplastics taken at home
    ("capecitabine 1500mg", (("capecitabine", CANCER),)),
    ("Xeloda", (("capecitabine", CANCER),)),
    ("Ibrance 125", (("palbociclib", CANCER),)),
    ("imatinib", (("imatinib", CANCER),)),
    ("Afinitor", (("everolimus", CANCER),)),
    # Systemic corticosteroids
    ("Prednisolone 5mg", (("prednisolone", STEROID),)),
    ("dexamethasone 4mg tablets", (("dexamethasone", STEROID),)),
    ("Medrol dose pack", (("methylprednisolone", STEROID),)),
    ("Depo-Medrol injection", (("methylprednisolone", STEROID),)),
    ("Solu-Cortef", (("hydrocortisone", STEROID),)),
    ("hydrocortisone 10mg tablets", (("hydrocortisone", STEROID),)),
    ("cortisone shot in my back", (("cortisone", STEROID),)),
    # NSAIDs and SSRIs
    ("Advil", (("ibuprofen", NSAID),)),
    ("Motrin IB", (("ibuprofen", NSAID),)),
    ("Nurofen 200mg", (("ibuprofen", NSAID),)),
    ("Aleve", (("naproxen", NSAID),)),
    ("naproxen 500mg", (("naproxen", NSAID),)),
    ("Voltaren 50mg tablets", (("diclofenac", NSAID),)),
    ("celecoxib", (("celecoxib", NSAID),)),
    ("Celebrex 200", (("celecoxib", NSAID),)),
    ("meloxicam 15mg", (("meloxicam", NSAID),)),
    ("Zoloft 50mg", (("sertraline", SSRI),)),
    ("Prozac", (("fluoxetine", SSRI),)),
    ("citalopram 20mg", (("citalopram", SSRI),)),
    ("Lexapro", (("escitalopram", SSRI),)),
    ("paroxetine", (("paroxetine", SSRI),)),
    # Combination products and several drugs in one line
    ("Aggrenox", (("aspirin", AT), ("dipyridamole", AT))),
    ("Asasantin Retard", (("aspirin", AT), ("dipyridamole", AT))),
    ("DuoPlavin", (("clopidogrel", AT), ("aspirin", AT))),
    ("Excedrin", (("aspirin", AT),)),
    ("aspirin + clopidogrel", (("aspirin", AT), ("clopidogrel", AT))),
    ("aspirin 81mg (baby aspirin)", (("aspirin", AT),)),
    ("prednisone 5mg and hydrocortisone cream", (("prednisone", STEROID),)),
    ("warfarin with hydrocortisone cream", (("warfarin", AT),)),
]

NEGATIVES: list[str] = [
    # Other medicines, including look-alikes of lexicon names
    "paracetamol 1g",
    "vitamin D",
    "metformin 500mg",
    "atorvastatin",
    "amlodipine 5mg",
    "omeprazole",
    "lisinopril",
    "levothyroxine 100mcg",
    "gabapentin",
    "tramadol",
    "tramdol",
    "venlafaxine",  # an SNRI, not an SSRI
    "duloxetine",
    "amitriptyline",
    "hydroxychloroquine",
    "fludrocortisone",  # a mineralocorticoid
    "tamoxifen 20mg",  # hormonal (L02), deliberately not antineoplastic here
    "letrozole",
    "anastrozole",
    "insulin",
    "B12 injections",
    "fish oil",
    "glucosamine",
    "salicylic acid",
    "Cartia XT",
    "olive oil",
    "alive multivitamin",
    "hepatic support",
    "efficient",
    "colon cleanse",
    # Local routes: not systemic steroids, NSAIDs or immunosuppressants
    "prednisolone eye drops",
    "Pred Forte eye drops",
    "hydrocortisone cream",
    "hydrocortisone 1% ointment",
    "Flonase nasal spray",
    "budesonide inhaler",
    "betamethasone cream",
    "dexamethasone ear drops",
    "triamcinolone nasal spray",
    "Voltaren gel",
    "diclofenac patch",
    "ibuprofen gel",
    "ketorolac eye drops",
    "ciclosporin eye drops",
    "tacrolimus ointment",
    "heparin gel",
    # Negated names and names inside other words
    "heparin-free saline",
    "aspirin-free",
    "Excedrin Aspirin Free",
    "non-aspirin pain reliever",
    "Eliquisxyz",
    "myeliquis",
    "aspirinated",
    # Too far from any name, a changed first letter, or too short to correct
    "opixaban",
    "plazik",
    "klopidogrel",
    "asx",
    "none",
    "n/a",
]


def matched(name: str, dose: str | None = None) -> Expected:
    return tuple((m.drug, m.group) for m in match_medicines([Medication(name=name, dose=dose)]))


@pytest.mark.parametrize(("name", "expected"), POSITIVES)
def test_recognises(name: str, expected: Expected) -> None:
    assert matched(name) == expected


@pytest.mark.parametrize("name", NEGATIVES)
def test_does_not_recognise(name: str) -> None:
    assert matched(name) == ()


def test_the_table_is_large_enough() -> None:
    assert len(POSITIVES) + len(NEGATIVES) >= 80


class TestResult:
    def test_carries_index_text_code_and_class(self) -> None:
        medications = [Medication(name="paracetamol"), Medication(name="Eliquis 5mg", dose="5 mg twice a day")]
        assert match_medicines(medications) == [MedicineMatch(1, "Eliquis 5mg", "apixaban", "B01AF02", "B01AF", AT)]

    def test_keeps_list_order_and_each_position(self) -> None:
        names = ["Plavix", "vitamin D", "sertraline", "Humira"]
        result = match_medicines([Medication(name=name) for name in names])
        assert [(m.index, m.text, m.drug, m.atc_code) for m in result] == [
            (0, "Plavix", "clopidogrel", "B01AC04"),
            (2, "sertraline", "sertraline", "N06AB06"),
            (3, "Humira", "adalimumab", "L04AB04"),
        ]

    def test_a_combination_product_gives_one_match_per_component(self) -> None:
        result = match_medicines([Medication(name="Aggrenox 25/200 twice daily")])
        assert [(m.index, m.text, m.drug, m.atc_code, m.atc_class) for m in result] == [
            (0, "Aggrenox 25/200 twice daily", "aspirin", "B01AC06", "B01AC"),
            (0, "Aggrenox 25/200 twice daily", "dipyridamole", "B01AC07", "B01AC"),
        ]

    def test_one_match_per_medication_and_drug(self) -> None:
        same_line = match_medicines([Medication(name="Coumadin (warfarin) 5mg")])
        assert [m.drug for m in same_line] == ["warfarin"]
        two_lines = match_medicines([Medication(name="Eliquis"), Medication(name="apixaban 5mg")])
        assert [(m.index, m.drug) for m in two_lines] == [(0, "apixaban"), (1, "apixaban")]

    def test_empty_list(self) -> None:
        assert match_medicines([]) == []

    def test_nothing_recognised(self) -> None:
        assert match_medicines([Medication(name="paracetamol"), Medication(name="vitamin D")]) == []


class TestRoutes:
    @pytest.mark.parametrize(
        "dose", ["1 drop in each eye", "apply thinly twice a day", "2 puffs twice daily", "one spray each nostril"]
    )
    def test_a_local_route_in_the_dose_is_not_systemic(self, dose: str) -> None:
        assert matched("prednisolone", dose) == ()

    @pytest.mark.parametrize("dose", [None, "5 mg tablet in the morning", "40mg for 5 days", "injection into knee"])
    def test_a_systemic_dose_still_matches(self, dose: str | None) -> None:
        assert matched("prednisolone", dose) == (("prednisolone", STEROID),)

    def test_drops_need_an_eye_or_ear_to_be_local(self) -> None:
        assert matched("prednisolone drops") == (("prednisolone", STEROID),)

    def test_a_route_never_hides_a_drug_without_local_forms(self) -> None:
        assert matched("warfarin", "apply cream daily") == (("warfarin", AT),)
        assert matched("methotrexate injection") == (("methotrexate", IMMUNE),)

    def test_a_route_applies_to_its_own_part_of_the_line(self) -> None:
        assert matched("hydrocortisone cream, dexamethasone 4mg") == (("dexamethasone", STEROID),)


class TestLexicon:
    lexicon: dict[str, Any] = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))

    def test_every_drug_has_a_valid_atc_code_in_its_class_and_group(self) -> None:
        groups = {AT, IMMUNE, CANCER, STEROID, NSAID, SSRI}
        for atc_class, entry in self.lexicon["classes"].items():
            assert re.fullmatch(r"[A-Z]\d\d[A-Z]{2}", atc_class), atc_class
            assert entry["group"] in groups and entry["name"]
            for drug in entry["drugs"]:
                assert re.fullmatch(rf"{atc_class}\d\d", drug["atc_code"]), drug
                assert drug["names"], drug

    @pytest.mark.parametrize(
        ("name", "atc_class"),
        [
            *[(n, "B01AA") for n in ("warfarin", "coumadin", "jantoven", "marevan", "acenocoumarol", "sinthrome")],
            *[(n, "B01AA") for n in ("phenindione",)],
            *[(n, "B01AB") for n in ("heparin", "enoxaparin", "lovenox", "clexane", "dalteparin", "fragmin")],
            *[(n, "B01AB") for n in ("tinzaparin", "innohep")],
            *[(n, "B01AX") for n in ("fondaparinux", "arixtra")],
            *[(n, "B01AC") for n in ("aspirin", "clopidogrel", "plavix", "prasugrel", "effient", "efient")],
            *[(n, "B01AC") for n in ("ticagrelor", "brilinta", "brilique", "dipyridamole", "persantin")],
            *[(n, "B01AC") for n in ("aggrenox", "asasantin", "ticlopidine", "cilostazol", "pletal")],
            *[(n, "B01AE") for n in ("dabigatran", "pradaxa")],
            *[(n, "B01AF") for n in ("apixaban", "eliquis", "rivaroxaban", "xarelto", "edoxaban", "savaysa")],
            *[(n, "B01AF") for n in ("lixiana",)],
            *[(n, "L04AD") for n in ("tacrolimus", "ciclosporin", "cyclosporine")],
            *[(n, "L04AA") for n in ("mycophenolate",)],
            *[(n, "L04AX") for n in ("azathioprine", "methotrexate")],
            *[(n, "L04AF") for n in ("tofacitinib", "baricitinib", "upadacitinib")],
            *[(n, "L04AB") for n in ("adalimumab", "humira", "etanercept", "enbrel", "infliximab", "remicade")],
            *[(n, "L01FA") for n in ("rituximab",)],
            *[(n, "L01BC") for n in ("capecitabine",)],
            *[(n, "H02AB") for n in ("prednisone", "prednisolone", "dexamethasone", "methylprednisolone")],
            *[(n, "H02AB") for n in ("hydrocortisone",)],
            *[(n, "M01AE") for n in ("ibuprofen", "naproxen", "advil", "motrin", "nurofen", "aleve")],
            *[(n, "M01AB") for n in ("diclofenac", "voltaren")],
            *[(n, "M01AH") for n in ("celecoxib",)],
            *[(n, "M01AC") for n in ("meloxicam",)],
            *[(n, "N06AB") for n in ("sertraline", "fluoxetine", "citalopram", "escitalopram", "paroxetine")],
            *[(n, "N06AB") for n in ("zoloft", "prozac", "lexapro")],
        ],
    )
    def test_covers_the_specification_list(self, name: str, atc_class: str) -> None:
        result = match_medicines([Medication(name=name)])
        assert result and {m.atc_class for m in result} == {atc_class}

    def test_known_words_are_never_matched(self) -> None:
        words = self.lexicon["known_words"]
        assert match_medicines([Medication(name=word) for word in words]) == []


def _lexicon(**changes: Any) -> _Lexicon:
    lexicon: dict[str, Any] = {
        "classes": {
            "B01AF": {
                "name": "direct factor Xa inhibitors",
                "group": AT,
                "drugs": [{"drug": "apixaban", "atc_code": "B01AF02", "names": ["apixaban", "eliquis"]}],
            }
        },
        "combinations": [],
        "local_routes": {"forms": ["cream"], "drops": ["drops"], "drop_sites": ["eye"]},
        "negation": {"after": ["free"], "before": ["non"]},
        "separators": ["and"],
        "known_words": ["metformin"],
    }
    lexicon.update(changes)
    return cast(_Lexicon, lexicon)


class TestLexiconErrors:
    """A broken lexicon fails at import, never by silently missing a medicine."""

    def test_the_minimal_lexicon_loads(self) -> None:
        assert set(_Index(_lexicon()).names) == {"apixaban", "eliquis"}

    @pytest.mark.parametrize(
        "drugs",
        [
            [{"drug": "apixaban", "atc_code": "B01AC02", "names": ["apixaban"]}],  # code outside its class
            [
                {"drug": "apixaban", "atc_code": "B01AF02", "names": ["apixaban"]},
                {"drug": "again", "atc_code": "B01AF02", "names": ["again"]},
            ],  # code repeated
            [
                {"drug": "apixaban", "atc_code": "B01AF02", "names": ["apixaban"]},
                {"drug": "edoxaban", "atc_code": "B01AF03", "names": ["apixaban"]},
            ],  # name listed twice
            [{"drug": "apixaban", "atc_code": "B01AF02", "names": ["Eliquis"]}],  # not lower case
        ],
    )
    def test_refuses_inconsistent_drugs(self, drugs: list[dict[str, Any]]) -> None:
        classes = {"B01AF": {"name": "direct factor Xa inhibitors", "group": AT, "drugs": drugs}}
        with pytest.raises(ValueError, match=r"medicines\.json"):
            _Index(_lexicon(classes=classes))

    def test_refuses_a_known_word_that_is_a_name(self) -> None:
        with pytest.raises(ValueError, match="known"):
            _Index(_lexicon(known_words=["eliquis"]))

    def test_refuses_an_unknown_group(self) -> None:
        classes = {"B01AF": {"name": "x", "group": "anticoagulant", "drugs": []}}
        with pytest.raises(KeyError):
            _Index(_lexicon(classes=classes))

    def test_refuses_a_combination_of_unknown_codes(self) -> None:
        with pytest.raises(KeyError):
            _Index(_lexicon(combinations=[{"names": ["mix"], "atc_codes": ["B01AF02", "B01AC06"]}]))
