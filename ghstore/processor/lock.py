"""The processor's lease on one issue: a label named `ghstore-lock:{number}`.

A label name is unique, so creating it is an atomic test-and-set; the same request reads the
issue while the lock is held. The lock's description holds its expiry: a lock left by a
crashed run expires, and a run that took a lock but never heard back about it (the answer
was lost) may break its own at once. A lock claiming to outlive any processor's (made by
hand) is broken like an expired one.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from ..exceptions import GitHubStoreError, GitHubUnavailable, LockTimeout, RemoteError
from ..github import answers, calls
from ..github.answers import LockedRead
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


def expiry_of(description: str | None) -> float:
    """The expiry a lock's description states (0: none, so it counts as expired)."""
    for part in (description or "").split(";"):
        words = part.split()
        if len(words) == 2 and words[0] == "expires" and words[1].isdigit():
            return float(words[1])
    return 0.0


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

    def description(self, expires: int) -> str:
        """What a lock label of this run says: its expiry and the run."""
        return f"ghstore processor lock; expires {expires}; run {self.run_id}"

    def stale(self, number: int, description: str | None) -> str | None:
        """Why a held lock may be broken now (None: wait for it)."""
        if f"run {self.run_id}" in (description or "") and number not in self._holding:
            return "this run's own lock, from a request whose answer was lost"
        expiry, now = expiry_of(description), self.clock()
        if expiry <= now:
            return "expired"
        if expiry > now + MAX_LOCK_SECONDS:
            return "it claims to last longer than any processor's lock (not made by one)"
        return None

    async def _repo_id(self) -> str:
        if self._repository_id is None:
            self._repository_id = (await self.issues.context()).repository_id
        return self._repository_id

    async def acquire(
        self, number: int, *, config_expression: str | None = None
    ) -> tuple[LockedRead, float]:
        """Take the lock on issue #number and read it (and the repository's configuration
        file at `config_expression`): (the read, the lock's expiry); wait out (or break) a lock
        another run holds."""
        deadline = self.clock() + self.lock_seconds + 10 * self.poll
        lost = 0
        while True:
            expires = int(self.clock() + self.lock_seconds)
            call = calls.lock_and_read(
                await self._repo_id(),
                lock_name(number),
                self.description(expires),
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
                return answers.locked_read_from(outcome.data), float(expires)
            if not answers.is_name_taken(outcome.error):
                raise outcome.error
            held = await self.issues.label(lock_name(number))
            why = self.stale(number, held.description) if held is not None else None
            if held is not None and why is not None:
                log.warning("breaking the lock on issue #%s: %s", number, why)
                await self.release(held.id)
                continue
            if self.clock() > deadline:
                raise LockTimeout(f"issue #{number} stayed locked by another processor")
            await self.sleep(self.poll)

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
