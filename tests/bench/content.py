"""Content creations per operation (GitHub's secondary limit: 80 issues or comments a minute,
500 an hour), ghstore beside gh-store 0.11.3; a unit of work of 100 creates against a local
GitHub enforcing both limits, paced and unpaced; and a processed 1-key update to a 5 MB
object. Time is virtual here (the local GitHub's clock and the client's sleep are one
clock), so the pacing's waits are counted, not slept."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
from typing import Any

from attrs import define
from support.helpers import team_config
from support.strategies import records_object

from ghstore import Gateway, GitHubStoreError, Store
from ghstore.config import RateLimitConfig
from ghstore.domain.large import PART_CHARS, encode_object
from ghstore.emulator import Emulator, InProcessTransport
from ghstore.processor import Processor

from .gh_store_harness import GhStore, ensure_gh_store
from .ghstore_side import REPO, TOKEN, Bench

__all__ = ["ContentRow", "content_tables", "measure_content"]


class _Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def created(emulator: Emulator) -> int:
    """Issues and comments in the repository (what the content limit counts, made so far)."""
    state = emulator.state
    repo = state.repository_by_name(*REPO.split("/"))
    assert repo is not None
    keys = state.issue_keys(
        repo.id, states=None, label_groups=[], since=None, author_id=None, order_field="CREATED_AT"
    )
    return sum(1 + len(state.comment_ids(issue_id)) for _, issue_id in keys)


@define
class ContentRow:
    """One operation: content created by each tool (None: not measured, with a note)."""

    operation: str
    ghstore: int
    gh_store: int | None
    note: str = ""


async def _ghstore_counts(bench: Bench) -> dict[str, int]:
    store = bench.store
    assert store is not None
    emulator = bench.emulator
    counts: dict[str, int] = {}

    async def count(name: str, action: Any) -> None:
        before = created(emulator)
        await action()
        counts[name] = created(emulator) - before

    await count("create", lambda: store.create("mine", {"v": 0}))
    await count("update", lambda: store.update("mine", {"v": 1}))
    number = (await store.get("mine")).meta.issue_number
    await count("process 1 update", lambda: Processor(store).process(number))

    async def hundred() -> None:
        async with store.unit_of_work() as uow:
            for n in range(100):
                uow.create(f"many-{n}", {"n": n})
            await uow.commit()

    await count("UnitOfWork of 100 creates", hundred)
    return counts


async def _gh_store_counts(bench: Bench) -> dict[str, int | None]:
    env = await asyncio.to_thread(ensure_gh_store)
    gh_store = GhStore(env, bench.rest_url, token=TOKEN, repo=REPO)
    emulator = bench.emulator
    counts: dict[str, int | None] = {}

    async def count(name: str, op: str, **args: Any) -> None:
        before = created(emulator)
        outcome = await gh_store.run(op, **args)
        counts[name] = created(emulator) - before if outcome.ok else None

    await count("create", "create", object_id="theirs", data={"v": 0})
    number = (await bench.store.get("theirs")).meta.issue_number if bench.store else 0
    # gh-store updates only open objects (its defect 1): the owner reopens the issue first
    # (no content), so gh-store's own update is measured, and then processed alone.
    await _reopen(bench, number)
    await count("update", "update", object_id="theirs", changes={"v": 1})
    await count("process 1 update", "process_updates", issue_number=number)
    return counts


async def _reopen(bench: Bench, number: int) -> None:
    """Reopen issue #number as the owner, through the local GitHub's REST API."""
    import aiohttp

    url = f"{bench.rest_url}/repos/{REPO}/issues/{number}"
    async with aiohttp.ClientSession() as session:
        answer = await session.patch(
            url, json={"state": "open"}, headers={"Authorization": f"token {TOKEN}"}
        )
        answer.raise_for_status()


async def _content_rows(compare: bool) -> list[ContentRow]:
    async with Bench(0.0) as bench:
        mine = await _ghstore_counts(bench)
        theirs = await _gh_store_counts(bench) if compare else {}
    rows = []
    for name, count in mine.items():
        other = theirs.get(name)
        note = _COUNTED.get(name, "")
        if name.startswith("UnitOfWork") and "create" in theirs and theirs["create"] is not None:
            other = 100 * theirs["create"]
            note += "; gh-store: 100 creates one by one"
        rows.append(ContentRow(name, count, other, note))
    return rows


