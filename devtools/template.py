"""Reads infra/template.yaml so that local tools follow the template instead of repeating it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "template.yaml"


class _CfnLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type stubs
    """A YAML loader that keeps CloudFormation short-form intrinsics (!Ref, !GetAtt, !Sub …) as plain dicts."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@cache
def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as a dict, intrinsics kept as {'Ref': ...} / {'Fn::X': ...}."""
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=_CfnLoader)
    return loaded


HTTP_EVENT = "HttpApi"
NO_AUTH = "NONE"


@dataclass(frozen=True)
class HttpRoute:
    """One HttpApi event of a function: what API Gateway routes to it and which authorizer guards it (None: public)."""

    method: str
    path: str
    function_id: str
    authorizer: str | None

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class FunctionDef:
    """The parts of an AWS::Serverless::Function a local runtime needs, with SAM Globals applied."""

    logical_id: str
    handler: str
    code_dir: Path
    memory_mb: int
    timeout_s: int
    environment: dict[str, Any]


def _resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in template.get("Resources", {}).items() if res.get("Type") == kind}


def _globals(template: dict[str, Any], section: str) -> dict[str, Any]:
    found: dict[str, Any] = template.get("Globals", {}).get(section, {})
    return found


def _default_authorizer(template: dict[str, Any], api_id: str | None) -> str | None:
    apis = _resources(template, "AWS::Serverless::HttpApi")
    api = apis.get(api_id, {}) if api_id else (next(iter(apis.values())) if len(apis) == 1 else {})
    auth = api.get("Properties", {}).get("Auth") or _globals(template, "HttpApi").get("Auth", {})
    default: str | None = auth.get("DefaultAuthorizer")
    return default


def http_routes(template: dict[str, Any] | None = None) -> list[HttpRoute]:
    """Every HttpApi route in the template, with the authorizer API Gateway applies to it."""
    template = template if template is not None else load_template()
    routes = []
    for function_id, resource in _resources(template, "AWS::Serverless::Function").items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event.get("Type") != HTTP_EVENT:
                continue
            props = event.get("Properties", {})
            api_id = props.get("ApiId", {}).get("Ref") if isinstance(props.get("ApiId"), dict) else None
            authorizer = props.get("Auth", {}).get("Authorizer") or _default_authorizer(template, api_id)
            routes.append(
                HttpRoute(
                    method=str(props.get("Method", "ANY")).upper(),
                    path=str(props.get("Path", "$default")),
                    function_id=function_id,
                    authorizer=None if authorizer in (None, NO_AUTH) else str(authorizer),
                )
            )
    return routes


def function_def(logical_id: str, template: dict[str, Any] | None = None, path: Path = TEMPLATE) -> FunctionDef:
    """A function's handler, code directory, sizing and environment (function values override Globals)."""
    template = template if template is not None else load_template()
    defaults = _globals(template, "Function")
    props = {**defaults, **template["Resources"][logical_id]["Properties"]}
    variables = {
        **defaults.get("Environment", {}).get("Variables", {}),
        **template["Resources"][logical_id]["Properties"].get("Environment", {}).get("Variables", {}),
    }
    return FunctionDef(
        logical_id=logical_id,
        handler=str(props["Handler"]),
        code_dir=(path.parent / str(props.get("CodeUri", "."))).resolve(),
        memory_mb=int(props.get("MemorySize", 128)),
        timeout_s=int(props.get("Timeout", 3)),
        environment=variables,
    )


_TABLE_KEYS = ("KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes", "LocalSecondaryIndexes")
_INDEX_KEYS = ("IndexName", "KeySchema", "Projection")


def table_definition(logical_id: str = "IntakeTable", template: dict[str, Any] | None = None) -> dict[str, Any]:
    """boto3 `create_table` arguments (without TableName) for the template's table, on demand as deployed."""
    template = template if template is not None else load_template()
    props = template["Resources"][logical_id]["Properties"]
    definition: dict[str, Any] = {key: props[key] for key in _TABLE_KEYS if key in props}
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if key in definition:
            definition[key] = [{k: index[k] for k in _INDEX_KEYS if k in index} for index in definition[key]]
    stream = props.get("StreamSpecification")
    if stream:
        definition["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    definition["BillingMode"] = "PAY_PER_REQUEST"
    return definition


@dataclass(frozen=True)
class StreamMapping:
    """An AWS::Lambda::EventSourceMapping from a table's stream to a function, as a local poller needs it."""

    function_id: str
    table_id: str
    batch_size: int
    maximum_retry_attempts: int
    filters: tuple[dict[str, Any], ...]
    """The filter patterns (EventBridge pattern syntax); a record passes when it matches any, or when there are none."""


def stream_mappings(template: dict[str, Any] | None = None) -> list[StreamMapping]:
    """Every event source mapping that reads a DynamoDB table's stream (`!GetAtt Table.StreamArn`)."""
    template = template if template is not None else load_template()
    mappings = []
    for resource in _resources(template, "AWS::Lambda::EventSourceMapping").values():
        props = resource["Properties"]
        source = props.get("EventSourceArn", {}).get("Fn::GetAtt", [None, None])
        if source[1] != "StreamArn":
            continue
        patterns = props.get("FilterCriteria", {}).get("Filters", [])
        mappings.append(
            StreamMapping(
                function_id=str(props["FunctionName"]["Ref"]),
                table_id=str(source[0]),
                batch_size=int(props.get("BatchSize", 100)),
                maximum_retry_attempts=int(props.get("MaximumRetryAttempts", -1)),
                filters=tuple(json.loads(f["Pattern"]) for f in patterns),
            )
        )
    return mappings


def ttl_attribute(logical_id: str = "IntakeTable", template: dict[str, Any] | None = None) -> str | None:
    """The table's TTL attribute name when the template enables TTL."""
    template = template if template is not None else load_template()
    spec = template["Resources"][logical_id]["Properties"].get("TimeToLiveSpecification", {})
    return str(spec["AttributeName"]) if spec.get("Enabled") else None


def resolve(value: Any, refs: dict[str, str]) -> str:
    """Resolves Ref / Fn::GetAtt (Arn) / Fn::Sub / Fn::Join against `refs` (logical id or parameter → value)."""
    if isinstance(value, str | int | float | bool):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, dict) and len(value) == 1:
        ((name, arg),) = value.items()
        if name == "Ref":
            return _lookup(refs, arg)
        if name == "Fn::GetAtt":
            return _lookup(refs, f"{arg[0]}.{arg[1]}")
        if name == "Fn::Join":
            return str(arg[0]).join(resolve(part, refs) for part in arg[1])
        if name == "Fn::Sub":
            text, local = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            scope = {**refs, **{key: resolve(val, refs) for key, val in local.items()}}
            return _SUB_VARIABLE.sub(lambda match: _lookup(scope, match.group(1)), text)
    raise ValueError(f"cannot resolve {value!r} locally")


_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


def _lookup(refs: dict[str, str], name: str) -> str:
    if name not in refs:
        raise ValueError(f"no local value for {name!r}")
    return refs[name]


def parameter_defaults(template: dict[str, Any] | None = None) -> dict[str, str]:
    """Each template parameter's Default, as `!Ref Parameter` resolves when deployed without overrides."""
    template = template if template is not None else load_template()
    return {
        name: resolve(spec["Default"], {})
        for name, spec in template.get("Parameters", {}).items()
        if "Default" in spec and not isinstance(spec["Default"], list)
    }


def resource_ids(kind: str, template: dict[str, Any] | None = None) -> list[str]:
    """Logical ids of the template's resources of one type."""
    template = template if template is not None else load_template()
    return list(_resources(template, kind))
