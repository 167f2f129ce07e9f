"""The grant extraction itself: it must see through wildcards and policy templates, and refuse what it cannot read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.grants import UnauditablePolicyError, allowed_actions, function_grants


def _template(policies: Any, **extra: Any) -> dict[str, Any]:
    return {"Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Policies": policies, **extra}}}}


def _statement(action: Any, effect: str = "Allow") -> dict[str, Any]:
    return {"Statement": [{"Effect": effect, "Action": action, "Resource": "arn:table"}]}


@pytest.mark.parametrize("pattern", ["dynamodb:*", "dynamodb:Get*", "DynamoDB:getitem", "*", "dynamodb:?etItem"])
def test_wildcards_and_case_are_matched_as_iam_does(pattern: str) -> None:
    grants = function_grants(_template([_statement(pattern)]), "Fn")
    assert any(grant.allows("dynamodb:GetItem") for grant in grants)


def test_an_exact_action_allows_nothing_else() -> None:
    grants = function_grants(_template([_statement(["dynamodb:PutItem"])]), "Fn")
    assert [grant.allows(action) for grant in grants for action in ("dynamodb:PutItem", "dynamodb:GetItem")] == [
        True,
        False,
    ]


def test_deny_statements_allow_nothing() -> None:
    grants = function_grants(_template([_statement("dynamodb:*", effect="Deny")]), "Fn")
    assert not any(grant.allows("dynamodb:GetItem") for grant in grants)
    assert allowed_actions(grants, "dynamodb") == set()


def test_sam_policy_templates_are_expanded() -> None:
    grants = function_grants(_template([{"DynamoDBCrudPolicy": {"TableName": {"Ref": "IntakeTable"}}}]), "Fn")
    assert any(grant.allows("dynamodb:Scan") for grant in grants)


def test_a_single_statement_dict_and_a_single_policy_are_read() -> None:
    policy = {"Statement": {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:index"}}
    assert allowed_actions(function_grants(_template(policy), "Fn"), "dynamodb") == {"dynamodb:Query"}


@pytest.mark.parametrize(
    ("policies", "extra"),
    [
        (["AmazonDynamoDBReadOnlyAccess"], {}),
        ([{"S3ReadPolicy": {"BucketName": "b"}}], {}),
        ([{"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}], {}),
        ([], {"Role": "arn:aws:iam::123456789012:role/shared"}),
    ],
)
def test_unreadable_permission_sources_are_refused(policies: Any, extra: dict[str, Any]) -> None:
    with pytest.raises(UnauditablePolicyError):
        function_grants(_template(policies, **extra), "Fn")
