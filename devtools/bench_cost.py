"""The Lambda artifact's size (from `sam build`) and an AWS cost estimate per 10,000 intakes.

Prices are AWS's published us-east-1 list prices as quoted in issue 6 (DynamoDB on-demand after its
1 November 2024 price cut); they are inputs, printed with every estimate, not facts this code can check.
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from devtools.template import load_template

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = ROOT / ".aws-sam" / "build"
BENCH_BUILD_DIR = ROOT / ".aws-sam" / "bench-build"
"""Where the bench builds when `make test-infra` has not: its own directory, never racing check-template.sh."""

PRICES_AS_OF = "2024-11 (AWS us-east-1 list prices as quoted in issue 6)"
LAMBDA_ARM_GB_SECOND = 0.0000133334
LAMBDA_REQUEST = 0.20 / 1e6
HTTP_API_REQUEST = 1.00 / 1e6
DYNAMODB_WRU = 0.625 / 1e6
DYNAMODB_RRU = 0.125 / 1e6
SNS_PUBLISH = 0.50 / 1e6
EVENTBRIDGE_EVENT = 1.00 / 1e6
KMS_REQUEST = 0.03 / 1e4

INTAKES = 10_000
FLAGGED_SHARE = 0.30
"""Assumed share of intakes with a warning or critical flag: stored in full, in the review queue, reviewed once."""
CRITICAL_SHARE = 0.05
"""Assumed share with a critical flag: one SNS publish each (and at most one KMS request each for the topic key)."""
COLD_START_SHARE = 0.01
"""Assumed share of invocations that start a new execution environment (init is billed like duration)."""


@dataclass(frozen=True)
class Artifact:
    path: Path
    files: int
    unzipped_bytes: int
    zipped_bytes: int
    built_at: datetime
    built_now: bool


def artifact(function_id: str = "IntakeFunction") -> Artifact:
    """The `sam build` output of the function (check-template.sh's, else the bench's own), built when there is none."""
    directory = next((d / function_id for d in (BUILD_DIR, BENCH_BUILD_DIR) if (d / function_id).is_dir()), None)
    built_now = directory is None
    if directory is None:
        _sam_build(BENCH_BUILD_DIR)
        directory = BENCH_BUILD_DIR / function_id
    files = [path for path in directory.rglob("*") if path.is_file()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.relative_to(directory))
    return Artifact(
        path=directory,
        files=len(files),
        unzipped_bytes=sum(path.stat().st_size for path in files),
        zipped_bytes=buffer.tell(),
        built_at=datetime.fromtimestamp(directory.stat().st_mtime, UTC),
        built_now=built_now,
    )


def _sam_build(build_dir: Path) -> None:
    """The deployable artifact as `make build` makes it: sam build, the locked arm64 wheels, the bytecode."""
    env = os.environ | {"SAM_BUILD_DIR": str(build_dir)}
    subprocess.run(["bash", "scripts/build.sh"], cwd=ROOT, env=env, check=True, capture_output=True)


@dataclass(frozen=True)
class Sizing:
    memory_mb: int
    architectures: list[str]


def intake_function_sizing() -> Sizing:
    template = load_template()
    props = template.get("Globals", {}).get("Function", {}) | template["Resources"]["IntakeFunction"]["Properties"]
    return Sizing(int(props.get("MemorySize", 128)), list(props.get("Architectures", ["x86_64"])))


@dataclass(frozen=True)
class CostLine:
    item: str
    dollars: float
    basis: str


def wru(item_bytes: int) -> int:
    return max(1, math.ceil(item_bytes / 1024))


def rru_eventual(item_bytes: int) -> float:
    return max(1, math.ceil(item_bytes / 4096)) / 2


def cost_per_10k(
    warm_ms: float, cold_ms: float, sizing: Sizing, *, clear_bytes: int, flagged_bytes: int, index_bytes: int
) -> list[CostLine]:
    """Each line's dollars for INTAKES submissions, with the arithmetic it rests on."""
    gb = sizing.memory_mb / 1024
    billed_ms = math.ceil(warm_ms) + COLD_START_SHARE * math.ceil(cold_ms)
    flagged = INTAKES * FLAGGED_SHARE
    clear = INTAKES - flagged
    # A flagged intake: one write of the item plus one to the sparse queue index; a review adds a GetItem, an
    # UpdateItem (item and index again) and its share of one queue page of 25.
    submit_wru = clear * wru(clear_bytes) + flagged * (wru(flagged_bytes) + wru(index_bytes))
    review_wru = flagged * (wru(flagged_bytes) + wru(index_bytes))
    review_rru = flagged * (rru_eventual(flagged_bytes) + rru_eventual(25 * index_bytes) / 25)
    critical = INTAKES * CRITICAL_SHARE
    return [
        CostLine(
            "Lambda duration",
            INTAKES * billed_ms / 1000 * gb * LAMBDA_ARM_GB_SECOND,
            f"{billed_ms:.2f} ms billed (warm p50 {warm_ms:.2f} ms rounded up + {COLD_START_SHARE:.0%} of a "
            f"{cold_ms:.0f} ms init) x {sizing.memory_mb} MB {'/'.join(sizing.architectures)}",
        ),
        CostLine("Lambda requests", INTAKES * LAMBDA_REQUEST, "one IntakeFunction invocation per intake"),
        CostLine("HTTP API requests", INTAKES * HTTP_API_REQUEST, "one request per intake (< 512 KB)"),
        CostLine(
            "DynamoDB writes",
            (submit_wru + review_wru) * DYNAMODB_WRU,
            f"{submit_wru + review_wru:,.0f} WRU: clear {clear_bytes} B, flagged {flagged_bytes} B + index "
            f"{index_bytes} B, {FLAGGED_SHARE:.0%} flagged and reviewed once",
        ),
        CostLine(
            "DynamoDB reads", review_rru * DYNAMODB_RRU, f"{review_rru:,.0f} RRU (reviews only; intakes read none)"
        ),
        CostLine(
            "Announce requests",
            INTAKES * LAMBDA_REQUEST,
            "at most one AnnounceFunction invocation per intake (batched when intakes come together); Lambda reads"
            " the stream free; its duration (one PutEvents) is not measured here",
        ),
        CostLine(
            "EventBridge events",
            (INTAKES + flagged) * EVENTBRIDGE_EVENT,
            f"IntakeReceived per intake, IntakeReviewed per review ({FLAGGED_SHARE:.0%})",
        ),
        CostLine("SNS publishes", critical * SNS_PUBLISH, f"{CRITICAL_SHARE:.0%} critical, one alert each"),
        CostLine("KMS requests", critical * KMS_REQUEST, "at most one per alert; DynamoDB caches its table key"),
    ]
