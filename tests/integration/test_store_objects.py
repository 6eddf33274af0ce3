"""The async Store over real HTTP: create, get, update, delete, list and history."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support.helpers import store_for

from ghstore import (
    DuplicateUIDError,
    InvalidUpdate,
    ObjectNotFound,
    ObjectTooLarge,
    Store,
)
from ghstore.emulator import Emulator, EmulatorServer

ISSUE_QUERY = """query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) {
  title body state labels(first: 20) { nodes { name color } }
  comments(first: 20) { nodes { body reactions(first: 10) { nodes { content user { login } } } } } } } }"""


async def issue(github: Any, number: int) -> dict[str, Any]:
    data = await github.data("acme", ISSUE_QUERY, n=number)
    return data["repository"]["issue"]  # type: ignore[no-any-return]


async def test_create_writes_gh_store_format_and_settles_the_object(
    store: Store, github: Any
) -> None:
    created = await store.create("alice", {"name": "Alice", "tags": ["a"]})
    raw = await issue(github, created.meta.issue_number)
    assert raw["title"] == "Stored Object: alice"
    assert raw["body"] == json.dumps({"name": "Alice", "tags": ["a"]}, indent=2)
    assert raw["state"] == "CLOSED"
    labels = {label["name"]: label["color"] for label in raw["labels"]["nodes"]}
    assert labels == {"stored-object": "0366d6", "gh-store": "6f42c1", "UID:alice": "0366d6"}
    (initial,) = raw["comments"]["nodes"]
    envelope = json.loads(initial["body"])
    assert envelope["_data"] == {"name": "Alice", "tags": ["a"]}
    assert envelope["type"] == "initial_state"  # top level, as gh-store 0.11.3 writes it
    assert envelope["_meta"]["update_mode"] == "append"
    assert envelope["_meta"]["issue_number"] == created.meta.issue_number
    assert {r["content"] for r in initial["reactions"]["nodes"]} == {"THUMBS_UP", "ROCKET"}
    assert created.meta.state == "CLOSED"
    assert created.meta.version == 1


async def test_get_returns_a_settled_object(store: Store) -> None:
    await store.create("alice", {"name": "Alice"})
    got = await store.get("alice")
    assert got.data == {"name": "Alice"}
    assert got.meta.object_id == "alice"
    assert got.meta.label == "UID:alice"
    assert got.meta.state == "CLOSED"
    assert got.meta.node_id.startswith("I_")


async def test_get_of_an_unknown_id_raises_object_not_found(store: Store) -> None:
    with pytest.raises(ObjectNotFound) as caught:
        await store.get("nobody")
    assert caught.value.object_id == "nobody"
    assert "nobody" in str(caught.value)


async def test_update_posts_an_enveloped_comment_and_reopens_the_issue(
    store: Store, github: Any
) -> None:
    created = await store.create(
        "alice", {"name": "Alice", "profile": {"theme": "dark", "size": 1}}
    )
    await store.update("alice", {"profile": {"size": 2}})
    raw = await issue(github, created.meta.issue_number)
    assert raw["state"] == "OPEN"
    update = json.loads(raw["comments"]["nodes"][-1]["body"])
    assert update["_data"] == {"profile": {"size": 2}}
    assert update["_meta"]["update_mode"] == "append"
    assert update["_meta"]["issue_number"] == created.meta.issue_number
    assert "type" not in update["_meta"]
    assert raw["body"] == json.dumps(
        {"name": "Alice", "profile": {"theme": "dark", "size": 1}}, indent=2
    )


async def test_get_folds_pending_authorized_updates_by_default(store: Store) -> None:
    await store.create("alice", {"name": "Alice", "profile": {"theme": "dark", "size": 1}})
    await store.update("alice", {"profile": {"size": 2}})
    await store.update("alice", {"tags": ["x"]})
    got = await store.get("alice")
    assert got.data == {"name": "Alice", "profile": {"theme": "dark", "size": 2}, "tags": ["x"]}
    assert got.meta.pending_updates == 2
    assert got.meta.state == "OPEN"
    stored_only = await store.get("alice", include_pending=False)
    assert stored_only.data == {"name": "Alice", "profile": {"theme": "dark", "size": 1}}


async def test_an_outsiders_update_is_not_folded_into_get(
    server: EmulatorServer, store: Store
) -> None:
    await store.create("alice", {"name": "Alice"})
    outsider = store_for(server, "eve")
    try:
        await outsider.update("alice", {"name": "Mallory"})
    finally:
        await outsider.close()
    got = await store.get("alice")
    assert got.data == {"name": "Alice"}
    assert got.meta.pending_updates == 0


async def test_create_of_an_existing_id_raises_duplicate_and_leaves_one_object(
    store: Store,
) -> None:
    await store.create("alice", {"v": 1})
    with pytest.raises(DuplicateUIDError) as caught:
        await store.create("alice", {"v": 2})
    assert caught.value.object_id == "alice"
    assert (await store.get("alice")).data == {"v": 1}
    assert [o.meta.object_id async for o in store.list()] == ["alice"]


async def test_delete_archives_the_object_and_it_is_no_longer_found(
    store: Store, github: Any
) -> None:
    created = await store.create("alice", {"v": 1})
    await store.delete("alice")
    raw = await issue(github, created.meta.issue_number)
    assert raw["state"] == "CLOSED"
    assert {label["name"] for label in raw["labels"]["nodes"]} == {
        "archived",
        "gh-store",
        "UID:alice",
    }
    with pytest.raises(ObjectNotFound):
        await store.get("alice")


async def test_deleting_twice_raises_object_not_found_not_a_remote_error(store: Store) -> None:
    await store.create("alice", {"v": 1})
    await store.delete("alice")
    with pytest.raises(ObjectNotFound):
        await store.delete("alice")


async def test_an_id_can_be_created_again_after_delete(store: Store) -> None:
    await store.create("alice", {"v": 1})
    await store.delete("alice")
    again = await store.create("alice", {"v": 2})
    assert (await store.get("alice")).data == {"v": 2}
    assert again.meta.issue_number != 1


async def test_an_empty_store_lists_nothing(store: Store) -> None:
    assert [o async for o in store.list()] == []


async def test_list_yields_settled_and_open_objects_but_not_archived_ones(store: Store) -> None:
    for name in ("a", "b", "c"):
        await store.create(name, {"name": name})
    await store.update("b", {"x": 1})  # open: updates waiting
    await store.delete("c")
    listed = {o.meta.object_id: o async for o in store.list()}
    assert set(listed) == {"a", "b"}
    assert listed["b"].meta.state == "OPEN"
    assert listed["a"].data == {"name": "a"}


@pytest.mark.slow
async def test_list_pages_past_one_hundred_objects(
    emulator: Emulator, server: EmulatorServer
) -> None:
    seed = store_for(server)
    try:
        for number in range(130):
            await seed.create(f"obj-{number:03}", {"n": number})
        emulator.controls.reset()
        listed = [o.meta.object_id async for o in seed.list()]
    finally:
        await seed.close()
    assert listed == [f"obj-{number:03}" for number in range(130)]
    assert emulator.controls.requests == 2
    # each page: 100 objects with their labels, newest 10 comments and the marks on them (the
    # newest 90 of an object with more come in one more request a page: none has more here)
    assert emulator.controls.points == 2 * round((1 + 100 + 100 + 100 * 10) / 100)


async def test_history_marks_applied_pending_and_rejected_updates(
    server: EmulatorServer, store: Store
) -> None:
    await store.create("alice", {"v": 1})
    await store.update("alice", {"v": 2})
    outsider = store_for(server, "eve")
    try:
        await outsider.update("alice", {"v": 666})
    finally:
        await outsider.close()
    history = await store.history("alice")
    assert [(e.kind, e.status) for e in history] == [
        ("initial_state", "applied"),
        ("update", "pending"),
        ("update", "rejected"),
    ]
    assert history[0].data == {"v": 1}
    assert history[2].author == "eve"
    assert history[2].reason is not None and "eve" in history[2].reason


@pytest.mark.parametrize(
    "object_id",
    ["", "x" * 47, " padded", "tab\there", "a,b"],
    ids=["empty", "too-long-for-a-label", "padded", "control-character", "comma"],
)
async def test_an_id_that_cannot_be_a_label_is_refused_before_any_request(
    emulator: Emulator, store: Store, object_id: str
) -> None:
    emulator.controls.reset()
    with pytest.raises(InvalidUpdate):
        await store.create(object_id, {"v": 1})
    assert emulator.controls.requests == 0


async def test_the_longest_id_a_label_can_hold_is_accepted(store: Store) -> None:
    longest = "x" * 46
    await store.create(longest, {"v": 1})
    assert (await store.get(longest)).meta.label == f"UID:{longest}"


async def test_data_that_is_not_json_is_refused_before_any_request(
    emulator: Emulator, store: Store
) -> None:
    emulator.controls.reset()
    with pytest.raises(InvalidUpdate):
        await store.create("alice", {"when": object()})
    with pytest.raises(InvalidUpdate):
        await store.create("alice", {"x": float("nan")})
    assert emulator.controls.requests == 0


async def test_an_update_over_the_comment_limit_is_refused_before_any_request(
    emulator: Emulator, store: Store
) -> None:
    await store.create("obj", {"v": 1})
    emulator.controls.reset()
    with pytest.raises(ObjectTooLarge) as caught:
        await store.update("obj", {"blob": "x" * 65_536})
    assert caught.value.limit == 65_536
    assert emulator.controls.requests == 0
