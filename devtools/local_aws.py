"""The AWS side of the local stack: an embedded moto server and the template's table and topic inside it.

No AWS account is needed: any service the environment does not already point somewhere
(AWS_ENDPOINT_URL_DYNAMODB / _SNS / _EVENTBRIDGE, which boto3 reads itself) goes to moto on a free
loopback port, and dummy credentials are set only when nothing is configured and every endpoint is local,
so real credentials are never replaced and never sent to a remote endpoint by accident.
"""

from __future__ import annotations

import logging
import os
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from devtools import template as cfn

LOCAL_STACK = "intake-screening-local"
ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
SERVICES = ("dynamodb", "sns", "events")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

log = logging.getLogger("devtools.local_aws")


_SERVICE_IDS = {"events": "EVENTBRIDGE"}
"""boto3 names the variable after the service id, which for events is EventBridge."""


def endpoint_variable(service: str) -> str:
    return f"AWS_ENDPOINT_URL_{_SERVICE_IDS.get(service, service.upper())}"


def local_name(logical_id: str) -> str:
    """The physical name a resource gets locally, e.g. intake-screening-local-IntakeTable."""
    return f"{LOCAL_STACK}-{logical_id}"


def create_table(
    client: Any, name: str, logical_id: str = "IntakeTable", template: dict[str, Any] | None = None
) -> None:
    """Creates the template's table under `name` (on demand, TTL on) unless it exists; also used by tests."""
    try:
        client.describe_table(TableName=name)
        return
    except client.exceptions.ResourceNotFoundException:
        pass
    client.create_table(TableName=name, **cfn.table_definition(logical_id, template))
    # Polled every 0.1 s, not botocore's 20 s: a local endpoint (dynalite) may answer CREATING once, for a moment.
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 300})
    ttl = cfn.ttl_attribute(logical_id, template)
    if ttl:
        enable_ttl(client, name, ttl)


def enable_ttl(client: Any, name: str, attribute: str) -> None:
    """Turns TTL on where the endpoint can; dynalite has no UpdateTimeToLive, and expiry does not matter locally."""
    try:
        client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "UnknownOperationException":
            raise
        log.warning("table %s: this DynamoDB endpoint has no UpdateTimeToLive; items will not expire", name)


