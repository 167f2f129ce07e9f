"""A screened intake as a FHIR R4 Bundle (type `collection`) for practice systems and EHRs.

Input is the stored record as the review API returns it (answers, screening, history); output is plain FHIR JSON.
Resource ids are UUIDs derived from the intake id, so the same intake always gives the same Bundle and its
references (`urn:uuid:` full URLs) resolve inside it. docs/fhir-mapping.md shows the mapping field by field.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from screening.fhir import codes
from screening.fhir.errors import NoAnswers
from screening.fhir.form_items import CUSTOM, FormItem, form_items

_NAMESPACE = uuid.UUID("9b3c1f0e-5d7a-4c2b-8e1f-3a6d2c4b5e70")
"""Fixed namespace of the derived resource ids (uuid5)."""
_MEDICATION_FIELD = re.compile(r"^medications\[(\d+)\]\.(name|dose)$")
_INDEX = re.compile(r"\[\d+\]")
_DECISION_DISPLAY = {
    "cleared": "Cleared for treatment",
    "treat_with_modifications": "Treat with the modifications in the note",
    "refer_to_doctor": "Refer to a doctor first",
    "declined": "Treatment declined",
}


def _ref(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


def _reference(url: str, display: str | None = None) -> dict[str, str]:
    return {"reference": url} | ({"display": display} if display else {})


def _entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": url, "resource": {"resourceType": resource.pop("resourceType"), "id": url[9:], **resource}}


def _answer(item: FormItem, value: Any) -> dict[str, Any]:
    if item.type == "choice":
        return {"valueCoding": {"system": codes.ANSWER_SYSTEM, "code": str(value)}}
    if item.type == "boolean":
        return {"valueBoolean": value}
    if item.type == "integer":
        return {"valueInteger": value}
    if item.type == "decimal":
        return {"valueDecimal": value}
    if item.type == "date":
        return {"valueDate": value}
    if item.type == "dateTime":
        return {"valueDateTime": value}
    return {"valueString": value}


def _response_items(items: Iterable[FormItem], answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every answer given, as the patient gave it, under the Questionnaire's linkIds (unanswered items left out)."""
    out: list[dict[str, Any]] = []
    for item in items:
        value = answers.get(item.name)
        if value is None or value in ([], {}, ""):  # FHIR has no empty values: an empty answer is no answer
            continue
        if item is CUSTOM:  # one group per key
            for key, answer in value.items():
                kind = "flag" if isinstance(answer, bool) else "text" if isinstance(answer, str) else "number"
                out.append({"linkId": item.link_id, "item": _response_items(item.children, {"key": key, kind: answer})})
        elif item.type == "group":
            for group in value if item.repeats else [value]:
                out.append({"linkId": item.link_id, "item": _response_items(item.children, group)})
        else:
            values = [v for v in value if v != ""] if item.repeats else [value]
            if values:
                out.append({"linkId": item.link_id, "answer": [_answer(item, v) for v in values]})
    return out


def _patient(answers: Mapping[str, Any]) -> dict[str, Any]:
    person = answers["patient"]
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "name": [{"use": "official", "family": person["family_name"], "given": [person["given_name"]]}],
        "birthDate": person["date_of_birth"],
    }
    telecom = [
        {"system": system, "value": person[field], "use": "home" if system == "email" else "mobile"}
        for field, system in (("phone", "phone"), ("email", "email"))
        if person.get(field)
    ]
    if telecom:
        patient["telecom"] = telecom
    if person.get("sex_at_birth"):
        patient["extension"] = [
            {"url": codes.BIRTH_SEX_EXTENSION, "valueCode": codes.BIRTH_SEX[person["sex_at_birth"]]}
        ]
    patient["communication"] = [
        {
            "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": answers.get("locale", "en")}]},
            "preferred": True,
        }
    ]
    return patient


def _medicines(flags: list[dict[str, Any]]) -> dict[tuple[int, str], dict[str, Any]]:
    """Each recognised medicine once: (line, ATC code) → the evidence that names it."""
    found: dict[tuple[int, str], dict[str, Any]] = {}
    for flag in flags:
        for evidence in flag["evidence"]:
            line = _MEDICATION_FIELD.match(evidence["field"])
            code = evidence.get("atc_code") or evidence.get("atc_class")
            if line and evidence.get("matched_drug") and code:
                found.setdefault((int(line[1]), code), evidence)
    return found


