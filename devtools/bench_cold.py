"""One cold start inside a fresh interpreter: `python -m devtools.bench_cold floor|handler < job.json`.

`floor`: import boto3 and pydantic, create a DynamoDB client, one raw PutItem (`floor_with_model`: the same with
one pydantic model defined and validated). `handler`: import the intake
handler and serve its first POST /intakes. The clock starts after the job is read, so both pay the same
interpreter start-up, which is not measured. Only the standard library is imported before the clock starts;
what the function prints (logs, EMF) goes to /dev/null, as it would go to CloudWatch. Prints the seconds taken.
"""

from __future__ import annotations

import json
import os
import sys
import time
from types import SimpleNamespace
from typing import Any


def _floor(job: dict[str, Any]) -> None:
    import boto3
    import pydantic  # noqa: F401 - the import is what is measured

    boto3.client("dynamodb").put_item(TableName=job["table"], Item=job["item"])


def _floor_with_model(job: dict[str, Any]) -> None:
    """The floor plus one validated pydantic model: `import pydantic` alone is lazy and leaves out the machinery
    every pydantic-based handler loads on its first model, so this is reported beside the floor, not instead."""
    import boto3
    from pydantic import BaseModel

    class Probe(BaseModel):
        value: int

    Probe.model_validate_json('{"value": 1}')
    boto3.client("dynamodb").put_item(TableName=job["table"], Item=job["item"])


def _handler(job: dict[str, Any]) -> None:
    from screening.handlers.intake import lambda_handler

    context = SimpleNamespace(
        function_name="IntakeFunction",
        memory_limit_in_mb=job["memory_mb"],
        invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:IntakeFunction",
        aws_request_id="00000000-0000-0000-0000-000000000000",
        get_remaining_time_in_millis=lambda: 10_000,
    )
    result = lambda_handler(job["event"], context)
    if result["statusCode"] != 201:
        raise SystemExit(f"the first POST /intakes answered {result['statusCode']}")


_RUNS = {"floor": _floor, "floor_with_model": _floor_with_model, "handler": _handler}


def main() -> None:
    run = _RUNS[sys.argv[1]]
    job = json.load(sys.stdin)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of this short process
    started = time.perf_counter()
    run(job)
    elapsed = time.perf_counter() - started
    sys.__stdout__.write(f"{elapsed}\n")  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
