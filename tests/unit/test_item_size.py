"""The store counts an item's size as DynamoDB does (developer guide, "Item sizes and formats"): strings by their
UTF-8 bytes, not their characters, so a form written in Chinese or with emoji is not undercounted against the
400 KB limit and the item budget."""

from __future__ import annotations

import pytest

from screening.store.records import item_size, value_size


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ({"S": "warfarin"}, 8),
        ({"S": "ácido"}, 6),  # á is 2 bytes
        ({"S": "阿司匹林"}, 12),  # 3 bytes each
        ({"S": "\U0001f4dd"}, 4),  # outside the BMP: 4 bytes
        ({"N": "12345"}, 4),  # about half the digits plus one
        ({"BOOL": True}, 1),
        ({"L": [{"S": "ab"}, {"S": "阿"}]}, 3 + (1 + 2) + (1 + 3)),
        ({"M": {"é": {"S": "x"}}}, 3 + 1 + 2 + 1),
    ],
)
def test_values_are_counted_in_utf8_bytes(value: dict[str, object], size: int) -> None:
    assert value_size(value) == size


def test_attribute_names_are_counted_in_utf8_bytes_too() -> None:
    assert item_size({"id": {"S": "1"}, "名前": {"S": "王芳"}}) == (2 + 1) + (6 + 6)
