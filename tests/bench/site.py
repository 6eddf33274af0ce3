"""The site table of `make bench`: `ghstore site` over N objects -- the one read of the store
(requests and points, exact), the site's files and bytes, and the time to read, render and
write it.

Each object is a copy, loaded in bulk (`State.load_issues`), of one the Store made: created in
a collection whose schema wants an integer `n`, updated once (applied), and once with a string
(refused by the processor), so every page has a diff and a refusal to show."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from attrs import frozen

from ghstore.config import parse_config
from ghstore.processor import Processor
from ghstore.site import read_site, site_files, write_site
from ghstore.store.snapshot import take_snapshot

from .ghstore_side import REPO, Bench
from .scale import copies

__all__ = ["SiteRow", "measure_site", "seed_site", "site_table"]

CONFIG = {
    "store": {
        "authorized": {"associations": ["OWNER"]},
        "collections": {"things": {"schema": {"properties": {"n": {"type": "integer"}}}}},
    }
}


@frozen
class SiteRow:
    """The site of `objects` objects: what reading cost, what was written, and how long."""

    objects: int
    requests: int
    points: int
    files: int
    bytes: int
    read_seconds: float
    write_seconds: float
    snapshot_seconds: float
    """A snapshot of the same objects (the same listing, without the histories), timed in
    the same run: the yardstick of the read."""


async def seed_site(bench: Bench, count: int) -> None:
    """`count` objects with an applied and a refused update each (see the module)."""
    assert bench.store is not None
    store = bench.store
    store.reconfigure(parse_config(CONFIG))
    made = await store.create("thing-template", {"n": 0, "tags": ["a"]}, collection="things")
    await store.update("thing-template", {"n": 1, "tags": ["a", "b"], "note": "applied"})
    await store.update("thing-template", {"n": "not a number"})
    await Processor(store).process_all()
    state = bench.emulator.state
    repo = state.repository_by_name(*REPO.split("/"))
    owner = state.user_by_login(REPO.split("/")[0])
    assert repo is not None and owner is not None
    seeds = copies(state, repo.id, made.meta.issue_number, count - 1, "thing-")
    state.load_issues(repo.id, owner.id, seeds, bench.emulator.now())


async def _timed_snapshot(bench: Bench) -> float:
    store = bench.new_store()
    try:
        started = time.perf_counter()
        await take_snapshot(store)
        return time.perf_counter() - started
    finally:
        await store.close()


async def measure_site(sizes: list[int]) -> list[SiteRow]:
    """One row a size: a fresh store reads the site, which is then written to a temporary
    folder."""
    rows = []
    for count in sizes:
        async with Bench(0.0) as bench:
            await seed_site(bench, count)
            snapshot = await _timed_snapshot(bench)
            store = bench.new_store()
            try:
                started = time.perf_counter()
                site = await read_site(store)
                read = time.perf_counter() - started
            finally:
                await store.close()
            assert len(site.objects) == count
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                files = site_files(site)
                size = write_site(Path(folder) / "site", files)
                written = time.perf_counter() - started
            rows.append(
                SiteRow(
                    count,
                    site.requests,
                    site.points,
                    len(files) + 1,
                    size,
                    read,
                    written,
                    snapshot,
                )
            )
    return rows


def site_table(rows: list[SiteRow]) -> list[str]:
    """The table, each size's times beside the smallest size's."""
    head = (
        f"{'N':>7}{'requests':>10}{'points':>8}{'files':>8}{'bytes':>12}"
        f"{'bytes/obj':>11}{'read s':>9}{'write s':>9}"
    )
    lines = ["Site (`ghstore site`: one read of the store, then every page written)", head]
    lines.append("-" * len(head))
    base = min(rows, key=lambda r: r.objects)
    for r in rows:
        lines.append(
            f"{r.objects:>7}{r.requests:>10}{r.points:>8}{r.files:>8}{r.bytes:>12,}"
            f"{r.bytes // r.objects:>11,}{r.read_seconds:>9.3f}{r.write_seconds:>9.3f}"
            f"  read {r.read_seconds / max(r.snapshot_seconds, 1e-9):.2f}x a snapshot's; "
            f"read {r.read_seconds / max(base.read_seconds, 1e-9):.1f}x, "
            f"write {r.write_seconds / max(base.write_seconds, 1e-9):.1f}x of N={base.objects}"
        )
    return lines
