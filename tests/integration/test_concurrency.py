"""Racing requests through the local gateway, whose functions run several workers: the store's conditional writes,
not the gateway, must decide each race.

Each race sends the same request from several clients at once (released together by a barrier) to a function with
as many workers, so the handlers interleave as they do on Lambda. The races count on dynalite, which decides racing
writes per item as DynamoDB does. Not on moto: its backend checks conditions without a lock, and the lock the
fixtures put around its writes queues every racer behind one thread of the test process, where on a loaded machine
the losers' calls outlive botocore's timeouts (seen: the three losers of a race timing out at 15 s).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from functools import partial

import boto3
import pytest

from devtools.gateway import LocalService
from devtools.jwt_token import make_token
from devtools.local_auth import DEFAULT_SECRET
from tests.conftest import DynamoDbBackend, local_stack_on
from tests.integration.gateway_http import Reply, bearer, send
from tests.support import example_form, with_changes

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the documented default

RACERS = 4
ROUNDS = 6
JSON = [("Content-Type", "application/json")]


@pytest.fixture(scope="module")
def stack(dynamodb_backend: DynamoDbBackend) -> Iterator[LocalService]:
    if dynamodb_backend.name == "moto":
        pytest.skip("races are decided on dynalite: moto's backend does not serialise writes per item")
    with local_stack_on(dynamodb_backend, jwt_secret=DEFAULT_SECRET, workers_per_function=RACERS) as running:
        yield running


def race(requests: list[Callable[[], Reply]]) -> list[Reply]:
    """Runs the requests at once, one client thread each; the replies in no particular order."""
    barrier = threading.Barrier(len(requests))
    replies: list[Reply] = []

    def client(request: Callable[[], Reply]) -> None:
        barrier.wait()
        replies.append(request())

    threads = [threading.Thread(target=client, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(replies) == len(requests), "a client failed without a reply"
    return replies


def stored(stack: LocalService, intake_id: str) -> dict[str, dict[str, str]]:
    response = boto3.client("dynamodb").get_item(
        TableName=stack.table_name(), Key={"id": {"S": intake_id}}, ConsistentRead=True
    )
    item: dict[str, dict[str, str]] = response["Item"]
    return item


def test_racing_submissions_of_one_form_are_stored_once_and_every_repeat_gets_its_id(stack: LocalService) -> None:
    for round_ in range(ROUNDS):
        body = json.dumps(with_changes(example_form(), back_pain={"duration_weeks": round_})).encode()
        headers = [*JSON, ("Idempotency-Key", f"race-{round_}")]
        replies = race([partial(send, stack.base_url, "POST", "/intakes", body, headers)] * RACERS)

        assert sorted(reply.status for reply in replies) == [200] * (RACERS - 1) + [201], "one write, the rest replays"
        [intake_id] = {reply.json()["id"] for reply in replies}
        # At least: a replay whose answer is lost is retried by botocore and counted again (ADD is not idempotent).
        assert int(stored(stack, intake_id)["replay_count"]["N"]) >= RACERS - 1, "a replay was not counted"


def test_racing_submissions_of_two_forms_under_one_key_keep_the_first_and_refuse_the_other(stack: LocalService) -> None:
    for round_ in range(ROUNDS):
        headers = [*JSON, ("Idempotency-Key", f"race-two-forms-{round_}")]
        bodies = [
            json.dumps(with_changes(example_form(), back_pain={"pain_score": score})).encode()
            for score in (2, 9) * (RACERS // 2)
        ]
        replies = race([partial(send, stack.base_url, "POST", "/intakes", body, headers) for body in bodies])

        statuses = sorted(reply.status for reply in replies)
        assert statuses.count(201) == 1, statuses
        assert set(statuses) <= {200, 201, 409}, statuses
        assert statuses.count(409) == RACERS // 2, "the other form's every request is refused, the first one's kept"


def test_racing_decisions_on_one_version_record_exactly_one(stack: LocalService) -> None:
    created = send(stack.base_url, "POST", "/intakes", json.dumps(example_form()).encode(), JSON)
    assert created.status == 201
    intake_id = created.json()["id"]
    target = f"/intakes/{intake_id}/review"

    def decide(note: str) -> Reply:
        body = json.dumps({"decision": "cleared", "note": note, "expected_version": 1}).encode()
        return send(stack.base_url, "POST", target, body, [*JSON, *bearer(make_token(secret=DEFAULT_SECRET))])

    replies = race([partial(decide, f"racer {n}") for n in range(RACERS)])

    assert sorted(reply.status for reply in replies) == [200] + [409] * (RACERS - 1)
    item = stored(stack, intake_id)
    assert item["version"] == {"N": "2"}
    [winner] = [reply.json() for reply in replies if reply.status == 200]
    assert [entry["M"]["note"]["S"] for entry in item["history"]["L"]] == [winner["history"][0]["note"]]
