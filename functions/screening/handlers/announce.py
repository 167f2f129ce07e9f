"""AnnounceFunction: sends IntakeReceived for each new intake, read from the intake table's stream.

Announcing from the stream keeps EventBridge off the patient's request: POST /intakes answers after its one PutItem.
The template's filter passes new intake items only (INSERT with a catalog version, so no alert window, replay or
erasure), and a record that cannot be announced is reported as a batch item failure, which Lambda retries from that
record on and, once its retries are spent, names in the failure queue: an event is late rather than lost.

The stream's new image holds the patient's answers. The announcement takes ids, time, status and categories from it
and nothing else, and the logs name the intake id only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from screening import events
from screening.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
"""A batch whose every record failed is reported record by record too: Lambda retries from the first, without a
function error (and its stack trace) in the logs."""


def announce(record: DynamoDBRecord) -> None:
    """Raises when the event is not delivered, so the batch reports this record for a retry."""
    image: dict[str, Any] = record.raw_event["dynamodb"]["NewImage"]  # typed attributes, read without deserialising
    detail = events.intake_received(image)
    bus = get_settings().event_bus_name
    if bus is None:
        logger.warning("no event bus configured; intake not announced", extra={"intake_id": detail["intake_id"]})
        return
    try:
        events.put_event(bus, events.INTAKE_RECEIVED, detail)
    except Exception as exc:
        logger.error(
            "integration event not sent; the record will be retried",
            extra={"intake_id": detail["intake_id"], "error_type": type(exc).__name__},
        )
        metrics.add_metric(name="IntegrationEventsFailed", unit=MetricUnit.Count, value=1)
        raise
    logger.info("intake announced", extra={"intake_id": detail["intake_id"]})
    metrics.add_metric(name="IntegrationEventsSent", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=announce, processor=processor, context=context)
