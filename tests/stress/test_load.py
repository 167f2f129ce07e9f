"""Load through the local gateway over HTTP on loopback, on moto and on dynalite.

2,000 submissions from 16 concurrent clients, handled concurrently by the intake function's pool of workers, about
10% of them repeats of a keyed form (same Idempotency-Key and body), half of those sent at the same moment as the
original: every 201 is stored exactly once, a repeat returns the original id and is counted on the item,
nothing is lost, and no request fails at the connection (a reset, or a reply cut off). Each client keeps one
keep-alive connection and never retries: a retry would hide exactly the failures this looks for. Throughput and
latency are reported, never asserted.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3

from devtools.gateway import LocalService
from tests.conftest import DynamoDbBackend
from tests.support import clear_form, example_form, with_changes

CLIENTS = 16
ORIGINALS = 1_820
REPEATS = 180  # 9% of all submissions, plus the keyless originals' chance of none: "about 10%"


@dataclass(frozen=True)
class Submission:
    body: bytes
    key: str | None


@dataclass(frozen=True)
class Outcome:
    submission: Submission
    status: int
    intake_id: str | None
    seconds: float
    failure: str | None = None
    """The connection-level error (ConnectionResetError, RemoteDisconnected...) when no reply came back."""


def forms() -> list[Callable[[int], dict[str, Any]]]:
    """Clear, flagged and critical forms, each made distinct by the submission number."""
    return [
        lambda n: with_changes(clear_form(), back_pain={"duration_weeks": n % 1000}),
        lambda n: with_changes(example_form(), back_pain={"pain_score": n % 11, "duration_weeks": n % 1000}),
        lambda n: with_changes(example_form(), red_flags={"saddle_numbness": "yes"}, custom={"n": n}),
    ]


def plan() -> list[list[Submission]]:
    """Batches run in order; a batch's submissions go out together, so a repeat can race its original."""
    makers = forms()
    originals = [
        Submission(json.dumps(makers[n % 3](n)).encode(), f"load-{n}" if n % 2 == 0 else None) for n in range(ORIGINALS)
    ]
    keyed = [s for s in originals if s.key is not None]
    racing = {id(s) for s in keyed[: REPEATS // 2]}
    batches = [[s, s] if id(s) in racing else [s] for s in originals]
    batches += [[s] for s in keyed[REPEATS // 2 : REPEATS]]  # late repeats, long after their originals
    return batches


def post(connection: http.client.HTTPConnection, submission: Submission) -> Outcome:
    headers = {"content-type": "application/json"}
    if submission.key:
        headers["idempotency-key"] = submission.key
    started = time.perf_counter()
    try:
        connection.request("POST", "/intakes", body=submission.body, headers=headers)
        response = connection.getresponse()
        payload = json.loads(response.read())
    except (ConnectionError, http.client.HTTPException, TimeoutError) as error:
        connection.close()  # the next request opens a new connection; this one is not retried
        return Outcome(submission, 0, None, time.perf_counter() - started, type(error).__name__)
    return Outcome(submission, response.status, payload.get("id"), time.perf_counter() - started)


def drive(base_url: str, batches: list[list[Submission]]) -> list[Outcome]:
    """16 client threads, each with its own keep-alive connection, taking work in order: a batch's submissions go
    to different clients at the same moment."""
    parts = urlsplit(base_url)
    work = iter([s for batch in batches for s in batch])
    lock = threading.Lock()
    outcomes: list[Outcome] = []

    def client() -> None:
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
        try:
            while True:
                with lock:
                    submission = next(work, None)
                if submission is None:
                    return
                outcome = post(connection, submission)
                with lock:
                    outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, name=f"load-client-{i}") for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def stored_replays(stack: LocalService) -> list[tuple[str, int]]:
    """Every item's id and replay count (projected: a full scan of 2,000 items costs moto more than the load)."""
    client = boto3.client("dynamodb")  # the stack's moto, or dynalite
    pages = client.get_paginator("scan").paginate(
        TableName=stack.table_name(), ProjectionExpression="id, replay_count", ConsistentRead=True
    )
    # The table also holds the alert-a-minute windows (alert-window#<minute>), which are not intakes.
    return [
        (item["id"]["S"], int(item.get("replay_count", {"N": "0"})["N"]))
        for page in pages
        for item in page["Items"]
        if not item["id"]["S"].startswith("alert-")
    ]


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def test_two_thousand_submissions_from_sixteen_clients_are_each_stored_exactly_once(
    local_stack: LocalService, dynamodb_backend: DynamoDbBackend, record_property: Callable[[str, object], None]
) -> None:
    batches = plan()
    started = time.perf_counter()
    outcomes = drive(local_stack.base_url, batches)
    elapsed = time.perf_counter() - started

    submissions = sum(len(batch) for batch in batches)
    assert submissions >= 2_000
    assert len(outcomes) == submissions
    failures = Counter(o.failure for o in outcomes if o.failure)
    assert not failures, f"requests without a reply: {failures}"
    assert Counter(o.status for o in outcomes).keys() <= {200, 201}, Counter(o.status for o in outcomes)
    workers = local_stack.pools["IntakeFunction"]
    assert workers.started == workers.size > 1, "the submissions were not handled by several workers at once"

    by_key: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.submission.key:
            by_key[outcome.submission.key].append(outcome)
    repeated = [group for group in by_key.values() if len(group) > 1]
    assert len(repeated) == REPEATS
    for group in by_key.values():
        assert len({o.intake_id for o in group}) == 1, "a repeat got another id"
        assert Counter(o.status for o in group) == Counter({201: 1, 200: len(group) - 1})

    accepted = [o.intake_id for o in outcomes if o.status == 201]
    assert len(accepted) == len(set(accepted)) == ORIGINALS
    stored = stored_replays(local_stack)
    assert len(stored) == len({intake_id for intake_id, _ in stored}), "an intake was stored twice"
    assert {i for i, _ in stored} == set(accepted), "an accepted intake is missing, or an item nobody was told about"
    replays = Counter(o.intake_id for o in outcomes if o.status == 200)
    counted = dict(stored)
    # At least once: a replay whose answer is lost is retried by botocore and counted again (ADD is not idempotent).
    assert all(counted[i] >= n for i, n in replays.items()), "a replay was not counted on its intake"

    latencies_ms = [o.seconds * 1000 for o in outcomes]
    record_property(
        "stress:load",
        f"{submissions} submissions, {CLIENTS} clients, {workers.size} workers, {len(repeated)} repeated keys, "
        f"{sum(failures.values())} resets, on {dynamodb_backend.name}: "
        f"{submissions / elapsed:.0f} req/s, p50 {percentile(latencies_ms, 0.50):.1f} ms, "
        f"p99 {percentile(latencies_ms, 0.99):.1f} ms, {elapsed:.1f} s in all",
    )
