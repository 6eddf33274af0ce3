"""Deletions, optimistic concurrency, a failed commit retried, and one metadata truth."""

from __future__ import annotations

import json
from typing import Any

import pytest
from attrs import define, field
from support.helpers import store_for

from ghstore import ConcurrentUpdateError, InvalidUpdate, Repository, Store
from ghstore.domain.format import update_comment
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.exceptions import RateLimitExceeded
from ghstore.github import calls
from ghstore.processor import Processor
from ghstore.store.snapshot import take_snapshot


@define
class Team:
    name: str
    members: dict[str, str] = field(factory=dict)


async def process(store: Store, object_id: str) -> Any:
    number = (await store.get(object_id)).meta.issue_number
    return await Processor(store).process(number)


# -- deletions -------------------------------------------------------------------------------


async def test_removing_a_key_through_save_removes_it_on_the_next_read(store: Store) -> None:
    teams = Repository(store, Team, collection="teams")
    await teams.create("core", Team("Core", {"alice": "lead", "bob": "dev"}))
    team = (await teams.get("core")).data
    del team.members["bob"]
    assert await teams.save("core", team) is True
    assert (await teams.get("core")).data == Team("Core", {"alice": "lead"})  # pending, folded
    await process(store, "core")
    assert (await teams.get("core")).data == Team("Core", {"alice": "lead"})
    assert (await store.get("core", include_pending=False)).data == {
        "name": "Core",
        "members": {"alice": "lead"},
    }


async def test_a_removal_is_applied_in_order_with_other_updates(store: Store) -> None:
    await store.create("obj", {"a": 1, "nested": {"x": 1, "y": 2}})
    await store.update("obj", {"b": 2}, remove=["a", ("nested", "x")])
    await store.update("obj", {"a": "back"})
    await store.update("obj", {}, remove=["b"])
    expected = {"a": "back", "nested": {"y": 2}}
    assert (await store.get("obj")).data == expected
    await process(store, "obj")
    assert (await store.get("obj", include_pending=False)).data == expected


async def test_a_removal_is_carried_in_meta_where_gh_store_0_11_ignores_it(
    store: Store, github: Any
) -> None:
    made = await store.create("obj", {"a": 1, "b": 2})
    await store.update("obj", {"c": 3}, remove=["a"])
    data = await github.data(
        "acme",
        """query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) {
        comments(last: 1) { nodes { body } } } } }""",
        n=made.meta.issue_number,
    )
    body = json.loads(data["repository"]["issue"]["comments"]["nodes"][0]["body"])
    assert body["_data"] == {"c": 3}
    assert body["_meta"]["remove"] == [["a"]]


async def test_a_non_string_key_is_refused_before_anything_is_sent(
    store: Store, emulator: Emulator
) -> None:
    await store.create("obj", {"v": 0})
    emulator.controls.reset()
    with pytest.raises(InvalidUpdate, match="keys must be strings, got int 1"):
        await store.update("obj", {"nested": {1: "x"}})
    with pytest.raises(InvalidUpdate, match="keys must be strings"):
        await store.create("other", {2: "y"})  # type: ignore[dict-item]
    assert emulator.controls.requests == 0


# -- optimistic concurrency ----------------------------------------------------------------


async def test_two_writers_saving_one_record_read_at_one_version_one_lands_and_none_is_lost(
    server: EmulatorServer,
) -> None:
    first, second = store_for(server), store_for(server, "bob")
    try:
        await first.create("core", {"name": "Core", "members": {}}, collection="teams")
        mine = Repository(first, Team, collection="teams", check_versions=True)
        theirs = Repository(second, Team, collection="teams", check_versions=True)
        a, b = (await mine.get("core")), (await theirs.get("core"))
        assert a.meta.version == b.meta.version == 1
        a.data.members["alice"] = "lead"
        b.data.members["bob"] = "dev"
        assert await mine.save("core", a.data) is True
        with pytest.raises(ConcurrentUpdateError) as caught:
            await theirs.save("core", b.data)
        assert (caught.value.expected, caught.value.actual) == (1, 2)
        again = (await theirs.get("core")).data  # read, reapply, save: nothing is lost
        again.members["bob"] = "dev"
        assert await theirs.save("core", again) is True
        await process(first, "core")
        assert (await mine.get("core")).data.members == {"alice": "lead", "bob": "dev"}
        assert (await first.get("core")).meta.version == 3
    finally:
        await first.close()
        await second.close()


async def test_an_update_against_a_stale_version_is_refused_before_anything_is_sent(
    store: Store, emulator: Emulator
) -> None:
    await store.create("obj", {"v": 0})
    await store.update("obj", {"v": 1}, expected_version=1)
    emulator.controls.reset()
    with pytest.raises(ConcurrentUpdateError, match="version 2, not 1"):
        await store.update("obj", {"v": 2}, expected_version=1)
    assert "addComment" not in emulator.controls.field_counts()


async def test_the_processor_refuses_an_update_whose_race_slipped_past_the_client(
    store: Store,
) -> None:
    made = await store.create("obj", {"v": 0})
    await store.update("obj", {"v": 1}, expected_version=1)
    # A second writer read version 1 too and posted before seeing the first update.
    stale = update_comment({"v": "stale"}, made.meta.issue_number, "obj", expected_version=1)
    await store.issues.send(calls.add_comment(made.meta.node_id, stale))
    report = await process(store, "obj")
    (rejection,) = report.rejected
    assert "written against version 1" in rejection.reason
    assert (await store.get("obj")).data == {"v": 1}
    statuses = [(h.status, h.data) for h in await store.history("obj")][1:]
    assert statuses == [("applied", {"v": 1}), ("rejected", {"v": "stale"})]


# -- unit of work --------------------------------------------------------------------------


async def test_a_failed_commit_leaves_the_view_so_the_same_save_lands_after(
    store: Store, emulator: Emulator
) -> None:
    teams = Repository(store, Team, collection="teams")
    await teams.create("core", Team("Core"))
    team = (await teams.get("core")).data
    team.members["carol"] = "dev"
    emulator.controls.fail_next(1, "secondary", retry_after=3600)
    with pytest.raises(RateLimitExceeded):
        async with store.unit_of_work() as uow:
            uow.save(teams, "core", team)
            await uow.commit()
    assert teams.seen["core"] == {"name": "Core", "members": {}}
    async with store.unit_of_work() as uow:
        uow.save(teams, "core", team)
        assert len(await uow.commit()) == 1
    await process(store, "core")
    assert (await teams.get("core")).data == Team("Core", {"carol": "dev"})


# -- one metadata truth --------------------------------------------------------------------


async def test_get_list_snapshot_and_sync_report_one_version_and_pending_count(
    store: Store,
) -> None:
    await store.create("obj", {"v": 0})
    await store.update("obj", {"v": 1})
    await process(store, "obj")
    await store.update("obj", {"v": 2})  # one update pending
    got = await store.get("obj")
    (listed,) = [o async for o in store.list()]
    snap = (await take_snapshot(store))["objects"]["obj"]
    assert (got.meta.version, got.meta.pending_updates, got.data) == (3, 1, {"v": 2})
    assert (listed.meta.version, listed.meta.pending_updates, listed.data) == (3, 1, {"v": 2})
    assert (snap["meta"]["version"], snap["meta"]["pending_updates"], snap["data"]) == (
        3,
        1,
        {"v": 2},
    )
    assert listed.meta == got.meta
    (settled,) = [o async for o in store.list(include_pending=False)]
    assert (settled.meta.version, settled.meta.pending_updates, settled.data) == (2, 1, {"v": 1})
