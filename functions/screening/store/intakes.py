"""Intake persistence on DynamoDB: one conditional PutItem per submission, one conditional UpdateItem per review or
erasure, one Query per list page (review queue, day, patient). AWS errors become the store's own errors here and
nowhere else."""

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
    IntakeErased,
    IntakeNotFound,
    ItemTooLarge,
    StoreMisconfigured,
    StoreUnavailable,
    VersionConflict,
)
from screening.store.records import (
    DYNAMODB_ITEM_LIMIT,
    ERASED,
    MAX_HISTORY,
    PENDING,
    REVIEWED,
    Decision,
    NewIntake,
    history_entry,
    is_intake_id,
    item_budget,
    item_size,
    last_decision,
    new_item,
    to_record,
    to_summary,
    value_size,
)

type Page = tuple[list[dict[str, Any]], str | None]
_OTHER_INTAKES_SHOWN = 20
# What erasure removes: every answer, the screening, the notes, and every index key (the intake leaves all indexes).
_ERASED_ATTRIBUTES = (
    "answers",
    "screening",
    "history",
    "patient_name",
    "categories",
    "highest_severity",
    "appointment_starts_at",
    "last_decision",
    "reviewed_at",
    "body_hash",
    "write_token",
    "replay_count",
    "queue",
    "queue_sort",
    "day",
    "day_sort",
    "patient_key",
    "patient_sort",
    "given_key",
    "item_bytes",
)
_REMOVED_NAMES = {f"#r{n}": name for n, name in enumerate(_ERASED_ATTRIBUTES)}

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
    def __init__(
        self,
        table_name: str,
        queue_index: str,
        retention_days: int,
        day_index: str = "ByDay",
        patient_index: str = "ByPatient",
    ) -> None:
        self._table = table_name
        self._queue_index = queue_index
        self._day_index = day_index
        self._patient_index = patient_index
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
        # `item_bytes` is the item's size counted once (new_item), rounded up by its own digits: not counted again
        if int(item["item_bytes"]["N"]) > item_budget(len(intake.answers_json.encode())):
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
        return to_record(self.get_item(intake_id))

    def get_item(self, intake_id: str) -> dict[str, Any]:
        """One GetItem: the stored item; an erased intake's tombstone is IntakeErased, an unknown id IntakeNotFound."""
        if not is_intake_id(intake_id):
            raise IntakeNotFound(intake_id)
        response = _dynamodb("get_item", TableName=self._table, Key={"id": {"S": intake_id}})
        if "Item" not in response:
            raise IntakeNotFound(intake_id)
        item: dict[str, Any] = response["Item"]
        if item["status"]["S"] == ERASED:
            raise IntakeErased(item["erased_at"]["S"])
        return item

    def queue_page(self, queue: str, limit: int, cursor: str | None) -> Page:
        """One Query on the sparse review-queue index: pending most urgent first, reviewed most recent first."""
        return self._page(self._queue_index, cursors.QUEUE, queue, limit, cursor, forward=queue == PENDING)

    def day_page(self, day: str, limit: int, cursor: str | None) -> Page:
        """One Query on `ByDay`: a clinic-local day's intakes by appointment time, those without one last."""
        return self._page(self._day_index, cursors.DAY, day, limit, cursor, forward=True)

    def patient_page(self, patient_key: str, limit: int, cursor: str | None) -> Page:
        """One Query on `ByPatient`: one family name and date of birth's intakes, newest first."""
        return self._page(self._patient_index, cursors.PATIENT, patient_key, limit, cursor, forward=False)

    def same_patient_intakes(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        """The other intakes under the item's family name and birth date (one Query), each marked `same_patient`
        when the given name matches too; items stored before design version 2 and not yet backfilled have none."""
        if "patient_key" not in item:
            return []
        response = _dynamodb(
            "query",
            TableName=self._table,
            IndexName=self._patient_index,
            KeyConditionExpression="#p = :p",
            ExpressionAttributeNames={"#p": "patient_key"},
            ExpressionAttributeValues={":p": item["patient_key"]},
            ScanIndexForward=False,
            Limit=_OTHER_INTAKES_SHOWN + 1,
        )
        given = item.get("given_key")
        return [
            to_summary(other) | {"same_patient": other.get("given_key") == given}
            for other in response.get("Items", [])
            if other["id"] != item["id"]
        ][:_OTHER_INTAKES_SHOWN]

    def _page(
        self, index: str, keys: cursors.ListKeys, partition: str, limit: int, cursor: str | None, *, forward: bool
    ) -> Page:
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#p = :p",
            "ExpressionAttributeNames": {"#p": keys.partition},
            "ExpressionAttributeValues": {":p": {"S": partition}},
            "ScanIndexForward": forward,
            "Limit": limit,
        }
        if cursor:
            params["ExclusiveStartKey"] = cursors.decode(cursor, partition, keys)
        response = _dynamodb("query", **params)
        last_key = response.get("LastEvaluatedKey")
        return [to_summary(item) for item in response.get("Items", [])], (
            cursors.encode(last_key, keys) if last_key else None
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
            "last_decision": last_decision(entry.decision, entry.by_name, entry.at),
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
                    "attribute_exists(id) AND #v = :expected AND #s <> :erased AND "
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
                    ":erased": {"S": ERASED},
                    ":one": {"N": "1"},
                    ":zero": {"N": "0"},
                    ":reviewed": {"S": REVIEWED},
                    ":sort": changes["queue_sort"],
                    ":at": {"S": entry.at},
                    ":decision": changes["last_decision"],
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

    def erase(self, intake_id: str, *, by: str, by_name: str, reason: str, at: str) -> dict[str, Any]:
        """One conditional UpdateItem: answers, screening and notes removed, the intake taken off every index, and a
        tombstone left (id, times, who and why). Only the tombstone's own attributes come back."""
        if not is_intake_id(intake_id):
            raise IntakeNotFound(intake_id)
        try:
            response = _dynamodb(
                "update_item",
                TableName=self._table,
                Key={"id": {"S": intake_id}},
                # Names for every attribute: some (`day`, `queue`) are DynamoDB reserved words.
                UpdateExpression=(
                    "SET #s = :erased, erased_at = :at, erased_by = :by, erased_by_name = :name, "
                    "erasure_reason = :reason, #v = #v + :one REMOVE " + ", ".join(_REMOVED_NAMES)
                ),
                ConditionExpression="attribute_exists(id) AND #s <> :erased",
                ExpressionAttributeNames={"#s": "status", "#v": "version", **_REMOVED_NAMES},
                ExpressionAttributeValues={
                    ":erased": {"S": ERASED},
                    ":at": {"S": at},
                    ":by": {"S": by},
                    ":name": {"S": by_name},
                    ":reason": {"S": reason},
                    ":one": {"N": "1"},
                },
                ReturnValues="UPDATED_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except _ConditionFailed as failed:
            # dynalite ignores ReturnValuesOnConditionCheckFailure: without the item, read it once.
            item = failed.item or _dynamodb("get_item", TableName=self._table, Key={"id": {"S": intake_id}}).get("Item")
            if item is None:
                raise IntakeNotFound(intake_id) from None
            raise IntakeErased(item["erased_at"]["S"]) from None
        stored = response["Attributes"]
        return {
            "id": intake_id,
            "status": ERASED,
            "version": int(stored["version"]["N"]),
            "erased_at": stored["erased_at"]["S"],
            "erased_by": stored["erased_by"]["S"],
            "erased_by_name": stored["erased_by_name"]["S"],
            "reason": stored["erasure_reason"]["S"],
        }


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
    if item["status"]["S"] == ERASED:
        raise IntakeErased(item["erased_at"]["S"])
    if item["version"]["N"] != str(expected_version):
        raise VersionConflict(to_record(item))
    if len(history) >= MAX_HISTORY:
        raise HistoryFull(intake_id)
    raise ItemTooLarge(intake_id)
