"""FHIR R4 views of an intake: the form as a Questionnaire and a screened intake as a Bundle.

A layer of its own beside the store and the rules: it reads a stored record (plain dicts) and returns plain FHIR JSON,
so neither the rules nor the store know FHIR exists, and no FHIR library is needed at run time.
"""
