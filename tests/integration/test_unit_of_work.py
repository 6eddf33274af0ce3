"""UnitOfWork: many changes in one commit, as few requests as GraphQL allows, and an exact
account of what landed when part of a commit fails."""

from __future__ import annotations

import json
from typing import Any

import pytest
from attrs import define
from support.helpers import FAST_CONFIG

from ghstore import (
    CommitError,
    DuplicateUIDError,
    GitHubStore,
    InvalidUpdate,
    ObjectNotFound,
    Repository,
    Store,
)
from ghstore.config import parse_config
from ghstore.emulator import Emulator


@define
class Item:
    name: str
    qty: int


async def comment_bodies(github: Any, number: int) -> list[dict[str, Any]]:
    data = await github.data(
        "acme",
        'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { comments(first: 100) { nodes { body } } } } }',
        n=number,
    )
    return [json.loads(c["body"]) for c in data["repository"]["issue"]["comments"]["nodes"]]


async def test_twenty_updates_to_existing_objects_are_one_request(
    store: Store, emulator: Emulator
) -> None:
    for n in range(20):
        await store.create(f"o{n}", {"n": n})
    emulator.controls.reset()
    async with store.unit_of_work() as uow:
        for n in range(20):
            uow.update(f"o{n}", {"n": n + 100})
        await uow.commit()
    assert emulator.controls.requests == 1
    assert emulator.controls.field_counts() == {"addComment": 20, "reopenIssue": 20}
    assert [(await store.get(f"o{n}")).data["n"] for n in (0, 19)] == [100, 119]


async def test_twenty_creates_are_at_most_five_requests(store: Store, emulator: Emulator) -> None:
    await store.create("warm", {})  # the repository and its labels are known from here on
    emulator.controls.reset()
    async with store.unit_of_work() as uow:
        for n in range(20):
            uow.create(f"new{n}", {"n": n})
        landed = await uow.commit()
    assert len(landed) == 20
    # the id claims, the issues, labels and initial states, the marks (and the claims'
    # release: 60 calls, two requests of at most 50)
    assert emulator.controls.requests <= 5
    listed = {o.meta.object_id: o.data async for o in store.list()}
    assert listed["new7"] == {"n": 7}
    assert len(listed) == 21


async def test_creates_updates_saves_and_deletes_across_repositories_in_one_commit(
    store: Store,
) -> None:
    items = Repository(store, Item, collection="items")
    await items.create("item:a", Item("apple", 1))
    await store.create("doc", {"v": 1})
    await store.create("gone", {"v": 0})
    apple = (await items.get("item:a")).data
    apple.qty = 5
    async with store.unit_of_work() as uow:
        uow.create("item:b", Item("banana", 2))
        uow.save(items, "item:a", apple)
        uow.update("doc", {"v": 2})
        uow.delete("gone")
        await uow.commit()
    assert (await items.get("item:a")).data == Item("apple", 5)
    assert (await items.get("item:b")).data == Item("banana", 2)
    assert (await store.get("doc")).data == {"v": 2}
    with pytest.raises(ObjectNotFound):
        await store.get("gone")


async def test_nothing_is_sent_before_commit_or_when_the_block_raises(
    store: Store, emulator: Emulator
) -> None:
    await store.create("a", {"v": 1})
    emulator.controls.reset()
    with pytest.raises(RuntimeError):
        async with store.unit_of_work() as uow:
            uow.update("a", {"v": 2})
            uow.create("b", {"v": 1})
            assert emulator.controls.requests == 0
            raise RuntimeError("changed my mind")
    async with store.unit_of_work() as uow:
        uow.update("a", {"v": 3})  # leaving the block without commit() rolls back
    assert emulator.controls.requests == 0
    assert uow.changes == []
    assert (await store.get("a")).data == {"v": 1}


async def test_bad_input_is_refused_when_registered(store: Store) -> None:
    async with store.unit_of_work() as uow:
        with pytest.raises(InvalidUpdate):
            uow.create("", {"v": 1})
        with pytest.raises(InvalidUpdate):
            uow.update("x", {"blob": "y" * 70_000})  # more than a comment holds
        with pytest.raises(InvalidUpdate):
            uow.save(Repository(store, Item), "x", {"name": "n", "qty": "many"})


async def test_a_partly_failed_commit_says_what_landed_and_committing_again_is_safe(
    store: Store, emulator: Emulator, github: Any
) -> None:
    existing = await store.create("taken", {"v": 1})
    await store.create("a", {"v": 1})
    uow = store.unit_of_work()
    uow.update("a", {"v": 2})
    uow.create("taken", {"v": 2})
    uow.update("missing", {"v": 1})
    uow.create("fresh", {"v": 1})
    with pytest.raises(CommitError) as caught:
        await uow.commit()
    assert sorted(c.object_id for c in caught.value.landed) == ["a", "fresh"]
    failed = {c.object_id: c.error for c in caught.value.failed}
    assert isinstance(failed["taken"], DuplicateUIDError)
    assert isinstance(failed["missing"], ObjectNotFound)
    emulator.controls.reset()
    with pytest.raises(CommitError):
        await uow.commit()  # the failures stay failed; nothing that landed is sent again
    assert "addComment" not in emulator.controls.field_counts()
    assert (await store.get("taken")).data == {"v": 1}
    assert [b["_data"] for b in await comment_bodies(github, existing.meta.issue_number)] == [
        {"v": 1}
    ]


@pytest.mark.slow
def test_the_synchronous_store_has_a_unit_of_work_too(served: str) -> None:
    with GitHubStore(
        "acme/data", token="t1", api_url=served, config=parse_config(FAST_CONFIG)
    ) as gh:
        with gh.unit_of_work() as uow:
            uow.create("sync-uow-1", {"a": 1})
            uow.create("sync-uow-2", {"a": 2})
            uow.commit()
        assert gh.get("sync-uow-2").data == {"a": 2}
