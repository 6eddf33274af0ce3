"""The simulated world of the fault runs (bench.reliability): one fake clock, and
processes that can die between any two requests, stall, or wait on slow requests."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

from attrs import define

from ghstore.emulator import Emulator, InProcessTransport
from ghstore.github.gateway import Gateway
from ghstore.processor import Processor
from ghstore.store import Store

__all__ = ["Actor", "FakeClock", "ProcessKilled", "StallingGateway", "Wire", "tokens"]

PEOPLE = ("acme", "bob", "mia", "eve")


def tokens(seed: int) -> dict[str, str]:
    """API tokens of the run's people (distinctive, to look for them in every message)."""
    rng = random.Random(f"tokens-{seed}")
    return {login: f"ghp_{login}{rng.getrandbits(64):016x}" for login in PEOPLE}


class ProcessKilled(BaseException):
    """The acting process dies: nothing after this point runs or reaches GitHub."""


class FakeClock:
    """One clock for the clients, the processors and the local GitHub; waits move it."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of fake time, letting other tasks run every 10 s of it."""
        left = max(0.0, seconds)
        while True:
            step = min(left, 10.0)
            self.now += step
            left -= step
            await asyncio.sleep(0)
            if left <= 0:
                return


class StallingGateway(Gateway):
    """A gateway whose process can stall (a paused machine, a long GC) before it sends its
    n-th next mutation, after any wait and before the lock check a processor makes."""

    stall_in: int | None = None
    stall: float = 0.0
    clock_sleep: Callable[[float], Awaitable[None]] | None = None
    stalls = 0

    async def _pace(self, mutation: bool) -> None:
        await super()._pace(mutation)
        if mutation and self.stall_in is not None:
            self.stall_in -= 1
            if self.stall_in <= 0:
                self.stall_in = None
                assert self.clock_sleep is not None
                self.stalls += 1
                await self.clock_sleep(self.stall)


class Wire(InProcessTransport):
    """The in-process transport, yielding before every request; it can be made to die
    before its n-th next request, or right after GitHub handled it (no answer read), or to be
    slow in transit (less than a processor's lock margin: GitHub answers within 10 s)."""

    def __init__(self, emulator: Emulator, token: str, clock: FakeClock) -> None:
        super().__init__(emulator, token)
        self.clock = clock
        self.kill_in: int | None = None
        self.kill_after_send = False
        self.pause_in: int | None = None
        self.pause = 0.0
        self.pauses = 0
        self.sent = 0

    async def execute(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Send one request, unless this process dies first."""
        await asyncio.sleep(0)
        if self.pause_in is not None:
            self.pause_in -= 1
            if self.pause_in <= 0:
                self.pause_in = None
                self.pauses += 1
                await self.clock.sleep(self.pause)
        if self.kill_in is not None:
            self.kill_in -= 1
            if self.kill_in <= 0:
                self.kill_in = None
                if not self.kill_after_send:
                    raise ProcessKilled(f"killed before request {self.sent + 1}")
                self.sent += 1
                await super().execute(request, *args, **kwargs)
                raise ProcessKilled(f"killed after request {self.sent} reached GitHub")
        self.sent += 1
        return await super().execute(request, *args, **kwargs)


@define
class Actor:
    """One process: a client's store (and maybe a processor), and its wire."""

    key: str
    """login, or login:n for another process of the same person."""
    login: str
    store: Store
    gateway: StallingGateway
    wire: Wire
    processor: Processor
