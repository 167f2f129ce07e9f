"""Generates web/contract.js from the published JSON Schema, and checks the form's message catalogs against it.

The web form takes its choices, limits and required fields from web/contract.js, so nothing of the contract is
typed twice. `--check` fails when the module is stale, or when a message the page needs is missing (or has
different {placeholders}) in any language's catalog under web/i18n/.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from devtools.configure import STAMPED_MESSAGES
from devtools.generated import ROOT, write_or_check

SCHEMA = ROOT / "docs" / "schema" / "intake-form-v1.schema.json"
WEB = ROOT / "web"
MODULE = WEB / "contract.js"
CATALOGS = WEB / "i18n"
SOURCE_LANGUAGE = "en"

NOT_QUESTIONS = {"form_version", "locale", "custom", "consent.privacy_notice_version"}
"""Fields the page fills in itself (or never sends): they get no question label."""
_KEPT = (
    "type",
    "format",
    "const",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "pattern",
)
_KEY_IN_PAGE = re.compile(r'data-i18n(?:-[a-z]+)?="([^"]+)"')
_NAMESPACES = ("ui", "error", "option", "section", "hint", "q", "short", "consent", "guardian", "language")
_KEY_IN_SCRIPT = re.compile(r'"((?:' + "|".join(_NAMESPACES) + r')\.[A-Za-z0-9_.-]+)"')
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The node behind a $ref and an `X | None` anyOf, and whether null was allowed."""
    nullable = False
    if "anyOf" in node:
        branches = [branch for branch in node["anyOf"] if branch.get("type") != "null"]
        nullable = len(branches) < len(node["anyOf"])
        if len(branches) == 1:
            node = branches[0]
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node, nullable


def _walk(node: dict[str, Any], defs: dict[str, Any], prefix: str, chain_required: bool) -> Iterator[tuple[str, Any]]:
    """(path, field spec) for every field under an object node, depth first, in the schema's order."""
    required = set(node.get("required", ()))
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        resolved, _ = _resolve(child, defs)
        in_object = name in required
        if resolved.get("type") == "object" and "properties" in resolved:
            yield from _walk(resolved, defs, f"{path}.", chain_required and in_object)
            continue
        spec: dict[str, Any] = {key: resolved[key] for key in _KEPT if key in resolved}
        spec["required"] = ("always" if chain_required else "with_siblings") if in_object else None
        items = resolved.get("items")
        if isinstance(items, dict):
            item, _ = _resolve(items, defs)
            if item.get("type") == "object":
                yield path, spec
                yield from _walk(item, defs, f"{path}[].", False)
                continue
            spec["items"] = {key: item[key] for key in _KEPT if key in item}
        yield path, spec


def fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every field of the form by its contract path (`medications[].name` for list items)."""
    return dict(_walk(schema, schema.get("$defs", {}), "", True))


def message_key(path: str) -> str:
    return "q." + path.replace("[]", "")


def contract_message_keys(schema: dict[str, Any]) -> list[str]:
    """The label of every question and the text of every choice the schema allows."""
    found = fields(schema)
    leaves = [
        path for path in found if path not in NOT_QUESTIONS and not any(o.startswith(f"{path}[].") for o in found)
    ]
    keys = [message_key(path) for path in leaves]
    for path, spec in found.items():
        if path not in NOT_QUESTIONS:
            keys += [f"option.{value}" for value in spec.get("enum", spec.get("items", {}).get("enum", ()))]
    return list(dict.fromkeys(keys))


def module_text(schema: dict[str, Any]) -> str:
    found = fields(schema)
    constants = {
        "FORM_VERSION": found["form_version"]["const"],
        "LOCALES": found["locale"]["enum"],
        "FIELDS": {path: spec for path, spec in found.items() if path != "custom"},
        "MESSAGE_KEYS": contract_message_keys(schema),
    }
    lines = [
        f"// Generated from {SCHEMA.relative_to(ROOT)} by devtools/gen_web_contract.py (`make generate`): do not edit.",
        '// FIELDS[path].required: "always" (the form cannot be sent without it), "with_siblings" (needed once any',
        "// other answer of the same object is given: a STarT Back item, a medicine's name) or null (optional).",
        "",
    ]
    lines += [
        f"export const {name} = {json.dumps(value, indent=2, ensure_ascii=False)};" for name, value in constants.items()
    ]
    return "\n".join(lines) + "\n"


def load_catalogs(folder: Path = CATALOGS) -> dict[str, dict[str, Any]]:
    return {file.stem: json.loads(file.read_text("utf-8")) for file in sorted(folder.glob("*.json"))}


def page_message_keys(web: Path = WEB) -> set[str]:
    """Keys named in the page's markup (data-i18n attributes), in the form's modules and in what configure stamps."""
    keys = set(_KEY_IN_PAGE.findall((web / "index.html").read_text("utf-8"))) | set(STAMPED_MESSAGES)
    for script in sorted((web / "form").glob("*.js")):
        keys |= set(_KEY_IN_SCRIPT.findall(script.read_text("utf-8")))
    return keys


def catalog_problems(schema: dict[str, Any], catalogs: dict[str, dict[str, Any]], needed: set[str]) -> list[str]:
    """What is missing or inconsistent: every language has every needed key, with the source's placeholders."""
    source = catalogs.get(SOURCE_LANGUAGE)
    if source is None:
        return [f"web/i18n/{SOURCE_LANGUAGE}.json is missing"]
    problems = []
    languages = set(fields(schema)["locale"]["enum"])
    problems += [f"web/i18n/{code}.json is missing" for code in sorted(languages - catalogs.keys())]
    problems += [f"web/i18n/{code}.json is not a contract locale" for code in sorted(catalogs.keys() - languages)]
    used = needed | set(contract_message_keys(schema))
    problems += [
        f"web/i18n/{SOURCE_LANGUAGE}.json: message {key!r} is not used"
        for key in sorted(source.keys() - used - {"_meta"})
    ]
    wanted = (used | source.keys()) - {"_meta"}
    for code, catalog in catalogs.items():
        meta = catalog.get("_meta", {})
        if not isinstance(meta.get("reviewed_by_clinician"), bool):
            problems.append(f"web/i18n/{code}.json: _meta.reviewed_by_clinician must be true or false")
        for key in sorted(wanted - catalog.keys()):
            problems.append(f"web/i18n/{code}.json: missing message {key!r}")
        for key in sorted(catalog.keys() - wanted - {"_meta"}):
            problems.append(f"web/i18n/{code}.json: message {key!r} is not used")
        for key in sorted(wanted & catalog.keys() & source.keys()):
            text = catalog[key]
            if not isinstance(text, str) or not text.strip():
                problems.append(f"web/i18n/{code}.json: message {key!r} is empty")
            elif set(_PLACEHOLDER.findall(text)) != set(_PLACEHOLDER.findall(source[key])):
                problems.append(f"web/i18n/{code}.json: message {key!r} has other placeholders than {SOURCE_LANGUAGE}")
    return problems


def main(argv: list[str] | None = None) -> int:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    problems = catalog_problems(schema, load_catalogs(), page_message_keys())
    for problem in problems:
        print(problem, file=sys.stderr)
    written = write_or_check({MODULE: module_text(schema)}, "web/contract.js from the JSON Schema", argv)
    return 1 if problems else written


if __name__ == "__main__":
    sys.exit(main())
