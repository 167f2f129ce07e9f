"""POST /patients/search (names in the body, never the URL) and the intake view's links to the same patient's other
intakes: one Query on ByPatient, matching normalised for case, accents and spaces; twins are not linked."""

from __future__ import annotations

import pytest

from tests.conftest import AUDIT_TABLE, Aws
from tests.integration.clinic import form_for, practitioner, search, submit, view


@pytest.mark.parametrize("typed", ["Lopez", "LOPEZ", " lopez ", "López", "Lo pez"])
def test_a_patient_is_found_by_family_name_and_birth_date_normalised(aws: Aws, typed: str) -> None:
    first = submit(form_for(family="López"))
    second = submit(form_for(family="lopez"))
    submit(form_for(family="Lopez", born="1985-04-13"))  # another birth date
    submit(form_for(family="Lopes"))  # another name

    response = search(typed, "1985-04-12")

    assert response.status == 200
    assert [item["id"] for item in response.body["items"]] == [second, first]  # newest first
    assert response.body["next_cursor"] is None


def test_search_pages_with_a_cursor_bound_to_that_patient(aws: Aws) -> None:
    older, newer = submit(form_for()), submit(form_for())
    first = search("Lopez", "1985-04-12", limit=1)
    assert [item["id"] for item in first.body["items"]] == [newer]
    second = search("Lopez", "1985-04-12", limit=1, cursor=first.body["next_cursor"])
    assert [item["id"] for item in second.body["items"]] == [older]
    assert search("Chen", "1985-04-12", cursor=first.body["next_cursor"]).status == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"family_name": "Lopez"}, "date_of_birth"),
        ({"family_name": "", "date_of_birth": "1985-04-12"}, "family_name"),
        ({"family_name": "Lopez", "date_of_birth": "12/04/1985"}, "date_of_birth"),
        ({"family_name": "Lopez", "date_of_birth": "1985-04-12", "given_name": "Ana"}, "body[2]"),  # by position
        ({"family_name": "Lopez", "date_of_birth": "1985-04-12", "limit": 0}, "limit"),
    ],
)
def test_a_bad_search_is_422_naming_the_field_and_reads_nothing(aws: Aws, body: dict[str, object], field: str) -> None:
    response = practitioner("POST", "/patients/search", "/patients/search", body=body)
    assert response.status == 422
    assert field in {error["field"] for error in response.body["errors"]}
    assert aws.dynamodb.scan(TableName=AUDIT_TABLE)["Items"] == []


def test_the_search_is_audited_with_the_ids_shown_and_never_the_name(aws: Aws) -> None:
    intake_id = submit(form_for())
    assert search("Lopez", "1985-04-12").status == 200
    [item] = aws.dynamodb.scan(TableName=AUDIT_TABLE)["Items"]
    assert item["action"]["S"] == "patient_search"
    assert [shown["S"] for shown in item["intake_ids"]["L"]] == [intake_id]
    assert "lopez" not in str(item).lower() and "1985" not in str(item)


def test_an_intake_view_links_repeat_submissions_and_not_twins(aws: Aws) -> None:
    first = submit(form_for(given="Ana"))
    twin = submit(form_for(given="Eva"))
    again = submit(form_for(given="ana "))
    submit(form_for(given="Ana", family="Chen"))  # another family

    response = view(again)

    assert response.status == 200
    linked = {item["id"]: item["same_patient"] for item in response.body["other_intakes"]}
    assert linked == {first: True, twin: False}
    assert [item["id"] for item in response.body["other_intakes"]] == [twin, first]  # newest first
    assert {"given_key", "patient_key"}.isdisjoint(response.body["other_intakes"][0])
