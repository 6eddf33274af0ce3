"""find and count over a collection: predicates evaluated over ONE listing of the collection
(ceil(M/100) requests for its M objects, whatever else the repository holds)."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import define, field
from support.seeding import load_copies

from ghstore import InvalidQuery, Repository, Store, where
from ghstore.emulator import EmulatorServer

CITIES = ("Paris", "Lyon", "Nice")


@define
class Address:
    city: str


@define
class Person:
    name: str
    age: int
    address: Address
    tags: list[str] = field(factory=list)


def person(n: int) -> dict[str, Any]:
    return {
        "name": f"P{n:03}",
        "age": n % 60,
        "address": {"city": CITIES[n % 3]},
        "tags": ["even"] if n % 2 == 0 else [],
    }


async def requests_of(store: Store, work: Any) -> tuple[int, Any]:
    before = store.stats.requests
    result = await work
    return store.stats.requests - before, result


@pytest.fixture
async def people(store: Store, server: EmulatorServer) -> Repository[Person]:
    """300 people (collection "person") among 1,000 objects, loaded in bulk."""
    repo = Repository(store, Person)
    template = await repo.create("template", Person("T", 99, Address("Nowhere")))
    others = await store.create("other-template", {"age": 20, "address": {"city": "Paris"}})
    load_copies(server.emulator, "acme/data", template, {f"p{n:03}": person(n) for n in range(299)})
    load_copies(server.emulator, "acme/data", others, {f"o{n:03}": None for n in range(699)})
    return repo


async def test_find_over_300_of_1000_objects_takes_3_requests_and_finds_exactly_the_matches(
    people: Repository[Person], store: Store
) -> None:
    requests, adults = await requests_of(
        store, people.find(where("age") >= 18, where("address.city") == "Paris")
    )
    assert requests == 3
    expected = sorted(f"p{n:03}" for n in range(299) if n % 60 >= 18 and CITIES[n % 3] == "Paris")
    assert sorted(o.meta.object_id for o in adults) == expected
    assert all(isinstance(o.data, Person) and o.data.age >= 18 for o in adults)
    requests, counted = await requests_of(store, people.count(where("tags").contains("even")))
    assert (requests, counted) == (3, 150)


async def test_find_membership_inequality_and_the_keyword_form(
    people: Repository[Person], store: Store
) -> None:
    found = await people.find(where("address.city").is_in(["Lyon", "Nice"]), age=7)
    expected = [f"p{n:03}" for n in range(299) if n % 60 == 7 and n % 3 != 0]
    assert sorted(o.meta.object_id for o in found) == expected
    assert await people.count(where("address.city") != "Paris") == 199 + 1  # the template
    assert await people.count() == 300
    assert await store.count("person", name="P001") == 1


async def test_an_unknown_field_of_the_record_is_refused_before_anything_is_sent(
    people: Repository[Person], store: Store
) -> None:
    before = store.stats.requests
    with pytest.raises(InvalidQuery, match="Person has no field 'agee'"):
        await people.find(where("agee") >= 18)
    with pytest.raises(InvalidQuery, match="Address has no field 'town'"):
        await people.count(where("address.town") == "Paris")
    assert store.stats.requests == before


async def test_comparing_a_string_field_with_a_number_names_the_path_and_the_object(
    people: Repository[Person],
) -> None:
    with pytest.raises(InvalidQuery) as raised:
        await people.find(where("name") > 5)
    assert raised.value.path == "name"
    assert raised.value.object_id == "template"


async def test_store_find_on_schemaless_objects_treats_an_absent_path_as_no_match(
    store: Store,
) -> None:
    await store.create("a", {"n": 1, "nested": {"k": "v"}})
    await store.create("b", {"n": 2})
    await store.update("b", {"n": 3})  # pending: folded in, as list folds it
    assert [o.meta.object_id for o in await store.find(None, where("nested.k") != "x")] == ["a"]
    assert [o.data for o in await store.find(None, where("n") > 2)] == [{"n": 3}]
