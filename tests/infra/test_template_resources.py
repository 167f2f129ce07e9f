"""Data protection in infra/template.yaml: the table, its key, the logs and the API's access log format."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from devtools.template import load_template

DATA_KEY_ARN = {"Fn::GetAtt": ["DataKey", "Arn"]}
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
# Access-log variables that could carry patient data or identify the caller: bodies, query strings, concrete paths
# (routeKey gives the template instead), headers, the client's IP address and user agent.
UNSAFE_LOG_VARIABLE = re.compile(r"body|querystring|path|header|sourceip|useragent|identity", re.IGNORECASE)
CONTEXT_VARIABLE = re.compile(r"^\$context\.[A-Za-z.]+$")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: resource for name, resource in template["Resources"].items() if resource["Type"] == kind}


def unsafe_access_log_fields(log_format: str) -> list[str]:
    """Fields of a JSON access-log format whose value is not a plain $context variable or may hold patient data."""
    fields: dict[str, str] = json.loads(log_format)
    return [
        name
        for name, variable in fields.items()
        if not CONTEXT_VARIABLE.match(variable) or UNSAFE_LOG_VARIABLE.search(variable)
    ]


@pytest.mark.parametrize("table_id", ["IntakeTable", "AuditTable"])
def test_each_table_is_encrypted_recoverable_protected_expiring_and_retained(
    table_id: str, template: dict[str, Any]
) -> None:
    table = template["Resources"][table_id]
    properties = table["Properties"]
    assert {key: table.get(key) for key in RETAIN} == RETAIN
    assert properties["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": DATA_KEY_ARN}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert properties["BillingMode"] == "PAY_PER_REQUEST"


def test_the_review_queue_index_is_keyed_by_queue_and_sort_key(template: dict[str, Any]) -> None:
    properties = template["Resources"]["IntakeTable"]["Properties"]
    assert properties["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    index, *_ = properties["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "ReviewQueue"
    assert index["KeySchema"] == [
        {"AttributeName": "queue", "KeyType": "HASH"},
        {"AttributeName": "queue_sort", "KeyType": "RANGE"},
    ]
    assert index["Projection"]["ProjectionType"] == "INCLUDE"
    assert {"received_at", "appointment_starts_at", "highest_severity", "categories", "patient_name"} <= set(
        index["Projection"]["NonKeyAttributes"]
    )


@pytest.mark.parametrize(
    ("index_name", "partition", "sort"), [("ByDay", "day", "day_sort"), ("ByPatient", "patient_key", "patient_sort")]
)
def test_the_day_and_patient_indexes_project_list_rows_only(
    index_name: str, partition: str, sort: str, template: dict[str, Any]
) -> None:
    indexes = {i["IndexName"]: i for i in template["Resources"]["IntakeTable"]["Properties"]["GlobalSecondaryIndexes"]}
    index = indexes[index_name]
    assert index["KeySchema"] == [
        {"AttributeName": partition, "KeyType": "HASH"},
        {"AttributeName": sort, "KeyType": "RANGE"},
    ]
    assert index["Projection"]["ProjectionType"] == "INCLUDE"
    assert not {"answers", "screening", "history"} & set(index["Projection"]["NonKeyAttributes"])


def test_the_audit_table_answers_an_intakes_trail_with_one_query(template: dict[str, Any]) -> None:
    properties = template["Resources"]["AuditTable"]["Properties"]
    assert properties["KeySchema"] == [
        {"AttributeName": "subject", "KeyType": "HASH"},
        {"AttributeName": "entry", "KeyType": "RANGE"},
    ]
    assert "GlobalSecondaryIndexes" not in properties


def test_the_data_key_rotates_and_outlives_the_stack(template: dict[str, Any]) -> None:
    key = template["Resources"]["DataKey"]
    assert {name: key.get(name) for name in RETAIN} == RETAIN
    assert key["Properties"]["EnableKeyRotation"] is True


def test_the_alert_topic_is_encrypted_with_the_data_key(template: dict[str, Any]) -> None:
    assert template["Resources"]["AlertTopic"]["Properties"]["KmsMasterKeyId"] == DATA_KEY_ARN


def test_every_log_group_has_retention_and_encryption(template: dict[str, Any]) -> None:
    log_groups = _of_type(template, "AWS::Logs::LogGroup")
    assert set(log_groups) == {
        "ApiAccessLogGroup",
        "IntakeFunctionLogGroup",
        "ReviewFunctionLogGroup",
        "AdminFunctionLogGroup",
        "AnnounceFunctionLogGroup",
    }
    for log_group in log_groups.values():
        assert log_group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert log_group["Properties"]["KmsKeyId"] == DATA_KEY_ARN


@pytest.mark.parametrize("function_id", ["IntakeFunction", "ReviewFunction", "AdminFunction", "AnnounceFunction"])
def test_each_function_logs_to_its_own_managed_log_group(function_id: str, template: dict[str, Any]) -> None:
    """Without LoggingConfig Lambda would create /aws/lambda/<name> itself, kept forever and unencrypted."""
    logging_config = template["Resources"][function_id]["Properties"]["LoggingConfig"]
    assert logging_config == {"LogGroup": {"Ref": f"{function_id}LogGroup"}}


def test_the_api_access_log_goes_to_its_log_group_without_patient_data(template: dict[str, Any]) -> None:
    settings = template["Resources"]["HttpApi"]["Properties"]["AccessLogSettings"]
    assert settings["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    assert unsafe_access_log_fields(settings["Format"]) == []
    assert {"requestId", "routeKey", "status"} <= set(json.loads(settings["Format"]))


@pytest.mark.parametrize(
    "variable",
    ["$input.body", "$context.path", "$context.identity.sourceIp", "$context.requestOverride.header.x", "literal"],
)
def test_the_access_log_check_catches_unsafe_fields(variable: str) -> None:
    assert unsafe_access_log_fields(json.dumps({"requestId": "$context.requestId", "leak": variable})) == ["leak"]


def test_cors_and_throttling_are_configured(template: dict[str, Any]) -> None:
    properties = template["Resources"]["HttpApi"]["Properties"]
    cors = properties["CorsConfiguration"]
    assert cors["AllowOrigins"] == {"Ref": "CorsAllowedOrigins"}
    assert set(cors["AllowHeaders"]) == {"Content-Type", "Authorization", "Idempotency-Key"}
    assert set(cors["AllowMethods"]) == {"GET", "POST", "DELETE", "OPTIONS"}
    throttling = properties["DefaultRouteSettings"]
    assert throttling["ThrottlingBurstLimit"] > 0
    assert throttling["ThrottlingRateLimit"] > 0


def test_functions_get_their_settings_from_the_template(template: dict[str, Any]) -> None:
    shared = template["Globals"]["Function"]
    assert (shared["Runtime"], shared["Architectures"]) == ("python3.12", ["arm64"])
    assert shared["Environment"]["Variables"]["TABLE_NAME"] == {"Ref": "IntakeTable"}
    intake = template["Resources"]["IntakeFunction"]["Properties"]["Environment"]["Variables"]
    assert intake["ALERT_TOPIC_ARN"] == {"Ref": "AlertTopic"}
    assert intake["RETENTION_DAYS"] == {"Ref": "RetentionDays"}
    assert shared["Environment"]["Variables"]["CLINIC_TIME_ZONE"] == {"Ref": "ClinicTimeZone"}
    review = template["Resources"]["ReviewFunction"]["Properties"]["Environment"]["Variables"]
    assert review["PRACTITIONER_GROUP"] == template["Resources"]["PractitionersGroup"]["Properties"]["GroupName"]
    admin = template["Resources"]["AdminFunction"]["Properties"]["Environment"]["Variables"]
    assert admin["ADMIN_GROUP"] == template["Resources"]["ClinicAdminsGroup"]["Properties"]["GroupName"]
    for variables in (review, admin):
        assert variables["AUDIT_TABLE_NAME"] == {"Ref": "AuditTable"}
        assert variables["RETENTION_DAYS"] == {"Ref": "RetentionDays"}
        assert variables["AUDIT_RETENTION_DAYS"] == {"Ref": "AuditRetentionDays"}
    assert "AUDIT_TABLE_NAME" not in intake


def test_every_scan_exception_gives_its_reason(template: dict[str, Any]) -> None:
    skips = [
        (name, skip)
        for name, resource in template["Resources"].items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips, "the functions carry documented checkov exceptions"
    for name, skip in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), name
        assert len(skip.get("comment", "").split()) >= 8, f"{name} skips {skip['id']} without a real reason"


def test_the_outputs_name_what_clients_need(template: dict[str, Any]) -> None:
    assert {"ApiUrl", "IntakeTableName", "AlertTopicArn", "UserPoolId", "UserPoolClientId", "JwtIssuer"} <= set(
        template["Outputs"]
    )


def test_new_intakes_reach_the_announce_function_from_the_stream_and_failures_are_kept(
    template: dict[str, Any],
) -> None:
    """New images only to AnnounceFunction, new intake items only, failed records retried one by one and, once given
    up on, named in an encrypted queue that raises an alarm."""
    resources = template["Resources"]
    assert resources["IntakeTable"]["Properties"]["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    (mapping,) = _of_type(template, "AWS::Lambda::EventSourceMapping").values()
    props = mapping["Properties"]
    assert props["FunctionName"] == {"Ref": "AnnounceFunction"}
    assert props["EventSourceArn"] == {"Fn::GetAtt": ["IntakeTable", "StreamArn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BisectBatchOnFunctionError"] is True
    assert props["MaximumRetryAttempts"] > 0 and props["MaximumRecordAgeInSeconds"] > 0
    assert props["DestinationConfig"] == {"OnFailure": {"Destination": {"Fn::GetAtt": ["AnnounceFailures", "Arn"]}}}
    (pattern,) = (json.loads(f["Pattern"]) for f in props["FilterCriteria"]["Filters"])
    assert pattern["eventName"] == ["INSERT"]
    assert resources["AnnounceFailures"]["Properties"]["SqsManagedSseEnabled"] is True
    alarm = resources["AnnounceFailuresAlarm"]["Properties"]
    assert alarm["AlarmActions"] == [{"Ref": "AlertTopic"}]
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["AnnounceFailures", "QueueName"]}}]
