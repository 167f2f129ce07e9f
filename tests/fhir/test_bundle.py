"""GET /intakes/{id}/fhir's mapping: a screened intake as a FHIR R4 Bundle that validates three ways."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from screening.fhir import codes
from screening.fhir.bundle import intake_bundle
from screening.fhir.errors import NoAnswers
from tests.fhir.conftest import RECEIVED, stored_record
from tests.fhir.validation import assert_valid_bundle, published_questionnaire, response_problems, schema_errors
from tests.stress.strategies import valid_forms
from tests.support import DROP, example_form, with_changes

DECISION = {
    "decision": "treat_with_modifications",
    "note": "superficial needling only",
    "by": "5e1d-sub",
    "by_name": "Dr Kim",
    "at": "2026-11-30T11:00:00.000Z",
}
START_BACK = {
    "leg_pain": True,
    "shoulder_or_neck_pain": False,
    "walked_short_distances_only": True,
    "dressed_more_slowly": True,
    "not_safe_to_be_active": True,
    "worrying_thoughts": True,
    "pain_terrible_never_better": True,
    "stopped_enjoying_things": False,
    "bothersomeness": "very_much",
}


def loaded_form() -> dict[str, Any]:
    """The contract example (Eliquis with blood thinners "no") plus contact details, STarT Back and custom answers."""
    return with_changes(
        example_form(),
        patient={"sex_at_birth": "female", "phone": "+44 7700 900123"},
        start_back=START_BACK,
        custom={"heard_of_us": "a friend", "visits_last_year": 3, "parking": True},
        allergies=["penicillin"],
        notes="Pain worse in the morning.",
    )


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


def by_url(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}


def answers_from(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Rebuild the contract's answers from QuestionnaireResponse items: the inverse of the mapping."""
    rebuilt: dict[str, Any] = {}
    for item in items:
        name = item["linkId"].rpartition(".")[2]
        if "item" in item:
            value: Any = answers_from(item["item"])
            if name == "custom":
                key = value.pop("key")
                ((_, rebuilt.setdefault("custom", {})[key]),) = value.items()
                continue
            if name == "medications":
                rebuilt.setdefault(name, []).append(value)
                continue
        else:
            values = [next(iter(a.values())) for a in item["answer"]]
            value = [v["code"] if isinstance(v, dict) else v for v in values]
            if name not in {"areas", "allergies", "immune_details", "implant_details"}:
                (value,) = value
        rebuilt[name] = value
    return rebuilt


def test_a_flagged_reviewed_intake_is_a_valid_collection_with_every_part() -> None:
    bundle = intake_bundle(stored_record(loaded_form(), [DECISION]))
    assert_valid_bundle(bundle)
    assert bundle["type"] == "collection"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    for kind in (
        "Patient",
        "QuestionnaireResponse",
        "DetectedIssue",
        "MedicationStatement",
        "RiskAssessment",
        "Consent",
        "Provenance",
        "Device",
        "Practitioner",
    ):
        assert kind in kinds, kind
    assert len(set(kinds)) == len(set(kinds))  # the entry list is not empty of any kind above


def test_every_answer_comes_back_from_the_questionnaire_response_as_given() -> None:
    record = stored_record(loaded_form())
    (response,) = resources(intake_bundle(record), "QuestionnaireResponse")
    assert response["status"] == "completed"
    assert response["authored"] == RECEIVED
    assert answers_from(response["item"]) == answered(record["answers"])


