"""Intake persistence on DynamoDB: one conditional PutItem per submission, one conditional UpdateItem per review,
one Query per review-queue page. AWS errors become the store's own errors here and nowhere else."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from screening.store import cursor as cursors
from screening.store.errors import IdempotencyConflict, IntakeNotFound, StoreUnavailable, VersionConflict
from screening.store.records import (
    PENDING,
    REVIEWED,
    NewIntake,
    history_entry,
    is_intake_id,
    new_item,
    to_queue_item,
    to_record,
)

_CONDITION_FAILED = "ConditionalCheckFailedException"


@cache
def dynamodb_client() -> Any:
    """Created on first use and reused while the execution environment is warm.

    Three attempts with short timeouts bound the worst case (3 × 1.5 s plus at most 3 s of throttling backoff) well
    inside the functions' timeout, with room left for the alert. boto3 reads AWS_ENDPOINT_URL_DYNAMODB itself, which
    is how the local stack points it at moto.
    """
    import boto3  # noqa: PLC0415 - imported on first use, not at cold-start import time
    from botocore.config import Config  # noqa: PLC0415

    config = Config(
        retries={"total_max_attempts": 3, "mode": "standard"}, connect_timeout=0.5, read_timeout=1, tcp_keepalive=True
    )
    return boto3.client("dynamodb", config=config)


@dataclass(frozen=True, slots=True)
class StoredIntake:
    intake_id: str
    replayed: bool


class _ConditionFailed(Exception):
    """A conditional write's condition did not hold; `item` is the stored item when the request asked for it."""

    def __init__(self, item: dict[str, Any] | None) -> None:
        super().__init__("condition failed")
        self.item = item


def _dynamodb(operation: str, **params: Any) -> dict[str, Any]:
    """One DynamoDB call: a failed condition raises _ConditionFailed; any other failure StoreUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 - loaded with boto3 already

    try:
        response: dict[str, Any] = getattr(dynamodb_client(), operation)(**params)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "Unknown")
        if code == _CONDITION_FAILED:
            raise _ConditionFailed(exc.response.get("Item")) from exc
        raise StoreUnavailable(code) from exc
    except BotoCoreError as exc:
        raise StoreUnavailable(type(exc).__name__) from exc
    return response


class IntakeStore:
    def __init__(self, table_name: str, queue_index: str, retention_days: int) -> None:
        self._table = table_name
        self._index = queue_index
        self._retention_days = retention_days

    def put_new(self, intake: NewIntake) -> StoredIntake:
        """Store a submission exactly once, without reading anything back.

        The first attempt is one conditional PutItem carrying a token of this call. If the id is taken, conditional
        updates tell the cases apart with write permissions only: the same body hash under another token is the
        client sending the same form again (a replay, counted); our own token means botocore retried our write after
        losing its answer (a new intake, which still gets its alert); neither means the Idempotency-Key was reused
        for another form.
        """
        write_token = secrets.token_hex(16)
        try:
            _dynamodb(
                "put_item",
                TableName=self._table,
                Item=new_item(intake, self._retention_days, write_token),
                ConditionExpression="attribute_not_exists(id)",
            )
        except _ConditionFailed:
            replay = "body_hash = :hash AND (attribute_not_exists(write_token) OR write_token <> :token)"
            if self._updated_if(intake, "ADD replay_count :one", replay, write_token):
                return StoredIntake(intake.intake_id, replayed=True)
            if self._updated_if(intake, "REMOVE write_token", "write_token = :token", write_token):
                return StoredIntake(intake.intake_id, replayed=False)
            raise IdempotencyConflict(intake.intake_id) from None
        return StoredIntake(intake.intake_id, replayed=False)

    def _updated_if(self, intake: NewIntake, update: str, condition: str, write_token: str) -> bool:
        """One conditional UpdateItem that returns nothing; False when the condition does not hold."""
        values = {":hash": {"S": intake.body_hash}, ":token": {"S": write_token}, ":one": {"N": "1"}}
        try:
            _dynamodb(
                "update_item",
                TableName=self._table,
                Key={"id": {"S": intake.intake_id}},
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues={
                    name: value for name, value in values.items() if name in update or name in condition
                },
            )
        except _ConditionFailed:
            return False
        return True

    def get(self, intake_id: str) -> dict[str, Any]:
        if not is_intake_id(intake_id):
            raise IntakeNotFound(intake_id)
        response = _dynamodb("get_item", TableName=self._table, Key={"id": {"S": intake_id}})
        if "Item" not in response:
            raise IntakeNotFound(intake_id)
        return to_record(response["Item"])

    def queue_page(self, queue: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """One Query on the sparse review-queue index: pending most urgent first, reviewed most recent first."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": self._index,
            "KeyConditionExpression": "#q = :q",
            "ExpressionAttributeNames": {"#q": "queue"},
            "ExpressionAttributeValues": {":q": {"S": queue}},
            "ScanIndexForward": queue == PENDING,
            "Limit": limit,
        }
        if cursor:
            params["ExclusiveStartKey"] = cursors.decode(cursor, queue)
        response = _dynamodb("query", **params)
        last_key = response.get("LastEvaluatedKey")
        return [to_queue_item(item) for item in response.get("Items", [])], (
            cursors.encode(last_key) if last_key else None
        )

    def record_review(
        self, intake_id: str, *, expected_version: int, decision: str, note: str, by: str, at: str
    ) -> dict[str, Any]:
        """Append a decision and move the intake out of the pending queue, only if nobody changed it meanwhile."""
        if not is_intake_id(intake_id):
            raise IntakeNotFound(intake_id)

        try:
            response = _dynamodb(
                "update_item",
                TableName=self._table,
                Key={"id": {"S": intake_id}},
                UpdateExpression=(
                    "SET #h = list_append(if_not_exists(#h, :empty), :entry), #v = #v + :one, #s = :reviewed, "
                    "#q = :reviewed, queue_sort = :sort, reviewed_at = :at, last_decision = :decision"
                ),
                ConditionExpression="attribute_exists(id) AND #v = :expected",
                ExpressionAttributeNames={"#h": "history", "#v": "version", "#s": "status", "#q": "queue"},
                ExpressionAttributeValues={
                    ":empty": {"L": []},
                    ":entry": {"L": [history_entry(decision, note, by, at)]},
                    ":one": {"N": "1"},
                    ":reviewed": {"S": REVIEWED},
                    ":sort": {"S": f"{at}#{intake_id}"},
                    ":at": {"S": at},
                    ":decision": {"S": decision},
                    ":expected": {"N": str(expected_version)},
                },
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except _ConditionFailed as failed:
            if failed.item is None:
                raise IntakeNotFound(intake_id) from None
            raise VersionConflict(to_record(failed.item)) from None
        return to_record(response["Attributes"])
