"""The scale table of `make bench`: get, snapshot and sweep with N = 100, 1,000, 10,000
objects in the repository; requests, points, SQL rows the local GitHub read, and time.

The objects are loaded into the local GitHub's state in bulk (`State.load_issues`), copies of
one object the Store created, so seeding 10,000 takes a second, not 10,000 creates."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import attrs
from attrs import frozen

from ghstore.emulator.state import SeedComment, SeedIssue, State
from ghstore.processor import Processor
from ghstore.store.snapshot import take_snapshot

from .ghstore_side import REPO, Bench

__all__ = ["ScaleRow", "copies", "measure_scale", "scale_table"]

OPERATIONS = ("get", "snapshot", "sweep")


@frozen
class ScaleRow:
    """One operation at one size: exact counts, and the median time of `repeats` runs."""

    operation: str
    objects: int
    requests: int
    points: int
    sql_rows: int
    seconds: float
    sql_queries: int = 0
    """Reading SQL queries the local GitHub ran (per page: divide by `requests`)."""


def copies(state: State, repo_id: int, number: int, count: int, prefix: str) -> list[SeedIssue]:
    """`count` copies of issue #number (an object the Store made), each its own object id."""
    issue = state.issue_by_number(repo_id, number)
    assert issue is not None
    labels = [label.name for label in state.labels_of_issue(issue.id)]
    uid = next(name for name in labels if name.startswith("UID:")).removeprefix("UID:")
    comments = state.comments_by_ids(state.comment_ids(issue.id))
    marks = [tuple(r.content for r in state.reactions_of("IssueComment", c.id)) for c in comments]
    first = state.next_issue_number(repo_id)
    seeds = []
    for n in range(count):
        object_id = f"{prefix}{n:05}"
        bodies = [json.loads(c.body) for c in comments]
        for body in bodies:
            body["_meta"]["issue_number"] = first + n
        seeds.append(
            SeedIssue(
                title=issue.title.replace(uid, object_id),
                body=issue.body,
                state=issue.state,
                labels=tuple(name.replace(uid, object_id) for name in labels),
                comments=tuple(
                    SeedComment(json.dumps(b, indent=2), m)
                    for b, m in zip(bodies, marks, strict=True)
                ),
            )
        )
    return seeds


async def _seed(bench: Bench, count: int) -> None:
    """`count` objects: one through the Store, the rest its copies loaded in bulk."""
    assert bench.store is not None
    made = await bench.store.create("template", {"n": 0, "name": "an object", "tags": ["a"]})
    state, emulator = bench.emulator.state, bench.emulator
    repo = state.repository_by_name(*REPO.split("/"))
    owner = state.user_by_login(REPO.split("/")[0])
    assert repo is not None and owner is not None
    seeds = copies(state, repo.id, made.meta.issue_number, count - 1, "obj-")
    state.load_issues(repo.id, owner.id, seeds, emulator.now())


async def _timed(
    bench: Bench, operation: str, count: int, action: Callable[[], Awaitable[Any]]
) -> tuple[ScaleRow, float]:
    """One run: its exact counts, and its seconds."""
    controls = bench.emulator.controls
    controls.reset()
    started = time.perf_counter()
    await action()
    seconds = time.perf_counter() - started
    row = ScaleRow(
        operation,
        count,
        controls.requests,
        controls.points,
        controls.sql_rows,
        0.0,
        controls.sql_queries,
    )
    return row, seconds


class _Sized:
    """A repository of `count` objects behind its own local GitHub, and what the table runs
    on it (one object has an update waiting, so the sweep has one to process)."""

    def __init__(self, bench: Bench, count: int) -> None:
        self.bench, self.count = bench, count
        self.middle = f"obj-{count // 2:05}"

    async def get(self) -> None:
        fresh = self.bench.new_store()
        try:
            await fresh.get(self.middle)
        finally:
            await fresh.close()

    async def snapshot(self) -> None:
        fresh = self.bench.new_store()
        try:
            taken = await take_snapshot(fresh)
            assert len(taken["objects"]) == self.count
        finally:
            await fresh.close()

    async def sweep(self) -> None:
        fresh = self.bench.new_store()
        try:
            await Processor(fresh).process_all()
        finally:
            await fresh.close()


async def measure_scale(sizes: list[int], repeats: int = 15) -> list[ScaleRow]:
    """The scale table's rows: gets interleaved across the sizes (`repeats` rounds, the
    median time), then one snapshot and one sweep a size."""
    async with AsyncExitStack() as stack:
        sized = []
        for count in sizes:
            bench = await stack.enter_async_context(Bench(0.0))
            await _seed(bench, count)
            assert bench.store is not None
            sized.append(_Sized(bench, count))
            await bench.store.update(sized[-1].middle, {"n": 1})
            await sized[-1].get()  # warm: the documents' first parse and validation
        times: dict[int, list[float]] = {s.count: [] for s in sized}
        gets: dict[int, ScaleRow] = {}
        for _ in range(repeats):
            for s in sized:
                gets[s.count], seconds = await _timed(s.bench, "get", s.count, s.get)
                times[s.count].append(seconds)
        rows = [attrs.evolve(gets[c], seconds=statistics.median(t)) for c, t in times.items()]
        for s in sized:
            for name in ("snapshot", "sweep"):
                row, seconds = await _timed(s.bench, name, s.count, getattr(s, name))
                rows.append(attrs.evolve(row, seconds=seconds))
        return rows


def scale_table(rows: list[ScaleRow]) -> list[str]:
    """The table, with each size's time and SQL rows beside the smallest size's."""
    head = (
        f"{'operation':<10}{'N':>8}{'requests':>10}{'points':>8}{'SQL rows':>10}"
        f"{'SQL q/req':>10}{'s':>9}"
    )
    lines = [
        "Scale (local GitHub on loopback, no latency; get: median of rounds interleaved across N)"
    ]
    lines += [head, "-" * len(head)]
    base = {r.operation: r for r in rows if r.objects == min(x.objects for x in rows)}
    for r in sorted(rows, key=lambda r: (OPERATIONS.index(r.operation), r.objects)):
        ratio = r.seconds / base[r.operation].seconds if base[r.operation].seconds else 0.0
        lines.append(
            f"{r.operation:<10}{r.objects:>8}{r.requests:>10}{r.points:>8}{r.sql_rows:>10}"
            f"{r.sql_queries / max(1, r.requests):>10.1f}{r.seconds:>9.4f}  time {ratio:.2f}x, SQL rows "
            f"{r.sql_rows / max(1, base[r.operation].sql_rows):.1f}x of N={base[r.operation].objects}"
        )
    lines.append(
        "SQL q/req: reading SQL queries a request ran. A snapshot page ran 2 an object + 11"
        " (211 for 100) before its comment pages were read page-wide (measured on 3e319fa)."
    )
    return lines
