"""Least privilege in infra/template.yaml: the public function can only add intakes; the review function reads the
intake indexes and may only append to the audit; the admin function reads audit trails and erases by one update;
the announce function reads the intake table's stream and puts events on the bus; every route but POST /intakes
needs a JWT."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.template import load_template
from tests.infra.grants import Grant, allowed_actions, function_grants

TABLE_ARN = {"Fn::GetAtt": ["IntakeTable", "Arn"]}
QUEUE_INDEX_ARN = {"Fn::Sub": "${IntakeTable.Arn}/index/ReviewQueue"}
DAY_INDEX_ARN = {"Fn::Sub": "${IntakeTable.Arn}/index/ByDay"}
PATIENT_INDEX_ARN = {"Fn::Sub": "${IntakeTable.Arn}/index/ByPatient"}
AUDIT_TABLE_ARN = {"Fn::GetAtt": ["AuditTable", "Arn"]}
NOTHING_RETURNED = {"StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}
HTTP_FUNCTIONS = ("IntakeFunction", "ReviewFunction", "AdminFunction")
FUNCTIONS = (*HTTP_FUNCTIONS, "AnnounceFunction")
STREAM_ARN = {"Fn::GetAtt": ["IntakeTable", "StreamArn"]}
# Every DynamoDB action that returns item data (UpdateItem and DeleteItem through ReturnValues) or copies the table
# somewhere it could be read.
DYNAMODB_READ_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PartiQLSelect",
    "dynamodb:ExecuteStatement",
    "dynamodb:BatchExecuteStatement",
    "dynamodb:ExecuteTransaction",
    "dynamodb:TransactGetItems",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ExportTableToPointInTime",
    "dynamodb:RestoreTableToPointInTime",
    "dynamodb:CreateBackup",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
)
PUBLIC_ROUTES = {"POST /intakes"}
PRACTITIONER_ROUTES = {
    "GET /reviews",
    "GET /intakes/{id}",
    "GET /intakes/{id}/fhir",
    "POST /intakes/{id}/review",
    "GET /rules",
    "GET /days/{date}",
    "GET /days/{date}/export.csv",
    "POST /patients/search",
}
ADMIN_ROUTES = {"GET /intakes/{id}/audit", "DELETE /intakes/{id}"}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _resources_allowed(grants: list[Grant], action: str) -> list[Any]:
    return [resource for grant in grants if grant.allows(action) for resource in grant.resources]


def test_intake_function_may_put_items_and_read_nothing(template: dict[str, Any]) -> None:
    grants = function_grants(template, "IntakeFunction")
    assert allowed_actions(grants, "dynamodb") == {"dynamodb:PutItem", "dynamodb:UpdateItem"}
    readers = [
        action
        for action in DYNAMODB_READ_ACTIONS
        if any(grant.allows(action) for grant in grants) and action != "dynamodb:UpdateItem"
    ]
    assert readers == []
    assert _resources_allowed(grants, "dynamodb:PutItem") == [TABLE_ARN, TABLE_ARN]  # intakes, alert windows


def test_intake_function_may_only_count_replays_and_gets_nothing_back(template: dict[str, Any]) -> None:
    (update,) = [grant for grant in function_grants(template, "IntakeFunction") if grant.allows("dynamodb:UpdateItem")]
    assert update.resources == (TABLE_ARN,)
    assert update.condition == {
        "ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "body_hash", "replay_count", "write_token"]},
        "ForAllValues:StringLike": {"dynamodb:LeadingKeys": [INTAKE_ID_PATTERN]},
        "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
    }


INTAKE_ID_PATTERN = "????????-????-????-????-????????????"
"""IAM's `?` is one character: a UUID's shape, so intake writes cannot touch an alert window, nor the reverse."""


def test_intake_function_cannot_read_back_a_replaced_item(template: dict[str, Any]) -> None:
    puts = [grant for grant in function_grants(template, "IntakeFunction") if grant.allows("dynamodb:PutItem")]
    assert [put.condition for put in puts] == [
        {
            "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
            "ForAllValues:StringLike": {"dynamodb:LeadingKeys": [INTAKE_ID_PATTERN]},
        },
        {
            "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
            "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["alert-window#*"]},
            "ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "expires_at"]},
        },
    ]


def test_the_alert_window_ids_match_what_the_template_allows() -> None:
    from fnmatch import fnmatchcase

    from screening.store.intakes import ALERT_WINDOW

    assert fnmatchcase(f"{ALERT_WINDOW}2026-12-02T03:41", "alert-window#*")
    assert fnmatchcase("6f1c2f4e-8d0a-4b52-9a8e-3c1f0b7d2e11", INTAKE_ID_PATTERN)
    assert not fnmatchcase(f"{ALERT_WINDOW}2026-12-02T03:41", INTAKE_ID_PATTERN)


def test_intake_function_may_publish_alerts_only_to_the_alert_topic(template: dict[str, Any]) -> None:
    grants = function_grants(template, "IntakeFunction")
    assert allowed_actions(grants, "sns") == {"sns:Publish"}
    assert _resources_allowed(grants, "sns:Publish") == [{"Ref": "AlertTopic"}]


def test_intake_function_makes_no_eventbridge_call(template: dict[str, Any]) -> None:
    """IntakeReceived goes out from the table's stream: the patient's request writes the table and nothing else."""
    assert allowed_actions(function_grants(template, "IntakeFunction"), "events") == set()


def test_announce_function_reads_only_the_intake_stream_and_puts_only_on_the_bus(template: dict[str, Any]) -> None:
    grants = function_grants(template, "AnnounceFunction")
    assert allowed_actions(grants, "dynamodb") == {
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    }
    for action in ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"):
        assert _resources_allowed(grants, action) == [STREAM_ARN]
    assert _resources_allowed(grants, "dynamodb:ListStreams") == [{"Fn::Sub": "${IntakeTable.Arn}/stream/*"}]
    assert allowed_actions(grants, "events") == {"events:PutEvents"}
    assert _resources_allowed(grants, "events:PutEvents") == [{"Fn::GetAtt": ["IntegrationBus", "Arn"]}]
    assert allowed_actions(grants, "sqs") == {"sqs:SendMessage"}
    assert _resources_allowed(grants, "sqs:SendMessage") == [{"Fn::GetAtt": ["AnnounceFailures", "Arn"]}]
    assert allowed_actions(grants, "sns") == set()
    assert allowed_actions(grants, "kms") == {"kms:Decrypt", "kms:DescribeKey"}


def test_announce_function_has_no_sam_event_that_would_grant_every_stream(template: dict[str, Any]) -> None:
    """A SAM DynamoDB event attaches AWSLambdaDynamoDBExecutionRole (every stream in the account); the mapping is a
    plain EventSourceMapping instead."""
    assert "Events" not in template["Resources"]["AnnounceFunction"]["Properties"]
    assert "ManagedPolicyArns" not in template["Resources"]["AnnounceFunction"]["Properties"]


def test_review_function_queries_three_indexes_gets_and_updates_intakes_and_only_appends_to_the_audit(
    template: dict[str, Any],
) -> None:
    grants = function_grants(template, "ReviewFunction")
    assert allowed_actions(grants, "dynamodb") == {
        "dynamodb:Query",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "dynamodb:PutItem",
    }
    assert _resources_allowed(grants, "dynamodb:Query") == [QUEUE_INDEX_ARN, DAY_INDEX_ARN, PATIENT_INDEX_ARN]
    assert _resources_allowed(grants, "dynamodb:GetItem") == [TABLE_ARN]
    assert _resources_allowed(grants, "dynamodb:UpdateItem") == [TABLE_ARN]
    assert _resources_allowed(grants, "dynamodb:PutItem") == [AUDIT_TABLE_ARN]
    assert allowed_actions(grants, "sns") == set()


@pytest.mark.parametrize("function_id", ["ReviewFunction", "AdminFunction"])
def test_the_audit_is_append_only_for_the_functions_that_write_it(function_id: str, template: dict[str, Any]) -> None:
    """New audit items only, nothing returned (a put that replaced an item would return it), no update or delete."""
    grants = function_grants(template, function_id)
    (put,) = [grant for grant in grants if grant.allows("dynamodb:PutItem")]
    assert put.resources == (AUDIT_TABLE_ARN,)
    assert put.condition == NOTHING_RETURNED
    rewriters = [
        action
        for action in ("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem")
        if AUDIT_TABLE_ARN in _resources_allowed(grants, action)
    ]
    assert rewriters == []


def test_admin_function_reads_audit_trails_and_may_only_update_intakes_to_erase_them(template: dict[str, Any]) -> None:
    grants = function_grants(template, "AdminFunction")
    assert allowed_actions(grants, "dynamodb") == {"dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"}
    assert _resources_allowed(grants, "dynamodb:Query") == [AUDIT_TABLE_ARN]
    assert _resources_allowed(grants, "dynamodb:UpdateItem") == [TABLE_ARN]
    readers = [action for action in DYNAMODB_READ_ACTIONS if TABLE_ARN in _resources_allowed(grants, action)]
    assert readers == ["dynamodb:UpdateItem"], "erasure is one conditional update: no read of intakes"
    assert allowed_actions(grants, "sns") == set()


def test_intake_function_touches_neither_the_audit_nor_the_indexes(template: dict[str, Any]) -> None:
    grants = function_grants(template, "IntakeFunction")
    resources = {str(resource) for grant in grants for resource in grant.resources}
    assert str(AUDIT_TABLE_ARN) not in resources
    assert not [resource for resource in resources if "/index/" in resource]


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_no_statement_uses_wildcards(function_id: str, template: dict[str, Any]) -> None:
    grants = function_grants(template, function_id)
    assert [action for grant in grants for action in grant.actions if "*" in action or "?" in action] == []
    assert [grant for grant in grants if "*" in grant.resources] == []


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_the_data_key_is_usable_only_through_dynamodb_or_sns(function_id: str, template: dict[str, Any]) -> None:
    kms_grants = [grant for grant in function_grants(template, function_id) if allowed_actions([grant], "kms")]
    assert kms_grants, "the functions need the data key to use the encrypted table"
    for grant in kms_grants:
        assert grant.resources == ({"Fn::GetAtt": ["DataKey", "Arn"]},)
        via = grant.condition["StringEquals"]["kms:ViaService"]
        services = via if isinstance(via, list) else [via]
        assert {service["Fn::Sub"].split(".")[0] for service in services} <= {"dynamodb", "sns"}


def test_each_function_has_its_own_generated_role(template: dict[str, Any]) -> None:
    """SAM generates one role per function unless a Role is given; function_grants refuses a given Role."""
    for function_id in FUNCTIONS:
        function_grants(template, function_id)
    assert "Role" not in template.get("Globals", {}).get("Function", {})


def _http_events(template: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    events = {}
    for function_id in HTTP_FUNCTIONS:
        for event in template["Resources"][function_id]["Properties"]["Events"].values():
            assert event["Type"] == "HttpApi"
            properties = event["Properties"]
            events[f"{properties['Method']} {properties['Path']}"] = (function_id, properties)
    return events


def test_every_route_is_on_the_explicit_api(template: dict[str, Any]) -> None:
    """A route without ApiId would land on SAM's implicit API, which has no authorizer at all."""
    events = _http_events(template)
    assert set(events) == PUBLIC_ROUTES | PRACTITIONER_ROUTES | ADMIN_ROUTES
    assert [route for route, (_, properties) in events.items() if properties.get("ApiId") != {"Ref": "HttpApi"}] == []


