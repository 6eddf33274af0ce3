"""What a write sends: the Change a caller registers, validated and encoded before any
request, and the GraphQL calls of each of its stages (see ghstore.writes for the stages)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from attrs import define, field

from .config import REACTION_CONTENT
from .documents import Call
from .exceptions import (
    GitHubStoreError,
    InvalidUpdate,
)
from .format import (
    ARCHIVED_LABEL,
    LABEL_COLORS,
    title_for,
    update_comment,
    validate_object_id,
)
from .large import encode_object

if TYPE_CHECKING:
    from .store import Store

__all__ = ["Change", "WritePlan"]


@define
class Change:
    """One registered write and how far it got."""

    kind: str
    """"create", "update" or "delete"."""
    object_id: str
    data: dict[str, Any] | None = None
    status: str = "pending"
    """"pending", "landed", "failed" or "unknown" (sent, outcome not known)."""
    error: GitHubStoreError | None = None
    body: str | None = None
    comment: str | None = None
    key: str = ""
    issue: dict[str, Any] | None = None
    uid_label_id: str | None = None
    comment_id: str | None = None
    step: int = 0
    parts: list[str] = field(factory=list)
    """Part comments of a large object (ghstore.large), written with the labels."""
    initial: dict[str, Any] | None = None
    """What the initial-state comment records: the data, or a large object's stub."""
    target: str | None = None
    """The canonical id an update or delete acts on (the object_id, unless it is an alias)."""
    relocated: bool = False
    """An update that found its issue archived under it and was sent again to the live one."""

    def describe(self) -> str:
        """One line: what and where it stands."""
        reason = f": {self.error.message}" if self.error else ""
        return f"{self.kind} {self.object_id!r} {self.status}{reason}"


class WritePlan:
    """Builds the calls of Changes against one Store; sends nothing."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- preparation (no requests) ---------------------------------------------------------
    def prepare(self, change: Change) -> None:
        """Validate and encode a change before anything is sent; raise on bad input."""
        store = self.store
        validate_object_id(change.object_id, store.labels)
        change.key = change.key or uuid.uuid4().hex
        if change.kind in ("create", "update") and not isinstance(change.data, dict):
            what = "object data" if change.kind == "create" else f"changes to {change.object_id!r}"
            raise InvalidUpdate(
                f"{what} must be a JSON object, got {type(change.data).__name__}",
                object_id=change.object_id,
            )
        if change.kind == "create":
            assert change.data is not None
            encoded = encode_object(change.data, change.object_id, store.config.store.max_parts)
            change.body, change.parts = encoded.body, encoded.parts
            # a large object's initial-state comment records its stub, not the whole data
            change.initial = encoded.stub or change.data
            # the initial-state comment, sized now; its issue number is filled in later
            update_comment(
                change.initial, 0, change.object_id, initial=True, idempotency_key=change.key
            )
        elif change.kind == "update":
            assert change.data is not None
            update_comment(change.data, 0, change.object_id, idempotency_key=change.key)

    # -- the calls of each stage ------------------------------------------------------------
    def _first_calls(
        self, change: Change, repository_id: str, labels: dict[str, str]
    ) -> list[Call]:
        store = self.store
        if change.kind == "create" and change.step == 0:
            calls = []
            if change.uid_label_id is None:
                calls.append(
                    Call(
                        "CreateLabel",
                        {
                            "repositoryId": repository_id,
                            "name": store.labels.uid(change.object_id),
                            "color": LABEL_COLORS["default"],
                        },
                    )
                )
            calls.append(
                Call(
                    "CreateIssue",
                    {
                        "repositoryId": repository_id,
                        "title": title_for(change.object_id),
                        "body": change.body,
                        "labelIds": [],
                    },
                )
            )
            return calls
        if change.kind == "update" and change.issue is not None:
            assert change.data is not None
            calls = []
            if change.step == 0:  # step 1: the comment landed, only the reopen is left
                change.comment = update_comment(
                    change.data,
                    change.issue["number"],
                    change.object_id,
                    idempotency_key=change.key,
                )
                calls.append(
                    Call("AddComment", {"subjectId": change.issue["id"], "body": change.comment})
                )
            if change.issue.get("can_reopen", True):
                calls.append(Call("ReopenIssue", {"issueId": change.issue["id"]}))
            return calls
        if change.kind == "delete" and change.issue is not None:
            return [self._archive_call(change, change.issue["id"], labels)]
        return []

    def _archive_call(self, change: Change, issue_id: str, labels: dict[str, str]) -> Call:
        store = self.store
        wanted = [labels[ARCHIVED_LABEL], labels[store.labels.namespace], change.uid_label_id]
        return Call(
            "ArchiveObject",
            {
                "id": issue_id,
                "labelIds": wanted,
                "uidLabel": store.labels.uid(change.target or change.object_id),
                "baseLabel": store.labels.base,
            },
        )

    def _second_calls(self, change: Change, labels: dict[str, str]) -> list[Call]:
        store = self.store
        assert change.issue is not None and change.data is not None
        initial = update_comment(
            change.initial or change.data,
            change.issue["number"],
            change.object_id,
            initial=True,
            idempotency_key=change.key,
        )
        change.comment = initial
        # A large object's parts land before the labels make it visible.
        parts = [
            Call("AddComment", {"subjectId": change.issue["id"], "body": p}) for p in change.parts
        ]
        return [
            *parts,
            Call(
                "SettleNewObject",
                {
                    "id": change.issue["id"],
                    "labelIds": [
                        labels[store.labels.base],
                        labels[store.labels.namespace],
                        change.uid_label_id,
                    ],
                    "uidLabel": store.labels.uid(change.object_id),
                    "baseLabel": store.labels.base,
                },
            ),
            Call("AddComment", {"subjectId": change.issue["id"], "body": initial}),
        ]

    def _third_calls(self, change: Change) -> list[Call]:
        reactions = self.store.config.store.reactions
        return [
            Call(
                "AddReaction",
                {"subjectId": change.comment_id, "content": REACTION_CONTENT[reactions.processed]},
            ),
            Call(
                "AddReaction",
                {
                    "subjectId": change.comment_id,
                    "content": REACTION_CONTENT[reactions.initial_state],
                },
            ),
        ]
