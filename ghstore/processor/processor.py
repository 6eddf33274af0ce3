"""The update processor: applies an object's pending update comments and settles it.

A run on one issue that applies updates takes three requests (two when the body stays as it
is). The first takes the issue's lock (ghstore.processor.lock) and reads the issue, its
comments and their marks in the same answer, while the lock is held. The second writes the new
body and closes the issue; its answer says how many comments the issue has, so updates posted
during the run are processed at once instead of being stranded on a closed issue. The third,
sent only once the body is known to have landed, marks each applied comment with the
processed reaction and each refused one with its reaction, the newest with the watermark, and
releases the lock (see ghstore.processor.settle).

Why this is safe. Two processors never interleave on one issue: the lock serialises them,
and a lock left by a crashed run expires. Within a run no mark is sent before the body's write
has answered, so a failure or crash part-way leaves applied comments unmarked, and the next run
applies them again -- harmless, because applying the same updates in the same order again
leaves a deep-merged state unchanged. The marks that count are the processed reaction of the
processor or an authorized user; anyone else's is ignored.

A lock is only as good as its expiry: a run that was held up (waiting out a rate limit, or a
paused machine) sends its write only while its lock still has `margin` seconds to run, else
it lets go and starts the round again, because another processor may have broken the lock
and settled the issue since.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from ..config import LayeredConfig
from ..domain.large import size_check
from ..domain.verdicts import classify
from ..exceptions import (
    AccessDeniedError,
    AuthenticationError,
    ConfigurationError,
    GitHubStoreError,
    LockTimeout,
    RateLimitExceeded,
    RepositoryNotFound,
)
from ..github import calls
from ..github.answers import IssueNode, LockedRead
from ..github.files import RepositoryFile
from ..store.facade import Store
from .lock import MAX_LOCK_SECONDS, IssueLock, LockRanOut, lock_name
from .report import ProcessReport
from .settle import RoundRead, Settlement

__all__ = ["MAX_LOCK_SECONDS", "Processor"]

log = logging.getLogger("ghstore.processor")

LOST_LOCK_ROUNDS = 5
"""Rounds a run starts again after its lock ran out before it could write."""

MAX_ROUNDS = 5
"""Rounds one run gives an issue whose comments keep arriving (a flood cannot hold a run)."""

MAX_REQUESTS = 40
"""Requests one run spends on an issue before it leaves what is left for the next run."""


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
        layers: LayeredConfig | None = None,
    ) -> None:
        self.store = store
        self.layers = layers
        """With layers, the run first reads the repository's configuration file (in the
        request it makes anyway) and works under it, `layers.explicit` winning; once a run."""
        self.clock = clock
        self.lock = IssueLock(
            store.issues,
            lock_seconds=lock_seconds,
            clock=clock,
            poll=poll,
            sleep=sleep,
            attempts=store.config.store.retries.max_attempts,
            repository_id=repository_id,
        )
        self.lock_seconds = self.lock.lock_seconds
        self.margin = margin if margin is not None else min(30.0, self.lock_seconds / 4)
        """Seconds of lock a write must have left to be sent (GitHub may take 10 s to answer)."""

    @staticmethod
    def lock_name(number: int) -> str:
        """The label that locks issue #number."""
        return lock_name(number)

    async def process(self, number: int) -> ProcessReport:
        """Apply the pending updates of issue #number until none are left, or until the run's
        cap (MAX_ROUNDS, MAX_REQUESTS): then the issue is left open for the next run."""
        report = ProcessReport(issue_number=number)
        before = self.store.stats.snapshot()
        ran_out = rounds = 0
        try:
            while True:
                try:
                    again = await self._round(number, report)
                except LockRanOut:
                    ran_out += 1
                    if ran_out >= LOST_LOCK_ROUNDS:
                        raise LockTimeout(
                            f"issue #{number}: the lock ran out before the write {ran_out} times"
                        ) from None
                    continue
                rounds += 1
                if again is None:
                    break
                spent = self.store.stats.snapshot()[0] - before[0]
                if rounds >= MAX_ROUNDS or spent >= MAX_REQUESTS:
                    await self.store.issues.send(calls.reopen_issue(again), idempotent=True)
                    report.unfinished = (
                        f"comments kept arriving: stopped after {rounds} rounds and {spent} "
                        "requests; left open for the next run"
                    )
                    break
        finally:
            after = self.store.stats.snapshot()
            report.requests, report.points = after[0] - before[0], after[1] - before[1]
        return report

    async def _round(self, number: int, report: ProcessReport) -> str | None:
        """One locked read and one write; the issue's id when comments arrived during it."""
        read, expires = await self.lock.acquire(
            number, config_expression=self.layers.expression if self.layers else None
        )
        settlement: Settlement | None = None

        def in_time() -> None:
            if self.clock() > expires - self.margin:
                raise LockRanOut(f"the lock on issue #{number} runs out before the write")

        try:
            if read.config_file is not None:
                self._configure(read.config_file)
            await self.store.read_schema_files()  # none declared, or read already: no request
            object_id = self._object_id(read.issue)
            if read.issue is None or read.comments is None or object_id is None:
                report.skipped = "not a stored object"
                return None
            report.object_id = object_id
            settlement = await self._settlement(number, object_id, read, report)
            again = await settlement.send(read.lock_id, in_time)
            return read.issue.id if again else None
        finally:
            self.lock.let_go(number)
            if settlement is None or not settlement.released:
                await self.lock.release(read.lock_id)

    async def _settlement(
        self, number: int, object_id: str, read: LockedRead, report: ProcessReport
    ) -> Settlement:
        """What this round writes: the verdicts on every comment, folded."""
        store = self.store
        issue, page = read.issue, read.comments
        assert issue is not None and page is not None
        # Known when the run asked for the repository's context; otherwise (a run handed the
        # repository id) the viewer's own marks are told by `viewerHasReacted`.
        viewer = store.issues.known_viewer()
        trust = store.reads.trust_for(viewer, read.viewer_permission, issue)
        comments = await store.reads.window(object_id, issue, page, trust)
        accepted = trust.boundary(comments) >= 0  # a processor settled it before: trusted once
        if not accepted and not trust.may_update(issue.author, issue.association):
            raise AccessDeniedError(
                f"issue #{number} was opened by {issue.author or 'ghost'} "
                f"({issue.association}), who may not store objects; it is left untouched",
                object_id=object_id,
            )
        verdicts = classify(comments, trust)
        body = store.reads.body(object_id, issue.body, comments, trust)
        fits = size_check(object_id, store.config.store.max_parts)
        return Settlement.plan(
            store.issues,
            store.config.store,
            RoundRead(issue, page, comments, trust, body, page.total - len(comments)),
            verdicts,
            store.reads.check_for(object_id, issue),
            fits,
            report,
        )

    def _configure(self, found: RepositoryFile) -> None:
        """Work under the repository's configuration file (read once a run)."""
        assert self.layers is not None
        if found.truncated:
            raise ConfigurationError(
                f"{self.layers.path} on the default branch is too large for GitHub to return"
            )
        self.store.reconfigure(self.layers.over(found.text))
        self.layers = None

    def _object_id(self, issue: IssueNode | None) -> str | None:
        if issue is None or self.store.labels.base not in issue.labels:
            return None
        return self.store.reads.object_id_of(issue)

    async def process_all(self) -> list[ProcessReport]:
        """Process every object with updates waiting (the scheduled sweep)."""
        if self.layers is not None:  # the listing needs the labels the configuration names
            self._configure(await self.store.issues.repository_file(self.layers.expression))
        numbers = [issue.number async for issue in self.store.issues.listing(states=["OPEN"])]
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
