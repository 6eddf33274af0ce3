"""What a write sends: a Change validated and encoded before any request, and the GraphQL
calls of each of its stages (see ghstore.store.writes for the stages). Pure: sends nothing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from ..config import REACTION_CONTENT, StoreConfig
from ..domain.collections import collection_label
from ..domain.format import (
    ARCHIVED_LABEL,
    LABEL_COLORS,
    LABEL_NAME_LIMIT,
    Labels,
    refuse_reserved,
    title_for,
    update_comment,
    validate_object_id,
)
from ..domain.large import encode_object
from ..exceptions import InvalidUpdate
from ..github import calls
from ..github.documents import Call
from .change import Change, ChangeKind, Step

__all__ = ["WritePlan"]


class WritePlan:
    """Builds the calls of Changes for one store's labels and configuration."""

    def __init__(self, labels: Labels, config: StoreConfig) -> None:
        self.labels = labels
        self.config = config

    # -- preparation (no requests) ---------------------------------------------------------
    def prepare(self, change: Change) -> None:
        """Validate and encode a change before anything is sent; raise on bad input."""
        validate_object_id(change.object_id, self.labels)
        change.key = change.key or uuid.uuid4().hex
        if change.kind != ChangeKind.DELETE and not isinstance(change.data, dict):
            what = (
                "object data"
                if change.kind == ChangeKind.CREATE
                else f"changes to {change.object_id!r}"
            )
            raise InvalidUpdate(
                f"{what} must be a JSON object, got {type(change.data).__name__}",
                object_id=change.object_id,
            )
        if change.data is not None:
            refuse_reserved(change.data, change.object_id)
        if change.kind == ChangeKind.CREATE:
            assert change.data is not None
            self._check_extra_labels(change)
            encoded = encode_object(change.data, change.object_id, self.config.max_parts)
            change.body, change.parts = encoded.body, encoded.parts
            # a large object's initial-state comment records its stub, not the whole data
            change.initial = encoded.stub or change.data
            # the initial-state comment, sized now; its issue number is filled in later
            update_comment(
                change.initial, 0, change.object_id, initial=True, idempotency_key=change.key
            )
            if change.collection is not None:
                collection_label(change.collection)  # a name that cannot be a label fails here
        elif change.kind == ChangeKind.UPDATE:
            self.comment_of(change, 0)

    def comment_of(self, change: Change, issue_number: int) -> str:
        """An update's comment: its changes, removals and expected version."""
        assert change.data is not None
        return update_comment(
            change.data,
            issue_number,
            change.object_id,
            idempotency_key=change.key,
            removals=change.removals,
            expected_version=change.expected_version,
        )

    def _check_extra_labels(self, change: Change) -> None:
        """Extra labels must be label names and must not pose as the store's own."""
        own = {self.labels.base, self.labels.namespace, ARCHIVED_LABEL}
        for name in change.labels:
            why = None
            if not isinstance(name, str) or not name.strip() or name != name.strip():
                why = "is not a label name (empty, or padded with white space)"
            elif len(name) > LABEL_NAME_LIMIT:
                why = f"is longer than GitHub's {LABEL_NAME_LIMIT} characters"
            elif name in own or self.labels.object_id(name) is not None:
                why = "is one of the store's own labels"
            if why:
                raise InvalidUpdate(
                    f"extra label {name!r} of {change.object_id!r} {why}",
                    object_id=change.object_id,
                )

    # -- GitHub's limit on creating content --------------------------------------------------
    @staticmethod
    def content_requests(changes: Sequence[Change], per_request: int) -> list[int]:
        """How many issues and comments the requests sending these changes create, request
        by request as far as it can be told before sending: stage 1 (a create's issue, an
        update's comment), then stage 2 (a create's parts and initial-state comment)."""
        first = [
            1
            for c in changes
            if c.step == Step.START and c.kind in (ChangeKind.CREATE, ChangeKind.UPDATE)
        ]
        second = [
            len(c.parts) + 1
            for c in changes
            if c.kind == ChangeKind.CREATE and c.step in (Step.START, Step.ISSUE_MADE)
        ]
        return [*_packed(first, per_request), *_packed(second, per_request)]

    # -- the calls of each stage ------------------------------------------------------------
    def first_calls(
        self, change: Change, repository_id: str, labels: Mapping[str, str]
    ) -> list[Call]:
        """Stage 1: a create's UID label and bare issue; an update's comment and reopen; a
        delete's archive."""
        if change.kind == ChangeKind.CREATE and change.step == Step.START:
            made = []
            if change.uid_label_id is None:
                uid = self.labels.uid(change.object_id)
                made.append(calls.create_label(repository_id, uid, LABEL_COLORS["default"]))
            assert change.body is not None
            made.append(calls.create_issue(repository_id, title_for(change.object_id), change.body))
            return made
        if change.kind == ChangeKind.UPDATE and change.issue is not None:
            assert change.data is not None
            made = []
            if change.step == Step.START:  # ISSUE_MADE: the comment landed, the reopen is left
                change.comment = self.comment_of(change, change.issue.number)
                made.append(calls.add_comment(change.issue.id, change.comment))
            if change.issue.can_reopen:
                made.append(calls.reopen_issue(change.issue.id))
            return made
        if change.kind == ChangeKind.DELETE and change.issue is not None:
            return [self.archive_call(change, change.issue.id, labels)]
        return []

    def archive_call(self, change: Change, issue_id: str, labels: Mapping[str, str]) -> Call:
        """Archive one issue of the change's object: archived + namespace + UID, closed."""
        assert change.uid_label_id is not None
        return calls.archive_object(
            issue_id,
            [labels[ARCHIVED_LABEL], labels[self.labels.namespace], change.uid_label_id],
            self.labels.uid(change.canonical_id),
            self.labels.base,
        )

    def second_calls(self, change: Change, labels: Mapping[str, str]) -> list[Call]:
        """Stage 2 of a create: its parts, its labels and close, its initial-state comment."""
        assert change.issue is not None and change.data is not None
        assert change.uid_label_id is not None
        change.comment = update_comment(
            change.initial or change.data,
            change.issue.number,
            change.object_id,
            initial=True,
            idempotency_key=change.key,
        )
        names = [self.labels.base, self.labels.namespace]
        if change.collection is not None:
            names.append(collection_label(change.collection))
        names += [n for n in change.labels if n not in names]
        # A large object's parts land before the labels make it visible.
        return [
            *(calls.add_comment(change.issue.id, part) for part in change.parts),
            calls.settle_new_object(
                change.issue.id,
                [*(labels[n] for n in names), change.uid_label_id],
                self.labels.uid(change.object_id),
                self.labels.base,
            ),
            calls.add_comment(change.issue.id, change.comment),
        ]

    def third_calls(self, change: Change) -> list[Call]:
        """Stage 3 of a create: the processed and initial-state reactions on its comment."""
        assert change.comment_id is not None
        reactions = self.config.reactions
        return [
            calls.add_reaction(change.comment_id, REACTION_CONTENT[reactions.processed]),
            calls.add_reaction(change.comment_id, REACTION_CONTENT[reactions.initial_state]),
        ]

    def release_call(self, change: Change) -> Call:
        """The deletion of a create's id claim (ghstore.store.claims), sent with its marks."""
        assert change.claim_id is not None
        return calls.delete_label(change.claim_id)

    def is_initial_mark(self, call: Call) -> bool:
        """The initial-state reaction of stage 3 (the last call of a create)."""
        content = REACTION_CONTENT[self.config.reactions.initial_state]
        return call.name == "AddReaction" and call.variables["content"] == content


def _packed(counts: Sequence[int], per_request: int) -> list[int]:
    """Counts summed into requests of at most `per_request` (a larger count goes alone)."""
    requests: list[int] = []
    for count in counts:
        if requests and requests[-1] + count <= per_request:
            requests[-1] += count
        else:
            requests.append(count)
    return requests