def answered(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers a response can carry: without the form's version and language and without empty lists."""
    return {
        key: answered(value) if isinstance(value, dict) and key != "custom" else value
        for key, value in answers.items()
        if key not in {"form_version", "locale"} and value != []
    }


def test_patient_has_name_birth_date_contact_and_birth_sex_as_the_extension_not_gender() -> None:
    (patient,) = resources(intake_bundle(stored_record(loaded_form())), "Patient")
    assert patient["name"] == [{"use": "official", "family": "Lopez", "given": ["Ana"]}]
    assert patient["birthDate"] == "1985-04-12"
    assert {t["system"]: t["value"] for t in patient["telecom"]} == {
        "phone": "+44 7700 900123",
        "email": "ana@example.org",
    }
    assert patient["extension"] == [{"url": codes.BIRTH_SEX_EXTENSION, "valueCode": "F"}]
    assert "gender" not in patient


def test_one_detected_issue_per_flag_with_severity_code_detail_evidence_and_mitigation() -> None:
    record = stored_record(loaded_form(), [DECISION])
    bundle = intake_bundle(record)
    urls = by_url(bundle)
    issues = resources(bundle, "DetectedIssue")
    flags = record["screening"]["flags"]
    assert [issue["code"]["coding"][0]["code"] for issue in issues] == [flag["rule_id"] for flag in flags]
    (response_url,) = [url for url, r in urls.items() if r["resourceType"] == "QuestionnaireResponse"]
    for issue, flag in zip(issues, flags, strict=True):
        assert issue["severity"] == {"critical": "high", "warning": "moderate", "info": "low"}[flag["severity"]]
        assert flag["title"] in issue["detail"] and flag["action"] in issue["detail"]
        (evidence,) = issue["evidence"]
        assert evidence["detail"] == [{"reference": response_url}]
        for item in flag["evidence"]:
            assert item["field"] in evidence["code"][0]["text"]
        (mitigation,) = issue["mitigation"]
        assert mitigation["action"]["coding"][0]["code"] == "treat_with_modifications"
        assert mitigation["date"] == DECISION["at"]
        author = urls[mitigation["author"]["reference"]]
        assert author["resourceType"] == "Practitioner"
        assert author == {
            "resourceType": "Practitioner",
            "id": author["id"],
            "identifier": [{"system": codes.PRACTITIONER_ID_SYSTEM, "value": "5e1d-sub"}],
            "name": [{"text": "Dr Kim"}],
        }


def test_recognised_medicines_are_medication_statements_coded_by_atc_and_implicated_by_their_flag() -> None:
    bundle = intake_bundle(stored_record(loaded_form()))
    urls = by_url(bundle)
    (statement,) = resources(bundle, "MedicationStatement")
    (coding,) = statement["medicationCodeableConcept"]["coding"]
    assert coding["system"] == "http://www.whocc.no/atc"
    assert coding["code"].startswith("B01AF")
    assert coding["display"] == "apixaban"
    assert statement["medicationCodeableConcept"]["text"] == "Eliquis"
    assert statement["dosage"] == [{"text": "5 mg twice a day"}]
    bleeding = [i for i in resources(bundle, "DetectedIssue") if i["code"]["coding"][0]["code"].startswith("bleeding")]
    assert bleeding
    for issue in bleeding:
        assert [urls[ref["reference"]]["resourceType"] for ref in issue["implicated"]] == ["MedicationStatement"]


def test_start_back_is_a_risk_assessment_with_scores_and_group() -> None:
    record = stored_record(loaded_form())
    (risk,) = resources(intake_bundle(record), "RiskAssessment")
    score = record["screening"]["start_back"]
    (prediction,) = risk["prediction"]
    assert (
        prediction["qualitativeRisk"]["coding"][0]["code"]
        == {"low": "low", "medium": "moderate", "high": "high"}[score["risk"]]
    )
    assert f"total {score['total']}/9" in prediction["rationale"]
    assert f"psychosocial subscale {score['psychosocial']}/5" in prediction["rationale"]


def test_consents_and_provenance_name_the_engine_with_its_catalog_version() -> None:
    record = stored_record(with_changes(loaded_form(), consent={"privacy_notice_version": "2026-11"}))
    bundle = intake_bundle(record)
    urls = by_url(bundle)
    scopes = {c["scope"]["coding"][0]["code"]: c for c in resources(bundle, "Consent")}
    assert set(scopes) == {"treatment", "patient-privacy"}
    assert "2026-11" in scopes["patient-privacy"]["policyRule"]["text"]
    (provenance,) = resources(bundle, "Provenance")
    (agent,) = provenance["agent"]
    device = urls[agent["who"]["reference"]]
    assert device["resourceType"] == "Device"
    assert device["version"] == [{"value": record["screening"]["catalog_version"]}]
    targets = {urls[t["reference"]]["resourceType"] for t in provenance["target"]}
    assert targets == {"DetectedIssue", "MedicationStatement", "RiskAssessment"}


def test_a_minor_with_a_confirming_guardian_consents_through_a_related_person() -> None:
    form = with_changes(
        example_form(),
        patient={"date_of_birth": "2010-05-01"},
        consent={"guardian_name": "Maria Lopez", "guardian_relationship": "parent", "guardian_confirmed": True},
    )
    bundle = intake_bundle(stored_record(form))
    assert_valid_bundle(bundle)
    urls = by_url(bundle)
    (guardian,) = resources(bundle, "RelatedPerson")
    assert guardian["relationship"][0]["coding"][0]["code"] == "PRN"
    (treatment,) = [c for c in resources(bundle, "Consent") if c["scope"]["coding"][0]["code"] == "treatment"]
    assert urls[treatment["performer"][0]["reference"]] is guardian


def test_a_clear_intake_has_no_issue_and_no_provenance_but_keeps_its_answers() -> None:
    form = with_changes(example_form(), medications=DROP)
    bundle = intake_bundle(stored_record(form))
    assert_valid_bundle(bundle)
    assert resources(bundle, "DetectedIssue") == []
    assert resources(bundle, "Provenance") == []
    assert len(resources(bundle, "QuestionnaireResponse")) == 1


def test_the_same_intake_always_gives_the_same_bundle() -> None:
    record = stored_record(loaded_form(), [DECISION])
    assert intake_bundle(record) == intake_bundle(record)


def test_an_intake_without_answers_cannot_be_exported() -> None:
    record = stored_record(example_form())
    record.pop("answers")
    with pytest.raises(NoAnswers):
        intake_bundle(record)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=valid_forms())
