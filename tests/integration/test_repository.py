"""Typed records: Repository[T] maps stored objects to the user's attrs classes."""

from __future__ import annotations

from typing import Any

import pytest
from attrs import define, field

from ghstore import InvalidUpdate, Repository, Store
from ghstore.emulator import Emulator


@define
class Settings:
    theme: str
    size: int = 1


@define
class User:
    name: str
    age: int
    settings: Settings = field(factory=lambda: Settings("light"))
    tags: list[str] = field(factory=list)


class Users(Repository[User]):
    """Subclass form: the record type comes from the type argument."""


async def test_create_then_get_round_trips_a_typed_record(store: Store) -> None:
    users = Repository(store, User)
    await users.create("alice", User("Alice", 30, Settings("dark", 2), ["admin"]))
    got = await users.get("alice")
    assert got.data == User("Alice", 30, Settings("dark", 2), ["admin"])
    assert got.meta.object_id == "alice"


async def test_a_repository_subclass_takes_its_record_type_from_the_type_argument(
    store: Store,
) -> None:
    users = Users(store)
    assert users.record_type is User
    await users.create("bob", User("Bob", 4))
    assert (await users.get("bob")).data.name == "Bob"


async def test_save_posts_only_the_changed_fields(
    store: Store, emulator: Emulator, github: Any
) -> None:
    users = Repository(store, User)
    created = await users.create("alice", User("Alice", 30))
    user = (await users.get("alice")).data
    user.settings.size = 5
    emulator.controls.reset()
    assert await users.save("alice", user) is True
    assert emulator.controls.field_counts() == {"addComment": 1, "reopenIssue": 1}
    comments = await github.data(
        "acme",
        """query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) {
        comments(last: 1) { nodes { body } } } } }""",
        n=created.meta.issue_number,
    )
    import json

    (last,) = comments["repository"]["issue"]["comments"]["nodes"]
    assert json.loads(last["body"])["_data"] == {"settings": {"size": 5}}
    assert (await users.get("alice")).data.settings == Settings("light", 5)


async def test_save_without_a_change_sends_no_write(store: Store, emulator: Emulator) -> None:
    users = Repository(store, User)
    await users.create("alice", User("Alice", 30))
    user = (await users.get("alice")).data
    emulator.controls.reset()
    assert await users.save("alice", user) is False
    assert emulator.controls.requests == 0


async def test_a_stored_object_that_does_not_fit_the_record_names_the_field_path(
    store: Store,
) -> None:
    await store.create(
        "broken", {"name": "X", "age": 3, "settings": {"theme": 7}}, collection="user"
    )
    with pytest.raises(InvalidUpdate) as caught:
        await Repository(store, User).get("broken")
    assert caught.value.path == "$.settings.theme"
    assert caught.value.object_id == "broken"


async def test_an_update_that_would_not_fit_the_record_is_refused_before_posting(
    store: Store, emulator: Emulator
) -> None:
    users = Repository(store, User)
    await users.create("alice", User("Alice", 30))
    emulator.controls.reset()
    with pytest.raises(InvalidUpdate) as caught:
        await users.update("alice", {"age": "thirty"})
    assert caught.value.path == "$.age"
    assert "addComment" not in emulator.controls.field_counts()


async def test_update_applies_partial_changes_to_a_typed_record(store: Store) -> None:
    users = Repository(store, User)
    await users.create("alice", User("Alice", 30))
    updated = await users.update("alice", {"settings": {"theme": "dark"}})
    assert updated.data.settings == Settings("dark", 1)
    assert (await users.get("alice")).data.settings == Settings("dark", 1)


async def test_list_and_delete_work_on_typed_records(store: Store) -> None:
    users = Repository(store, User)
    await users.create("a", User("A", 1))
    await users.create("b", User("B", 2))
    await users.delete("a")
    assert [u.data async for u in users.list()] == [User("B", 2)]


async def test_history_of_a_typed_repository_lists_the_initial_state(store: Store) -> None:
    users = Repository(store, User)
    await users.create("a", User("A", 1))
    (entry,) = await users.history("a")
    assert entry.kind == "initial_state"
    assert entry.data == {
        "name": "A",
        "age": 1,
        "settings": {"theme": "light", "size": 1},
        "tags": [],
    }


async def test_a_dict_repository_keeps_schemaless_json(store: Store) -> None:
    docs = Repository(store, dict)
    await docs.create("doc", {"anything": [1, {"goes": True}]})
    doc = (await docs.get("doc")).data
    doc["anything"].append(2)
    assert await docs.save("doc", doc)
    assert (await docs.get("doc")).data == {"anything": [1, {"goes": True}, 2]}


def test_a_repository_without_a_record_type_is_a_type_error(store: Store) -> None:
    with pytest.raises(TypeError):
        Repository(store)
