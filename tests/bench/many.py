"""The "Reads of many objects" table of `make bench`: requests and points of get_many, find
and count over one collection, and a listing, in a repository of 1,000 objects (300 of them
in the collection `person`), before and after the listing's cheaper first look.

"before" is what the same reads cost without ghstore's new ways: 150 gets one by one, and
listing pages that read the newest 90 comments of every object (Issues.first_look = 90)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from attrs import frozen
from support.seeding import load_copies

from ghstore import Store, where
from ghstore.github.issues import LISTING_WINDOW

from .ghstore_side import REPO, Bench

__all__ = ["ManyRow", "many_table", "measure_many"]


@frozen
class ManyRow:
    """One read: exact requests and points, before and after (None: no before)."""

    operation: str
    requests: int
    points: int
    before_requests: int | None = None
    before_points: int | None = None


async def _seed(bench: Bench, members: int, others: int) -> None:
    assert bench.store is not None
    person = await bench.store.create("person-template", {"age": 0}, collection="person")
    other = await bench.store.create("other-template", {"age": 0})
    people = {
        f"p{n:04}": {"age": n % 60, "city": ("Paris", "Lyon")[n % 2]} for n in range(members - 1)
    }
    load_copies(bench.emulator, REPO, person, people)
    load_copies(bench.emulator, REPO, other, dict.fromkeys(f"o{n:04}" for n in range(others - 1)))


async def _cost(
    bench: Bench, work: Callable[[Store], Awaitable[Any]], first_look: int = 0
) -> tuple[int, int]:
    """(requests, points) of `work` on a fresh Store (`first_look`: comments a listing page reads of each object, when not the default)."""
    store = bench.new_store()
    try:
        if first_look:
            store.issues.first_look = first_look
        await work(store)
        return store.stats.requests, store.stats.points
    finally:
        await store.close()


async def measure_many(members: int = 300, total: int = 1000, asked: int = 150) -> list[ManyRow]:
    """The table's rows, on one local GitHub of `total` objects, `members` of them people."""
    async with Bench(0.0) as bench:
        await _seed(bench, members, total - members)
        ids = [f"p{n:04}" for n in range(asked)]

        async def one_by_one(store: Store) -> None:
            for object_id in ids:
                await store.get(object_id)

        async def get_many(store: Store) -> None:
            assert len(await store.get_many(ids)) == asked

        async def find(store: Store) -> None:
            await store.find("person", where("age") >= 18, city="Paris")

        async def count(store: Store) -> None:
            await store.count("person", where("age") < 18)

        async def list_all(store: Store) -> None:
            assert len([o async for o in store.list()]) == total

        rows = [
            ManyRow(
                f"get_many {asked}", *await _cost(bench, get_many), *await _cost(bench, one_by_one)
            )
        ]
        for name, work in (
            (f"find, {members} of {total}", find),
            (f"count, {members} of {total}", count),
            (f"list of {total}", list_all),
        ):
            rows.append(
                ManyRow(name, *await _cost(bench, work), *await _cost(bench, work, LISTING_WINDOW))
            )
        return rows


def many_table(rows: list[ManyRow]) -> list[str]:
    """The table: each read's requests and points, and what the same read cost before."""
    head = f"{'read':<24}{'requests':>10}{'points':>8}{'before: requests':>18}{'points':>8}"
    lines = [
        "Reads of many objects (1,000 objects, 300 in the collection; before: 150 single gets, listing pages reading 90 comments an object)",
        head,
        "-" * len(head),
    ]
    for r in rows:
        before = (
            f"{r.before_requests:>18}{r.before_points:>8}"
            if r.before_requests is not None
            else f"{'-':>18}{'-':>8}"
        )
        lines.append(f"{r.operation:<24}{r.requests:>10}{r.points:>8}{before}")
    return lines
