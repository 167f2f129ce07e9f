"""A stand-in Lambda handler for the gateway tests: echoes what it received and misbehaves on request."""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path
from typing import Any

import boto3

SEEN_ENV = ("ROLE", "SHARED", "TABLE_NAME", "TABLE_ARN", "TOPIC_ARN", "GREETING", "WHERE")
_COLD = {"invocations": 0}


def _echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _COLD["invocations"] += 1
    return {
        "event": event,
        "env": {name: os.environ.get(name) for name in SEEN_ENV},
        "context": {
            "function_name": context.function_name,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "invoked_function_arn": context.invoked_function_arn,
            "aws_request_id": context.aws_request_id,
            "remaining_ms": context.get_remaining_time_in_millis(),
        },
        "pid": os.getpid(),
        "invocations": _COLD["invocations"],
    }


def _store(event: dict[str, Any]) -> dict[str, Any]:
    client = boto3.client("dynamodb")
    client.put_item(TableName=os.environ["TABLE_NAME"], Item={"id": {"S": event["requestContext"]["requestId"]}})
    return {"statusCode": 201, "body": ""}


BEHAVIOURS = {
    "plain": lambda event: {"plain": True},
    "binary": lambda event: {
        "statusCode": 200,
        "headers": {"content-type": "application/octet-stream"},
        "body": base64.b64encode(b"\x00\xffbytes").decode(),
        "isBase64Encoded": True,
    },
    "cookies": lambda event: {"statusCode": 204, "cookies": ["a=1; Path=/", "b=2; HttpOnly"]},
    "bad-status": lambda event: {"statusCode": "teapot", "body": ""},
    "store": _store,
}


def _together(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Arrives in the directory `?dir=` and waits there until `count` invocations have arrived: only invocations
    running at the same time can all meet. Answers how many it met, and its pid."""
    meeting = Path(event["queryStringParameters"]["dir"])
    count = int(event["pathParameters"]["count"])
    (meeting / context.aws_request_id).write_text(str(os.getpid()))
    while len(list(meeting.iterdir())) < count and context.get_remaining_time_in_millis() > 500:
        time.sleep(0.01)
    return {"met": len(list(meeting.iterdir())), "pid": os.getpid()}


def lambda_handler(event: dict[str, Any], context: Any) -> Any:
    if "count" in (event.get("pathParameters") or {}):
        return _together(event, context)
    how = (event.get("pathParameters") or {}).get("how")
    if how == "raise":
        raise RuntimeError(f"answers: {event.get('body')}")  # the message quotes the request; it must not be logged
    if how == "sleep":
        time.sleep(30)
    if how in BEHAVIOURS:
        return BEHAVIOURS[how](event)
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(_echo(event, context)),
    }
