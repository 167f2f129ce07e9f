"""Generates docs/openapi.json: one OpenAPI document for every route, from the functions' Powertools resolvers.

The handlers parse bodies themselves (so size, content type and JSON shape are checked before validation), so each
route names its request model in an `x-request-model` extension; this turns it into a real `requestBody`. Every
request and response gets its example (devtools/openapi_examples.py). Powertools' own validation-error schemas are
dropped: the handlers never answer with them (their errors are ErrorBody), and a schema no body matches misleads.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel

from devtools import openapi_examples
from devtools.generated import ROOT, as_json, write_or_check
from screening.contract.intake import IntakeForm
from screening.contract.review import ErasureRequest, PatientSearch, ReviewRequest
from screening.handlers import admin, intake, review

OPENAPI = ROOT / "docs" / "openapi.json"
API_VERSION = "1.0.0"
REQUEST_MODELS: dict[str, type[BaseModel]] = {
    "IntakeForm": IntakeForm,
    "ReviewRequest": ReviewRequest,
    "PatientSearch": PatientSearch,
    "ErasureRequest": ErasureRequest,
}
_REF = "#/components/schemas/{model}"
_POWERTOOLS_ONLY = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending the same request again (same Idempotency-Key)",
        "schema": {"type": "integer", "minimum": 1},
    }
}


def _resolver_document(app: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        app.get_openapi_json_schema(
            title="Intake screening API",
            version=API_VERSION,
            description=(
                "Patient intake forms for acupuncture practices treating back pain: POST /intakes is public "
                "(contract v1); every other route needs a Cognito JWT: of the practitioners group, or of the "
                "clinic_admins group for an intake's audit trail and erasure."
            ),
            security_schemes={"CognitoJwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        )
    )
    return document


def _add_request_body(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    name = operation.pop("x-request-model", None)
    if name is None:
        return
    model_schema = REQUEST_MODELS[name].model_json_schema(ref_template=_REF)
    schemas.update(model_schema.pop("$defs", {}))
    schemas[name] = model_schema
    operation["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": _REF.format(model=name)}}},
    }


def _add_examples(method: str, path: str, operation: dict[str, Any]) -> None:
    """An example on the request body and on every response; a 2xx (or 409 conflict) without one is an error."""
    successes = openapi_examples.successes()
    for parameter in operation.get("parameters", []):
        if "example" not in parameter and parameter["name"] in openapi_examples.PARAMETERS:
            parameter["example"] = openapi_examples.PARAMETERS[parameter["name"]]
    if "requestBody" in operation:
        operation["requestBody"]["content"]["application/json"]["example"] = openapi_examples.requests()[(method, path)]
    for status, response in operation["responses"].items():
        for media in response.get("content", {}).values():
            media.pop("example", None)
            key = (method, path, status)
            if key in successes:
                media["example"] = successes[key]
            elif status in openapi_examples.ERRORS:
                media["example"] = openapi_examples.ERRORS[status]
            else:
                raise KeyError(f"no example for {method.upper()} {path} {status}: add one to openapi_examples.py")
        if status == "503":
            response["headers"] = _RETRY_AFTER


def document() -> dict[str, Any]:
    merged = _resolver_document(intake.app)
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    for app in (review.app, admin.app):  # one path may have operations in two functions (GET and DELETE /intakes/{id})
        extra = _resolver_document(app)
        for path, operations in extra["paths"].items():
            merged["paths"].setdefault(path, {}).update(operations)
        schemas.update(extra.get("components", {}).get("schemas", {}))
    for path, path_item in merged["paths"].items():
        for method, operation in path_item.items():
            _add_request_body(operation, schemas)
            _add_examples(method, path, operation)
    for name in _POWERTOOLS_ONLY:
        schemas.pop(name, None)
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged


def main(argv: list[str] | None = None) -> int:
    return write_or_check({OPENAPI: as_json(document())}, "the OpenAPI document", argv)


if __name__ == "__main__":
    sys.exit(main())
