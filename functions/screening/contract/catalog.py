"""GET /rules response: the catalog as people read it (the shape of rules.Rule.export), for the API document."""

from __future__ import annotations

from pydantic import BaseModel


class RuleExport(BaseModel):
    rule_id: str
    category: str
    severity: str
    title: str
    trigger: str
    action: str
    source: str
    emergency: bool
    patient_advice: dict[str, str] | None
    """The emergency advice in each form language (`en`, `es`, `zh-Hans`), for the rules marked emergency."""
    unless: list[str]


class CatalogExport(BaseModel):
    version: str
    rules: list[RuleExport]
