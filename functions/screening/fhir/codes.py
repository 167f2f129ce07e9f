"""The canonical URLs and code systems the FHIR views use.

Codes defined by HL7 or WHO are used where one fits (ATC for medicines, HL7 risk-probability, consent scope,
provenance participant types). The project's own concepts (screening rules, decisions, answer codes, the STarT Back
method) live under one base URL, `CANONICAL_BASE`: it names the project's artifacts and is not served; a clinic that
publishes the Questionnaire on its own server replaces it (docs/fhir-mapping.md).
"""

from __future__ import annotations

CANONICAL_BASE = "https://fhir.intake-screening.example"
"""`.example` is reserved (RFC 2606): a namespace, never a host anyone can claim."""

QUESTIONNAIRE_URL = f"{CANONICAL_BASE}/Questionnaire/intake-form"
QUESTIONNAIRE_VERSION = "1.1"
"""The intake contract version the Questionnaire describes."""

ANSWER_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/intake-answer"
"""Every closed-list answer of the form (yes / no / unsure, pain areas, implant kinds...), coded by its value."""
RULE_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/screening-rule"
DECISION_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/review-decision"
START_BACK_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/start-back"
"""Keele STarT Back as a method and its risk groups: no LOINC code for the tool could be verified offline."""
PRACTITIONER_ID_SYSTEM = f"{CANONICAL_BASE}/NamingSystem/practitioner-sub"
"""Identifier system of a practitioner's immutable identity-provider subject (Cognito `sub`)."""
INTAKE_ID_SYSTEM = f"{CANONICAL_BASE}/NamingSystem/intake-id"

ATC_SYSTEM = "http://www.whocc.no/atc"
BIRTH_SEX_EXTENSION = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"
RISK_PROBABILITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/risk-probability"
CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_POLICY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONSENT_CATEGORY_SYSTEM = "http://loinc.org"
CONSENT_CATEGORY_CODE = "59284-0"
"""LOINC "Patient Consent", the code of the R4 consent-category example value set."""
PROVENANCE_AGENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
RELATIONSHIP_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"

SEVERITY = {"critical": "high", "warning": "moderate", "info": "low"}
"""Flag severity → DetectedIssue.severity (the contract's mapping)."""

BIRTH_SEX = {"female": "F", "male": "M", "undisclosed": "ASKU", "intersex": "UNK"}
"""sex_at_birth → US Core birth sex (F, M, ASKU, UNK): intersex has no code of its own there, so it is UNK and the
patient's own answer stays in the QuestionnaireResponse."""

RISK_GROUP = {"low": "low", "medium": "moderate", "high": "high"}
"""STarT Back risk group → HL7 risk-probability code."""

GUARDIAN_RELATIONSHIP = {"parent": "PRN", "legal_guardian": "GUARD", "other": "NOK"}
"""consent.guardian_relationship → HL7 v3 RoleCode (parent, guardian, next of kin)."""
