"""What the local stack reads from infra/template.yaml: routes, authorizers, functions, table, Ref resolution."""

from __future__ import annotations

import pytest

from devtools import template as cfn
from devtools.local_routes import RouteTable


def test_routes_come_from_the_template_with_their_authorizers() -> None:
    routes = {route.route_key: route for route in cfn.http_routes()}
    review = {
        "GET /reviews",
        "GET /intakes/{id}",
        "GET /intakes/{id}/fhir",
        "POST /intakes/{id}/review",
        "GET /rules",
        "GET /days/{date}",
        "GET /days/{date}/export.csv",
        "POST /patients/search",
    }
    admin = {"GET /intakes/{id}/audit", "DELETE /intakes/{id}"}
    assert set(routes) == {"POST /intakes"} | review | admin
    assert routes["POST /intakes"].authorizer is None
    assert routes["POST /intakes"].function_id == "IntakeFunction"
    for key in review | admin:
        assert routes[key].authorizer == "CognitoAuthorizer"
        assert routes[key].function_id == ("ReviewFunction" if key in review else "AdminFunction")


@pytest.mark.parametrize(
    ("method", "path", "route_key", "params"),
    [
        ("POST", "/intakes", "POST /intakes", {}),
        ("GET", "/intakes/01JABC", "GET /intakes/{id}", {"id": "01JABC"}),
        ("POST", "/intakes/01JABC/review", "POST /intakes/{id}/review", {"id": "01JABC"}),
        ("GET", "/reviews", "GET /reviews", {}),
        ("get", "/rules", "GET /rules", {}),
        ("GET", "/days/2026-12-02", "GET /days/{date}", {"date": "2026-12-02"}),
        ("GET", "/days/today/export.csv", "GET /days/{date}/export.csv", {"date": "today"}),
        ("GET", "/intakes/01JABC/audit", "GET /intakes/{id}/audit", {"id": "01JABC"}),
        ("DELETE", "/intakes/01JABC", "DELETE /intakes/{id}", {"id": "01JABC"}),
    ],
)
def test_template_routes_match(method: str, path: str, route_key: str, params: dict[str, str]) -> None:
    match = RouteTable(cfn.http_routes()).match(method, path)
    assert match is not None
    assert match.route.route_key == route_key
    assert match.path_parameters == params


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/intakes"),
        ("POST", "/reviews"),
        ("DELETE", "/intakes/1/review"),
        ("GET", "/intakes/1/review"),
        ("GET", "/intakes/"),
        ("GET", "/intakes/a/b"),
        ("GET", "/rules/"),
        ("GET", "/"),
    ],
)
def test_other_requests_match_no_template_route(method: str, path: str) -> None:
    assert RouteTable(cfn.http_routes()).match(method, path) is None


def test_functions_get_globals_with_their_own_values_on_top() -> None:
    intake = cfn.function_def("IntakeFunction")
    review = cfn.function_def("ReviewFunction")
    assert intake.handler == "screening.handlers.intake.lambda_handler"
    assert review.handler == "screening.handlers.review.lambda_handler"
    assert intake.code_dir == cfn.TEMPLATE.parent.parent / "functions"
    assert intake.environment["TABLE_NAME"] == {"Ref": "IntakeTable"}
    assert intake.environment["ALERT_TOPIC_ARN"] == {"Ref": "AlertTopic"}
    assert "PRACTITIONER_GROUP" not in intake.environment
    assert "ALERT_TOPIC_ARN" not in review.environment
    assert intake.memory_mb > 0 and intake.timeout_s > 0


def test_table_definition_is_the_deployed_key_schema_on_demand() -> None:
    definition = cfn.table_definition()
    resource = cfn.load_template()["Resources"]["IntakeTable"]["Properties"]
    assert definition["KeySchema"] == resource["KeySchema"]
    assert definition["AttributeDefinitions"] == resource["AttributeDefinitions"]
    assert [index["IndexName"] for index in definition["GlobalSecondaryIndexes"]] == [
        "ReviewQueue",
        "ByDay",
        "ByPatient",
    ]
    assert definition["BillingMode"] == "PAY_PER_REQUEST"
    assert not {"SSESpecification", "PointInTimeRecoverySpecification", "TableName"} & set(definition)
    assert cfn.ttl_attribute() == resource["TimeToLiveSpecification"]["AttributeName"]


REFS = {"Table": "t-local", "Table.Arn": "arn:t", "AWS::Region": "eu-west-1", "Param": "7"}


@pytest.mark.parametrize(
    ("value", "resolved"),
    [
        ("plain", "plain"),
        (42, "42"),
        (True, "true"),
        ({"Ref": "Table"}, "t-local"),
        ({"Fn::GetAtt": ["Table", "Arn"]}, "arn:t"),
        ({"Fn::Sub": "${Table.Arn}/index/${AWS::Region}"}, "arn:t/index/eu-west-1"),
        ({"Fn::Sub": ["${X}-${Param}", {"X": {"Ref": "Table"}}]}, "t-local-7"),
        ({"Fn::Join": ["-", ["a", {"Ref": "Param"}]]}, "a-7"),
        ({"Fn::Sub": "literal ${!NotAVariable}"}, "literal ${!NotAVariable}"),
    ],
)
def test_resolve(value: object, resolved: str) -> None:
    assert cfn.resolve(value, REFS) == resolved


@pytest.mark.parametrize("value", [{"Ref": "Unknown"}, {"Fn::If": ["C", "a", "b"]}, ["a"], None])
def test_resolve_refuses_what_it_cannot_know(value: object) -> None:
    with pytest.raises(ValueError, match=r"resolve|local value"):
        cfn.resolve(value, REFS)


def test_parameter_defaults_are_what_ref_of_a_parameter_means_locally() -> None:
    defaults = cfn.parameter_defaults()
    assert defaults["RetentionDays"] == str(cfn.load_template()["Parameters"]["RetentionDays"]["Default"])