_COUNTED = {
    "create": "both: the issue + its initial-state comment",
    "update": "both: the update comment (reopening makes none); gh-store's on an object "
    "the owner reopened first, as it finds only open ones (its defect 1)",
    "process 1 update": "both: none (the body is edited, the comment marked, the issue closed)",
    "UnitOfWork of 100 creates": "100 x (issue + initial-state comment)",
}


def _store_on(emulator: Emulator, clock: _Clock, limits: RateLimitConfig) -> Store:
    gateway = Gateway(
        transport=InProcessTransport(emulator, TOKEN),
        rate_limit=limits,
        sleep=clock.sleep,
        clock=clock,
    )
    return Store(REPO, gateway, team_config())


def _limited() -> tuple[Emulator, _Clock]:
    clock = _Clock()
    emulator = Emulator(
        hourly_points=10_000_000, content_per_minute=80, content_per_hour=500, clock=clock
    )
    emulator.add_user("acme", TOKEN)
    emulator.add_repository(REPO)
    return emulator, clock


def _half_made(emulator: Emulator) -> int:
    state = emulator.state
    repo = state.repository_by_name(*REPO.split("/"))
    assert repo is not None
    keys = state.issue_keys(
        repo.id, states=None, label_groups=[], since=None, author_id=None, order_field="CREATED_AT"
    )
    issues = state.issues_by_ids([issue_id for _, issue_id in keys])
    return sum(1 for i in issues if i.state != "CLOSED" or len(state.labels_of_issue(i.id)) < 3)


async def _hundred_creates(paced: bool) -> dict[str, Any]:
    emulator, clock = _limited()
    limits = RateLimitConfig(max_requests_per_hour=0, mutation_interval=0.0, max_wait=120)
    if not paced:
        limits = RateLimitConfig.unpaced(max_wait=60)
    store = _store_on(emulator, clock, limits)
    started, outcome = clock.now, "committed"
    try:
        async with store.unit_of_work() as uow:
            for n in range(100):
                uow.create(f"user-{n}", {"n": n})
            await uow.commit()
    except GitHubStoreError as exc:
        outcome = f"{type(exc).__name__}"
    finally:
        await store.close()
    return {
        "client pacing": "on (80/min, 500/h)" if paced else "off",
        "outcome": outcome,
        "secondary-limit answers": sum(1 for r in emulator.controls.log if r.status == 403),
        "half-made issues": _half_made(emulator),
        "virtual seconds": round(clock.now - started),
    }


async def _large_update() -> dict[str, Any]:
    emulator, clock = _limited()
    store = _store_on(emulator, clock, RateLimitConfig(max_requests_per_hour=0, max_wait=120))
    data = records_object(5, 5_000_000)
    compact = json.dumps(data, separators=(",", ":")).encode()
    try:
        made = await store.create("big", data)
        before = created(emulator)
        key = next(iter(data))
        await store.update("big", {key: {"age": 1}})
        await Processor(store).process(made.meta.issue_number)
        after = created(emulator) - before
        assert (await store.get("big")).data[key]["age"] == 1
    finally:
        await store.close()
    v1_parts = -(-len(base64.b64encode(gzip.compress(compact, mtime=0))) // PART_CHARS)
    return {
        "object (compact JSON bytes)": len(compact),
        "parts (format 2)": len(encode_object(data, "big").parts),
        "after: content creations, 1-key update + processing": after,
        "before (format 1 rewrote every part): 1 + parts": 1 + v1_parts,
    }


async def measure_content(compare: bool) -> dict[str, Any]:
    """Every content figure of the benchmark."""
    return {
        "per operation": await _content_rows(compare),
        "100 creates": [await _hundred_creates(False), await _hundred_creates(True)],
        "5 MB object": await _large_update(),
    }


def content_tables(figures: dict[str, Any]) -> list[str]:
    """The content tables."""
    lines = ["Content creations per operation (issues + comments made)", ""]
    head = f"{'operation':<30}{'ghstore':>9}{'gh-store 0.11.3':>17}"
    lines += [head, "-" * len(head)]
    for row in figures["per operation"]:
        theirs = "-" if row.gh_store is None else str(row.gh_store)
        lines.append(f"{row.operation:<30}{row.ghstore:>9}{theirs:>17}  {row.note}".rstrip())
    lines += ["", "A unit of work of 100 creates; the local GitHub enforces 80/min and 500/h", ""]
    runs = figures["100 creates"]
    for key in runs[0]:
        lines.append(f"  {key:<26}" + "".join(f"{run[key]!s:>22}" for run in runs))
    lines += ["", "A 5 MB object, a processed 1-key update:", ""]
    lines += [f"  {key}: {value}" for key, value in figures["5 MB object"].items()]
    return lines