def _medication_statement(
    answers: Mapping[str, Any], line: int, code: str, evidence: Mapping[str, Any], *, patient: str, qr: str, at: str
) -> dict[str, Any]:
    written = answers["medications"][line]
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "medicationCodeableConcept": {
            "coding": [{"system": codes.ATC_SYSTEM, "code": code, "display": evidence["matched_drug"]}],
            "text": written["name"],
        },
        "subject": _reference(patient),
        "dateAsserted": at,
        "informationSource": _reference(patient),
        "derivedFrom": [_reference(qr)],
    }
    if written.get("dose"):
        statement["dosage"] = [{"text": written["dose"]}]
    return statement


def _linkids(evidence: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(dict.fromkeys(f"{e['field']} (linkId {_INDEX.sub('', e['field'])})" for e in evidence))


def _detected_issue(
    flag: Mapping[str, Any],
    *,
    patient: str,
    qr: str,
    device: str,
    at: str,
    implicated: list[str],
    mitigations: list[dict[str, Any]],
) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "status": "final",
        "code": {
            "coding": [{"system": codes.RULE_SYSTEM, "code": flag["rule_id"], "display": flag["title"]}],
            "text": flag["title"],
        },
        "severity": codes.SEVERITY[flag["severity"]],
        "patient": _reference(patient),
        "identifiedDateTime": at,
        "author": _reference(device),
        "detail": f"{flag['title']}. {flag['action']}",
        "evidence": [{"code": [{"text": f"answers: {_linkids(flag['evidence'])}"}], "detail": [_reference(qr)]}],
    }
    if implicated:
        issue["implicated"] = [_reference(url) for url in implicated]
    if mitigations:
        issue["mitigation"] = mitigations
    return issue


def _mitigation(entry: Mapping[str, Any], practitioner: str) -> dict[str, Any]:
    decision = entry["decision"]
    action: dict[str, Any] = {
        "coding": [{"system": codes.DECISION_SYSTEM, "code": decision, "display": _DECISION_DISPLAY.get(decision)}]
    }
    if entry.get("note"):
        action["text"] = entry["note"]
    return {"action": action, "date": entry["at"], "author": _reference(practitioner, _author_name(entry))}


def _author_name(entry: Mapping[str, Any]) -> str:
    return str(entry.get("by_name") or entry["by"])


def _risk_assessment(score: Mapping[str, Any], patient: str, qr: str, at: str) -> dict[str, Any]:
    summary = f"STarT Back total {score['total']}/9, psychosocial subscale {score['psychosocial']}/5"
    return {
        "resourceType": "RiskAssessment",
        "status": "final",
        "method": {
            "coding": [
                {
                    "system": codes.START_BACK_SYSTEM,
                    "code": "keele-start-back",
                    "display": "Keele STarT Back Screening Tool",
                }
            ]
        },
        "subject": _reference(patient),
        "occurrenceDateTime": at,
        "basis": [_reference(qr)],
        "prediction": [
            {
                "outcome": {
                    "coding": [{"system": codes.START_BACK_SYSTEM, "code": f"{score['risk']}-risk"}],
                    "text": f"{score['risk']} risk of a poor outcome from back pain",
                },
                "qualitativeRisk": {
                    "coding": [{"system": codes.RISK_PROBABILITY_SYSTEM, "code": codes.RISK_GROUP[score["risk"]]}]
                },
                "rationale": summary,
            }
        ],
        "note": [{"text": summary}],
    }


def _consents(answers: Mapping[str, Any], patient: str, guardian: str | None, at: str) -> Iterator[dict[str, Any]]:
    consent = answers["consent"]
    treatment_by = guardian if guardian and consent.get("guardian_confirmed") else patient
    privacy_rule = "privacy notice accepted"
    if consent.get("privacy_notice_version"):
        privacy_rule += f" (version {consent['privacy_notice_version']})"
    for scope, performer, rule in (
        ("treatment", treatment_by, "treatment consent given"),
        ("patient-privacy", patient, privacy_rule),
    ):
        yield {
            "resourceType": "Consent",
            "status": "active",
            "scope": {"coding": [{"system": codes.CONSENT_SCOPE_SYSTEM, "code": scope}]},
            "category": [{"coding": [{"system": codes.CONSENT_CATEGORY_SYSTEM, "code": codes.CONSENT_CATEGORY_CODE}]}],
            "patient": _reference(patient),
            "dateTime": at,
            "performer": [_reference(performer)],
            "policyRule": {"coding": [{"system": codes.CONSENT_POLICY_SYSTEM, "code": "OPTIN"}], "text": rule},
            "provision": {"type": "permit"},
        }


def _guardian(consent: Mapping[str, Any], patient: str) -> dict[str, Any]:
    guardian: dict[str, Any] = {
        "resourceType": "RelatedPerson",
        "patient": _reference(patient),
        "name": [{"text": consent["guardian_name"]}],
    }
    if consent.get("guardian_relationship"):
        code = codes.GUARDIAN_RELATIONSHIP[consent["guardian_relationship"]]
        guardian["relationship"] = [{"coding": [{"system": codes.RELATIONSHIP_SYSTEM, "code": code}]}]
    return guardian


