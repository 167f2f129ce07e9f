"""`make mutants`: break each core guarantee on purpose and check that the tests guarding it fail.

Each mutation replaces one exact snippet of one file and runs only the tests named for it. A snippet that is not
found exactly once is an error, so the list stays true as the code changes: update the snippet with the code. The
tests are first run once on the unchanged code (a test that fails anyway proves nothing). Mutations are made in
scratch copies of the tree (one per job, with this tree's .tools), never in the working tree, so `make test` can run
them while other tests use the tree, and an interrupted run leaves nothing changed; within a copy the file is
restored, byte for byte and with its modification time, before the next mutation. Exit status 0 when every
mutation was caught, 1 when one survived, 2 when the list or the baseline is wrong.

    python -m devtools.mutants            # all, two at a time
    python -m devtools.mutants --jobs 1   # one at a time
    python -m devtools.mutants --list     # the mutations and their tests
    python -m devtools.mutants drop-put-condition replay-is-201   # some, by name
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
TEST_TIMEOUT_S = 600
JOBS = 2
"""Mutations tested at once: each pytest run is mostly one core's work (startup, imports, a few tests)."""
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".aws-sam", "__pycache__", ".*_cache", ".hypothesis", ".coverage*", "node_modules"
)


@dataclass(frozen=True)
class Mutation:
    name: str
    guarantee: str
    file: str
    original: str
    replacement: str
    tests: tuple[str, ...]
    """pytest node ids; tests that run on both DynamoDB backends name one with its `[moto]` or `[dynalite]` id."""


_STORE = "functions/screening/store/intakes.py"
_INTAKE = "functions/screening/handlers/intake.py"
_REVIEW = "functions/screening/handlers/review.py"
_HTTP = "functions/screening/handlers/http.py"
_INTAKE_API = "tests/integration/test_intake_api.py"
_EVENTS = "tests/integration/test_integration_events.py"
_REVIEW_API = "tests/integration/test_review_api.py"
_RACES = "tests/integration/test_concurrency.py"
_LEAKS = "tests/stress/test_no_phi_leaks.py::test_the_whole_flow_leaks_no_patient_value[moto]"

MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "drop-put-condition",
        "one conditional write per submission",
        _STORE,
        '                ConditionExpression="attribute_not_exists(id)",\n',
        "",
        (f"{_INTAKE_API}::test_same_idempotency_key_and_body_returns_the_same_id_and_stores_once[moto]",),
    ),
    Mutation(
        "read-then-blind-put",
        "one conditional write per submission, under concurrency",
        _STORE,
        """            _dynamodb(
                "put_item",
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(id)",
            )
""",
        """            key = {"id": {"S": intake.intake_id}}
            if "Item" in _dynamodb("get_item", TableName=self._table, Key=key, ConsistentRead=True):
                raise _ConditionFailed(None)
            _dynamodb("put_item", TableName=self._table, Item=item)
""",
        (
            f"{_RACES}::test_racing_submissions_of_one_form_are_stored_once_and_every_repeat_gets_its_id[dynalite]",
            f"{_RACES}::test_racing_submissions_of_two_forms_under_one_key_keep_the_first_and_refuse_the_other"
            "[dynalite]",
        ),
    ),
    Mutation(
        "replay-any-body",
        "an Idempotency-Key reused for another form is refused",
        _STORE,
        'replay = "body_hash = :hash AND (attribute_not_exists(write_token) OR write_token <> :token)"',
        'replay = ":hash = :hash AND (attribute_not_exists(write_token) OR write_token <> :token)"',
        (f"{_INTAKE_API}::test_same_idempotency_key_with_another_body_is_refused_and_changes_nothing[moto]",),
    ),
    Mutation(
        "own-retry-is-a-replay",
        "a put whose answer was lost is a new intake and still alerts",
        _STORE,
        'replay = "body_hash = :hash AND (attribute_not_exists(write_token) OR write_token <> :token)"',
        'replay = "body_hash = :hash AND :token = :token"',
        ("tests/stress/test_faults.py::test_a_put_whose_answer_is_lost_is_stored_once_and_still_alerts[moto]",),
    ),
    Mutation(
        "drop-version-condition",
        "no lost update on decisions",
        _STORE,
        '"attribute_exists(id) AND #v = :expected AND #s <> :erased AND "',
        '"attribute_exists(id) AND :expected = :expected AND #s <> :erased AND "',
        (
            f"{_REVIEW_API}::test_a_decision_on_a_version_changed_since_it_was_read_is_refused_by_the_update_itself"
            "[moto]",
            f"{_REVIEW_API}::test_two_concurrent_decisions_one_wins_one_conflicts[moto]",
        ),
    ),
    Mutation(
        "store-before-validating",
        "nothing stored on refusal",
        _INTAKE,
        "    form = parse_body(app.current_event, IntakeForm, MAX_BODY_BYTES",
        """    from screening.store.intakes import _dynamodb

    receipt = {"id": {"S": str(uuid.uuid4())}, "raw": {"S": app.current_event.body or "-"}}
    _dynamodb("put_item", TableName=get_settings().table_name, Item=receipt)
    form = parse_body(app.current_event, IntakeForm, MAX_BODY_BYTES""",
        (
            f"{_INTAKE_API}::test_malformed_requests_get_their_status_and_write_nothing"
            "[moto-[1, 2]-None-400-JSON object]",
            "tests/integration/test_gateway_e2e.py::test_a_refused_intake_writes_nothing[dynalite]",
        ),
    ),
    Mutation(
        "log-the-rejected-body",
        "no patient text in logs",
        _HTTP,
        '                "error_count": len(exc.error_types),\n',
        '                "error_count": len(exc.error_types),\n                "body": app.current_event.body,\n',
        (_LEAKS,),
    ),
    Mutation(
        "log-a-patient-name",
        "no patient text in logs",
        _INTAKE,
        'extra={"status": screening.status, "severity": screening.highest_severity, "replayed": stored.replayed},',
        'extra={"status": screening.status, "replayed": stored.replayed, "who": form.patient.family_name},',
        (_LEAKS,),
    ),
    Mutation(
        "echo-the-input",
        "no patient text in errors: an unknown key is named by its position",
        "functions/screening/contract/errors.py",
        "    return f\"{path or 'body'}[{'?' if position is None else position}]\"",
        "    return f\"{path or 'body'}[{key}]\"",
        (f"{_INTAKE_API}::test_invalid_answers_are_422_naming_the_field_without_echoing_it[moto-<lambda>-body[8]]",),
    ),
    Mutation(
        "skip-the-group-check",
        "the auth matrix: a token without the practitioners group is refused",
        "functions/screening/handlers/access.py",
        "        if not has_role(claims, group_of(get_settings())):",
        "        if False:",
        (
            f"{_REVIEW_API}::test_every_practitioner_route_checks_the_claims_itself[moto-claims2-403-GET-/rules-/rules-None]",
        ),
    ),
    Mutation(
        "substring-group",
        "the auth matrix: group names are compared whole",
        "functions/screening/handlers/access.py",
        "        return set(inner.split())",
        '        return set(inner.replace(",", " ").split())',
        (f"{_REVIEW_API}::test_a_group_name_that_only_contains_the_word_is_403[moto-[former,practitioners]]",),
    ),
    Mutation(
        "replay-is-201",
        "a replay answers 200 with the original id",
        _INTAKE,
        "HTTPStatus.OK if stored.replayed else HTTPStatus.CREATED",
        "HTTPStatus.CREATED",
        (f"{_INTAKE_API}::test_same_idempotency_key_and_body_returns_the_same_id_and_stores_once[moto]",),
    ),
    Mutation(
        "no-alert-for-critical",
        "a critical intake alerts the clinic",
        _INTAKE,
        "        if screening.highest_severity is Severity.CRITICAL:\n",
        "        if screening.highest_severity is None:\n",
        (f"{_INTAKE_API}::test_emergency_answer_returns_patient_advice_and_alerts_without_patient_data[moto]",),
    ),
    Mutation(
        "cauda-equina-lowered",
        "cauda equina is a critical emergency",
        "functions/screening/rules/catalog_red_flags.py",
        """        Category.RED_FLAG_CAUDA_EQUINA,
        Severity.CRITICAL,
        "Possible cauda equina syndrome""",
        """        Category.RED_FLAG_CAUDA_EQUINA,
        Severity.WARNING,
        "Possible cauda equina syndrome""",
        ("tests/unit/test_rules_red_flags.py::TestCaudaEquina",),
    ),
    Mutation(
        "unsure-is-no",
        "an unsure answer is never treated as no",
        "functions/screening/rules/facts.py",
        'active.update(k for k, v in form.red_flags.__dict__.items() if v != "no")',
        'active.update(k for k, v in form.red_flags.__dict__.items() if v not in ("no", "unsure"))',
        ("tests/unit/test_rules_red_flags.py::TestCaudaEquina",),
    ),
    Mutation(
        "cursor-unchecked",
        "an edited review-queue cursor is refused",
        "functions/screening/store/cursor.py",
        "    if _digest(keys, payload) != digest or not isinstance(fields, dict)",
        "    if not isinstance(fields, dict)",
        (f"{_REVIEW_API}::test_a_tampered_cursor_is_400[moto-<lambda>0]",),
    ),
    Mutation(
        "gateway-one-at-a-time",
        "the local gateway runs concurrent requests to one function concurrently",
        "devtools/local_lambda.py",
        "        self._free = threading.Semaphore(size)",
        "        self._free = threading.Semaphore(1)",
        (
            "tests/integration/test_gateway_stack.py::"
            "test_concurrent_requests_to_one_function_run_at_once_in_separate_workers[moto]",
        ),
    ),
    Mutation(
        "announce-swallows-failures",
        "a new intake whose event was not delivered is reported for Lambda to retry, never dropped",
        "functions/screening/handlers/announce.py",
        '        metrics.add_metric(name="IntegrationEventsFailed", unit=MetricUnit.Count, value=1)\n        raise',
        '        metrics.add_metric(name="IntegrationEventsFailed", unit=MetricUnit.Count, value=1)\n        return',
        (f"{_EVENTS}::test_a_lost_event_is_reported_for_retry_counted_and_logged_by_id_only[dynalite]",),
    ),
    Mutation(
        "stream-filter-lets-rewrites-in",
        "only a new intake is announced: a replay, a decision or an erasure rewrites it and is not announced again",
        "infra/template.yaml",
        '\'{"eventName": ["INSERT"], "dynamodb"',
        '\'{"eventName": ["INSERT", "MODIFY"], "dynamodb"',
        (f"{_EVENTS}::test_only_new_intakes_pass_the_stream_filter[moto]",),
    ),
)


