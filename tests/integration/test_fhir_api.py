"""GET /intakes/{id}/fhir through the review handler against moto: a stored, reviewed intake as a valid Bundle."""

from __future__ import annotations

from typing import Any

from tests.conftest import Aws
from tests.fhir.validation import assert_valid_bundle
from tests.integration.test_review_api import decide, practitioner, submit
from tests.support import PRACTITIONER, example_form, with_changes

ROUTE = "/intakes/{id}/fhir"


def fhir(intake_id: str, claims: dict[str, Any] | None = PRACTITIONER) -> Any:
    return practitioner("GET", f"/intakes/{intake_id}/fhir", ROUTE, claims=claims, path_parameters={"id": intake_id})


def test_a_flagged_reviewed_intake_comes_back_as_a_valid_bundle(aws: Aws) -> None:
    intake_id = submit(with_changes(example_form(), red_flags={"saddle_numbness": "yes"}))
    assert decide(intake_id, 1, decision="refer_to_doctor", note="same-day emergency assessment").status == 200

    response = fhir(intake_id)

    assert response.status == 200
    assert response.headers["Content-Type"] == "application/fhir+json"
    bundle = response.body
    assert_valid_bundle(bundle)
    assert bundle["identifier"]["value"] == intake_id
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "QuestionnaireResponse", "DetectedIssue", "MedicationStatement", "Practitioner"} <= kinds
    severities = {
        e["resource"]["severity"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"
    }
    assert "high" in severities


def test_an_unknown_intake_is_404_and_a_non_practitioner_is_refused(aws: Aws) -> None:
    assert fhir("2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10").status == 404
    intake_id = submit(example_form())
    assert fhir(intake_id, claims={"sub": "p-2", "cognito:groups": "[receptionists]"}).status == 403
    assert fhir(intake_id, claims=None).status == 401