def intake_bundle(record: Mapping[str, Any]) -> dict[str, Any]:
    """The Bundle of one stored intake; NoAnswers when it holds none."""
    answers = record.get("answers")
    if not answers:
        raise NoAnswers(record["id"])
    intake_id, at, screening = record["id"], record["received_at"], record["screening"]
    key = f"intake/{intake_id}/"
    patient, qr, device = _ref(key + "Patient"), _ref(key + "QuestionnaireResponse"), _ref(key + "Device")
    entries = [_entry(patient, _patient(answers))]
    entries.append(
        _entry(
            qr,
            {
                "resourceType": "QuestionnaireResponse",
                "identifier": {"system": codes.INTAKE_ID_SYSTEM, "value": intake_id},
                "questionnaire": f"{codes.QUESTIONNAIRE_URL}|{codes.QUESTIONNAIRE_VERSION}",
                "status": "completed",
                "subject": _reference(patient),
                "authored": at,
                "author": _reference(patient),
                "language": answers.get("locale", "en"),
                "item": _response_items(form_items(), answers),
            },
        )
    )
    consent = answers["consent"]
    guardian = _ref(key + "RelatedPerson") if consent.get("guardian_name") else None
    if guardian:
        entries.append(_entry(guardian, _guardian(consent, patient)))
    entries.extend(
        _entry(_ref(f"{key}Consent/{n}"), c) for n, c in enumerate(_consents(answers, patient, guardian, at))
    )

    practitioners: dict[str, str] = {}
    for entry in record.get("history", []):
        if entry["by"] not in practitioners:
            practitioners[entry["by"]] = url = _ref(f"practitioner/{entry['by']}")
            resource = {
                "resourceType": "Practitioner",
                "identifier": [{"system": codes.PRACTITIONER_ID_SYSTEM, "value": entry["by"]}],
                "name": [{"text": _author_name(entry)}],
            }
            entries.append(_entry(url, resource))
    mitigations = [_mitigation(entry, practitioners[entry["by"]]) for entry in record.get("history", [])]

    derived: list[str] = []
    medicines: dict[tuple[int, str], str] = {}
    for (line, code), evidence in _medicines(screening.get("flags", [])).items():
        medicines[(line, code)] = url = _ref(f"{key}MedicationStatement/{line}/{code}")
        entries.append(_entry(url, _medication_statement(answers, line, code, evidence, patient=patient, qr=qr, at=at)))
        derived.append(url)
    for n, flag in enumerate(screening.get("flags", [])):
        url = _ref(f"{key}DetectedIssue/{n}")
        implicated = list(dict.fromkeys(url for (line, code), url in medicines.items() if _names(flag, line, code)))
        entries.append(
            _entry(
                url,
                _detected_issue(
                    flag, patient=patient, qr=qr, device=device, at=at, implicated=implicated, mitigations=mitigations
                ),
            )
        )
        derived.append(url)
    if screening.get("start_back"):
        url = _ref(key + "RiskAssessment")
        entries.append(_entry(url, _risk_assessment(screening["start_back"], patient, qr, at)))
        derived.append(url)

    entries.append(
        _entry(
            device,
            {
                "resourceType": "Device",
                "deviceName": [{"name": "intake-screening rules engine", "type": "model-name"}],
                "version": [{"value": screening["catalog_version"]}],
            },
        )
    )
    if derived:
        entries.append(
            _entry(
                _ref(key + "Provenance"),
                {
                    "resourceType": "Provenance",
                    "target": [_reference(url) for url in derived],
                    "recorded": at,
                    "agent": [
                        {
                            "type": {"coding": [{"system": codes.PROVENANCE_AGENT_SYSTEM, "code": "assembler"}]},
                            "who": _reference(device),
                        }
                    ],
                    "entity": [{"role": "source", "what": _reference(qr)}],
                },
            )
        )
    last_change = max([at, *(entry["at"] for entry in record.get("history", []))])
    return {
        "resourceType": "Bundle",
        "id": intake_id,
        "identifier": {"system": codes.INTAKE_ID_SYSTEM, "value": intake_id},
        "type": "collection",
        "timestamp": last_change,
        "entry": entries,
    }


def _names(flag: Mapping[str, Any], line: int, code: str) -> bool:
    """True when the flag's evidence names the medicine on this line with this code."""
    for evidence in flag["evidence"]:
        match = _MEDICATION_FIELD.match(evidence["field"])
        if match and int(match[1]) == line and code in (evidence.get("atc_code"), evidence.get("atc_class")):
            return True
    return False
