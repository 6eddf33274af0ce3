"""get_many: any number of objects in ceil(n/100) requests (aliased lookups, priced before
sending), each exactly as `get` reads it; ids that name no object are reported (or raised)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from attrs import define
from support.seeding import load_copies

from ghstore import InvalidUpdate, ObjectNotFound, Repository, Store
from ghstore.emulator import EmulatorServer

ADD_COMMENT = """mutation($s: ID!, $b: String!) {
  addComment(input: {subjectId: $s, body: $b}) { commentEdge { node { id } } } }"""


@define
class Person:
    name: str
    age: int


async def seeded(store: Store, server: EmulatorServer, count: int) -> list[str]:
    """`count` objects p000.. with data {"n": i}, loaded in bulk; their ids."""
    template = await store.create("template", {"n": -1})
    ids = [f"p{n:03}" for n in range(count)]
    load_copies(server.emulator, "acme/data", template, {i: {"n": n} for n, i in enumerate(ids)})
    return ids


async def requests_of(store: Store, work: Any) -> tuple[int, Any]:
    before = store.stats.requests
    result = await work
    return store.stats.requests - before, result


async def test_get_many_of_150_ids_takes_2_requests_and_gives_them_in_the_order_asked(
    store: Store, server: EmulatorServer
) -> None:
    ids = await seeded(store, server, 150)
    asked = list(reversed(ids))
    requests, found = await requests_of(store, store.get_many(asked))
    assert requests == 2
    assert [o.meta.object_id for o in found.objects] == asked
    assert [o.data for o in found.objects] == [{"n": int(i[1:])} for i in asked]
    assert found.missing == []


async def test_3_unknown_ids_among_150_are_reported_missing_in_the_same_2_requests(
    store: Store, server: EmulatorServer
) -> None:
    ids = await seeded(store, server, 147)
    asked = ["nobody-1", *ids[:70], "nobody-2", *ids[70:], "nobody-3"]
    requests, found = await requests_of(store, store.get_many(asked))
    assert requests == 2
    assert found.missing == ["nobody-1", "nobody-2", "nobody-3"]
    assert [o.meta.object_id for o in found] == ids
    assert set(found.by_id) == set(ids)


async def test_missing_raise_names_every_missing_id_in_one_object_not_found(
    store: Store, server: EmulatorServer
) -> None:
    ids = await seeded(store, server, 3)
    with pytest.raises(ObjectNotFound) as raised:
        await store.get_many([*ids, "ghost", "phantom"], missing="raise")
    assert raised.value.object_ids == ["ghost", "phantom"]
    assert "'ghost', 'phantom'" in raised.value.message


async def test_each_object_reads_exactly_as_get_reads_it_pending_updates_folded_by_the_same_trust(
    store: Store, server: EmulatorServer, github: Any
) -> None:
    ids = await seeded(store, server, 5)
    await store.update(ids[1], {"n": 100, "by": "acme"})  # pending, authorized: folded in
    outsider = json.dumps({"_data": {"n": -666}, "_meta": {"update_mode": "append"}})
    target = (await store.get(ids[2])).meta.node_id
    await github.data("eve", ADD_COMMENT, s=target, b=outsider)  # an outsider's: never folded
    found = await store.get_many(ids)
    assert found.objects == [await store.get(i) for i in ids]
    assert found.by_id[ids[1]].data == {"n": 100, "by": "acme"}
    assert found.by_id[ids[1]].meta.pending_updates == 1
    assert found.by_id[ids[2]].data == {"n": 2}


async def test_a_history_past_the_90_comments_read_costs_the_older_page_get_reads_too(
    store: Store,
) -> None:
    await store.create("long", {"n": 0})
    await store.create("short", {"n": 0})
    async with store.unit_of_work() as uow:
        for n in range(95):  # unprocessed: the processor's mark is 96 comments back
            uow.update("long", {"n": n + 1})
        await uow.commit()
    requests, found = await requests_of(store, store.get_many(["long", "short"]))
    assert requests == 2  # the batch, and the long one read again as get reads it
    assert found.objects == [await store.get("long"), await store.get("short")]
    assert found.by_id["long"].data == {"n": 95}
    assert found.by_id["long"].meta.pending_updates == 95


async def test_an_alias_resolves_to_its_target_one_round_later_as_get_resolves_it(
    store: Store,
) -> None:
    await store.create("alice", {"name": "Alice"})
    await store.canonical.create_alias("al", "alice")
    requests, found = await requests_of(store, store.get_many(["al", "nobody"]))
    assert requests == 2  # al and nobody; then al's target
    assert found.by_id["al"] == await store.get("al")
    assert found.by_id["al"].meta.object_id == "alice"
    assert found.missing == ["nobody"]
    requests, found = await requests_of(store, store.get_many(["al", "alice"]))
    assert requests == 1  # the target's answer is in hand already
    assert [o.meta.object_id for o in found] == ["alice", "alice"]


async def test_duplicate_ids_are_read_once_and_listed_once_and_no_ids_cost_nothing(
    store: Store,
) -> None:
    await store.create("a", {"x": 1})
    await store.create("b", {"x": 2})
    requests, found = await requests_of(store, store.get_many(["b", "a", "b", "a"]))
    assert requests == 1
    assert [o.meta.object_id for o in found] == ["b", "a"]
    requests, empty = await requests_of(store, store.get_many([]))
    assert (requests, empty.objects, empty.missing) == (0, [], [])


async def test_an_invalid_id_is_refused_before_anything_is_sent(store: Store) -> None:
    requests, _ = await requests_of(store, store.get_many([]))
    with pytest.raises(InvalidUpdate, match="white space"):
        await store.get_many(["fine", " padded "])
    assert store.stats.requests == requests


async def test_repository_get_many_gives_records_and_counts_other_collections_missing(
    store: Store,
) -> None:
    people = Repository(store, Person, collection="people")
    await people.create("ann", Person("Ann", 31))
    await people.create("ben", Person("Ben", 17))
    await store.create("loose", {"name": "not a person"})
    found = await people.get_many(["ben", "loose", "ann", "nobody"])
    assert [o.data for o in found] == [Person("Ben", 17), Person("Ann", 31)]
    assert found.missing == ["loose", "nobody"]
    with pytest.raises(ObjectNotFound) as raised:
        await people.get_many(["ann", "loose"], missing="raise")
    assert raised.value.object_ids == ["loose"]
