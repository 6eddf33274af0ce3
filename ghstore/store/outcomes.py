"""What each answer of a write's stages means for its Change: how far it got, whether it
landed, and the few follow-up requests an answer calls for (archiving an issue that lost a
create, closing an archive an update reopened, archiving duplicates left under a UID)."""

from __future__ import annotations

import logging

from ..domain.format import ARCHIVED_LABEL
from ..exceptions import DuplicateUIDError, GitHubStoreError, ObjectNotFound, RemoteError
from ..github import answers, calls
from ..github.documents import Call
from ..github.gateway import CallOutcome
from .change import Change, ChangeStatus, IssueTarget, Step
from .context import StoreContext
from .identity import Located
from .write_plan import WritePlan

__all__ = ["StageOutcomes"]

log = logging.getLogger("ghstore")

ARCHIVE_ROUNDS = 5
"""Rounds of archiving the live objects an archive's answer says still hold the UID label."""


class StageOutcomes:
    """Applies the answers of each stage to the changes that sent them."""

    def __init__(self, ctx: StoreContext, plan: WritePlan) -> None:
        self.ctx = ctx
        self.plan = plan
        self.labels = ctx.issues.labels

    # -- stage 1 -------------------------------------------------------------------------------
    async def after_first(self, change: Change, call: Call, outcome: CallOutcome) -> None:
        """A create's label or bare issue; an update's comment or reopen; an archive."""
        if change.status == ChangeStatus.FAILED:
            return
        if call.name == "CreateLabel":
            if outcome.data is not None:
                change.uid_label_id = answers.created_label(outcome.data)[1]
            return
        if outcome.error is not None:
            if call.name == "ReopenIssue" and change.step == Step.ISSUE_MADE:
                # The comment landed and cannot be taken back; GitHub's comment event still
                # runs the processor on it. Only the reopen failed.
                change.status = ChangeStatus.LANDED
                return
            change.fail(self._object_error(change, outcome.error))
            return
        assert outcome.data is not None
        if call.name == "CreateIssue":
            made = answers.created_issue(outcome.data)
            change.issue = IssueTarget(
                made.id, made.number, created_at=made.created_at, updated_at=made.updated_at
            )
            if change.uid_label_id is None and not await self._id_is_free(change):
                return
            change.step, change.status = Step.ISSUE_MADE, ChangeStatus.PENDING
        elif call.name == "AddComment":
            # Landed only once the issue is reopened too (or cannot be): a comment on a
            # closed issue waits for a sweep that looks at open issues only.
            change.step = Step.ISSUE_MADE
            assert change.issue is not None
            if not change.issue.can_reopen:
                change.status = ChangeStatus.LANDED
        elif call.name == "ReopenIssue":
            await self._reopened(change, answers.reopened_labels(outcome.data))
        elif call.name == "ArchiveObject":
            await self._archive_rest(change, answers.archive_leftovers(outcome.data))

    async def _reopened(self, change: Change, labels: tuple[str, ...]) -> None:
        assert change.issue is not None
        still = self.labels.base in labels and self.labels.uid(change.canonical_id) in labels
        if not still:  # archived by another writer since it was looked up
            await self._moved(change)
            return
        change.issue.reopened = True
        self.ctx.identity.mark_open(change.canonical_id)
        if change.step == Step.ISSUE_MADE:
            change.status = ChangeStatus.LANDED

    async def _moved(self, change: Change) -> None:
        """The update reopened an issue that is no object any more: close it again, and send
        the update where the object lives now, once; the stray comment stays on the archive,
        where nothing applies it."""
        assert change.issue is not None
        try:
            await self.ctx.issues.send(calls.close_issue(change.issue.id), idempotent=True)
        except RemoteError as exc:  # best effort: an archive left open is not an object
            log.warning(
                "could not close archived issue #%s again: %s", change.issue.number, exc.message
            )
        self.ctx.identity.forget(change.canonical_id, change.object_id)
        if change.relocated:
            change.fail(
                ObjectNotFound(
                    f"object {change.object_id!r} was archived while the update was sent",
                    object_id=change.object_id,
                )
            )
            return
        change.relocated = True
        change.issue, change.uid_label_id, change.target = None, None, None
        change.step, change.status = Step.START, ChangeStatus.PENDING

    async def _archive_rest(self, change: Change, leftovers: list[str]) -> None:
        """After an archive: live objects still holding the UID label (a stale lookup, or
        duplicates) are the object too, and are archived as well."""
        names = [ARCHIVED_LABEL, self.labels.namespace]
        ids = dict(zip(names, await self.ctx.issues.label_ids(*names), strict=True))
        for _ in range(ARCHIVE_ROUNDS):
            if not leftovers:
                break
            archive = [self.plan.archive_call(change, issue_id, ids) for issue_id in leftovers]
            outcomes = await self.ctx.issues.gateway.mutate(archive, idempotent=True)
            errors = [o.error for o in outcomes if o.error is not None]
            if errors:
                change.fail(errors[0])
                return
            assert outcomes[-1].data is not None
            leftovers = answers.archive_leftovers(outcomes[-1].data)
        change.status = ChangeStatus.LANDED
        self.ctx.identity.forget(change.canonical_id, change.object_id)

    def _object_error(self, change: Change, error: RemoteError) -> GitHubStoreError:
        if answers.is_not_found(error):
            self.ctx.identity.forget(change.object_id)
            return ObjectNotFound(
                f"no stored object {change.object_id!r} in {self.ctx.repo}",
                object_id=change.object_id,
            )
        return error

    async def _id_is_free(self, change: Change) -> bool:
        """CreateLabel said the UID label exists: fine if only archived objects hold it
        (else the new issue is abandoned and the change fails)."""
        assert change.issue is not None
        found = (await self.ctx.issues.find(change.object_id)).label
        wanted = self.labels.uid(change.object_id)
        if found is not None and found.name != wanted:
            # GitHub's label names ignore case: UID:Alice is UID:alice, so the id is taken.
            await self.abandon(change.issue.id, None)
            change.fail(
                DuplicateUIDError(
                    f"object id {change.object_id!r} clashes with the label {found.name!r}: "
                    "GitHub's label names ignore case, so ids that differ only in case are "
                    "one id",
                    object_id=change.object_id,
                )
            )
            return False
        if found is None or found.live:
            await self.abandon(change.issue.id, found.id if found else None)
            number = found.live[0].number if found and found.live else "?"
            change.fail(
                DuplicateUIDError(
                    f"object {change.object_id!r} already exists (issue #{number})",
                    object_id=change.object_id,
                )
            )
            return False
        change.uid_label_id = found.id
        return True

    async def abandon(self, issue_id: str, uid_label_id: str | None) -> None:
        """Archive an issue that lost a create: closed, labelled archived, never an object."""
        archived, namespace = await self.ctx.issues.label_ids(ARCHIVED_LABEL, self.labels.namespace)
        labels = [archived, namespace] + ([uid_label_id] if uid_label_id else [])
        await self.ctx.issues.send(calls.set_labels_and_close(issue_id, labels), idempotent=True)

    # -- stages 2 and 3 ----------------------------------------------------------------------
    async def after_second(self, change: Change, call: Call, outcome: CallOutcome) -> None:
        """A create's parts, labels and close (with the duplicate check), initial state."""
        if change.status == ChangeStatus.FAILED:
            return
        if outcome.error is not None:
            change.fail(outcome.error)
            return
        assert outcome.data is not None and change.issue is not None
        if call.name == "SettleNewObject":
            state, updated_at, live = answers.settled_new(outcome.data)
            change.issue.state = state
            change.issue.updated_at = updated_at or change.issue.updated_at
            if live > 1:
                await self.abandon(change.issue.id, change.uid_label_id)
                change.fail(
                    DuplicateUIDError(
                        f"object {change.object_id!r} was created by another writer "
                        "at the same time",
                        object_id=change.object_id,
                    )
                )
        elif call.name == "AddComment" and call.variables["body"] == change.comment:
            change.comment_id = answers.added_comment(outcome.data)
            change.step = Step.SETTLED

    async def after_third(self, change: Change, call: Call, outcome: CallOutcome) -> None:
        """A create's reactions: after the initial-state mark it is done."""
        if call.name == "DeleteLabel":
            return  # its id claim: a claim that stays only expires later
        if outcome.error is not None:
            change.fail(outcome.error)
            return
        if change.status == ChangeStatus.FAILED or not self.plan.is_initial_mark(call):
            return
        change.step, change.status = Step.MARKED, ChangeStatus.LANDED
        assert change.issue is not None and change.uid_label_id is not None
        self.ctx.identity.remember(
            change.object_id,
            Located(change.issue.id, change.issue.number, "CLOSED", change.uid_label_id, True),
        )
