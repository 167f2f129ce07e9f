"""Puts intakes stored before design version 2 onto the `ByDay` and `ByPatient` indexes (see docs/upgrading.md).

Run it once after the deploy that adds both indexes, with an operator's credentials (the functions' roles cannot
scan). It scans for intakes without a `day` key and adds the index keys with one conditional UpdateItem each, so it
is safe to rerun, to interrupt, and to run while the service takes new intakes (which already carry the keys).
A v1 flagged intake has its answers, so it gets both indexes; a v1 clear receipt kept no answers (no name, no
appointment), so it can only be listed under the day it was received: those answers were never stored and cannot be
recovered. Erased intakes are left alone. Prints counts only, never a name.

Usage: python -m devtools.backfill_v2 --table NAME [--clinic-time-zone ZONE] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from screening.settings import DEFAULT_CLINIC_TIME_ZONE
from screening.store.records import ERASED, PatientFacts, index_keys

WITH_PATIENT = "indexed by day and patient"
DAY_ONLY = "indexed by day only (v1 clear receipt: no answers were stored)"
CHANGED_MEANWHILE = "skipped (changed or erased meanwhile)"
WOULD_INDEX = "would be indexed (dry run)"


def _facts(item: dict[str, Any]) -> PatientFacts:
    starts = item.get("appointment_starts_at", {}).get("S")
    appointment = datetime.fromisoformat(starts) if starts else None
    if "answers" not in item:
        return PatientFacts(None, None, None, appointment)
    patient = json.loads(item["answers"]["S"])["patient"]
    return PatientFacts(
        patient["given_name"], patient["family_name"], date.fromisoformat(patient["date_of_birth"]), appointment
    )


def backfill(client: Any, table: str, *, dry_run: bool = False) -> Counter[str]:
    """Adds the v2 index keys to every v1 intake of `table`; returns what it did, counted."""
    done: Counter[str] = Counter()
    pages = client.get_paginator("scan").paginate(
        TableName=table,
        # received_at: an intake (the table also holds the alert windows, which have only an id and an expiry)
        FilterExpression="attribute_exists(received_at) AND attribute_not_exists(#d) AND #s <> :erased",
        ProjectionExpression="id, received_at, appointment_starts_at, answers, #s",
        ExpressionAttributeNames={"#d": "day", "#s": "status"},
        ExpressionAttributeValues={":erased": {"S": ERASED}},
    )
    for page in pages:
        for item in page.get("Items", []):
            keys = index_keys(_facts(item), datetime.fromisoformat(item["received_at"]["S"]))
            if dry_run:
                done[WOULD_INDEX] += 1
                continue
            names = {f"#k{n}": name for n, name in enumerate(keys)}
            try:
                client.update_item(
                    TableName=table,
                    Key={"id": item["id"]},
                    UpdateExpression="SET " + ", ".join(f"{name} = :k{name[2:]}" for name in names),
                    ConditionExpression="attribute_exists(id) AND attribute_not_exists(#d) AND #s <> :erased",
                    ExpressionAttributeNames=names | {"#d": "day", "#s": "status"},
                    ExpressionAttributeValues={f":k{n}": value for n, value in enumerate(keys.values())}
                    | {":erased": {"S": ERASED}},
                )
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                done[CHANGED_MEANWHILE] += 1
                continue
            done[WITH_PATIENT if "patient_key" in keys else DAY_ONLY] += 1
    return done


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devtools.backfill_v2", description=__doc__)
    parser.add_argument("--table", required=True, help="the stack's IntakeTableName output")
    parser.add_argument(
        "--clinic-time-zone",
        default=os.environ.get("CLINIC_TIME_ZONE", DEFAULT_CLINIC_TIME_ZONE),
        help="the stack's ClinicTimeZone parameter (days are the clinic's)",
    )
    parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
    args = parser.parse_args(argv)
    # The store's key functions read the clinic's zone from the functions' settings, on first use.
    os.environ.update({"TABLE_NAME": args.table, "CLINIC_TIME_ZONE": args.clinic_time_zone})
    counts = backfill(boto3.client("dynamodb"), args.table, dry_run=args.dry_run)
    for outcome, count in sorted(counts.items()):
        print(f"{count:8d}  {outcome}")
    print(f"{sum(counts.values()):8d}  v1 intakes found")


if __name__ == "__main__":
    main()
