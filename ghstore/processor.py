"""The update processor: applies an object's pending update comments and settles it.

A run on one issue takes two requests. The first takes the issue's lock -- a label named
`ghstore-lock:{number}`; a label name is unique, so creating it is an atomic test-and-set --
and reads the issue, its comments and their marks in the same answer, while the lock is held.
The second writes the new body and closes the issue, then marks each applied comment with the
processed reaction and each refused one with its reaction, then releases the lock; its answer
says how many comments the issue has, so updates posted during the run are processed at once
instead of being stranded on a closed issue.

Why this is safe. Two processors never interleave on one issue: the lock serialises them,
and a lock left by a crashed run expires (its description holds the expiry). Within a run the
body is written before any mark, so a crash part-way leaves applied comments unmarked, and the
next run applies them again -- harmless, because applying the same updates in the same order
again leaves a deep-merged state unchanged. The marks that count are the processed reaction
of the processor or an authorized user; anyone else's is ignored.

A lock is only as good as its expiry: a run that was held up (waiting out a rate limit, or a
paused machine) sends its write only while its lock still has `margin` seconds to run, else
it lets go and starts the round again, because another processor may have broken the lock
and settled the issue since. A lock this run took but never heard back about (the answer was
lost) is its own to break at once; a lock that claims to last longer than any processor's can
(made by hand) is broken like an expired one.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from attrs import define, field

from .config import REACTION_CONTENT
from .documents import Call
from .exceptions import (
    AccessDeniedError,
    AuthenticationError,
    GitHubStoreError,
    GitHubUnavailable,
    RateLimitExceeded,
    RemoteError,
    RepositoryNotFound,
)
from .large import encode_object, size_check
from .store import Store
from .updates import apply_pending, classify, comment_from_node

__all__ = ["LockTimeout", "ProcessReport", "Processor", "Rejection"]

log = logging.getLogger("ghstore.processor")


MAX_LOCK_SECONDS = 3600.0
"""No processor's lock lasts longer; a lock label claiming more was not made by one."""
LOST_LOCK_ROUNDS = 5
"""Rounds a run starts again after its lock ran out before it could write."""


class LockTimeout(GitHubStoreError):
    """Another processor held the issue's lock for longer than we may wait."""


class _LockRanOut(GitHubStoreError):
    """The lock would expire before the write reached GitHub: the write was not sent."""


@define
class Rejection:
    """An update the processor did not apply, and why."""

    comment_id: int
    author: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"comment_id": self.comment_id, "author": self.author, "reason": self.reason}


@define
class ProcessReport:
    """What one processor run did to one object."""

    issue_number: int
    object_id: str | None = None
    applied: list[int] = field(factory=list)
    rejected: list[Rejection] = field(factory=list)
    requests: int = 0
    points: int = 0
    rounds: int = 0
    skipped: str | None = None
    """Why the issue was left alone (not a stored object, no pending updates, ...)."""

    def to_json(self) -> dict[str, Any]:
        """JSON form (the CLI's output)."""
        return {
            "issue_number": self.issue_number,
            "object_id": self.object_id,
            "applied": self.applied,
            "rejected": [r.to_json() for r in self.rejected],
            "requests": self.requests,
            "points": self.points,
            "skipped": self.skipped,
        }


