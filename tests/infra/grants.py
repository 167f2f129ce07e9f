"""What a SAM function's role allows, read from the template, so tests can prove least privilege.

SAM builds each function's role from its `Policies`: inline policy documents, SAM policy templates and managed
policies. Inline documents and the DynamoDB policy templates are expanded to statements; anything this module cannot
expand (a managed policy, another template, NotAction, a shared `Role`) raises, so a test fails rather than passing
over permissions nobody has looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

# Actions of SAM's DynamoDB policy templates (samtranslator policy_templates.json), resource-scoped to one table.
SAM_POLICY_TEMPLATE_ACTIONS: dict[str, tuple[str, ...]] = {
    "DynamoDBCrudPolicy": (
        "dynamodb:GetItem",
        "dynamodb:DeleteItem",
        "dynamodb:PutItem",
        "dynamodb:Scan",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:BatchGetItem",
        "dynamodb:DescribeTable",
        "dynamodb:ConditionCheckItem",
    ),
    "DynamoDBReadPolicy": (
        "dynamodb:GetItem",
        "dynamodb:Scan",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "dynamodb:DescribeTable",
    ),
    "DynamoDBWritePolicy": ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"),
    "DynamoDBReconfigurePolicy": ("dynamodb:UpdateTable",),
}

UNKNOWN_RESOURCE = "<resource chosen by a SAM policy template>"


class UnauditablePolicyError(ValueError):
    """A permission source whose actions cannot be read from the template."""


@dataclass(frozen=True)
class Grant:
    """One IAM statement: effect, action patterns (may hold wildcards), resources and condition."""

    effect: str
    actions: tuple[str, ...]
    resources: tuple[Any, ...]
    condition: dict[str, Any]

    def allows(self, action: str) -> bool:
        """Whether this statement allows `action`; IAM matches actions case-insensitively with * and ? wildcards."""
        return self.effect == "Allow" and any(fnmatchcase(action.lower(), pattern.lower()) for pattern in self.actions)


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _statement_grant(statement: dict[str, Any]) -> Grant:
    if "NotAction" in statement or "NotResource" in statement:
        raise UnauditablePolicyError(f"NotAction/NotResource cannot be audited: {statement}")
    return Grant(
        effect=statement["Effect"],
        actions=tuple(str(action) for action in _as_tuple(statement["Action"])),
        resources=_as_tuple(statement.get("Resource")),
        condition=statement.get("Condition", {}),
    )


def _policy_grants(policy: Any) -> list[Grant]:
    if isinstance(policy, dict) and "Statement" in policy:
        return [_statement_grant(statement) for statement in _as_tuple(policy["Statement"])]
    if isinstance(policy, dict) and len(policy) == 1 and next(iter(policy)) in SAM_POLICY_TEMPLATE_ACTIONS:
        return [Grant("Allow", SAM_POLICY_TEMPLATE_ACTIONS[next(iter(policy))], (UNKNOWN_RESOURCE,), {})]
    raise UnauditablePolicyError(f"managed policy or unknown policy template: {policy!r}")


def function_grants(template: dict[str, Any], function_id: str) -> list[Grant]:
    """Every statement the function's own role gets from its `Policies` (SAM Globals cannot set policies)."""
    properties = template["Resources"][function_id]["Properties"]
    if "Role" in properties:
        raise UnauditablePolicyError(f"{function_id} uses a role defined elsewhere")
    return [grant for policy in _as_tuple(properties.get("Policies", [])) for grant in _policy_grants(policy)]


def allowed_actions(grants: list[Grant], service: str) -> set[str]:
    """The action patterns of one service (e.g. "dynamodb") that Allow statements list."""
    prefix = f"{service.lower()}:"
    return {
        action
        for grant in grants
        if grant.effect == "Allow"
        for action in grant.actions
        if action.lower().startswith(prefix)
    }
