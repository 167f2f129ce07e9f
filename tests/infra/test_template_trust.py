"""The template parts the security review asked for: the misconfiguration alarm, read-only identity attributes, the
role claim for external issuers and the optional front door that cannot be bypassed."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.template import function_def, load_template


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _properties(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    properties: dict[str, Any] = template["Resources"][logical_id]["Properties"]
    return properties


def test_a_permanent_storage_error_raises_an_alarm_to_the_alert_topic(template: dict[str, Any]) -> None:
    alarm = _properties(template, "StoreMisconfiguredAlarm")
    stats = [query["MetricStat"]["Metric"] for query in alarm["Metrics"] if "MetricStat" in query]
    assert {(m["Namespace"], m["MetricName"]) for m in stats} == {("IntakeScreening", "StoreMisconfigured")}
    assert {d["Value"] for m in stats for d in m["Dimensions"]} == {"intake", "review"}
    assert alarm["Threshold"] == 1 and alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": "AlertTopic"}]


def test_a_setting_the_functions_cannot_use_raises_an_alarm_to_the_alert_topic(template: dict[str, Any]) -> None:
    """Every HTTP function counts SettingsInvalid under its service name; the alarm hears all three."""
    alarm = _properties(template, "SettingsInvalidAlarm")
    stats = [query["MetricStat"]["Metric"] for query in alarm["Metrics"] if "MetricStat" in query]
    assert {(m["Namespace"], m["MetricName"]) for m in stats} == {("IntakeScreening", "SettingsInvalid")}
    services = {
        function_def(function_id).environment["POWERTOOLS_SERVICE_NAME"]
        for function_id in ("IntakeFunction", "ReviewFunction", "AdminFunction")
    }
    assert {d["Value"] for m in stats for d in m["Dimensions"]} == services
    (total,) = [query for query in alarm["Metrics"] if "Expression" in query]
    assert all(f"FILL({query['Id']}, 0)" in total["Expression"] for query in alarm["Metrics"] if "MetricStat" in query)
    assert alarm["Threshold"] == 1 and alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": "AlertTopic"}]


def test_practitioners_cannot_change_the_email_or_display_name_the_history_shows(template: dict[str, Any]) -> None:
    client = _properties(template, "UserPoolClient")
    assert client["WriteAttributes"] == []
    assert {"email", "email_verified", "custom:display_name"} <= set(client["ReadAttributes"])
    pool = _properties(template, "UserPool")
    assert pool["UserAttributeUpdateSettings"] == {"AttributesRequireVerificationBeforeUpdate": ["email"]}
    assert [attribute["Name"] for attribute in pool["Schema"]] == ["display_name"]


def test_an_external_issuer_must_name_a_role_claim_which_the_review_function_gets(template: dict[str, Any]) -> None:
    assertions = template["Rules"]["ExistingIssuerNeedsAudience"]["Assertions"]
    assert {"Fn::Not": [{"Fn::Equals": [{"Ref": "RoleClaim"}, ""]}]} in [a["Assert"] for a in assertions]
    assert function_def("ReviewFunction").environment["ROLE_CLAIM"] == {"Ref": "RoleClaim"}


def test_the_front_door_puts_the_webacl_before_the_api_and_closes_the_default_endpoint(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    assert {name for name, res in resources.items() if res.get("Condition") == "HasFrontDoor"} == {
        "ApiDomain",
        "ApiDomainMapping",
        "FrontDoor",
    }
    config = _properties(template, "FrontDoor")["DistributionConfig"]
    assert config["WebACLId"] == {"Ref": "WebAclArn"}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "https-only"
    assert _properties(template, "HttpApi")["DisableExecuteApiEndpoint"] == {"Fn::If": ["HasFrontDoor", True, False]}
    assert template["Conditions"]["HasFrontDoor"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "WebAclArn"}, ""]}]}


def test_alert_emails_link_to_the_deployed_console(template: dict[str, Any]) -> None:
    assert function_def("IntakeFunction").environment["REVIEW_PAGE_URL"] == {"Ref": "ReviewPageUrl"}
