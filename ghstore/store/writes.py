"""The write engine: creates, updates and deletes sent in as few requests as GraphQL allows.

Both the Store's single writes and the UnitOfWork go through here. Stages (each one request,
or a few when the batch is large):

0. for every create the claim of its id (ghstore.store.claims): a duplicate, or a create
   another writer is making at this moment, fails here, before any issue is made;
1. for every create its UID label and its bare issue; every update's comment and reopen;
   every delete's archive;
2. for every create: labels + close in one call whose answer lists the live objects holding
   the UID label (more than one: a concurrent create of the same id, which then backs out),
   and the initial-state comment;
3. for every create: the processed and initial-state reactions on that comment, and the
   release of its claim.

A change remembers how far it got, so committing again after a failure resumes it and never
repeats a step that landed; a request whose outcome is unknown is checked (`verify`) before
anything in it is sent again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..domain.collections import collection_label
from ..domain.format import ARCHIVED_LABEL
from ..domain.verdicts import WRITE_PERMISSIONS
from ..exceptions import (
    AccessDeniedError,
    ConcurrentUpdateError,
    GitHubStoreError,
    GitHubUnavailable,
)
from ..github.documents import Call
from ..github.gateway import CallOutcome
from ..github.recovery import what_landed
from .change import Change, ChangeKind, ChangeStatus, IssueTarget, Step
from .claims import IdClaims
from .context import StoreContext
from .outcomes import StageOutcomes
from .write_plan import WritePlan

__all__ = ["WriteEngine", "write"]

AfterCall = Callable[[Change, Call, CallOutcome], Awaitable[None]]
_LIVE = (ChangeStatus.PENDING, ChangeStatus.UNKNOWN)


class WriteEngine:
    """Runs Changes against one store."""

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx
        self.plan = WritePlan(ctx.issues.labels, ctx.config.store)
        self.outcomes = StageOutcomes(ctx, self.plan)
        self.claims = IdClaims(ctx)

    def prepare(self, change: Change) -> None:
        """Validate and encode a change before anything is sent; raise on bad input."""
        self.plan.prepare(change)

    async def run(self, changes: list[Change], *, follow: bool = True) -> None:
        """Send every pending change; each ends landed, failed or unknown. `follow`: send
        updates whose issue was archived under them once more, to the live object."""
        live = [c for c in changes if c.status in _LIVE]
        if not live:
            return
        await self._check_access(live)
        await self._check_versions(live)
        self._check_content(live)
        creates = [c for c in live if c.kind == ChangeKind.CREATE]
        try:
            await self.claims.take(creates)
            await self._stages(live, creates)
        finally:
            await self.claims.release(creates)
        updates = [c for c in live if c.kind == ChangeKind.UPDATE]
        if self.ctx.on_reopened is not None:
            for change in updates:
                if change.status == ChangeStatus.LANDED and change.issue and change.issue.reopened:
                    await self.ctx.on_reopened(change.issue.number)
        moved = [c for c in updates if c.status == ChangeStatus.PENDING and c.relocated]
        if moved and follow:  # their issue was archived under them: once more, where it is now
            await self.run(moved, follow=False)

    def _check_content(self, live: list[Change]) -> None:
        """A wait for GitHub's content limit too long to make is refused before anything is
        sent, never met half-way through the commit."""
        gateway = self.ctx.issues.gateway
        per_request = min(gateway.batch_size, gateway.limits.content_per_minute or 10**9)
        gateway.check_content(self.plan.content_requests(live, per_request))

    async def _stages(self, live: list[Change], creates: list[Change]) -> None:
        """The three stages of the writes (see the module's docstring)."""
        await self._locate([c for c in live if c.kind != ChangeKind.CREATE and c.issue is None])
        live = [c for c in live if c.status != ChangeStatus.FAILED]
        creates = [c for c in creates if c.status != ChangeStatus.FAILED]
        repository_id, label_ids = await self._ids_for(live)
        plan, after = self.plan, self.outcomes
        first = [(c, call) for c in live for call in plan.first_calls(c, repository_id, label_ids)]
        await self._send(first, after.after_first)
        second = [
            (c, call)
            for c in creates
            if c.step == Step.ISSUE_MADE
            for call in plan.second_calls(c, label_ids)
        ]
        await self._send(second, after.after_second)
        third = [
            (c, call) for c in creates if c.step == Step.SETTLED for call in plan.third_calls(c)
        ]
        released = [c for c in creates if c.step == Step.SETTLED and c.claim_id is not None]
        third += [(c, self.plan.release_call(c)) for c in released]
        await self._send(third, after.after_third)
        for change in released:  # sent with the marks: done, whatever its answer
            change.claim_id = None

    async def _ids_for(self, changes: list[Change]) -> tuple[str, dict[str, str]]:
        """The repository id and the label ids creates and deletes need (updates need none)."""
        kinds = {c.kind for c in changes}
        if not kinds & {ChangeKind.CREATE, ChangeKind.DELETE}:
            return "", {}
        labels = self.ctx.issues.labels
        needs = [labels.base, labels.namespace]
        if ChangeKind.DELETE in kinds:
            needs.append(ARCHIVED_LABEL)
        collections = {c.collection for c in changes if c.kind == ChangeKind.CREATE}
        needs += sorted(collection_label(n) for n in collections if n is not None)
        needs += sorted({n for c in changes for n in c.labels} - set(needs))
        ids = dict(zip(needs, await self.ctx.issues.label_ids(*needs), strict=True))
        return (await self.ctx.issues.context()).repository_id, ids

    async def _check_access(self, changes: list[Change]) -> None:
        """Creates and deletes need write access: a token GitHub says has less (READ,
        TRIAGE) has them all refused before anything is sent -- GitHub lets anyone open an
        issue, which would be left behind half-made. (An unknown permission, as some app
        tokens show, is left for GitHub to judge.)"""
        kinds = sorted({c.kind for c in changes} - {ChangeKind.UPDATE})
        if not kinds:
            return
        ctx = await self.ctx.issues.context()
        if ctx.permission is not None and ctx.permission not in WRITE_PERMISSIONS:
            raise AccessDeniedError(
                f"{ctx.viewer} may not {' or '.join(kinds)} objects in {self.ctx.repo}: "
                f"the token has {ctx.permission} access, and writing needs "
                "WRITE, MAINTAIN or ADMIN; nothing was sent"
            )

    async def _check_versions(self, changes: list[Change]) -> None:
        """Updates written against a version: read each object (pending authorized updates
        folded in, as the processor will fold them) and refuse the whole batch, before
        anything is sent, if one has moved past the version its writer read."""
        for change in changes:
            if change.expected_version is None or change.step != Step.START:
                continue
            current = (await self.ctx.reads.get(change.object_id)).meta.version
            if current != change.expected_version:
                raise ConcurrentUpdateError(
                    f"object {change.object_id!r} is at version {current}, not "
                    f"{change.expected_version} as the update expects: another writer changed "
                    "it; read it again and reapply the change",
                    object_id=change.object_id,
                    expected=change.expected_version,
                    actual=current,
                )

    async def _locate(self, changes: list[Change]) -> None:
        """Find the issues of updates and deletes: from the identity map, else all in one
        request (aliases and merges followed)."""
        missing = []
        for change in changes:
            found = self.ctx.identity.get(change.object_id)
            if found is None:
                missing.append(change)
            else:
                change.issue = IssueTarget(found.node_id, found.number, found.can_reopen)
                change.uid_label_id = found.uid_label_id
        if not missing:
            return
        lookups = await self.ctx.issues.find_many([c.object_id for c in missing])
        for change, lookup in zip(missing, lookups, strict=True):
            try:
                canonical, found = await self.ctx.reads.locate(change.object_id, first=lookup)
            except GitHubStoreError as exc:  # not found, or aliases that cannot be followed
                change.status, change.error = ChangeStatus.FAILED, exc
                continue
            change.target = canonical
            change.issue = IssueTarget(found.node_id, found.number, found.can_reopen)
            change.uid_label_id = found.uid_label_id

    async def _send(self, pairs: list[tuple[Change, Call]], after: AfterCall) -> None:
        if not pairs:
            return
        try:
            await self._send_unguarded(pairs, after)
        except BaseException:
            # Anything but GitHubUnavailable (a rate limit met while checking what landed, a
            # refusal, the task cancelled): what the request did is not known, so nothing in
            # it may be sent again before it is looked up.
            for change, _ in pairs:
                if change.status == ChangeStatus.PENDING:
                    change.status = ChangeStatus.UNKNOWN
            raise

    async def _send_unguarded(self, pairs: list[tuple[Change, Call]], after: AfterCall) -> None:
        pairs = await self._settle_unknown(pairs, after)
        if not pairs:
            return
        sent = [call for _, call in pairs]
        try:
            outcomes = await self.ctx.issues.gateway.mutate(sent, verify=self.verify)
        except GitHubUnavailable as exc:
            landed = {id(o.call): o for o in exc.landed}
            for change, call in pairs:
                if id(call) not in landed:
                    change.status, change.error = ChangeStatus.UNKNOWN, exc
            for change, call in pairs:
                if id(call) in landed:
                    await after(change, call, landed[id(call)])
            return
        for (change, call), outcome in zip(pairs, outcomes, strict=True):
            await after(change, call, outcome)

    async def _settle_unknown(
        self, pairs: list[tuple[Change, Call]], after: AfterCall
    ) -> list[tuple[Change, Call]]:
        """Calls of changes whose last request had an unknown outcome are looked up first:
        those that landed are applied, and only the rest is returned to be sent."""
        unsure = [(c, call) for c, call in pairs if c.status == ChangeStatus.UNKNOWN]
        if not unsure:
            return pairs
        found = await self.verify([call for _, call in unsure])
        for position, data in found.items():
            change, call = unsure[position]
            if change.status == ChangeStatus.UNKNOWN:  # never revive one an earlier call failed
                change.status = ChangeStatus.PENDING
            await after(change, call, CallOutcome(call, data, None))
        landed_calls = {id(unsure[p][1]) for p in found}
        pairs = [(c, call) for c, call in pairs if id(call) not in landed_calls]
        for change, _ in pairs:
            if change.status == ChangeStatus.UNKNOWN:
                change.status = ChangeStatus.PENDING
        return pairs

    async def verify(self, sent: list[Call]) -> dict[int, dict[str, Any]]:
        """Which of these calls landed (ghstore.github.recovery)."""
        return await what_landed(self.ctx.issues, sent)


async def write(ctx: StoreContext, change: Change) -> Change:
    """Send one change; return it landed, or raise its error (GitHubUnavailable when its
    outcome is unknown)."""
    engine = WriteEngine(ctx)
    engine.prepare(change)
    await engine.run([change])
    if change.status != ChangeStatus.LANDED:
        if change.error is not None:
            raise change.error
        raise GitHubUnavailable(f"{change.describe()}: the outcome is unknown")
    return change