class MutationError(Exception):
    """The list is out of date with the code, or the tests fail without any mutation."""


@dataclass(frozen=True)
class Outcome:
    mutation: Mutation
    caught: bool
    seconds: float


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def mutated(mutation: Mutation, tree: Path) -> Iterator[None]:
    """The file in `tree` with the snippet replaced, restored afterwards whatever happens (its bytes and mtime)."""
    path = tree / mutation.file
    original = path.read_bytes()
    stat = path.stat()
    text = original.decode()
    found = text.count(mutation.original)
    if found != 1:
        raise MutationError(f"{mutation.name}: the snippet occurs {found} times in {mutation.file}, not once")
    try:
        path.write_text(text.replace(mutation.original, mutation.replacement), encoding="utf-8")
        # Another mtime than the original's: a cached .pyc of the original (same size) can never be taken for it.
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 7_000_000_000))
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@contextmanager
def scratch_trees(count: int) -> Iterator[list[Path]]:
    """`count` copies of the tree (sources, tests, docs, web; not .git, .venv or caches), each with this tree's
    .tools (dynalite, the FHIR schema) linked in, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="mutants-") as folder:
        trees = []
        for number in range(count):
            tree = Path(folder) / f"tree-{number}"
            shutil.copytree(ROOT, tree, ignore=_NOT_COPIED, symlinks=True)
            if (ROOT / ".tools").exists():
                (tree / ".tools").symlink_to((ROOT / ".tools").resolve(), target_is_directory=True)
            trees.append(tree)
        yield trees


_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


def run_tests(tests: Sequence[str], tree: Path) -> int:
    """pytest on `tree`'s tests with `tree`'s code first on the path (the venv's own path entry names this tree)."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider", "--no-header"]
    path = os.pathsep.join(filter(None, (str(tree / "functions"), str(tree), os.environ.get("PYTHONPATH"))))
    with subprocess.Popen(
        [*command, *tests],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        with _running_lock:
            _running.add(process)
        try:
            return process.wait(timeout=TEST_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            raise MutationError(f"pytest {' '.join(tests)} ran longer than {TEST_TIMEOUT_S} s") from None
        finally:
            with _running_lock:
                _running.discard(process)


def _stop_running() -> None:
    with _running_lock:
        for process in _running:
            process.kill()


def check(mutations: Sequence[Mutation], jobs: int = JOBS) -> list[Outcome]:
    for mutation in mutations:  # every snippet first: a stale list fails before anything runs
        source = (ROOT / mutation.file).read_text(encoding="utf-8")
        if source.count(mutation.original) != 1:
            raise MutationError(f"{mutation.name}: the snippet is not found exactly once in {mutation.file}")
    baseline = sorted({test for mutation in mutations for test in mutation.tests})
    with scratch_trees(max(1, min(jobs, len(mutations)))) as trees:
        started = time.perf_counter()
        if run_tests(baseline, trees[0]) != 0:
            raise MutationError(f"the guarding tests fail without any mutation: pytest {' '.join(baseline)}")
        print(f"baseline: {len(baseline)} test selections pass unmutated ({time.perf_counter() - started:.0f} s)")
        free: queue.SimpleQueue[Path] = queue.SimpleQueue()
        for tree in trees:
            free.put(tree)

        def attempt(mutation: Mutation) -> Outcome:
            tree = free.get()
            try:
                started = time.perf_counter()
                with mutated(mutation, tree):
                    status = run_tests(mutation.tests, tree)
            finally:
                free.put(tree)
            if status not in (0, 1):
                raise MutationError(f"{mutation.name}: pytest exited {status} (not a test failure: an error)")
            outcome = Outcome(mutation, caught=status == 1, seconds=time.perf_counter() - started)
            verdict = "caught" if outcome.caught else "SURVIVED"
            print(f"  {mutation.name}: {verdict} ({outcome.seconds:.0f} s)", flush=True)
            return outcome

        with ThreadPoolExecutor(max_workers=len(trees)) as pool:
            futures = [pool.submit(attempt, mutation) for mutation in mutations]
            try:
                return [future.result() for future in futures]
            except BaseException:
                for future in futures:
                    future.cancel()
                _stop_running()
                raise


def table(outcomes: Sequence[Outcome]) -> str:
    """mutation, result, seconds, guarantee, then the tests that ran (file::test[id], one a line)."""
    rows = [("mutation", "result", "seconds", "guarantee / tests")]
    for o in outcomes:
        rows.append((o.mutation.name, "caught" if o.caught else "SURVIVED", f"{o.seconds:.0f}", o.mutation.guarantee))
        rows += [
            ("", "", "", f"  {Path(test.partition('::')[0]).name}::{test.partition('::')[2]}")
            for test in o.mutation.tests
        ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}".rstrip() for row in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help="run only these mutations")
    parser.add_argument("--list", action="store_true", help="print the mutations and their tests, run nothing")
    parser.add_argument("--jobs", type=int, default=JOBS, help=f"mutations tested at once (default {JOBS})")
    args = parser.parse_args(argv)
    by_name = {mutation.name: mutation for mutation in MUTATIONS}
    unknown = [name for name in args.names if name not in by_name]
    if unknown:
        parser.error(f"no such mutation: {', '.join(unknown)}")
    selected = [by_name[name] for name in args.names] if args.names else list(MUTATIONS)
    if args.list:
        for mutation in selected:
            print(f"{mutation.name}: {mutation.guarantee}\n  {mutation.file}\n  " + "\n  ".join(mutation.tests))
        return 0
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.perf_counter()
    try:
        outcomes = check(selected, args.jobs)
    except MutationError as error:
        print(f"mutants: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mutants: interrupted; the working tree was never changed", file=sys.stderr)
        return 130
    print(table(outcomes))
    survived = [o.mutation.name for o in outcomes if not o.caught]
    total = time.perf_counter() - started
    print(f"{len(outcomes) - len(survived)} of {len(outcomes)} mutations caught in {total:.0f} s")
    if survived:
        print(f"survived (a guarantee no test guards): {', '.join(survived)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
