"""Generates docs/openapi.json: one OpenAPI document for every route, from the functions' Powertools resolvers.

The handlers parse bodies themselves (so size, content type and JSON shape are checked before validation), so each
route names its request model in an `x-request-model` extension; this turns it into a real `requestBody`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel

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


def document() -> dict[str, Any]:
    merged = _resolver_document(intake.app)
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    for app in (review.app, admin.app):  # one path may have operations in two functions (GET and DELETE /intakes/{id})
        extra = _resolver_document(app)
        for path, operations in extra["paths"].items():
            merged["paths"].setdefault(path, {}).update(operations)
        schemas.update(extra.get("components", {}).get("schemas", {}))
    for path_item in merged["paths"].values():
        for operation in path_item.values():
            _add_request_body(operation, schemas)
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged


def main(argv: list[str] | None = None) -> int:
    return write_or_check({OPENAPI: as_json(document())}, "the OpenAPI document", argv)


if __name__ == "__main__":
    sys.exit(main())
