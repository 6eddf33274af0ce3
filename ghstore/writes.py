"""The write engine: creates, updates and deletes sent in as few requests as GraphQL allows.

Both the Store's single writes and the UnitOfWork go through here. Stages (each one request,
or a few when the batch is large):

1. for every create its UID label and its bare issue; every update's comment and reopen;
   every delete's archive;
2. for every create: labels + close in one call whose answer lists the live objects holding
   the UID label (more than one: a concurrent create of the same id, which then backs out),
   and the initial-state comment;
3. for every create: the processed and initial-state reactions on that comment.

A change remembers how far it got, so committing again after a failure resumes it and never
repeats a step that landed; a request whose outcome is unknown is checked (`verify`) before
anything in it is sent again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .config import REACTION_CONTENT
from .documents import Call
from .exceptions import (
    AccessDeniedError,
    DuplicateUIDError,
    GitHubStoreError,
    ObjectNotFound,
    RemoteError,
)
from .format import (
    ARCHIVED_LABEL,
)
from .landed import landed
from .updates import WRITE_PERMISSIONS
from .write_plan import Change, WritePlan

if TYPE_CHECKING:
    from .gateway import CallOutcome

__all__ = ["Change", "WriteEngine"]

log = logging.getLogger("ghstore")


class WriteEngine(WritePlan):
    """Runs Changes against one Store."""

    # -- running ---------------------------------------------------------------------------
    async def run(self, changes: list[Change], *, follow: bool = True) -> None:
        """Send every pending change; each ends landed, failed or unknown. `follow`: send
        updates whose issue was archived under them once more, to the live object."""
        store = self.store
        live = [c for c in changes if c.status in ("pending", "unknown")]
        if not live:
            return
        await self._check_access(live)
        located = [c for c in live if c.kind in ("update", "delete") and c.issue is None]
        await self._locate(located)
        live = [c for c in live if c.status != "failed"]
        label_ids: dict[str, str] = {}
        repository_id = ""
        if any(c.kind in ("create", "delete") for c in live):  # updates need no ids
            needs = [store.labels.base, store.labels.namespace]
            if any(c.kind == "delete" for c in live):
                needs.append(ARCHIVED_LABEL)
            label_ids = dict(zip(needs, await store._label_ids(*needs), strict=True))
            repository_id = (await store._ctx()).repository_id
        first: list[tuple[Change, Call]] = []
        for change in live:
            first.extend(
                (change, call) for call in self._first_calls(change, repository_id, label_ids)
            )
        await self._send(first, self._after_first)
        second = [
            (c, call)
            for c in live
            if c.kind == "create" and c.step == 1
            for call in self._second_calls(c, label_ids)
        ]
        await self._send(second, self._after_second)
        third = [
            (c, call)
            for c in live
            if c.kind == "create" and c.step == 2
            for call in self._third_calls(c)
        ]
        await self._send(third, self._after_third)
        reopened = [
            c
            for c in live
            if c.kind == "update" and c.status == "landed" and c.issue and c.issue.get("reopened")
        ]
        if store.on_reopened is not None:
            for change in reopened:
                assert change.issue is not None
                await store.on_reopened(change.issue["number"])
        moved = [c for c in live if c.kind == "update" and c.status == "pending" and c.relocated]
        if moved and follow:  # their issue was archived under them: once more, where it is now
            await self.run(moved, follow=False)

    async def _check_access(self, changes: list[Change]) -> None:
        """Creates and deletes need write access: a token GitHub says has less (READ,
        TRIAGE) has them all refused before anything is sent -- GitHub lets anyone open an
        issue, which would be left behind half-made. (An unknown permission, as some app
        tokens show, is left for GitHub to judge.)"""
        if not any(c.kind in ("create", "delete") for c in changes):
            return
        ctx = await self.store._ctx()
        if ctx.permission is not None and ctx.permission not in WRITE_PERMISSIONS:
            kinds = sorted({c.kind for c in changes if c.kind in ("create", "delete")})
            raise AccessDeniedError(
                f"{ctx.viewer} may not {' or '.join(kinds)} objects in {self.store.repo}: "
                f"the token has {ctx.permission} access, and writing needs "
                "WRITE, MAINTAIN or ADMIN; nothing was sent"
            )

    async def _locate(self, changes: list[Change]) -> None:
        store = self.store
        cached = [c for c in changes if c.object_id in store._located]
        for change in cached:
            found = store._located[change.object_id]
            change.issue = {
                "id": found.node_id,
                "number": found.number,
                "can_reopen": found.can_reopen,
            }
            change.uid_label_id = found.uid_label_id
        missing = [c for c in changes if c.issue is None]
        if not missing:
            return
        answers = await store.gateway.query_many([store.find_call(c.object_id) for c in missing])
        for change, data in zip(missing, answers, strict=True):
            try:
                canonical, found = await store.locate(change.object_id, first=data)
            except GitHubStoreError as exc:  # not found, or aliases that cannot be followed
                change.status, change.error = "failed", exc
                continue
            change.target = canonical
            change.issue = {
                "id": found.node_id,
                "number": found.number,
                "can_reopen": found.can_reopen,
            }
            change.uid_label_id = found.uid_label_id

    async def _send(self, pairs: list[tuple[Change, Call]], after: Any) -> None:
        if not pairs:
            return
        try:
            await self._send_unguarded(pairs, after)
        except BaseException:
            # Anything but GitHubUnavailable (a rate limit met while checking what landed, a
            # refusal, the task cancelled): what the request did is not known, so nothing in
            # it may be sent again before it is looked up.
            for change, _ in pairs:
                if change.status == "pending":
                    change.status = "unknown"
            raise

    async def _send_unguarded(self, pairs: list[tuple[Change, Call]], after: Any) -> None:
        from .exceptions import GitHubUnavailable

        unsure = [(c, call) for c, call in pairs if c.status == "unknown"]
        if unsure:  # a previous commit does not know whether these landed: look first
            found = await self.verify([call for _, call in unsure])
            from .gateway import CallOutcome

            for position, data in found.items():
                change, call = unsure[position]
                if change.status == "unknown":  # never revive one an earlier call failed
                    change.status = "pending"
                await after(change, call, CallOutcome(call, data, None))
            landed_calls = {id(unsure[p][1]) for p in found}
            pairs = [(c, call) for c, call in pairs if id(call) not in landed_calls]
            for change, _ in pairs:
                if change.status == "unknown":
                    change.status = "pending"
            if not pairs:
                return
        calls = [call for _, call in pairs]
        try:
            outcomes = await self.store.gateway.mutate(calls, verify=self.verify)
        except GitHubUnavailable as exc:
            landed = {id(o.call): o for o in exc.landed}
            outcomes = [landed.get(id(call)) for call in calls]  # type: ignore[misc]
            for (change, _), outcome in zip(pairs, outcomes, strict=True):
                if outcome is None:
                    change.status, change.error = "unknown", exc
            for (change, call), outcome in zip(pairs, outcomes, strict=True):
                if outcome is not None:
                    await after(change, call, outcome)
            return
        for (change, call), outcome in zip(pairs, outcomes, strict=True):
            await after(change, call, outcome)

    @staticmethod
    def _fail(change: Change, error: GitHubStoreError) -> None:
        if change.status != "failed":
            change.status, change.error = "failed", error

    async def _after_first(self, change: Change, call: Call, outcome: CallOutcome) -> None:
        if change.status == "failed":
            return
        if call.name == "CreateLabel":
            if outcome.error is None:
                assert outcome.data is not None
                change.uid_label_id = outcome.data["createLabel"]["label"]["id"]
            return
        if outcome.error is not None:
            if call.name == "ReopenIssue" and change.step == 1:
                # The comment landed and cannot be taken back; GitHub's comment event still
                # runs the processor on it. Only the reopen failed.
                change.status = "landed"
                return
            self._fail(change, self._object_error(change, outcome.error))
            return
        assert outcome.data is not None
        if call.name == "CreateIssue":
            change.issue = dict(outcome.data["createIssue"]["issue"])
            if change.uid_label_id is None:
                await self._existing_label(change)
            if change.status != "failed":
                change.step, change.status = 1, "pending"
        elif call.name == "AddComment":
            # Landed only once the issue is reopened too (or cannot be): a comment on a
            # closed issue waits for a sweep that looks at open issues only.
            change.step = 1
            assert change.issue is not None
            if not change.issue.get("can_reopen", True):
                change.status = "landed"
        elif call.name == "ReopenIssue":
            assert change.issue is not None
            issue = outcome.data["reopenIssue"]["issue"]
            if not self._still_the_object(change, issue):
                await self._moved(change)
                return
            change.issue["reopened"] = True
            self.store._mark_open(change.target or change.object_id)
            if change.step == 1:
                change.status = "landed"
        elif call.name == "ArchiveObject":
            await self._archive_rest(change, outcome.data)

    def _still_the_object(self, change: Change, issue: dict[str, Any]) -> bool:
        """The issue still carries the base label and the object's UID label."""
        labels = self.store.labels
        names = {n["name"] for n in (issue.get("labels") or {}).get("nodes") or []}
        return labels.base in names and labels.uid(change.target or change.object_id) in names

    async def _moved(self, change: Change) -> None:
        """The update reopened an issue that is no object any more (archived by another
        writer since it was looked up): close it again, and send the update where the object
        lives now, once; the stray comment stays on the archive, where nothing applies it."""
        store = self.store
        assert change.issue is not None
        try:
            await store.gateway.mutate_one(
                Call("CloseIssue", {"issueId": change.issue["id"]}), idempotent=True
            )
        except RemoteError as exc:  # best effort: an archive left open is not an object
            log.warning(
                "could not close archived issue #%s again: %s", change.issue["number"], exc.message
            )
        store._forget(change.target or change.object_id)
        store._forget(change.object_id)
        if change.relocated:
            self._fail(
                change,
                ObjectNotFound(
                    f"object {change.object_id!r} was archived while the update was sent",
                    object_id=change.object_id,
                ),
            )
            return
        change.relocated = True
        change.issue, change.uid_label_id, change.target = None, None, None
        change.step, change.status = 0, "pending"

    async def _archive_rest(self, change: Change, data: dict[str, Any]) -> None:
        """After an archive: live objects still holding the UID label (a stale lookup, or
        duplicates) are the object too, and are archived as well."""
        store = self.store
        labels = dict(
            zip(
                [ARCHIVED_LABEL, store.labels.namespace],
                await store._label_ids(ARCHIVED_LABEL, store.labels.namespace),
                strict=True,
            )
        )
        for _ in range(5):
            label = data["updateIssue"]["issue"]["repository"]["label"] or {}
            live = (label.get("issues") or {}).get("nodes") or []
            if not live:
                break
            calls = [self._archive_call(change, node["id"], labels) for node in live]
            outcomes = await store.gateway.mutate(calls, idempotent=True)
            errors = [o.error for o in outcomes if o.error is not None]
            if errors:
                self._fail(change, errors[0])
                return
            assert outcomes[-1].data is not None
            data = outcomes[-1].data
        change.status = "landed"
        store._forget(change.target or change.object_id)
        store._forget(change.object_id)

    def _object_error(self, change: Change, error: RemoteError) -> GitHubStoreError:
        if any(e.get("type") == "NOT_FOUND" for e in error.errors):
            self.store._forget(change.object_id)
            return ObjectNotFound(
                f"no stored object {change.object_id!r} in {self.store.repo}",
                object_id=change.object_id,
            )
        return error

    async def _existing_label(self, change: Change) -> None:
        """CreateLabel said the UID label exists: fine if only archived objects hold it."""
        store = self.store
        data = await store.gateway.query("FindObject", store.find_call(change.object_id).variables)
        label = data["repository"]["label"]
        nodes = (label or {}).get("issues", {}).get("nodes") or []
        assert change.issue is not None
        wanted = store.labels.uid(change.object_id)
        if label is not None and label.get("name", wanted) != wanted:
            # GitHub's label names ignore case: UID:Alice is UID:alice, so the id is taken.
            await store._abandon(change.issue["id"], None)
            self._fail(
                change,
                DuplicateUIDError(
                    f"object id {change.object_id!r} clashes with the label {label['name']!r}: "
                    "GitHub's label names ignore case, so ids that differ only in case are "
                    "one id",
                    object_id=change.object_id,
                ),
            )
            return
        if nodes or label is None:
            await store._abandon(change.issue["id"], label["id"] if label else None)
            number = nodes[0]["number"] if nodes else "?"
            self._fail(
                change,
                DuplicateUIDError(
                    f"object {change.object_id!r} already exists (issue #{number})",
                    object_id=change.object_id,
                ),
            )
            return
        change.uid_label_id = label["id"]

    async def _after_second(self, change: Change, call: Call, outcome: CallOutcome) -> None:
        if change.status == "failed":
            return
        if outcome.error is not None:
            self._fail(change, outcome.error)
            return
        assert outcome.data is not None and change.issue is not None
        if call.name == "SettleNewObject":
            issue = outcome.data["updateIssue"]["issue"]
            live = issue["repository"]["label"]["issues"]
            change.issue.update(
                state=issue["state"], updatedAt=issue["updatedAt"] or change.issue.get("updatedAt")
            )
            if live["totalCount"] > 1:
                await self.store._abandon(change.issue["id"], change.uid_label_id)
                self._fail(
                    change,
                    DuplicateUIDError(
                        f"object {change.object_id!r} was created by another writer "
                        "at the same time",
                        object_id=change.object_id,
                    ),
                )
        elif call.name == "AddComment" and call.variables["body"] == change.comment:
            change.comment_id = outcome.data["addComment"]["commentEdge"]["node"]["id"]
            change.step = 2

    async def _after_third(self, change: Change, call: Call, outcome: CallOutcome) -> None:
        if change.status == "failed" or outcome.error is not None:
            if outcome.error is not None:
                self._fail(change, outcome.error)
            return
        if (
            call.variables["content"]
            == REACTION_CONTENT[self.store.config.store.reactions.initial_state]
        ):
            change.step, change.status = 3, "landed"
            assert change.issue is not None and change.uid_label_id is not None
            self.store._remember(
                change.object_id,
                change.issue["id"],
                change.issue["number"],
                "CLOSED",
                change.uid_label_id,
                True,
            )

    # -- after an unknown outcome ----------------------------------------------------------
    async def verify(self, calls: list[Call]) -> dict[int, dict[str, Any]]:
        """Which of these calls landed (ghstore.landed)."""

        async def viewer() -> str:
            return (await self.store._ctx()).viewer

        return await landed(self.store, calls, viewer)
