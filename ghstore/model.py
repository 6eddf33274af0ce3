"""What the store hands out: stored objects, their metadata and their history."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from attrs import frozen

__all__ = ["HistoryEntry", "ObjectMeta", "StoredObject", "github_time", "parse_github_time"]

T = TypeVar("T")


@frozen
class ObjectMeta:
    """Where and when an object is stored."""

    object_id: str
    label: str
    issue_number: int
    node_id: str
    created_at: dt.datetime
    """When the issue was opened (UTC), a datetime as in gh-store 0.11."""
    updated_at: dt.datetime
    """When GitHub last changed the issue (UTC)."""
    version: int | None
    """The initial state plus every applied update, plus the pending ones folded into `data`
    (ghstore.domain.verdicts.object_state computes it for every read)."""
    state: str
    """CLOSED: settled; OPEN: updates are waiting for the processor."""
    pending_updates: int = 0
    """Authorized updates not yet processed (folded into `data` when read with pending)."""
    collection: str | None = None
    """The collection the object belongs to (its `collection:NAME` label), if any."""


def parse_github_time(text: str) -> dt.datetime:
    """GitHub's timestamp (`2024-05-01T12:00:00Z`) as an aware UTC datetime."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def github_time(moment: dt.datetime) -> str:
    """A datetime as GitHub prints timestamps (UTC, seconds, `Z`)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    association: str | None = None
    """The author's authorAssociation on the repository (OWNER, MEMBER, NONE, ...)."""
    removals: tuple[tuple[str, ...], ...] = ()
    """The key paths the update deletes (`_meta.remove`) before its changes are merged."""

    def to_json(self) -> dict[str, Any]:
        """JSON form (the CLI's `history` output)."""
        return {
            "timestamp": self.timestamp,
            "type": self.kind,
            "status": self.status,
            "data": self.data,
            "comment_id": self.comment_id,
            "author": self.author,
            "association": self.association,
            "reason": self.reason,
        }
