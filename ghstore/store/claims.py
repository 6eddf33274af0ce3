"""Unique ids without junk: a create claims its id with a label before any issue is made.

A label name is unique in a repository, so creating `ghstore-claim:{hash of the id}` is an
atomic test-and-set: of N writers creating one id at once exactly one holds the claim, and
the others get DuplicateUIDError before they open an issue. The claim's answer also says
whether a live object holds the id's UID label already (a duplicate of an existing id is
refused there, with no issue made) or only archived ones do (create after delete works).
The claim is deleted with the create's last request; one left by a writer that died expires
(its description holds the expiry) and the next create of the id breaks it.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable

from ..exceptions import DuplicateUIDError, GitHubStoreError, GitHubUnavailable, RemoteError
from ..github import answers, calls
from ..github.documents import Call
from .change import Change, ChangeStatus, Step
from .context import StoreContext

__all__ = ["CLAIM_SECONDS", "IdClaims", "claim_name"]

log = logging.getLogger("ghstore")

CLAIM_ROUNDS = 3
"""Claim requests at most: a claim broken as stale (or lost with its answer) is made again."""
CLAIM_SECONDS = 600
"""How long a claim holds an id: far longer than a create takes, short enough that an id
whose creator died is free again soon."""


def claim_name(object_id: str) -> str:
    """The label claiming an id (hashed: ids are case-sensitive, label names are not, and
    the name must fit GitHub's 50 characters)."""
    return "ghstore-claim:" + hashlib.sha256(object_id.encode()).hexdigest()[:32]


def _expiry(description: str | None) -> float:
    for part in (description or "").split(";"):
        words = part.split()
        if len(words) == 2 and words[0] == "expires" and words[1].isdigit():
            return float(words[1])
    return 0.0


class IdClaims:
    """Takes and releases the id claims of one writer's creates."""

    def __init__(self, ctx: StoreContext, clock: Callable[[], float] = time.time) -> None:
        self.ctx = ctx
        self.clock = clock
        self.writer = uuid.uuid4().hex[:12]

    def description(self) -> str:
        """What this writer's claim says: its expiry and the writer."""
        expires = int(self.clock() + CLAIM_SECONDS)
        return f"ghstore create claim; expires {expires}; writer {self.writer}"

    async def take(self, creates: list[Change]) -> None:
        """Claim the id of every create not yet claimed (one request); a create whose id is
        taken, or being created by another writer, fails with DuplicateUIDError."""
        todo = [c for c in creates if c.claim_id is None and c.step == Step.START]
        for attempt in range(CLAIM_ROUNDS):  # later rounds: claims broken as stale or lost
            if not todo:
                return
            repository_id = (await self.ctx.issues.context()).repository_id
            sent = [self._call(repository_id, c) for c in todo]
            try:
                outcomes = await self.ctx.issues.gateway.mutate(sent)
            except GitHubUnavailable:
                if attempt == CLAIM_ROUNDS - 1:
                    raise
                # Whether the claims landed is unknown: those that did are ours to break.
                todo = [c for c in todo if await self._broke_stale(c)]
                continue
            again = []
            for change, outcome in zip(todo, outcomes, strict=True):
                if outcome.error is None:
                    assert outcome.data is not None
                    self._claimed(change, answers.claimed_from(outcome.data))
                elif answers.is_name_taken(outcome.error) and attempt < CLAIM_ROUNDS - 1:
                    if await self._broke_stale(change):
                        again.append(change)
                else:
                    change.fail(self._refusal(change, outcome.error))
            todo = again

    def _call(self, repository_id: str, change: Change) -> Call:
        labels = self.ctx.issues.labels
        return calls.claim_object_id(
            repository_id,
            claim_name(change.object_id),
            self.description(),
            labels.uid(change.object_id),
            labels.base,
        )

    def _claimed(self, change: Change, found: answers.Claimed) -> None:
        change.claim_id = found.claim_id
        wanted = self.ctx.issues.labels.uid(change.object_id)
        if found.uid_label_name is not None and found.uid_label_name != wanted:
            change.fail(
                DuplicateUIDError(
                    f"object id {change.object_id!r} clashes with the label "
                    f"{found.uid_label_name!r}: GitHub's label names ignore case, so ids that "
                    "differ only in case are one id",
                    object_id=change.object_id,
                )
            )
        elif found.live:
            change.fail(
                DuplicateUIDError(
                    f"object {change.object_id!r} already exists (issue #{found.live_number})",
                    object_id=change.object_id,
                )
            )
        elif found.uid_label_id is not None:
            change.uid_label_id = found.uid_label_id  # only archived objects held it

    async def _broke_stale(self, change: Change) -> bool:
        """The claim label exists: break it if it is this writer's own (an answer was lost)
        or expired, and say so; else the id is being created by another writer."""
        held = await self.ctx.issues.label(claim_name(change.object_id))
        if held is None:
            return True  # released since: claim again
        mine = f"writer {self.writer}" in (held.description or "")
        if mine or _expiry(held.description) <= self.clock():
            log.warning(
                "breaking the claim on id %r: %s", change.object_id, "ours" if mine else "expired"
            )
            await self.release_ids([held.id])
            return True
        change.fail(
            DuplicateUIDError(
                f"object {change.object_id!r} is being created by another writer at this moment",
                object_id=change.object_id,
            )
        )
        return False

    def _refusal(self, change: Change, error: RemoteError) -> GitHubStoreError:
        if answers.is_name_taken(error):
            return DuplicateUIDError(
                f"object {change.object_id!r} is being created by another writer at this moment",
                object_id=change.object_id,
            )
        return error

    async def release(self, changes: list[Change]) -> None:
        """Delete the claims of creates that are over (landed or failed), in one request."""
        over = [
            c
            for c in changes
            if c.claim_id is not None and c.status in (ChangeStatus.LANDED, ChangeStatus.FAILED)
        ]
        ids = [c.claim_id for c in over if c.claim_id is not None]
        for change in over:
            change.claim_id = None
        await self.release_ids(ids)

    async def release_ids(self, ids: list[str]) -> None:
        """Delete claim labels (gone already: fine; a failure only delays the id's reuse
        until the claim expires)."""
        if not ids:
            return
        try:
            await self.ctx.issues.gateway.mutate(
                [calls.delete_label(i) for i in ids], idempotent=True
            )
        except GitHubStoreError as exc:
            log.warning("claims left to expire: %s", exc.message)
