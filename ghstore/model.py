"""What the store hands out: stored objects, their metadata and their history."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from attrs import frozen

__all__ = ["HistoryEntry", "ObjectMeta", "StoredObject"]

T = TypeVar("T")


@frozen
class ObjectMeta:
    """Where and when an object is stored."""

    object_id: str
    label: str
    issue_number: int
    node_id: str
    created_at: str
    updated_at: str
    version: int | None
    """The initial state plus every applied update, plus the pending ones folded into `data`
    (ghstore.domain.verdicts.object_state computes it for every read)."""
    state: str
    """CLOSED: settled; OPEN: updates are waiting for the processor."""
    pending_updates: int = 0
    """Authorized updates not yet processed (folded into `data` when read with pending)."""
    collection: str | None = None
    """The collection the object belongs to (its `collection:NAME` label), if any."""


@frozen
class StoredObject(Generic[T]):
    """An object's data (a record of T, or a dict) and its metadata."""

    data: T
    meta: ObjectMeta


@frozen
class HistoryEntry:
    """One comment of an object's history and what became of it."""

    timestamp: str
    kind: str
    """"initial_state", "update", or "invalid"."""
    status: str
    """"applied", "pending" (waiting for the processor), or "rejected"."""
    data: dict[str, Any] | None
    comment_id: int
    author: str | None
    reason: str | None = None
    """Why it was rejected or is not applied."""
    key: str | None = None
    """The idempotency key the writer put in `_meta` (ghstore's writes carry one)."""

    def to_json(self) -> dict[str, Any]:
        """JSON form (the CLI's `history` output)."""
        return {
            "timestamp": self.timestamp,
            "type": self.kind,
            "status": self.status,
            "data": self.data,
            "comment_id": self.comment_id,
            "author": self.author,
            "reason": self.reason,
        }