def test_only_post_intakes_is_public(template: dict[str, Any]) -> None:
    events = _http_events(template)
    public = {route for route, (_, properties) in events.items() if properties.get("Auth", {}).get("Authorizer")}
    assert public == PUBLIC_ROUTES
    assert events["POST /intakes"] == ("IntakeFunction", events["POST /intakes"][1])
    assert events["POST /intakes"][1]["Auth"] == {"Authorizer": "NONE"}


def test_practitioner_and_admin_routes_use_the_default_jwt_authorizer(template: dict[str, Any]) -> None:
    events = _http_events(template)
    assert {events[route][0] for route in PRACTITIONER_ROUTES} == {"ReviewFunction"}
    assert {events[route][0] for route in ADMIN_ROUTES} == {"AdminFunction"}
    assert [route for route in PRACTITIONER_ROUTES | ADMIN_ROUTES if "Auth" in events[route][1]] == []
    auth = template["Resources"]["HttpApi"]["Properties"]["Auth"]
    assert auth["DefaultAuthorizer"] == "CognitoAuthorizer"
    authorizer = auth["Authorizers"]["CognitoAuthorizer"]
    assert authorizer["IdentitySource"] == "$request.header.Authorization"
    assert set(authorizer["JwtConfiguration"]) == {"issuer", "audience"}