def test_every_valid_form_maps_to_a_valid_bundle(form: dict[str, Any]) -> None:
    assert_valid_bundle(intake_bundle(stored_record(form, [DECISION])))


# The validators themselves: each must reject what it exists to reject, or the tests above prove nothing.


def test_the_r4_schema_rejects_a_code_outside_a_required_binding() -> None:
    bundle = intake_bundle(stored_record(loaded_form()))
    (issue, *_) = resources(bundle, "DetectedIssue")
    issue["severity"] = "severe"
    assert any("severe" in error for error in schema_errors(bundle))


def test_the_bundle_check_rejects_a_dangling_reference() -> None:
    bundle = intake_bundle(stored_record(loaded_form()))
    resources(bundle, "MedicationStatement")[0]["subject"] = {
        "reference": "urn:uuid:00000000-0000-0000-0000-000000000000"
    }
    with pytest.raises(AssertionError, match="resolve to no entry"):
        assert_valid_bundle(bundle)


def test_the_response_check_rejects_an_answer_the_questionnaire_does_not_offer() -> None:
    (response,) = resources(intake_bundle(stored_record(loaded_form())), "QuestionnaireResponse")
    safety = next(item for item in response["item"] if item["linkId"] == "safety")
    safety["item"][0]["answer"] = [{"valueCoding": {"system": codes.ANSWER_SYSTEM, "code": "maybe"}}]
    assert response_problems(response, published_questionnaire()) == [
        "safety.bleeding_disorder: 'maybe' is not an answer option"
    ]


def test_the_r4_schema_check_allows_unicode_spaces_but_not_control_characters() -> None:
    bundle = intake_bundle(stored_record(loaded_form()))
    (patient,) = resources(bundle, "Patient")
    patient["name"][0]["family"] = "Le\u00a0Goff"
    assert schema_errors(bundle) == []
    patient["name"][0]["family"] = "Le\x01Goff"
    assert schema_errors(bundle) != []
