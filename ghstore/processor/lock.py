"""The processor's lease on one issue: a label named `ghstore-lock:{number}`.

A label name is unique, so creating it is an atomic test-and-set; the same request reads the
issue while the lock is held. The lock's description says how long it lasts; it starts when
GitHub made the label (its `createdAt`), and another processor judges it on GitHub's clock
(the `Date` of GitHub's answer), never on its own: a processor whose clock is fast or slow
neither breaks a live lock nor waits on a dead one. The holder times its own lease from the
moment it sent the request that made the label, which can only start the lease early. A lock
left by a crashed run expires, and a run that took a lock but never heard back about it (the
answer was lost) may break its own at once. A lock claiming to outlive any processor's, or
saying nothing of how long it lasts (made by hand), is broken.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from ..exceptions import (
    AccessDeniedError,
    GitHubStoreError,
    GitHubUnavailable,
    LockTimeout,
    RemoteError,
)
from ..github import answers, calls
from ..github.answers import LabelInfo, LockedRead
from ..github.issues import Issues

__all__ = ["MAX_LOCK_SECONDS", "IssueLock", "LockRanOut", "lock_name"]

log = logging.getLogger("ghstore.processor")

MAX_LOCK_SECONDS = 3600.0
"""No processor's lock lasts longer; a lock label claiming more was not made by one."""


class LockRanOut(GitHubStoreError):
    """The lock would expire before the write reached GitHub: the write was not sent."""


def lock_name(number: int) -> str:
    """The label that locks issue #number."""
    return f"ghstore-lock:{number}"


def lasts_of(description: str | None) -> float | None:
    """How many seconds a lock's description says it lasts (None: it does not say)."""
    for part in (description or "").split(";"):
        words = part.split()
        if len(words) == 2 and words[0] == "lasts" and words[1].isdigit():
            return float(words[1])
    return None


def parse_time(text: str | None) -> float | None:
    """Epoch seconds of one of GitHub's ISO 8601 timestamps (None: none or unreadable)."""
    try:
        return dt.datetime.fromisoformat((text or "").replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class IssueLock:
    """Takes, breaks and releases issue locks for one processor run."""

    def __init__(
        self,
        issues: Issues,
        *,
        lock_seconds: float,
        clock: Callable[[], float] = time.time,
        poll: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        attempts: int = 3,
        repository_id: str | None = None,
    ) -> None:
        self.issues = issues
        self.lock_seconds = min(lock_seconds, MAX_LOCK_SECONDS)
        self.clock = clock
        self.poll = poll
        self.sleep = sleep
        self.attempts = max(1, attempts)
        self.run_id = uuid.uuid4().hex[:12]
        self._repository_id = repository_id
        self._holding: set[int] = set()

    def description(self) -> str:
        """What a lock label of this run says: how long it lasts, and the run."""
        return f"ghstore processor lock; lasts {int(self.lock_seconds)}; run {self.run_id}"

    def made_here(self, held: LabelInfo) -> bool:
        """A lock label this run made."""
        return f"run {self.run_id}" in (held.description or "")

    def stale(self, number: int, held: LabelInfo, github_now: float) -> str | None:
        """Why a held lock may be broken now, judged on GitHub's clock (None: wait for it)."""
        if self.made_here(held) and number not in self._holding:
            return "this run's own lock, from a request whose answer was lost"
        lasts, made = lasts_of(held.description), parse_time(held.created_at)
        if lasts is None or made is None:
            return "it does not say how long it lasts (not made by a processor)"
        if lasts > MAX_LOCK_SECONDS:
            return "it claims to last longer than any processor's lock (not made by one)"
        if made + lasts <= github_now:
            return "expired"
        return None

    async def _repo_id(self) -> str:
        if self._repository_id is None:
            self._repository_id = (await self.issues.context()).repository_id
        return self._repository_id

    async def acquire(
        self, number: int, *, config_expression: str | None = None
    ) -> tuple[LockedRead, float]:
        """Take the lock on issue #number and read it (and the repository's configuration
        file at `config_expression`): (the read, the lock's expiry on this processor's
        clock); wait out (or break) a lock another run holds."""
        deadline = self.clock() + self.lock_seconds + 10 * self.poll
        lost = 0
        while True:
            sent = self.clock()
            call = calls.lock_and_read(
                await self._repo_id(),
                lock_name(number),
                self.description(),
                number,
                config_expression=config_expression,
            )
            try:
                outcome = (await self.issues.gateway.mutate([call]))[0]
            except GitHubUnavailable:
                # The lock may have been taken: the next attempt finds it ours and breaks it.
                lost += 1
                if lost >= self.attempts:
                    raise
                continue
            if outcome.error is None:
                assert outcome.data is not None
                self._holding.add(number)
                return answers.locked_read_from(outcome.data), sent + self.lock_seconds
            # Whatever GitHub's words for a taken name, the label itself tells who holds it.
            held = await self.issues.label(lock_name(number))
            if answers.is_not_found(outcome.error):
                # No such issue: the lock was made, but nothing can be read under it.
                if held is not None and self.made_here(held):
                    await self.release(held.id)
                raise outcome.error
            if held is None:
                # Released in between (try again), or refused for another reason: access is
                # final, anything else is given until the deadline.
                if isinstance(outcome.error, AccessDeniedError) or self.clock() > deadline:
                    raise outcome.error
                continue
            why = self.stale(number, held, self._github_now())
            if why is not None:
                log.warning("breaking the lock on issue #%s: %s", number, why)
                await self.release(held.id)
                continue
            if self.clock() > deadline:
                raise LockTimeout(f"issue #{number} stayed locked by another processor")
            await self.sleep(self.poll)

    def _github_now(self) -> float:
        """GitHub's clock as its last answer gave it (this processor's if none did)."""
        server = self.issues.gateway.server_time
        return server if server is not None else self.clock()

    def let_go(self, number: int) -> None:
        """This run no longer holds the lock on issue #number (released, or to be)."""
        self._holding.discard(number)

    async def release(self, lock_id: str) -> None:
        """Delete a lock label (gone already: fine)."""
        try:
            await self.issues.send(calls.delete_label(lock_id), idempotent=True)
        except RemoteError as exc:
            if not answers.is_not_found(exc):
                raise
