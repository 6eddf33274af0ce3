"""ghstore's side of the benchmark: each operation against the local GitHub over real HTTP,
with requests and points counted by the local GitHub and wall time measured around the call.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from attrs import define
from support.helpers import team_config

from ghstore.config import RateLimitConfig
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.github.gateway import Gateway
from ghstore.processor import Processor
from ghstore.store import Store

__all__ = ["Bench", "Measured", "measure"]

REPO = "acme/data"
TOKEN = "bench-token"
NO_PACING = RateLimitConfig.unpaced()


@define
class Measured:
    """One operation: exact requests and points, and seconds of wall time."""

    operation: str
    requests: int
    points: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "operation": self.operation,
            "requests": self.requests,
            "points": self.points,
            "seconds": round(self.seconds, 4),
        }


class Bench:
    """A local GitHub on a loopback port with one repository, and a ghstore Store on it."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.emulator = Emulator(hourly_points=10_000_000)
        self.emulator.add_user("acme", TOKEN)
        self.emulator.add_repository(REPO)
        self.server = EmulatorServer(self.emulator)
        self.store: Store | None = None

    async def __aenter__(self) -> Bench:
        await self.server.start()
        self.store = self.new_store()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.store is not None:
            await self.store.close()
        await self.server.stop()

    def new_store(self) -> Store:
        """A fresh Store (cold caches) over HTTP."""
        gateway = Gateway(token=TOKEN, api_url=self.server.url, rate_limit=NO_PACING)
        return Store(REPO, gateway, team_config())

    @property
    def rest_url(self) -> str:
        """The REST root gh-store's PyGithub talks to."""
        return self.server.url.removesuffix("/graphql") + "/api/v3"

    async def measure(self, operation: str, action: Callable[[], Awaitable[Any]]) -> Measured:
        """Run `action` under the injected latency; count what reached the local GitHub."""
        controls = self.emulator.controls
        controls.reset()
        controls.latency = self.latency
        started = time.perf_counter()
        try:
            await action()
        finally:
            seconds = time.perf_counter() - started
            controls.latency = 0.0
        return Measured(operation, controls.requests, controls.points, seconds)

    # -- seeding (no latency) --------------------------------------------------------------
    async def seed(self, count: int, prefix: str) -> None:
        """`count` objects created through a UnitOfWork."""
        assert self.store is not None
        async with self.store.unit_of_work() as uow:
            for n in range(count):
                uow.create(f"{prefix}{n:04}", {"n": n, "name": f"object {n}", "tags": ["a", "b"]})
            await uow.commit()

    async def pending(self, object_id: str, count: int) -> int:
        """Post `count` updates to an object; return its issue number."""
        assert self.store is not None
        async with self.store.unit_of_work() as uow:
            for n in range(count):
                uow.update(object_id, {"n": n, f"k{n}": n})
            await uow.commit()
        return (await self.store.get(object_id)).meta.issue_number

    async def measure_get(self, object_id: str) -> Measured:
        """get with cold caches (a new Store)."""
        fresh = self.new_store()
        try:
            return await self.measure("get", lambda: fresh.get(object_id))
        finally:
            await fresh.close()

    async def measure_update(self, object_id: str, changes: dict[str, Any]) -> Measured:
        """update with cold caches (a new Store)."""
        cold = self.new_store()
        try:
            return await self.measure("update", lambda: cold.update(object_id, changes))
        finally:
            await cold.close()

    async def measure_process(self, object_id: str, k: int) -> Measured:
        """A processor run over `k` pending updates (the repository id known, as in Actions)."""
        assert self.store is not None
        number = await self.pending(object_id, k)
        processor = Processor(self.store)
        await self.store.issues.context()
        return await self.measure(f"process K={k}", lambda: processor.process(number))

    async def measure_list(self, total: int, label: str) -> Measured:
        """Listing every object with a cold Store, after seeding up to `total` of them."""
        assert self.store is not None
        have = sum([1 async for _ in self.store.list()])
        await self.seed(max(0, total - have), f"s{total}-")
        listing = self.new_store()

        async def read_all() -> None:
            [o async for o in listing.list()]

        try:
            return await self.measure(label, read_all)
        finally:
            await listing.close()


async def measure(latency: float, sizes: dict[str, Any]) -> list[Measured]:
    """Every ghstore operation of the benchmark."""
    results: list[Measured] = []
    async with Bench(latency) as bench:
        store = bench.store
        assert store is not None
        await store.create("warm", {})  # repository id and labels cached: warm caches
        results.append(await bench.measure("create", lambda: store.create("one", {"name": "one"})))
        results.append(await bench.measure_get("one"))
        results.append(await bench.measure_update("one", {"name": "uno"}))
        for k in sizes["process"]:
            results.append(await bench.measure_process("one", k))
        for n in range(20):
            await store.create(f"u{n:02}", {"v": 0})

        async def singles() -> None:
            for n in range(20):
                await store.update(f"u{n:02}", {"v": 1})

        async def grouped() -> None:
            async with store.unit_of_work() as uow:
                for n in range(20):
                    uow.update(f"u{n:02}", {"v": 2})
                await uow.commit()

        results.append(await bench.measure("20 single updates", singles))
        results.append(await bench.measure("UnitOfWork of 20 updates", grouped))
        for count in sizes["list"]:
            results.append(await bench.measure_list(count, f"list N={count}"))
    return results
