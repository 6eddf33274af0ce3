"""Collections: a Repository owns one collection (a `collection:NAME` label) and touches
nothing outside it; listing it costs ceil(M/100) requests for its M objects."""

from __future__ import annotations

import math
from typing import Any

import pytest
from attrs import define

from ghstore import ConfigurationError, ObjectNotFound, Repository, Store
from ghstore.emulator import Emulator
from ghstore.processor import Processor


@define
class User:
    name: str
    age: int


@define
class Book:
    title: str


@define
class BookReview:
    stars: int


async def process(store: Store, object_id: str) -> None:
    number = (await store.get(object_id)).meta.issue_number
    await Processor(store).process(number)


async def labels_of(github: Any, number: int) -> set[str]:
    data = await github.data(
        "acme",
        """query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) {
        labels(first: 20) { nodes { name } } } } }""",
        n=number,
    )
    return {n["name"] for n in data["repository"]["issue"]["labels"]["nodes"]}


def test_without_collection_the_name_is_the_class_name_in_snake_case(store: Store) -> None:
    assert Repository(store, User).collection == "user"
    assert Repository(store, BookReview).collection == "book_review"
    assert Repository(store, User, collection="users").collection == "users"
    assert Repository(store, dict).collection is None  # the schemaless whole store


async def test_membership_is_a_label_beside_gh_store_s_own(store: Store, github: Any) -> None:
    users = Repository(store, User, collection="users")
    made = await users.create("alice", User("Alice", 30))
    assert made.meta.collection == "users"
    assert await labels_of(github, made.meta.issue_number) == {
        "gh-store",
        "stored-object",
        "UID:alice",
        "collection:users",
    }


async def test_a_typed_repository_and_untyped_updates_to_other_ids_in_one_unit_of_work_are_all_applied(
    store: Store,
) -> None:
    users = Repository(store, User, collection="users")
    await users.create("alice", User("Alice", 30))
    await store.create("bob", {"note": "untyped"})
    await store.create("carol", {"n": 1})
    alice = (await users.get("alice")).data
    alice.age = 31
    async with store.unit_of_work() as uow:
        uow.save(users, "alice", alice)
        uow.update("bob", {"note": "still untyped", "extra": [1, 2]})
        uow.update("carol", {"n": "not a number, and nobody minds"})
        await uow.commit()
    for object_id in ("alice", "bob", "carol"):
        await process(store, object_id)
    assert (await users.get("alice")).data == User("Alice", 31)
    assert (await store.get("bob")).data == {"note": "still untyped", "extra": [1, 2]}
    assert (await store.get("carol")).data == {"n": "not a number, and nobody minds"}
    for object_id in ("alice", "bob", "carol"):
        assert [h.status for h in await store.history(object_id)][-1] == "applied"


async def test_two_repositories_of_different_types_coexist(store: Store) -> None:
    users = Repository(store, User, collection="users")
    books = Repository(store, Book, collection="books")
    await users.create("alice", User("Alice", 30))
    await books.create("dune", Book("Dune"))
    await store.update("dune", {"title": "Dune Messiah"})
    await store.update("alice", {"age": 31})
    await process(store, "dune")
    await process(store, "alice")
    assert (await books.get("dune")).data == Book("Dune Messiah")
    assert (await users.get("alice")).data == User("Alice", 31)
    assert [b.meta.object_id async for b in books.list()] == ["dune"]
    assert [u.meta.object_id async for u in users.list()] == ["alice"]


async def test_a_repository_touches_nothing_outside_its_collection(store: Store) -> None:
    users = Repository(store, User, collection="users")
    await store.create("stranger", {"name": "S", "age": 1})
    with pytest.raises(ObjectNotFound, match="not in collection 'users'"):
        await users.get("stranger")
    with pytest.raises(ObjectNotFound):
        await users.save("stranger", User("S", 2))
    with pytest.raises(ObjectNotFound):
        await users.delete("stranger")
    assert (await store.get("stranger")).data == {"name": "S", "age": 1}


def test_one_collection_holds_one_record_type(store: Store) -> None:
    Repository(store, User, collection="people")
    Repository(store, User, collection="people")  # the same type again is fine
    with pytest.raises(ConfigurationError, match="holds User records"):
        Repository(store, Book, collection="people")


def test_a_collection_name_that_cannot_be_a_label_is_refused(store: Store) -> None:
    with pytest.raises(ConfigurationError, match="collection name"):
        Repository(store, User, collection="a,b")


async def test_listing_a_collection_costs_ceil_m_over_100_requests_whatever_else_is_stored(
    store: Store, emulator: Emulator
) -> None:
    members, others = 101, 30
    async with store.unit_of_work() as uow:
        for n in range(members):
            uow.create(f"u{n}", {"name": f"U{n}", "age": n}, collection="users")
        for n in range(others):
            uow.create(f"o{n}", {"n": n})
        await uow.commit()
    users = Repository(store, User, collection="users")
    emulator.controls.reset()
    listed = [u.meta.object_id async for u in users.list()]
    assert len(listed) == members
    assert emulator.controls.requests == math.ceil(members / 100) == 2
    emulator.controls.reset()
    everything = [o async for o in store.list()]
    assert len(everything) == members + others
    assert emulator.controls.requests == math.ceil((members + others) / 100)


async def test_a_deleted_member_leaves_the_collection_listing(store: Store) -> None:
    users = Repository(store, User, collection="users")
    await users.create("a", User("A", 1))
    await users.create("b", User("B", 2))
    await users.delete("a")
    assert [u.data async for u in users.list()] == [User("B", 2)]


async def test_a_schema_file_missing_from_the_repository_stops_the_processor_instead_of_skipping_the_check(
    server: Any,
) -> None:
    from support.helpers import store_for

    store = store_for(server, collections={"users": {"schema_file": "schemas/user.json"}})
    try:
        made = await store.create("alice", {"age": 30}, collection="users")
        await store.update("alice", {"age": "old"})
        with pytest.raises(ConfigurationError, match=r"schemas/user\.json"):
            await Processor(store).process(made.meta.issue_number)
        assert (await store.get("alice", include_pending=False)).data == {"age": 30}
    finally:
        await store.close()
