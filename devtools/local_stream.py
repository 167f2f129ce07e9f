"""A table's stream → its function, as a Lambda event source mapping does it, for the local stack.

One thread per mapping polls every shard of the table's stream (moto serves DynamoDB Streams on the same endpoint),
keeps the records the template's filter patterns pass, and invokes the function with Lambda's DynamoDB event. When
the function reports batch item failures, the batch is retried from the first failed record, up to the mapping's
MaximumRetryAttempts, then given up on with a log line naming the sequence number: a deployed stack would send that
to the failure queue. An endpoint without streams (dynalite) starts no poller; the stack says so once.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import boto3

from devtools.template import StreamMapping

POLL_INTERVAL_S = 0.2
log = logging.getLogger("devtools.local_stream")

Invoke = Callable[[dict[str, Any]], Any]


def matches(pattern: Any, value: Any) -> bool:
    """Whether `value` matches an event pattern: nested objects, lists of allowed values and `{"exists": bool}`, the
    part of EventBridge's pattern syntax the template uses (anything else raises, so it is never silently passed)."""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        return all(matches(wanted, value.get(key, _MISSING)) for key, wanted in pattern.items())
    if isinstance(pattern, list):
        return any(_matches_one(option, value) for option in pattern)
    raise ValueError(f"unsupported filter pattern {pattern!r}")


def _matches_one(option: Any, value: Any) -> bool:
    if isinstance(option, dict):
        if set(option) != {"exists"}:
            raise ValueError(f"unsupported filter operator {option!r}")
        return (value is not _MISSING) is option["exists"]
    return value is not _MISSING and value == option


_MISSING = object()


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A DynamoDB Streams record as Lambda delivers it: the creation time in epoch seconds and the stream's ARN."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": dynamodb, "eventSourceARN": stream_arn}


class StreamPoller:
    """Feeds one table's stream to one function until stopped."""

    def __init__(self, mapping: StreamMapping, table_name: str, invoke: Invoke, region: str) -> None:
        self._mapping = mapping
        self._invoke = invoke
        self._stop = threading.Event()
        self._region = region
        self._streams: Any = None
        self._table_name = table_name
        self.stream_arn = ""
        self._thread: threading.Thread | None = None
        self._iterators: dict[str, str] = {}
        """Shard id → the iterator to read it on from."""

    def start(self) -> bool:
        """Starts polling; False (nothing started) when the endpoint has no stream for the table."""
        dynamodb = boto3.client("dynamodb", region_name=self._region)
        self.stream_arn = dynamodb.describe_table(TableName=self._table_name)["Table"].get("LatestStreamArn", "")
        if not self.stream_arn:
            return False
        # moto serves DynamoDB Streams on its DynamoDB endpoint; boto3 would look for a streams endpoint of its own.
        endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
        self._streams = boto3.client("dynamodbstreams", region_name=self._region, endpoint_url=endpoint)
        self._discover_shards("LATEST")  # what is written from now on: a named endpoint's old records stay announced
        self._thread = threading.Thread(target=self._run, name=f"stream-{self._mapping.function_id}", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _discover_shards(self, position: str = "TRIM_HORIZON") -> None:
        """Adds the shards not read yet, at `position`: a shard that opens while the stack runs is read whole."""
        shards = self._streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        for shard in shards:
            if shard["ShardId"] not in self._iterators:
                self._iterators[shard["ShardId"]] = self._streams.get_shard_iterator(
                    StreamArn=self.stream_arn, ShardId=shard["ShardId"], ShardIteratorType=position
                )["ShardIterator"]

    def _run(self) -> None:
        while not self._stop.wait(POLL_INTERVAL_S):
            try:
                self._poll_once()
            except Exception:
                log.exception("stream poll of %s failed; polling on", self._table_name)

    def _poll_once(self) -> None:
        """Reads what is new on every shard and delivers what passes the filters."""
        self._discover_shards()
        for shard_id, iterator in list(self._iterators.items()):
            page = self._streams.get_records(ShardIterator=iterator, Limit=self._mapping.batch_size)
            self._iterators[shard_id] = page.get("NextShardIterator") or iterator
            batch = [lambda_record(r, self.stream_arn) for r in page["Records"] if self._passes(r)]
            if batch:
                self._deliver(batch)

    def _passes(self, record: dict[str, Any]) -> bool:
        return not self._mapping.filters or any(matches(pattern, record) for pattern in self._mapping.filters)

    def _deliver(self, batch: list[dict[str, Any]]) -> None:
        """Invokes until no record fails or the retries are spent (Lambda resumes from the first failed record)."""
        attempts = 0
        while batch:
            try:
                failures = (self._invoke({"Records": batch}) or {}).get("batchItemFailures", [])
                failed = {failure["itemIdentifier"] for failure in failures}
            except Exception:
                log.exception("%s failed on a batch of its stream", self._mapping.function_id)
                failed = {batch[0]["dynamodb"]["SequenceNumber"]}
            if not failed:
                return
            first = next(i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] in failed)
            batch = batch[first:]
            attempts += 1
            if 0 <= self._mapping.maximum_retry_attempts < attempts:
                log.warning(
                    "%s gave up on stream records from sequence number %s (a deployed stack names them in its"
                    " failure queue)",
                    self._mapping.function_id,
                    batch[0]["dynamodb"]["SequenceNumber"],
                )
                return
            if self._stop.wait(POLL_INTERVAL_S):
                return
