"""Critical-flag alerts to practitioners over SNS, at most one a minute.

The message is plain text for an email: the intake id, when it arrived, its flag categories and an absolute link to
the console, and nothing that identifies the patient or their answers (alerts end up in inboxes and on phones).
A flood of critical forms sends one alert a minute, which says to check the queue for others.
"""

from __future__ import annotations

from screening import deadline
from screening.contract.screening import Screening
from screening.deadline import PLANS, PlannedClients

SUBJECT = "Intake with a critical flag: review before treatment"


sns_client = PlannedClients("sns")
RESERVE_S = PLANS[1].worst_case()
"""What the intake route keeps back for the alert while it stores (two attempts)."""


def console_link(review_page_url: str | None, intake_id: str) -> str:
    return f"{review_page_url or '/review'}#intake={intake_id}"


def alert_message(intake_id: str, received_at: str, screening: Screening, review_page_url: str | None) -> str:
    categories = ", ".join(category.replace("_", " ") for category in screening.categories)
    return "\n".join(
        [
            f"An intake received at {received_at} has a critical flag ({categories}).",
            "Review it before the patient is treated:",
            "",
            console_link(review_page_url, intake_id),
            "",
            "At most one alert is sent a minute, so other critical intakes may be waiting: check the whole review",
            "queue, most urgent first.",
            "",
            f"Intake id: {intake_id}",
            f"Screening catalog: {screening.catalog_version}",
            "This message holds no patient details; sign in to the console to see them.",
        ]
    )


def publish_critical_alert(
    topic_arn: str, intake_id: str, received_at: str, screening: Screening, review_page_url: str | None
) -> None:
    """Raises whatever SNS raises, or TimeoutError when no time is left; the caller decides that a failed alert must
    not fail the stored intake."""
    call_plan = deadline.plan(keep_reserve=False)
    if call_plan is None:
        raise TimeoutError("no time left in the invocation for the alert")
    sns_client(call_plan).publish(
        TopicArn=topic_arn,
        Subject=SUBJECT,
        Message=alert_message(intake_id, received_at, screening, review_page_url),
    )
