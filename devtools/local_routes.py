"""Route selection as an HTTP API does it: exact method before ANY, literal segments before {params}, {greedy+} last."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from devtools.template import HttpRoute

_PARAM = re.compile(r"^\{([A-Za-z0-9_.\-]+)(\+?)\}$")


@dataclass(frozen=True)
class RouteMatch:
    route: HttpRoute
    path_parameters: dict[str, str]


@dataclass(frozen=True)
class _Compiled:
    route: HttpRoute
    pattern: re.Pattern[str]
    specificity: tuple[int, int, int]


def _compile(route: HttpRoute) -> _Compiled:
    parts, literals, greedy = [], 0, 0
    for segment in route.path.strip("/").split("/") if route.path != "/" else []:
        param = _PARAM.match(segment)
        if param is None:
            parts.append(re.escape(segment))
            literals += 1
        elif param.group(2):
            parts.append(f"(?P<{_group(param.group(1))}>.+)")
            greedy += 1
        else:
            parts.append(f"(?P<{_group(param.group(1))}>[^/]+)")
    pattern = re.compile("^/" + "/".join(parts) + "$")
    return _Compiled(route, pattern, (-greedy, literals, int(route.method != "ANY")))


def _group(name: str) -> str:
    """Regex group names cannot hold '-' or '.', which path parameter names may."""
    return "p_" + name.encode().hex()


class RouteTable:
    """The template's routes, ready to match a request's method and path (percent-encoded, as received)."""

    def __init__(self, routes: Iterable[HttpRoute]) -> None:
        self._routes = [_compile(route) for route in routes]

    def match(self, method: str, raw_path: str) -> RouteMatch | None:
        candidates = []
        for compiled in self._routes:
            if compiled.route.method not in (method.upper(), "ANY"):
                continue
            found = compiled.pattern.match(raw_path)
            if found:
                candidates.append((compiled.specificity, compiled, found))
        if not candidates:
            return None
        _, best, found = max(candidates, key=lambda candidate: candidate[0])
        params = {bytes.fromhex(key[2:]).decode(): unquote(value) for key, value in found.groupdict().items()}
        return RouteMatch(best.route, params)
