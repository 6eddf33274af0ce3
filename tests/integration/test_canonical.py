"""Canonical objects: aliases, merges and deduplication that work, in gh-store's vocabulary."""

from __future__ import annotations

from typing import Any

import pytest
from support.helpers import store_for

from ghstore import CanonicalizationError, ObjectNotFound, Store
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.processor import Processor

LABELS = 'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { state labels(first: 20) { nodes { name } } } } }'


async def labels_of(github: Any, number: int) -> tuple[str, set[str]]:
    data = (await github.data("acme", LABELS, n=number))["repository"]["issue"]
    return data["state"], {n["name"] for n in data["labels"]["nodes"]}


async def test_get_and_update_on_an_alias_act_on_the_canonical_object(store: Store) -> None:
    await store.create("alice", {"name": "Alice"})
    plan = await store.canonical.create_alias("al", "alice")
    assert plan.done
    got = await store.get("al")
    assert got.data == {"name": "Alice"}
    assert got.meta.object_id == "alice"
    await store.update("al", {"age": 30})
    assert (await store.get("alice")).data == {"name": "Alice", "age": 30}
    assert await store.canonical.resolve("al") == "alice"


async def test_an_existing_object_can_become_an_alias_with_gh_stores_label(
    store: Store, github: Any
) -> None:
    await store.create("alice", {"v": 1})
    old = await store.create("alice-old", {"v": 0})
    await store.canonical.create_alias("alice-old", "alice")
    _, names = await labels_of(github, old.meta.issue_number)
    assert "ALIAS-TO:alice" in names
    assert (await store.get("alice-old")).data == {"v": 1}


async def test_aliases_are_not_listed_and_are_found_without_wildcards(
    store: Store, emulator: Emulator
) -> None:
    await store.create("alice", {"v": 1})
    await store.canonical.create_alias("al", "alice")
    await store.canonical.create_alias("ally", "al")  # an alias of an alias points to the canonical
    assert [o.meta.object_id async for o in store.list()] == ["alice"]
    emulator.controls.reset()
    assert await store.canonical.find_aliases() == {"al": "alice", "ally": "alice"}
    assert emulator.controls.requests == 1


async def test_an_alias_cycle_or_self_alias_is_refused(store: Store) -> None:
    await store.create("a", {})
    await store.canonical.create_alias("b", "a")
    with pytest.raises(CanonicalizationError):
        await store.canonical.create_alias("a", "b")
    with pytest.raises(CanonicalizationError):
        await store.canonical.create_alias("a", "a")


async def test_an_alias_to_a_missing_object_is_refused(store: Store) -> None:
    with pytest.raises(ObjectNotFound):
        await store.canonical.create_alias("x", "nobody")


async def test_dry_run_changes_nothing(store: Store, emulator: Emulator) -> None:
    await store.create("alice", {"v": 1})
    await store.create("bob", {"w": 2})
    emulator.controls.reset()
    plans = [
        await store.canonical.create_alias("al", "alice", dry_run=True),
        await store.canonical.merge("bob", "alice", dry_run=True),
        await store.canonical.deduplicate("alice", dry_run=True),
    ]
    assert all(p.dry_run and not p.done and p.steps for p in plans)
    assert not any(r.kind == "mutation" for r in emulator.controls.log)
    with pytest.raises(ObjectNotFound):
        await store.get("al")


async def test_merge_posts_the_source_state_as_an_update_and_retires_the_source(
    store: Store, github: Any
) -> None:
    target = await store.create("alice", {"name": "Alice", "tags": ["a"]})
    source = await store.create("alice2", {"email": "a@x", "tags": ["b"]})
    await store.update("alice2", {"phone": "1"})  # pending on the source: merged too
    plan = await store.canonical.merge("alice2", "alice")
    assert plan.done
    state, names = await labels_of(github, source.meta.issue_number)
    assert state == "CLOSED"
    assert names == {
        "gh-store",
        "UID:alice2",
        "deprecated-object",
        "MERGED-INTO:alice",
        f"DEPRECATED-BY:{target.meta.issue_number}",
    }
    await Processor(store).process(target.meta.issue_number)
    merged = {"name": "Alice", "tags": ["b"], "email": "a@x", "phone": "1"}
    assert (await store.get("alice", include_pending=False)).data == merged
    assert (await store.get("alice2")).data == merged  # the retired id resolves to its target


async def test_merged_updates_go_through_the_same_authorization(
    server: EmulatorServer, store: Store
) -> None:
    await store.create("alice", {"v": 1})
    await store.create("dup", {"v": 2})
    outsider = store_for(server, "eve")
    try:
        await outsider.update("dup", {"evil": True})
    finally:
        await outsider.close()
    await store.canonical.merge("dup", "alice")
    assert (await store.get("alice")).data == {"v": 2}


async def test_find_duplicates_and_deduplicate_keep_the_oldest_and_lose_nothing(
    store: Store, github: Any
) -> None:
    from test_gh_store_format import gh_store_object

    first = await gh_store_object(github, "twice", {"a": 1}, [])
    second = await gh_store_object(github, "twice", {"b": 2}, [])
    await store.create("single", {})
    assert await store.canonical.find_duplicates() == {"twice": [first, second]}
    plan = await store.canonical.deduplicate("twice")
    assert plan.done
    assert await store.canonical.find_duplicates() == {}
    state, names = await labels_of(github, second)
    assert (state, "deprecated-object" in names, "MERGED-INTO:twice" in names) == (
        "CLOSED",
        True,
        True,
    )
    await Processor(store).process(first)
    assert (await store.get("twice", include_pending=False)).data == {"a": 1, "b": 2}


async def test_ids_too_long_for_an_alias_label_are_refused_clearly(store: Store) -> None:
    long_id = "x" * 45
    await store.create(long_id, {})
    with pytest.raises(CanonicalizationError, match="50"):
        await store.canonical.create_alias("short", long_id)


def test_the_cli_has_a_subcommand_for_each_operation_and_honours_dry_run(cli: Any) -> None:
    assert cli("create", "a", '{"x": 1}').code == 0
    assert cli("create", "b", '{"y": 2}').code == 0
    for argv in (("alias", "al", "a"), ("merge", "b", "a"), ("deduplicate", "a")):
        dry = cli(*argv, "--dry-run")
        assert dry.code == 0, dry
        assert (
            dry.json()["dry_run"] is True
            if isinstance(dry.json(), dict)
            else all(p["dry_run"] for p in dry.json())
        )
        assert "would in local/store (the embedded local GitHub in " in dry.err
    assert cli("get", "al").code == 1  # the dry run made no alias
    assert cli("alias", "al", "a").code == 0
    assert cli("merge", "b", "a").code == 0
    assert cli("resolve", "al").json() == {"object_id": "al", "canonical_id": "a"}
    assert cli("resolve", "b").json() == {"object_id": "b", "canonical_id": "a"}
    assert cli("find-aliases").json() == {"al": "a"}
    assert cli("find-duplicates", "--dry-run").json() == {}
    assert cli("get", "al").json()["data"] == {"x": 1, "y": 2}
