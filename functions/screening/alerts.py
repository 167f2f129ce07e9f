"""Critical-flag alerts to practitioners over SNS.

The message names the intake, its severity and flag categories and a link path to the console, and nothing that
identifies the patient or their answers: alerts travel by email and end up in inboxes and phones.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from screening.contract.screening import Screening


@cache
def sns_client() -> Any:
    import boto3  # noqa: PLC0415 - created on first alert, not at cold start
    from botocore.config import Config  # noqa: PLC0415

    # Two attempts of at most 1.5 s each: with the store's worst case the invocation stays inside its timeout.
    return boto3.client(
        "sns", config=Config(retries={"total_max_attempts": 2, "mode": "standard"}, connect_timeout=0.5, read_timeout=1)
    )


def alert_message(intake_id: str, received_at: str, screening: Screening) -> dict[str, Any]:
    return {
        "type": "critical_intake",
        "intake_id": intake_id,
        "received_at": received_at,
        "severity": screening.highest_severity,
        "categories": screening.categories,
        "catalog_version": screening.catalog_version,
        "link": f"/review#intake={intake_id}",
    }


def publish_critical_alert(topic_arn: str, intake_id: str, received_at: str, screening: Screening) -> None:
    """Raises whatever SNS raises; the caller decides that a failed alert must not fail the stored intake."""
    sns_client().publish(
        TopicArn=topic_arn,
        Subject="Intake with a critical flag: review before treatment",
        Message=json.dumps(alert_message(intake_id, received_at, screening)),
    )
