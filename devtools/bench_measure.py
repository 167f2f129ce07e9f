"""The measurements behind `make bench`: cold start, warm latency, screening cost and DynamoDB calls.

Everything runs against one DynamoDB endpoint (the bench's moto server on loopback), so the handler is always
compared with a bare boto3 call to the same endpoint, in the same run, interleaved to cancel drift.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3

from screening import deadline
from screening.handlers import admin, intake, review
from screening.handlers.http import logger as function_logger
from screening.settings import get_settings
from screening.store.intakes import dynamodb_client

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
READS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}
_PLACEHOLDER_ID = "2b0e2f8e-3c55-4a5e-9d43-1f6c1d7f8a10"  # the intake id the checked-in events name


def event(name: str, **changes: Any) -> dict[str, Any]:
    """One of the checked-in payload-2.0 events, without an Idempotency-Key (every submission is new)."""
    loaded: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    loaded["headers"] = {k: v for k, v in loaded.get("headers", {}).items() if k != "idempotency-key"}
    return loaded | changes


def context(memory_mb: int) -> Any:
    return SimpleNamespace(
        function_name="bench",
        memory_limit_in_mb=memory_mb,
        invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:bench",
        aws_request_id=str(uuid.uuid4()),
        get_remaining_time_in_millis=lambda: 10_000,
    )


def stored_item(name: str) -> dict[str, Any]:
    """The item the handler stores for one of the events, read back: what a bare PutItem of the same work writes."""
    with quiet():
        result = intake.lambda_handler(event(name), context(128))
    intake_id = json.loads(result["body"])["id"]
    found = boto3.client("dynamodb").get_item(
        TableName=get_settings().table_name, Key={"id": {"S": intake_id}}, ConsistentRead=True
    )
    item: dict[str, Any] = found["Item"]
    return item


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The functions' log lines and EMF documents are produced (that is part of the cost) but not shown."""
    sink = io.StringIO()
    handler = function_logger.registered_handler
    previous = handler.setStream(sink) if isinstance(handler, logging.StreamHandler) else None
    try:
        with contextlib.redirect_stdout(sink):
            yield
    finally:
        if previous is not None and isinstance(handler, logging.StreamHandler):
            handler.setStream(previous)


def cold_starts(memory_mb: int, runs: int) -> dict[str, list[float]]:
    """Seconds per fresh interpreter for each kind (floor, floor_with_model, handler), alternating so all see the
    same machine state. Each interpreter finds the bytecode of what it imports, as Lambda finds it in the artifact
    (scripts/build.sh compiles it): an untimed run of each kind first writes it to a cache of the bench's own. Without
    it (PYTHONDONTWRITEBYTECODE is set on some machines) every run compiled boto3, pydantic and the functions from
    source, 340 ms of the floor's 565 here, which hid most of the handler's own cost in the ratio."""
    flagged = event("intake-flagged")
    floor = {"table": get_settings().table_name, "item": stored_item("intake-flagged") | _new_id()}
    jobs = {"floor": floor, "floor_with_model": floor, "handler": {"event": flagged, "memory_mb": memory_mb}}
    results: dict[str, list[float]] = {kind: [] for kind in jobs}
    with tempfile.TemporaryDirectory(prefix="bench-bytecode-") as bytecode:
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env |= {"PYTHONPATH": f"{ROOT / 'functions'}{os.pathsep}{ROOT}", "PYTHONPYCACHEPREFIX": bytecode}
        for run in range(runs + 1):
            for kind, job in jobs.items():
                done = subprocess.run(
                    [sys.executable, "-m", "devtools.bench_cold", kind],
                    input=json.dumps(job),
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                    env=env,
                )
                if run > 0:  # the first run of each kind compiles and caches its bytecode
                    results[kind].append(float(done.stdout))
    return results


def _new_id() -> dict[str, Any]:
    return {"id": {"S": str(uuid.uuid4())}}


@dataclass(frozen=True)
class Warm:
    handler_ms: list[float]
    bare_ms: list[float]


