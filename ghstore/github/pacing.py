"""Client-side pacing within GitHub's limits: an hourly cap and spacing between writes."""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from ..config import RateLimitConfig
from ..exceptions import RateLimitExceeded

__all__ = ["Pacer"]

HOUR = 3600.0


class Pacer:
    """At most `max_requests_per_hour` requests in any hour (0: no cap), and
    `mutation_interval` seconds between requests that write (GitHub advises 1 s)."""

    def __init__(
        self,
        limits: RateLimitConfig,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self._sent: deque[float] = deque()
        self._last_mutation: float | None = None

    async def wait(self, mutation: bool) -> None:
        """Wait until the next request may go; RateLimitExceeded if that is further off than
        `max_wait`."""
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
            now = self.clock()
        if mutation and self._last_mutation is not None:
            gap = self.limits.mutation_interval - (now - self._last_mutation)
            if gap > 0:
                await self.sleep(gap)
                now = self.clock()
        if mutation:
            self._last_mutation = now
        self._sent.append(now)
