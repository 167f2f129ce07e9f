"""The intake form as a tree of FHIR items, read from the contract models once.

Both views use it: the Questionnaire lists these items, and a QuestionnaireResponse answers them under the same
linkIds (the contract path of the field, e.g. `safety.blood_thinners`; the children of a repeating group such as
`medications.name` share one linkId across repeats). `form_version` and `locale` describe the response rather than
answer a question (they become the Questionnaire's version and the response's language); `custom` holds the clinic's
own questions, which this generic Questionnaire cannot name, so each becomes a repeat of one key/answer group.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from screening.contract.intake import IntakeForm

NOT_QUESTIONS = frozenset({"form_version", "locale", "custom"})
LONG_TEXT = frozenset({"notes"})

ItemType = Literal["group", "choice", "boolean", "integer", "decimal", "date", "dateTime", "string", "text"]


@dataclass(frozen=True, slots=True)
class FormItem:
    link_id: str
    name: str
    type: ItemType
    required: bool
    repeats: bool = False
    options: tuple[str, ...] = ()
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    children: tuple[FormItem, ...] = ()


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The type without `| None` and `Annotated[...]`, and the constraints the latter carried."""
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(rest) == 1:
            annotation = rest[0]
    if get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        return base, metadata
    return annotation, []


def _constraints(metadata: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in metadata:
        if isinstance(item, MaxLen):
            found["max_length"] = item.max_length
        elif isinstance(item, Ge):
            found["min_value"] = int(item.ge)  # type: ignore[call-overload]
        elif isinstance(item, Le):
            found["max_value"] = int(item.le)  # type: ignore[call-overload]
        elif isinstance(item, FieldInfo):
            found.update(_constraints(item.metadata))
    return found


def _item(path: str, name: str, annotation: Any, info: FieldInfo) -> FormItem:
    annotation, metadata = _unwrap(annotation)
    required = info.is_required()
    limits = _constraints([*info.metadata, *metadata])
    if get_origin(annotation) is list:
        (element,) = get_args(annotation)
        if isinstance(element, type) and issubclass(element, BaseModel):
            return FormItem(path, name, "group", required, repeats=True, children=_children(path, element))
        inner = _item(path, name, element, FieldInfo(annotation=None))
        return FormItem(
            path, name, inner.type, required, repeats=True, options=inner.options, max_length=inner.max_length
        )
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return FormItem(path, name, "group", required, children=_children(path, annotation))
    if get_origin(annotation) is Literal:
        values = get_args(annotation)
        if all(isinstance(value, bool) for value in values):
            return FormItem(path, name, "boolean", required)
        return FormItem(path, name, "choice", required, options=tuple(str(value) for value in values))
    if annotation is bool:
        return FormItem(path, name, "boolean", required)
    if annotation is int:
        return FormItem(
            path, name, "integer", required, min_value=limits.get("min_value"), max_value=limits.get("max_value")
        )
    if annotation is datetime or getattr(annotation, "__name__", "") == "AwareDatetime":
        return FormItem(path, name, "dateTime", required)
    if annotation is date:
        return FormItem(path, name, "date", required)
    if annotation is str:
        return FormItem(
            path, name, "text" if name in LONG_TEXT else "string", required, max_length=limits.get("max_length")
        )
    raise TypeError(f"no FHIR item type for {path}: {annotation!r}")


def _children(prefix: str, model: type[BaseModel]) -> tuple[FormItem, ...]:
    return tuple(
        _item(f"{prefix}.{name}" if prefix else name, name, info.annotation, info)
        for name, info in model.model_fields.items()
        if prefix or name not in NOT_QUESTIONS
    )


CUSTOM = FormItem(
    "custom",
    "custom",
    "group",
    required=False,
    repeats=True,
    children=(
        FormItem("custom.key", "key", "string", required=True, max_length=64),
        FormItem("custom.text", "text", "string", required=False, max_length=500),
        FormItem("custom.number", "number", "decimal", required=False),
        FormItem("custom.flag", "flag", "boolean", required=False),
    ),
)
"""A clinic's own question (its key) and its answer, under the child of the answer's type."""


@cache
def form_items() -> tuple[FormItem, ...]:
    """The top-level items of the intake form, in contract order."""
    return (*_children("", IntakeForm), CUSTOM)