class LocalAws:
    """Starts moto when needed, provisions the template's tables and topics, and says what each !Ref means locally.

    Environment changes are undone by `stop()`, so tests can run a stack in-process.
    """

    def __init__(self, template: dict[str, Any] | None = None) -> None:
        self._template = template if template is not None else cfn.load_template()
        self._moto: ThreadedMotoServer | None = None
        self._saved_env: dict[str, str | None] = {}
        self.moto_url: str | None = None
        self.refs: dict[str, str] = {}
        self.inboxes: dict[str, str] = {}
        """Topic or event bus logical id → URL of the moto SQS queue receiving its messages (embedded moto only)."""

    def start(self) -> LocalAws:
        missing = [service for service in SERVICES if not os.environ.get(endpoint_variable(service))]
        if missing:
            self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            self._moto.start()
            host, port = self._moto.get_host_and_port()
            self.moto_url = f"http://{host}:{port}"
            for service in missing:
                self._setenv(endpoint_variable(service), self.moto_url)
        if not os.environ.get("AWS_DEFAULT_REGION") and not os.environ.get("AWS_REGION"):
            self._setenv("AWS_DEFAULT_REGION", DEFAULT_REGION)
        if self._endpoints_local() and not (os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE")):
            for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"):
                self._setenv(variable, "testing")
        self.refs = self._provision()
        return self

    def stop(self) -> None:
        if self._moto is not None:
            # moto keeps its data in this process's memory, shared by every moto server and mock_aws in it:
            # wipe it, so the next stack (or test) in the same process starts empty as a fresh `make run` does.
            reset = urllib.request.Request(f"{self.moto_url}/moto-api/reset", method="POST")
            urllib.request.build_opener(urllib.request.ProxyHandler({})).open(reset, timeout=30).close()
            self._moto.stop()
            self._moto = None
            self.moto_url = None
            self.inboxes.clear()
        for variable, value in self._saved_env.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value
        self._saved_env.clear()

    @property
    def region(self) -> str:
        return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION

    def _setenv(self, variable: str, value: str) -> None:
        self._saved_env.setdefault(variable, os.environ.get(variable))
        os.environ[variable] = value

    @staticmethod
    def _endpoints_local() -> bool:
        return all(urlsplit(os.environ[endpoint_variable(s)]).hostname in _LOOPBACK for s in SERVICES)

    def _provision(self) -> dict[str, str]:
        """Creates each table and topic and returns the local value of every Ref/GetAtt the environment may use."""
        region = self.region
        refs = {
            **cfn.parameter_defaults(self._template),
            "AWS::Region": region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::StackName": LOCAL_STACK,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        dynamodb = boto3.client("dynamodb", region_name=region)
        for table_id in cfn.resource_ids("AWS::DynamoDB::Table", self._template):
            name = local_name(table_id)
            create_table(dynamodb, name, table_id, self._template)
            refs |= {table_id: name, f"{table_id}.Arn": f"arn:aws:dynamodb:{region}:{ACCOUNT_ID}:table/{name}"}
            log.info("table %s ready", name)
        sns = boto3.client("sns", region_name=region)
        for topic_id in cfn.resource_ids("AWS::SNS::Topic", self._template):
            arn = str(sns.create_topic(Name=local_name(topic_id))["TopicArn"])
            refs |= {topic_id: arn, f"{topic_id}.TopicArn": arn, f"{topic_id}.TopicName": local_name(topic_id)}
            if self.moto_url and os.environ[endpoint_variable("sns")] == self.moto_url:
                self.inboxes[topic_id] = self._inbox(sns, arn, local_name(topic_id))
            log.info("topic %s ready", arn)
        events = boto3.client("events", region_name=region)
        for bus_id in cfn.resource_ids("AWS::Events::EventBus", self._template):
            name = local_name(bus_id)
            try:
                arn = str(events.create_event_bus(Name=name)["EventBusArn"])
            except events.exceptions.ResourceAlreadyExistsException:  # a named endpoint keeps it between runs
                arn = str(events.describe_event_bus(Name=name)["Arn"])
            refs |= {bus_id: name, f"{bus_id}.Arn": arn, f"{bus_id}.Name": name}
            if self.moto_url and os.environ[endpoint_variable("events")] == self.moto_url:
                self.inboxes[bus_id] = self._bus_inbox(events, name)
            log.info("event bus %s ready", name)
        return refs

    def _bus_inbox(self, events: Any, bus_name: str) -> str:
        """An SQS queue in moto receiving every event on the bus, as a practice system's subscription would."""
        sqs = boto3.client("sqs", region_name=self.region, endpoint_url=self.moto_url)
        queue_url = str(sqs.create_queue(QueueName=f"{bus_name}-inbox")["QueueUrl"])
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]
        rule = f"{bus_name}-inbox"
        events.put_rule(Name=rule, EventBusName=bus_name, EventPattern='{"source": [{"prefix": ""}]}')
        events.put_targets(Rule=rule, EventBusName=bus_name, Targets=[{"Id": "inbox", "Arn": attributes["QueueArn"]}])
        return queue_url

    def _inbox(self, sns: Any, topic_arn: str, name: str) -> str:
        """An SQS queue in moto subscribed to the topic, so what was published can be read back locally."""
        sqs = boto3.client("sqs", region_name=self.region, endpoint_url=self.moto_url)
        queue_url = str(sqs.create_queue(QueueName=f"{name}-inbox")["QueueUrl"])
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]
        sns.subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=attributes["QueueArn"],
            Attributes={"RawMessageDelivery": "true"},
        )
        return queue_url
