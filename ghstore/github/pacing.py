"""Client-side pacing within GitHub's limits: an hourly cap, spacing between writes, and the
secondary limit on creating content (issues and comments: 80 a minute, 500 an hour)."""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence

from graphql import FieldNode, OperationDefinitionNode

from ..config import RateLimitConfig
from ..exceptions import RateLimitExceeded
from .documents import Call, document, operation_of

__all__ = ["CONTENT_CREATING", "Pacer", "batches", "content_creations", "creations_in"]

log = logging.getLogger("ghstore")

HOUR = 3600.0
MINUTE = 60.0
LONG_WAIT = 5.0
"""A wait this long (seconds) or longer is logged and shown on `progress`."""
CONTENT_CREATING = frozenset({"createIssue", "addComment"})
"""The mutations GitHub's secondary limit on content creation counts (one each)."""

Progress = Callable[[float, str], None]
"""Told, about once a second during a long wait, the seconds left (0.0: done) and what
waits."""


def content_creations(fields: Iterable[str]) -> int:
    """How many of a request's top-level mutation fields create content."""
    return sum(1 for name in fields if name in CONTENT_CREATING)


def creations_in(operation: OperationDefinitionNode) -> int:
    """How many issues and comments an operation creates."""
    if operation.operation.value != "mutation":
        return 0
    fields = operation.selection_set.selections
    return content_creations(f.name.value for f in fields if isinstance(f, FieldNode))


@functools.cache
def _creations_of(name: str) -> int:
    return creations_in(operation_of(document(name)))


def batches(calls: Sequence[Call], size: int, cap: int) -> list[list[Call]]:
    """Calls in order, in requests of at most `size` calls, none creating more than `cap`
    issues and comments (0: no cap) -- GitHub's limit on content in a minute."""
    requests: list[list[Call]] = []
    created = 0
    for call in calls:
        creates = _creations_of(call.name)
        full = requests and len(requests[-1]) >= size
        if not requests or full or (cap and created + creates > cap):
            requests.append([])
            created = 0
        requests[-1].append(call)
        created += creates
    return requests


class Pacer:
    """At most `max_requests_per_hour` requests in any hour (0: no cap), `mutation_interval`
    seconds between requests that write (GitHub advises 1 s), and content creations within
    `content_per_minute` and `content_per_hour` (0: unpaced). A creation is counted from when
    its request was answered, never earlier than GitHub counted it."""

    def __init__(
        self,
        limits: RateLimitConfig,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        progress: Progress | None = None,
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self.progress = progress
        self._sent: deque[float] = deque()
        self._last_mutation: float | None = None
        self._created: deque[float] = deque()

    async def wait(self, mutation: bool, creations: int = 0) -> None:
        """Wait until the next request may go; RateLimitExceeded if that is further off than
        `max_wait`."""
        await self._wait_for_cap()
        if creations:
            await self._wait_for_content(creations)
        now = self.clock()
        if mutation and self._last_mutation is not None:
            gap = self.limits.mutation_interval - (now - self._last_mutation)
            if gap > 0:
                await self.sleep(gap)
                now = self.clock()
        if mutation:
            self._last_mutation = now
        self._sent.append(now)

    async def _wait_for_cap(self) -> None:
        cap = self.limits.max_requests_per_hour
        now = self.clock()
        while self._sent and now - self._sent[0] >= HOUR:
            self._sent.popleft()
        if cap and len(self._sent) >= cap:
            wait = HOUR - (now - self._sent[0])
            if wait > self.limits.max_wait:
                raise RateLimitExceeded(
                    f"ghstore's own cap of {cap} requests an hour is reached "
                    "(store.rate_limit.max_requests_per_hour); "
                    f"the next is allowed in {wait:.0f} s",
                    retry_after=wait,
                )
            await self.sleep(wait)

    # -- content creation ----------------------------------------------------------------------
    def _windows(self) -> list[tuple[int, float, str]]:
        limits = self.limits
        return [
            (limit, span, key)
            for limit, span, key in (
                (limits.content_per_minute, MINUTE, "content_per_minute"),
                (limits.content_per_hour, HOUR, "content_per_hour"),
            )
            if limit
        ]

    def _content_wait(self, creations: int, now: float, created: list[float]) -> float:
        """Seconds from `now` until `creations` more fit every window, given the times of
        the creations already made (oldest first)."""
        wait = 0.0
        for limit, span, key in self._windows():
            if creations > limit:
                raise RateLimitExceeded(
                    f"one request would create {creations} issues or comments; "
                    f"store.rate_limit.{key} allows {limit}",
                    retry_after=span,
                )
            recent = [t for t in created if t > now - span]
            excess = len(recent) + creations - limit
            if excess > 0:
                wait = max(wait, recent[excess - 1] + span - now)
        return wait

    def _refuse(self, wait: float, creations: int) -> RateLimitExceeded:
        return RateLimitExceeded(
            f"{creations} issues or comments would wait {wait:.0f} s for GitHub's limit on "
            "creating content (store.rate_limit.content_per_minute, content_per_hour); "
            f"store.rate_limit.max_wait is {self.limits.max_wait:.0f} s. Nothing was sent.",
            retry_after=wait,
        )

    def check_content(self, requests: Iterable[int]) -> None:
        """Raise RateLimitExceeded, before anything is sent, if sending requests creating
        these numbers of issues and comments, one after another, would meet a wait longer
        than `max_wait`."""
        if not self._windows():
            return
        now = self.clock()
        created = list(self._created)
        for creations in requests:
            if not creations:
                continue
            wait = self._content_wait(creations, now, created)
            if wait > self.limits.max_wait:
                raise self._refuse(wait, creations)
            now += wait
            created.extend([now] * creations)

    async def _wait_for_content(self, creations: int) -> None:
        if not self._windows():
            return
        wait = self._content_wait(creations, self.clock(), list(self._created))
        if wait > self.limits.max_wait:
            raise self._refuse(wait, creations)
        if wait > 0:
            await self._sleep_showing(wait, f"{creations} new issues or comments")

    async def _sleep_showing(self, wait: float, what: str) -> None:
        """Sleep `wait` seconds; a long wait is logged, and counted down on `progress`."""
        if wait >= LONG_WAIT:
            log.info("waiting %.0f s before %s (GitHub's limit on creating content)", wait, what)
        if self.progress is None or wait < LONG_WAIT:
            await self.sleep(wait)
            return
        end = self.clock() + wait
        while (left := end - self.clock()) > 0:
            self.progress(left, what)
            await self.sleep(min(1.0, left))
        self.progress(0.0, what)

    def created(self, creations: int) -> None:
        """Count `creations` made by a request just answered (or failed: counted anyway)."""
        if not creations:
            return
        now = self.clock()
        while self._created and now - self._created[0] >= HOUR:
            self._created.popleft()
        self._created.extend([now] * creations)
