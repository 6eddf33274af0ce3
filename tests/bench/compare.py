"""The same workload for gh-store 0.11.3 (REST through PyGithub, unmodified, in its own
virtual environment) against the same local GitHub, pair by pair in one run.

gh-store's wall time is the operation alone, timed inside its process (no interpreter start,
imports or store construction), and PyGithub's own spacing of requests is switched off --
both in gh-store's favour. Its requests are the REST calls the local GitHub saw, less the
call its store construction makes. Where gh-store cannot do an operation (its documented
defects), the row says so.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from attrs import define

from .gh_store_harness import GhStore, ensure_gh_store
from .ghstore_side import REPO, TOKEN, Bench, Measured

__all__ = ["Pair", "compare"]


@define
class Pair:
    """One operation, both tools."""

    operation: str
    ghstore: Measured
    gh_store_calls: int | None
    gh_store_seconds: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """ghstore's wall time over gh-store's (below 1: ghstore is faster)."""
        if not self.gh_store_seconds:
            return None
        return self.ghstore.seconds / self.gh_store_seconds

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "operation": self.operation,
            "ghstore": self.ghstore.to_json(),
            "gh_store": {"rest_calls": self.gh_store_calls, "seconds": self.gh_store_seconds},
            "ratio_ghstore_over_gh_store": None if self.ratio is None else round(self.ratio, 4),
            "note": self.note,
        }


class _GhStoreSide:
    def __init__(self, bench: Bench, gh_store: GhStore) -> None:
        self.bench = bench
        self.gh_store = gh_store
        self.construction = 0

    async def calibrate(self) -> None:
        controls = self.bench.emulator.controls
        controls.reset()
        (await self.gh_store.run("noop")).unwrap()
        self.construction = controls.requests

    async def measure(self, op: str, **args: Any) -> tuple[int | None, float | None, str]:
        controls = self.bench.emulator.controls
        controls.reset()
        controls.latency = self.bench.latency
        try:
            outcome = await self.gh_store.run(op, **args)
        finally:
            controls.latency = 0.0
        calls = controls.requests - self.construction
        if not outcome.ok:
            return calls, None, f"gh-store failed: {outcome.error}: {(outcome.message or '')[:80]}"
        return calls, outcome.op_seconds, ""


async def compare(latency: float, sizes: dict[str, Any]) -> list[Pair]:
    """Both tools, operation by operation, on one local GitHub."""
    env = await asyncio.to_thread(ensure_gh_store)
    pairs: list[Pair] = []
    async with Bench(latency) as bench:
        store = bench.store
        assert store is not None
        gh_store = GhStore(env, bench.rest_url, token=TOKEN, repo=REPO)
        other = _GhStoreSide(bench, gh_store)
        await other.calibrate()
        await store.create("warm", {})

        async def pair(name: str, mine: Measured, op: str, note: str = "", **args: Any) -> None:
            calls, seconds, failure = await other.measure(op, **args)
            pairs.append(Pair(name, mine, calls, seconds, failure or note))

        await pair(
            "create",
            await bench.measure("create", lambda: store.create("mine", {"v": 0})),
            "create",
            object_id="theirs",
            data={"v": 0},
        )
        # gh-store finds only open objects (its defect 1): reopen both with an update first.
        await store.update("theirs", {"v": 1})
        await pair("get", await bench.measure_get("mine"), "get", object_id="theirs")
        mine_update = await bench.measure_update("mine", {"v": 2})
        await pair("update", mine_update, "update", object_id="theirs", changes={"v": 2})
        for k in sizes["process"]:
            theirs_number = await bench.pending("theirs", k)
            mine = await bench.measure_process("mine", k)
            await pair(mine.operation, mine, "process_updates", issue_number=theirs_number)
        for count in sizes["list"]:
            mine_list = await bench.measure_list(count, f"list N={count}")
            await pair(mine_list.operation, mine_list, "list_all")
            started = time.perf_counter()
            calls, seconds, failure = await other.measure(
                "cli", argv=["snapshot", "--token", TOKEN, "--repo", REPO, "--output", "/dev/null"]
            )
            note = failure or f"gh-store's CLI run, {time.perf_counter() - started:.1f} s in all"
            pairs.append(Pair(f"snapshot N={count}", mine_list, calls, seconds, note))
    return pairs
