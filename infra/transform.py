"""Writes the CloudFormation that SAM makes of a template (the generated roles, Lambda functions, API stage and
permissions), so checkov scans what is deployed and not only the SAM shorthand.

Runs offline with the SAM CLI's own interpreter: .tools/sam/bin/python infra/transform.py TEMPLATE OUTPUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

# SAM refuses a local CodeUri (sam build and sam package replace it); the location does not matter to a scan.
PLACEHOLDER_CODE_URI = "s3://artifacts/functions.zip"


class NoManagedPolicyLookups:
    """SAM looks managed policies up by name in IAM; the template names none, and this run has no credentials."""

    def load(self) -> dict[str, str]:
        raise RuntimeError("a Policies entry names a managed policy; give its ARN or an inline statement instead")


def _with_placeholder_code(template: dict[str, Any]) -> dict[str, Any]:
    template.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = PLACEHOLDER_CODE_URI
    return template


def main(source: Path, target: Path) -> None:
    template = _with_placeholder_code(yaml_parse(source.read_text(encoding="utf-8")))
    transformed = transform(template, {}, NoManagedPolicyLookups())
    target.write_text(json.dumps(transformed, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
