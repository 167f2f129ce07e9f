"""Intake persistence on DynamoDB: one conditional PutItem per submission, one conditional UpdateItem per review,
one Query per review-queue page. AWS errors become the store's own errors here and nowhere else."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from screening import deadline
from screening.deadline import PlannedClients
from screening.store import cursor as cursors
from screening.store.errors import (
    HistoryFull,
    IdempotencyConflict,
    IntakeNotFound,
    ItemTooLarge,
    StoreMisconfigured,
    StoreUnavailable,
    VersionConflict,
)
from screening.store.records import (
    DYNAMODB_ITEM_LIMIT,
    MAX_HISTORY,
    PENDING,
    REVIEWED,
    Decision,
    NewIntake,
    history_entry,
    is_intake_id,
    item_budget,
    item_size,
    new_item,
    to_queue_item,
    to_record,
    value_size,
)

_CONDITION_FAILED = "ConditionalCheckFailedException"
ALERT_WINDOW = "alert-window#"
"""Id prefix of the one-item-a-minute alert windows, kept in the intake table (never an intake id: not a UUID)."""
_THROTTLING = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "Throttling",
        "TooManyRequestsException",
    }
)
"""Error codes that mean "slow down": worth a retry later. Every other 4xx is permanent (access denied, no such table,
an invalid request) and no retry will fix it."""


dynamodb_client = PlannedClients("dynamodb")
"""boto3 reads AWS_ENDPOINT_URL_DYNAMODB itself, which is how the local stack points it at moto."""


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
    """One DynamoDB call. A failed condition raises _ConditionFailed; throttling, a DynamoDB 5xx, a timeout or a
    broken connection StoreUnavailable (retry later); anything else StoreMisconfigured (page someone)."""
    from botocore.exceptions import (  # noqa: PLC0415 - loaded with boto3 already
        BotoCoreError,
        ClientError,
        ConnectionError,
        HTTPClientError,
    )

    call_plan = deadline.plan(keep_reserve=True)
    if call_plan is None:
        raise StoreUnavailable("DeadlineExceeded")
    try:
        response: dict[str, Any] = getattr(dynamodb_client(call_plan), operation)(**params)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "Unknown")
        if code == _CONDITION_FAILED:
            raise _ConditionFailed(exc.response.get("Item")) from exc
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in _THROTTLING or status >= 500:
            raise StoreUnavailable(code) from exc
        raise StoreMisconfigured(code) from exc
    except (ConnectionError, HTTPClientError) as exc:  # timeouts, refused or reset connections
        raise StoreUnavailable(type(exc).__name__) from exc
    except BotoCoreError as exc:  # no credentials, bad parameters, unknown endpoint: a fault of ours
        raise StoreMisconfigured(type(exc).__name__) from exc
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
        item = new_item(intake, self._retention_days, write_token)
        if item_size(item) > item_budget(len(intake.answers_json.encode())):
            raise ItemTooLarge(intake.intake_id)
        try:
            _dynamodb(
                "put_item",
                TableName=self._table,
                Item=item,
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

    def claim_alert_window(self, minute: str, expires_at: int) -> bool:
        """True when this call is the first to claim the minute's alert (a conditional put that reads nothing);
        False when the minute's alert is already sent or under way."""
        try:
            _dynamodb(
                "put_item",
                TableName=self._table,
                Item={"id": {"S": f"{ALERT_WINDOW}{minute}"}, "expires_at": {"N": str(expires_at)}},
                ConditionExpression="attribute_not_exists(id) OR expires_at = :released",
                ExpressionAttributeValues={":released": {"N": "0"}},
            )
        except _ConditionFailed:
            return False
        return True

    def release_alert_window(self, minute: str) -> None:
        """The minute's alert could not be sent: the next critical intake of the minute may try again (an expiry of
        0 marks the window free; TTL removes it)."""
        _dynamodb(
            "put_item",
            TableName=self._table,
            Item={"id": {"S": f"{ALERT_WINDOW}{minute}"}, "expires_at": {"N": "0"}},
        )

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

    def record_review(self, intake_id: str, *, expected_version: int, entry: Decision) -> dict[str, Any]:
        """Append a decision and move the intake out of the pending queue, only if nobody changed it meanwhile, the
        history has room and the item stays under DynamoDB's size limit.

        When the condition fails, the item tells why. Its latest entry carrying this request's token means botocore
        retried our own write after losing its answer: a success, not a conflict.
        """
        if not is_intake_id(intake_id):
            raise IntakeNotFound(intake_id)
        changes = {
            "status": {"S": REVIEWED},
            "queue": {"S": REVIEWED},
            "queue_sort": {"S": f"{entry.at}#{intake_id}"},
            "reviewed_at": {"S": entry.at},
            "last_decision": {"S": entry.decision},
            "version": {"N": str(expected_version + 1)},
        }
        entry_value = history_entry(entry)
        # An upper bound of the growth: the entry and its list slot, plus every changed attribute counted as new.
        growth = 1 + value_size(entry_value) + item_size(changes)
        try:
            response = _dynamodb(
                "update_item",
                TableName=self._table,
                Key={"id": {"S": intake_id}},
                UpdateExpression=(
                    "SET #h = list_append(if_not_exists(#h, :empty), :entry), #v = #v + :one, #s = :reviewed, "
                    "#q = :reviewed, queue_sort = :sort, reviewed_at = :at, last_decision = :decision, "
                    "#b = if_not_exists(#b, :zero) + :growth"
                ),
                ConditionExpression=(
                    "attribute_exists(id) AND #v = :expected AND "
                    "(attribute_not_exists(#h) OR size(#h) < :max_history) AND "
                    "(attribute_not_exists(#b) OR #b <= :room)"
                ),
                ExpressionAttributeNames={
                    "#h": "history",
                    "#v": "version",
                    "#s": "status",
                    "#q": "queue",
                    "#b": "item_bytes",
                },
                ExpressionAttributeValues={
                    ":empty": {"L": []},
                    ":entry": {"L": [entry_value]},
                    ":one": {"N": "1"},
                    ":zero": {"N": "0"},
                    ":reviewed": {"S": REVIEWED},
                    ":sort": changes["queue_sort"],
                    ":at": {"S": entry.at},
                    ":decision": {"S": entry.decision},
                    ":expected": {"N": str(expected_version)},
                    ":max_history": {"N": str(MAX_HISTORY)},
                    ":growth": {"N": str(growth)},
                    ":room": {"N": str(DYNAMODB_ITEM_LIMIT - growth)},
                },
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except _ConditionFailed as failed:
            # dynalite ignores ReturnValuesOnConditionCheckFailure: without the item, read it once.
            item = failed.item or _dynamodb("get_item", TableName=self._table, Key={"id": {"S": intake_id}}).get("Item")
            raise_why_not_recorded(item, intake_id, expected_version, entry.request_token)
            assert item is not None
            return to_record(item)
        return to_record(response["Attributes"])


def raise_why_not_recorded(
    item: dict[str, Any] | None, intake_id: str, expected_version: int, request_token: str
) -> None:
    """Raise the reason a conditional decision failed; return when the item already holds this request's decision."""
    if item is None:
        raise IntakeNotFound(intake_id)
    history = item.get("history", {}).get("L", [])
    latest = history[-1]["M"] if history else {}
    if latest.get("request_token", {}).get("S") == request_token:
        return
    if item["version"]["N"] != str(expected_version):
        raise VersionConflict(to_record(item))
    if len(history) >= MAX_HISTORY:
        raise HistoryFull(intake_id)
    raise ItemTooLarge(intake_id)
