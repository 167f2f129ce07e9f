"""`make bench`: the architecture's budgets, measured in one run on this machine and printed as a table.

Starts a moto server on loopback with the template's table and topic (as `make run` does), points the
functions' settings at it, measures (see bench_measure) and prints each figure next to its budget with PASS or
MISS. A MISS is a finding, not a failure: the exit status is 0 unless a measurement could not be made.
Usage: python -m devtools.bench [--quick]   (--quick: fewer iterations, for a smoke run)
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from devtools import template as cfn
from devtools.local_aws import LocalAws

if TYPE_CHECKING:
    from devtools.bench_cost import CostLine


# The measuring modules import the functions, whose loggers and metrics read POWERTOOLS_* at import time: they are
# imported inside the steps below, once _configure has set the IntakeFunction's environment.


@dataclass(frozen=True)
class Row:
    measure: str
    value: str
    budget: str
    verdict: str  # PASS, MISS or "" (reported only)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _configure(aws: LocalAws) -> None:
    """The IntakeFunction's template environment, resolved against the local stack (as the gateway does), plus the
    audit table the review and admin functions write to."""
    spec = cfn.function_def("IntakeFunction")
    os.environ.update({name: cfn.resolve(value, aws.refs) for name, value in spec.environment.items()})
    audit_table = cfn.function_def("ReviewFunction").environment["AUDIT_TABLE_NAME"]
    os.environ["AUDIT_TABLE_NAME"] = cfn.resolve(audit_table, aws.refs)


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x"


def cold_rows(runs: int, memory_mb: int) -> tuple[list[Row], float]:
    from devtools.bench_measure import cold_starts

    medians = {kind: statistics.median(seconds) * 1000 for kind, seconds in cold_starts(memory_mb, runs).items()}
    floor_ms, model_ms, handler_ms = medians["floor"], medians["floor_with_model"], medians["handler"]
    ratio = handler_ms / floor_ms
    return [
        Row(f"cold: import boto3+pydantic, client, PutItem (median of {runs})", f"{floor_ms:.0f} ms", "floor", ""),
        Row("cold: the same with one pydantic model validated", f"{model_ms:.0f} ms", "", ""),
        Row(f"cold: import handler + first POST /intakes (median of {runs})", f"{handler_ms:.0f} ms", "", ""),
        Row("cold start ratio", f"{ratio:.2f}x", "<= 1.5x (aim 1.2x)", verdict(ratio <= 1.5)),
        Row("cold start ratio against the floor with a model", _ratio(handler_ms, model_ms), "(reported)", ""),
    ], handler_ms


def warm_rows(iterations: int, memory_mb: int) -> tuple[list[Row], float]:
    from devtools.bench_measure import percentile, warm_latency

    warm = warm_latency(iterations, memory_mb)
    h50, h99 = percentile(warm.handler_ms, 0.50), percentile(warm.handler_ms, 0.99)
    b50, b99 = percentile(warm.bare_ms, 0.50), percentile(warm.bare_ms, 0.99)
    rows = [
        Row(f"warm POST /intakes p50 / p99 ({iterations} each)", f"{h50:.2f} / {h99:.2f} ms", "", ""),
        Row("warm bare PutItem p50 / p99 (interleaved)", f"{b50:.2f} / {b99:.2f} ms", "floor", ""),
        Row("warm ratio p50", _ratio(h50, b50), "<= 1.25x", verdict(h50 / b50 <= 1.25)),
        Row("warm ratio p99", _ratio(h99, b99), "(reported)", ""),
    ]
    return rows, h50


def screening_rows(rounds: int, forms: int) -> list[Row]:
    """The screening figures, with the machine's speed just before and after them: a shared machine's speed moves
    within minutes, and the check at the start of the bench does not show a slow phase during these."""
    from devtools.bench_screening import machine_speed_ms, measurements

    before = machine_speed_ms()
    rows = [
        Row(what, f"{cpu:.1f} us cpu ({wall:.0f} wall)", "(reported)", "")
        if budget is None
        else Row(what, f"{cpu:.1f} us cpu ({wall:.0f} wall)", f"<= {budget:.0f} us", verdict(cpu <= budget))
        for what, (cpu, wall), budget in measurements(rounds, forms)
    ]
    speed = f"sum(range(10**7)) in {before:.0f} ms CPU before, {machine_speed_ms():.0f} ms after"
    return [Row("machine speed around the screening figures", speed, "(reported)", ""), *rows]


def call_rows(memory_mb: int) -> list[Row]:
    from devtools.bench_measure import READS, WRITES, dynamodb_calls

    budgets = {
        "submission (new)": (1, 0),
        # A replay is refused by the put's condition and then recognised by a conditional update of its replay
        # count: the public function tells a replay from a reused key without being allowed to read (issue 4).
        "submission (replay)": (2, 0),
        "submission (invalid)": (0, 0),
        # Every practitioner access to patient data first writes its audit item (one PutItem, the W below).
        "review page": (1, 1),
        "day list": (1, 1),
        "patient search": (1, 1),
        # GetItem + a Query on ByPatient for the same patient's other intakes.
        "intake view": (1, 2),
        # GetItem (the decision rules are checked against the version seen) + the conditional UpdateItem.
        "review decision": (2, 1),
        "audit trail (admin)": (0, 1),
        # One conditional UpdateItem removes the answers and index keys (UpdateItem counts as a write here).
        "erasure (admin)": (2, 0),
    }
    rows = []
    for action, calls in dynamodb_calls(memory_mb).items():
        writes, reads = _count(calls, WRITES), _count(calls, READS)
        want_writes, want_reads = budgets[action]
        detail = ", ".join(f"{name} {n}" for name, n in sorted(calls.items())) or "none"
        rows.append(
            Row(
                f"DynamoDB per {action}",
                f"{writes} W / {reads} R ({detail})",
                f"{want_writes} W / {want_reads} R",
                verdict((writes, reads) == (want_writes, want_reads)),
            )
        )
    return rows


def _count(calls: Counter[str], kinds: set[str]) -> int:
    return sum(n for name, n in calls.items() if name in kinds)


def artifact_rows() -> list[Row]:
    from devtools.bench_cost import artifact

    built = artifact()
    how = "built now" if built.built_now else f"sam build of {built.built_at:%Y-%m-%d %H:%M} UTC"
    return [
        Row(
            "IntakeFunction artifact (sam build)",
            f"{built.unzipped_bytes / 1e6:.1f} MB unzipped, {built.zipped_bytes / 1e6:.1f} MB zipped, "
            f"{built.files} files ({how})",
            "small (250 MB limit)",
            verdict(built.unzipped_bytes < 250e6),
        )
    ]


def cost_breakdown(warm_ms: float, cold_ms: float) -> list[CostLine]:
    from devtools.bench_cost import cost_per_10k, intake_function_sizing
    from devtools.bench_measure import item_bytes, stored_item_sizes

    sizes = stored_item_sizes()
    index = _index_attributes()
    index_bytes = item_bytes({k: v for k, v in _flagged_item().items() if k in index})
    return cost_per_10k(
        warm_ms,
        cold_ms,
        intake_function_sizing(),
        clear_bytes=sizes["intake-clear"],
        flagged_bytes=sizes["intake-flagged"],
        index_bytes=index_bytes,
    )


def _flagged_item() -> dict[str, object]:
    from devtools.bench_measure import stored_item

    return stored_item("intake-flagged")


def _index_attributes() -> set[str]:
    definition = cfn.table_definition()
    keys = {key["AttributeName"] for key in definition["KeySchema"]}
    for index in definition.get("GlobalSecondaryIndexes", []):
        keys |= {key["AttributeName"] for key in index["KeySchema"]}
        keys |= set(index["Projection"].get("NonKeyAttributes", []))
    return keys


def print_table(rows: list[Row]) -> None:
    width = [max(len(getattr(row, name)) for row in rows) for name in ("measure", "value", "budget")]
    header = Row("measure", "value", "budget", "verdict")
    rule = Row("-" * width[0], "-" * width[1], "-" * width[2], "-------")
    for row in [header, rule, *rows]:
        print(f"{row.measure:<{width[0]}}  {row.value:<{width[1]}}  {row.budget:<{width[2]}}  {row.verdict}")


def print_costs(lines: list[CostLine]) -> None:
    from devtools.bench_cost import PRICES_AS_OF

    print(f"\nCost per 10,000 intakes, prices {PRICES_AS_OF}:")
    width = max(len(line.item) for line in lines)
    for line in lines:
        print(f"  {line.item:<{width}}  ${line.dollars:8.4f}  {line.basis}")
    print(
        "  Assumptions: warm duration as measured here against moto (real DynamoDB adds network time); 30% of "
        "intakes flagged and reviewed once,\n  5% critical (one alert each), 1% cold starts; CloudWatch Logs, data "
        "transfer and storage not included."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer iterations: a smoke run, not a measurement")
    args = parser.parse_args(argv)
    cold_runs, warm_iterations, screen_rounds, adversarial_forms = (
        (3, 200, 50, 10) if args.quick else (7, 2000, 2000, 60)
    )

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request lines would drown the table
    warnings.filterwarnings("ignore", "No application metrics", UserWarning)  # routes that count nothing
    aws = LocalAws(cfn.load_template()).start()
    try:
        _configure(aws)
        from devtools.bench_cost import intake_function_sizing

        memory_mb = intake_function_sizing().memory_mb
        print(f"make bench: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_machine()}")
        print(f"DynamoDB endpoint: moto server {aws.moto_url} (loopback), the same for handler and floor\n")
        cold, cold_ms = cold_rows(cold_runs, memory_mb)
        warm, warm_p50 = warm_rows(warm_iterations, memory_mb)
        rows = [
            *cold,
            *warm,
            *screening_rows(screen_rounds, adversarial_forms),
            *call_rows(memory_mb),
            *artifact_rows(),
        ]
        costs = cost_breakdown(warm_p50, cold_ms)
        total = sum(line.dollars for line in costs)
        print_table([*rows, Row("AWS cost per 10,000 intakes (below)", f"${total:.4f}", "(reported)", "")])
        print_costs(costs)
    finally:
        aws.stop()
    return 0


def _machine() -> str:
    from devtools.bench_screening import machine_speed_ms

    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}; "
        f"sum(range(10**7)) in {machine_speed_ms():.0f} ms CPU"
    )


if __name__ == "__main__":
    sys.exit(main())