def warm_latency(iterations: int, memory_mb: int) -> Warm:
    """POST /intakes through lambda_handler vs a bare conditional PutItem of the same item, alternately."""
    flagged = event("intake-flagged")
    item = stored_item("intake-flagged")
    table = get_settings().table_name
    bare = boto3.client("dynamodb")
    lambda_context = context(memory_mb)

    def through_handler() -> None:
        if intake.lambda_handler(flagged, lambda_context)["statusCode"] != 201:
            raise RuntimeError("POST /intakes did not answer 201 during the bench")

    def bare_put() -> None:
        bare.put_item(TableName=table, Item=item | _new_id(), ConditionExpression="attribute_not_exists(id)")

    timings: dict[Callable[[], None], list[float]] = {through_handler: [], bare_put: []}
    with quiet():
        for _ in range(50):  # warm both paths (connections, caches) before measuring
            through_handler()
            bare_put()
        for i in range(iterations):
            for run in (through_handler, bare_put) if i % 2 == 0 else (bare_put, through_handler):
                started = time.perf_counter_ns()
                run()
                timings[run].append((time.perf_counter_ns() - started) / 1e6)
    return Warm(timings[through_handler], timings[bare_put])


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def dynamodb_calls(memory_mb: int) -> dict[str, Counter[str]]:
    """DynamoDB operations per action, counted from the store client's `before-call` events."""
    calls: Counter[str] = Counter()
    for call_plan in deadline.PLANS:  # each call takes the client of the plan the time left allows
        dynamodb_client(call_plan).meta.events.register(
            "before-call.dynamodb", lambda model, **_: calls.update([model.name])
        )
    claims = {"sub": "bench", "cognito:groups": "[practitioners]"}
    keyed = event("intake-flagged")
    keyed["headers"] = keyed["headers"] | {"idempotency-key": f"bench-{uuid.uuid4()}"}
    per_action: dict[str, Counter[str]] = {}

    def count(action: str, handler: Callable[..., dict[str, Any]], request: dict[str, Any], status: int) -> Any:
        calls.clear()
        with quiet():
            result = handler(request, context(memory_mb))
        if result["statusCode"] != status:
            raise RuntimeError(f"{action}: expected {status}, got {result['statusCode']}")
        per_action[action] = Counter(calls)
        return json.loads(result["body"])

    intake_id = count("submission (new)", intake.lambda_handler, keyed, 201)["id"]
    count("submission (replay)", intake.lambda_handler, keyed, 200)
    count("submission (invalid)", intake.lambda_handler, event("intake-invalid"), 422)
    count("review page", review.lambda_handler, _with_claims(event("reviews-list"), claims), 200)
    count("day list", review.lambda_handler, _with_claims(event("day-list"), claims), 200)
    count("patient search", review.lambda_handler, _with_claims(event("patient-search"), claims), 200)
    view = _for_intake(event("intake-get"), intake_id)
    count("intake view", review.lambda_handler, _with_claims(view, claims), 200)
    decision = _with_claims(_for_intake(event("intake-review"), intake_id), claims)
    decision["body"] = json.dumps({"decision": "cleared", "note": "bench", "expected_version": 1})
    count("review decision", review.lambda_handler, decision, 200)
    admin_claims = {"sub": "bench-admin", "cognito:groups": "[clinic_admins]"}
    trail = _with_claims(_for_intake(event("intake-audit"), intake_id), admin_claims)
    count("audit trail (admin)", admin.lambda_handler, trail, 200)
    erasure = _with_claims(_for_intake(event("intake-erase"), intake_id), admin_claims)
    count("erasure (admin)", admin.lambda_handler, erasure, 200)
    return per_action


def _for_intake(request: dict[str, Any], intake_id: str) -> dict[str, Any]:
    """A checked-in event naming the placeholder intake, pointed at a stored one."""
    retargeted: dict[str, Any] = json.loads(json.dumps(request).replace(_PLACEHOLDER_ID, intake_id))
    return retargeted


def _with_claims(request: dict[str, Any], claims: dict[str, str]) -> dict[str, Any]:
    request["requestContext"] = request["requestContext"] | {"authorizer": {"jwt": {"claims": claims, "scopes": None}}}
    return request


def item_bytes(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (strings as UTF-8, numbers ~ digits/2 + 1)."""

    def size(value: dict[str, Any]) -> int:
        (kind, inner), *_ = value.items()
        if kind == "S":
            return len(inner.encode())
        if kind == "N":
            return len(inner.lstrip("-").replace(".", "")) // 2 + 1
        if kind == "L":
            return 3 + sum(size(v) + 1 for v in inner)
        if kind == "M":
            return 3 + sum(len(k.encode()) + size(v) + 1 for k, v in inner.items())
        return 1

    return sum(len(name.encode()) + size(value) for name, value in item.items())


def stored_item_sizes() -> dict[str, int]:
    """Bytes of the item stored for each checked-in intake event (clear receipts are much smaller)."""
    return {name: item_bytes(stored_item(name)) for name in ("intake-clear", "intake-flagged")}