class Processor:
    """Applies pending updates; `lock_seconds` bounds how long a crashed run blocks others."""

    def __init__(
        self,
        store: Store,
        *,
        lock_seconds: float = 120.0,
        clock: Callable[[], float] = time.time,
        poll: float = 1.0,
        repository_id: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        margin: float | None = None,
    ) -> None:
        self.store = store
        self.lock_seconds = min(lock_seconds, MAX_LOCK_SECONDS)
        self.clock = clock
        self.poll = poll
        self.sleep = sleep
        self.margin = margin if margin is not None else min(30.0, self.lock_seconds / 4)
        """Seconds of lock a write must have left to be sent (GitHub may take 10 s to answer)."""
        self.run_id = uuid.uuid4().hex[:12]
        self._repository_id = repository_id
        self._holding: set[int] = set()

    # -- the lock --------------------------------------------------------------------------
    @staticmethod
    def lock_name(number: int) -> str:
        """The label that locks issue #number."""
        return f"ghstore-lock:{number}"

    def _lock_description(self, expires: int) -> str:
        return f"ghstore processor lock; expires {expires}; run {self.run_id}"

    def _stale(self, number: int, description: str | None) -> str | None:
        """Why a held lock may be broken now (None: wait for it)."""
        if f"run {self.run_id}" in (description or "") and number not in self._holding:
            return "this run's own lock, from a request whose answer was lost"
        expiry, now = self._expiry(description), self.clock()
        if expiry <= now:
            return "expired"
        if expiry > now + MAX_LOCK_SECONDS:
            return "it claims to last longer than any processor's lock (not made by one)"
        return None

    @staticmethod
    def _expiry(description: str | None) -> float:
        for part in (description or "").split(";"):
            words = part.split()
            if len(words) == 2 and words[0] == "expires" and words[1].isdigit():
                return float(words[1])
        return 0.0  # not ours to read: treat as expired

    async def _repo_id(self) -> str:
        if self._repository_id is None:
            self._repository_id = (await self.store._ctx()).repository_id
        return self._repository_id

    async def _lock_and_read(self, number: int) -> tuple[str, float, dict[str, Any]]:
        """Take the lock on issue #number and read it: (lock id, its expiry, the repository
        answer); wait out (or break) a stale lock."""
        store = self.store
        deadline = self.clock() + self.lock_seconds + 10 * self.poll
        lost = 0
        while True:
            expires = int(self.clock() + self.lock_seconds)
            call = Call(
                "LockAndReadIssue",
                {
                    "repositoryId": await self._repo_id(),
                    "lockName": self.lock_name(number),
                    "lockDescription": self._lock_description(expires),
                    "number": number,
                },
            )
            try:
                outcome = (await store.gateway.mutate([call]))[0]
            except GitHubUnavailable:
                # The lock may have been taken: the next attempt finds it ours and breaks it.
                lost += 1
                if lost >= max(1, store.config.store.retries.max_attempts):
                    raise
                continue
            if outcome.error is None:
                assert outcome.data is not None
                label = outcome.data["createLabel"]["label"]
                self._holding.add(number)
                return label["id"], float(expires), label["repository"]
            if not any("already been taken" in str(e.get("message")) for e in outcome.error.errors):
                raise outcome.error
            held = await store.gateway.query(
                "LabelByName",
                {"owner": store.owner, "name": store.name, "labelName": self.lock_name(number)},
            )
            lock = held["repository"]["label"]
            why = self._stale(number, lock.get("description")) if lock is not None else None
            if lock is not None and why is not None:
                log.warning("breaking the lock on issue #%s: %s", number, why)
                await self._release(lock["id"])
                continue
            if self.clock() > deadline:
                raise LockTimeout(f"issue #{number} stayed locked by another processor")
            await self.sleep(self.poll)

    async def _release(self, lock_id: str) -> None:
        try:
            await self.store.gateway.mutate_one(
                Call("DeleteLabel", {"id": lock_id}), idempotent=True
            )
        except RemoteError as exc:
            if not any(e.get("type") == "NOT_FOUND" for e in exc.errors):
                raise

    # -- a run -----------------------------------------------------------------------------
    async def process(self, number: int) -> ProcessReport:
        """Apply the pending updates of issue #number until none are left."""
        report = ProcessReport(issue_number=number)
        before = self.store.stats.snapshot()
        ran_out = 0
        try:
            while True:
                report.rounds += 1
                try:
                    again = await self._round(number, report)
                except _LockRanOut:
                    ran_out += 1
                    if ran_out >= LOST_LOCK_ROUNDS:
                        raise LockTimeout(
                            f"issue #{number}: the lock ran out before the write {ran_out} times"
                        ) from None
                    continue
                if not again:
                    break
        finally:
            after = self.store.stats.snapshot()
            report.requests, report.points = after[0] - before[0], after[1] - before[1]
        return report

    async def _round(self, number: int, report: ProcessReport) -> bool:
        store = self.store
        lock_id, expires, repo = await self._lock_and_read(number)
        released = False

        def in_time() -> None:
            if self.clock() > expires - self.margin:
                raise _LockRanOut(f"the lock on issue #{number} runs out before the write")

        try:
            issue = repo.get("issue")
            object_id = self._object_id(issue)
            if issue is None or object_id is None:
                report.skipped = "not a stored object"
                return False
            report.object_id = object_id
            comments = [comment_from_node(n) for n in issue["comments"]["nodes"]]
            page = issue["comments"]
            if page["pageInfo"]["hasPreviousPage"]:
                older = await store._older_comments(issue["id"], page["totalCount"] - len(comments))
                comments = older + comments
            author = (issue.get("author") or {}).get("login")
            trust = store.trust_for(repo, (await store._ctx()).viewer, issue, comments)
            if not trust.may_update(author, issue.get("authorAssociation") or "NONE"):
                raise AccessDeniedError(
                    f"issue #{number} was opened by {author or 'ghost'} "
                    f"({issue.get('authorAssociation')}), who may not store objects; "
                    "it is left untouched",
                    object_id=object_id,
                )
            verdicts = classify(comments, trust)
            body = store._body(object_id, issue["body"], comments, trust)
            fits = size_check(object_id, store.config.store.max_parts)
            result = apply_pending(body, verdicts, store.check_for(object_id), fits)
            parts, calls, marked = self._write_calls(issue, body, result, verdicts, report)
            calls = [*parts, *calls, Call("DeleteLabel", {"id": lock_id})]
            outcomes = await store.gateway.mutate(calls, one_request=True, guard=in_time)
            released = outcomes[-1].ok
            settle, marks = outcomes[len(parts)], outcomes[len(parts) + 1 : -1]
            if settle.error is not None:
                await self._undo_marks(marks)
                raise settle.error
            missing = [o.call for o in outcomes[: len(parts)] if o.error is not None]
            if missing:  # the new stub names parts that did not land: post them again
                for outcome in await store.gateway.mutate(missing):
                    if outcome.error is not None:
                        raise outcome.error
            for outcome in marks:
                if outcome.error is not None:
                    log.warning(
                        "a mark on issue #%s did not land: %s", number, outcome.error.message
                    )
            report.applied.extend(marked)
            assert settle.data is not None
            # Comments posted (or deleted) during the run: compare the newest comment and the
            # count with what was read plus the parts written, never the count alone.
            landed = [o for o in outcomes[: len(parts)] if o.ok and o.data is not None]
            expected_last = (
                landed[-1].data["addComment"]["commentEdge"]["node"]["id"]  # type: ignore[index]
                if landed
                else (comments[-1].node_id if comments else None)
            )
            latest = settle.data["updateIssue"]["issue"]["comments"]
            newest = (latest.get("nodes") or [{}])[-1].get("id")
            return bool(
                latest["totalCount"] != page["totalCount"] + len(landed) or newest != expected_last
            )
        finally:
            self._holding.discard(number)
            if not released:
                await self._release(lock_id)

    def _object_id(self, issue: dict[str, Any] | None) -> str | None:
        if issue is None:
            return None
        names = [n["name"] for n in issue["labels"]["nodes"]]
        labels = self.store.labels
        if labels.base not in names:
            return None
        return next((oid for n in names if (oid := labels.object_id(n)) is not None), None)

    def _write_calls(
        self,
        issue: dict[str, Any],
        body: dict[str, Any],
        result: Any,
        verdicts: list[Any],
        report: ProcessReport,
    ) -> tuple[list[Call], list[Call], list[int]]:
        """(part comments of a large new state, the settle and its marks, applied comment ids)."""
        reactions = self.store.config.store.reactions
        processed = REACTION_CONTENT[reactions.processed]
        parts: list[Call] = []
        new_body = None
        if result.data != body:
            encoded = encode_object(
                result.data, report.object_id or "", self.store.config.store.max_parts
            )
            new_body = encoded.body
            parts = [
                Call("AddComment", {"subjectId": issue["id"], "body": p}) for p in encoded.parts
            ]
        calls = [Call("SettleObject", {"id": issue["id"], "body": new_body})]
        marked = []
        for verdict in result.applied:
            calls.append(
                Call("AddReaction", {"subjectId": verdict.comment.node_id, "content": processed})
            )
            marked.append(verdict.comment.database_id)
        refusals = [
            (
                v,
                v.reason or "",
                reactions.invalid if v.parsed.kind == "invalid" else reactions.rejected,
            )
            for v in verdicts
            if v.status == "rejected"
        ]
        refusals += [(v, reason, reactions.invalid) for v, reason in result.refused]
        for verdict, reason, reaction in refusals:
            report.rejected.append(
                Rejection(verdict.comment.database_id, verdict.comment.author, reason)
            )
            content = REACTION_CONTENT[reaction]
            if content not in verdict.comment.viewer_reacted:
                calls.append(
                    Call("AddReaction", {"subjectId": verdict.comment.node_id, "content": content})
                )
        return parts, calls, marked

    async def _undo_marks(self, outcomes: list[Any]) -> None:
        """The body write failed: take back the processed marks that landed after it."""
        processed = REACTION_CONTENT[self.store.config.store.reactions.processed]
        undo = [
            Call(
                "RemoveReaction", {"subjectId": o.call.variables["subjectId"], "content": processed}
            )
            for o in outcomes
            if o.ok and o.call.name == "AddReaction" and o.call.variables["content"] == processed
        ]
        if undo:
            await self.store.gateway.mutate(undo, idempotent=True)

    async def process_all(self) -> list[ProcessReport]:
        """Process every object with updates waiting (the scheduled sweep)."""
        store = self.store
        numbers = [issue["number"] async for issue in store.raw_issues(states=["OPEN"])]
        reports = []
        for number in numbers:
            try:
                reports.append(await self.process(number))
            except (RateLimitExceeded, AuthenticationError, RepositoryNotFound):
                raise  # nothing else can be processed either
            except GitHubStoreError as exc:  # this object only: the sweep goes on
                log.warning("issue #%s left for the next run: %s", number, exc.message)
                reports.append(ProcessReport(issue_number=number, skipped=exc.message))
        return reports
