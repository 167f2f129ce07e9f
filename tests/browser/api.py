"""The local API as the browser tests drive it from outside the page: to set up intakes and check what was stored."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tests.support import example_form, with_changes


@dataclass(frozen=True)
class LocalApi:
    base_url: str
    token: str

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None, *, auth: bool) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def submit(self, form: dict[str, Any]) -> str:
        status, body = self._call("POST", "/intakes", form, auth=False)
        assert status == 201, body
        intake_id: str = body["id"]
        return intake_id

    def queue(self, status: str = "pending") -> list[dict[str, Any]]:
        code, body = self._call("GET", f"/reviews?status={status}&limit=100", auth=True)
        assert code == 200, body
        items: list[dict[str, Any]] = body["items"]
        return items

    def intake(self, intake_id: str) -> dict[str, Any]:
        code, body = self._call("GET", f"/intakes/{intake_id}", auth=True)
        assert code == 200, body
        record: dict[str, Any] = body
        return record

    def review(
        self, intake_id: str, decision: str, note: str, expected_version: int, confirmed_critical: Sequence[str] = ()
    ) -> dict[str, Any]:
        payload = {
            "decision": decision,
            "note": note,
            "expected_version": expected_version,
            "confirmed_critical": list(confirmed_critical),
        }
        code, body = self._call("POST", f"/intakes/{intake_id}/review", payload, auth=True)
        assert code == 200, body
        record: dict[str, Any] = body
        return record

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """Any practitioner route with this API's token: (status, JSON body)."""
        return self._call(method, path, body, auth=True)

    def as_user(self, token: str) -> LocalApi:
        """The same stack, called with another token (an admin's, say)."""
        return LocalApi(self.base_url, token)

    def queued_names(self, status: str = "pending") -> list[str]:
        return [item["patient_name"] for item in self.queue(status)]


def unique_family_name(prefix: str) -> str:
    """A family name no other test uses, so a test can find its own intake in a shared queue."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def flagged_form(
    family_name: str, medications: list[dict[str, str]] | None = None, **sections: dict[str, Any]
) -> dict[str, Any]:
    """The contract's example (Eliquis listed under a "no" to blood thinners) for a named patient, with changes."""
    form = with_changes(example_form(), patient={"given_name": "Ana", "family_name": family_name}, **sections)
    if medications is not None:
        form["medications"] = medications
    return form
