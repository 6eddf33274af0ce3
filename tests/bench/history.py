"""The history table of `make bench`: what a `get`, a `timeline` (history --diff: every comment)
and a processor run cost as an object's settled history grows (C settled comments), on the
in-process local GitHub (counts only)."""

from __future__ import annotations

from attrs import define

from ghstore.config import RateLimitConfig
from ghstore.domain.format import update_comment
from ghstore.emulator import Emulator, InProcessTransport
from ghstore.github import calls
from ghstore.github.gateway import Gateway
from ghstore.processor import Processor
from ghstore.store import Store

SIZES = (10, 100, 1000)
NO_PACING = RateLimitConfig.unpaced()


@define
class HistoryRow:
    """Requests of a get, of a timeline and of a run with one pending update, at C settled
    comments."""

    settled: int
    get: int
    run: int
    timeline: int


async def _requests(store: Store, before: int) -> int:
    return store.stats.snapshot()[0] - before


async def measure_history(sizes: tuple[int, ...] = SIZES) -> list[HistoryRow]:
    """One object per size: C-1 updates settled by a run, then a get, then a run of 1."""
    rows = []
    for size in sizes:
        emulator = Emulator(hourly_points=10_000_000)
        emulator.add_user("acme", "t1")
        emulator.add_repository("acme/data")
        store = Store(
            "acme/data",
            Gateway(transport=InProcessTransport(emulator, "t1"), rate_limit=NO_PACING),
        )
        try:
            number = (await store.create("obj", {"n": 0})).meta.issue_number
            issue_id = (await store.issues.read("obj")).label.live[0].id  # type: ignore[union-attr]
            bodies = [update_comment({"n": i}, number, "obj") for i in range(1, size)]
            await store.issues.gateway.mutate([calls.add_comment(issue_id, b) for b in bodies])
            processor = Processor(store, poll=0.0)
            await processor.process(number)
            before = store.stats.snapshot()[0]
            await store.get("obj")
            got = await _requests(store, before)
            await store.update("obj", {"n": size})
            report = await processor.process(number)
            before = store.stats.snapshot()[0]
            await store.timeline("obj")
            rows.append(HistoryRow(size, got, report.requests, await _requests(store, before)))
        finally:
            await store.close()
            emulator.close()
    return rows


def history_table(rows: list[HistoryRow]) -> list[str]:
    """The table's lines."""
    lines = [
        f"{'settled comments':<18}{'get requests':>13}{'run of 1 update':>17}{'timeline':>10}",
        "-" * 58,
    ]
    lines += [f"{r.settled:<18,}{r.get:>13}{r.run:>17}{r.timeline:>10}" for r in rows]
    return lines
