"""The identity map: where each object a store has met lives, so a write to it needs no lookup."""

from __future__ import annotations

from attrs import define

__all__ = ["IdentityMap", "Located"]


@define
class Located:
    """An object's live issue, as last seen."""

    node_id: str
    number: int
    state: str
    uid_label_id: str
    can_reopen: bool = True
    """The viewer may reopen the issue (it can write to the repository)."""


class IdentityMap:
    """Object id -> its live issue; forgotten when the object moves or is archived."""

    def __init__(self) -> None:
        self._located: dict[str, Located] = {}

    def get(self, object_id: str) -> Located | None:
        """Where the object lives, if known."""
        return self._located.get(object_id)

    def remember(self, object_id: str, located: Located) -> None:
        """The object lives here."""
        self._located[object_id] = located

    def forget(self, *object_ids: str) -> None:
        """Where these objects live is no longer known."""
        for object_id in object_ids:
            self._located.pop(object_id, None)

    def mark_open(self, object_id: str) -> None:
        """The object's issue was reopened."""
        located = self._located.get(object_id)
        if located is not None:
            located.state = "OPEN"
