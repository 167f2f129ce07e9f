"""The store's own errors, so handlers map domain outcomes without knowing botocore."""

from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Base class of everything the store raises."""


class StoreUnavailable(StoreError):
    """DynamoDB throttled us, failed on its side (5xx) or did not answer in time: a retry later may succeed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreMisconfigured(StoreError):
    """DynamoDB refused the request for good (access denied, no such table or key, an invalid request): a deployment
    or code fault that no retry fixes, so it must page someone rather than tell the caller to try again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ItemTooLarge(StoreError):
    """The intake as it would be stored exceeds its size budget; nothing was written."""


class HistoryFull(StoreError):
    """The intake already holds the most review decisions it may; nothing was written."""


class IdempotencyConflict(StoreError):
    """The Idempotency-Key was already used for a different form."""


class IntakeNotFound(StoreError):
    """No intake has that id."""


class IntakeErased(StoreError):
    """The intake was erased at `erased_at`; only its tombstone remains."""

    def __init__(self, erased_at: str) -> None:
        super().__init__("intake was erased")
        self.erased_at = erased_at


class AuditUnavailable(StoreUnavailable):
    """The audit item could not be written, so the access it would record does not happen (503, as any outage)."""


class VersionConflict(StoreError):
    """The intake changed since the practitioner loaded it; `current` is its state now."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("intake was changed by someone else")
        self.current = current


class InvalidCursor(StoreError):
    """A pagination cursor that this service did not issue for this list."""
