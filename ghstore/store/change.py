"""A registered write (create, update or delete) and how far it got."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import define, field

from ..exceptions import GitHubStoreError, InvalidUpdate

__all__ = ["Change", "ChangeKind", "ChangeStatus", "IssueTarget", "Step", "key_paths"]


def key_paths(remove: Iterable[str | Sequence[str]]) -> list[tuple[str, ...]]:
    """Keys to remove as paths: "age" is ("age",), ["members", "bob"] stays a path."""
    paths = []
    for item in remove:
        path = (item,) if isinstance(item, str) else tuple(item)
        if not path or not all(isinstance(key, str) for key in path):
            raise InvalidUpdate(f"a key to remove must be a key or a path of keys, got {item!r}")
        paths.append(path)
    return paths


class ChangeKind(enum.StrEnum):
    """What a change does."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class ChangeStatus(enum.StrEnum):
    """Where a change stands."""

    PENDING = "pending"
    """Not sent yet, or to be sent (again)."""
    LANDED = "landed"
    FAILED = "failed"
    UNKNOWN = "unknown"
    """Sent, and the outcome is not known: looked up before anything is sent again."""


class Step(enum.IntEnum):
    """How far a change's stages got (see ghstore.store.writes)."""

    START = 0
    ISSUE_MADE = 1
    """A create's bare issue exists; an update's comment landed (its reopen is left)."""
    SETTLED = 2
    """A create is labelled and closed and its initial-state comment is posted."""
    MARKED = 3
    """A create's initial-state comment carries its reactions: done."""


@define
class IssueTarget:
    """The issue a change writes to."""

    id: str
    number: int
    can_reopen: bool = True
    """The writer may reopen it (it can write to the repository)."""
    reopened: bool = False
    state: str = "OPEN"
    created_at: str = ""
    updated_at: str = ""


@define
class Change:
    """One registered write and how far it got."""

    kind: ChangeKind
    object_id: str
    data: dict[str, Any] | None = None
    status: ChangeStatus = ChangeStatus.PENDING
    error: GitHubStoreError | None = None
    body: str | None = None
    comment: str | None = None
    key: str = ""
    issue: IssueTarget | None = None
    uid_label_id: str | None = None
    comment_id: str | None = None
    step: Step = Step.START
    parts: list[str] = field(factory=list)
    """Part comments of a large object (ghstore.domain.large), written with the labels."""
    initial: dict[str, Any] | None = None
    """What the initial-state comment records: the data, or a large object's stub."""
    target: str | None = None
    """The canonical id an update or delete acts on (the object_id, unless it is an alias)."""
    relocated: bool = False
    """An update that found its issue archived under it and was sent again to the live one."""
    collection: str | None = None
    """The collection a create puts the object in (its `collection:NAME` label)."""
    removals: list[tuple[str, ...]] = field(factory=list)
    """Keys an update deletes, as key paths (applied before its changes are merged)."""
    expected_version: int | None = None
    """The version the writer read: the update is refused if the object moved past it."""
    claim_id: str | None = None
    """The label claiming a create's id while it is made (ghstore.store.claims)."""
    labels: tuple[str, ...] = ()
    """A create's extra labels (gh-store 0.11's `extra_labels`), beside the store's own."""

    @classmethod
    def update_of(
        cls,
        object_id: str,
        changes: dict[str, Any],
        remove: Iterable[str | Sequence[str]] = (),
        expected_version: int | None = None,
    ) -> Change:
        """An update of `changes`, removing the keys `remove` names, against a version."""
        return cls(
            ChangeKind.UPDATE,
            object_id,
            changes,
            removals=key_paths(remove),
            expected_version=expected_version,
        )

    @property
    def canonical_id(self) -> str:
        """The id the change acts on: the target of an alias, else its own."""
        return self.target or self.object_id

    def fail(self, error: GitHubStoreError) -> None:
        """The change failed with `error` (the first failure is kept)."""
        if self.status != ChangeStatus.FAILED:
            self.status, self.error = ChangeStatus.FAILED, error

    def describe(self) -> str:
        """One line: what and where it stands."""
        reason = f": {self.error.message}" if self.error else ""
        return f"{self.kind} {self.object_id!r} {self.status}{reason}"
