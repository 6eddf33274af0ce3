"""The edges of the outsiders issue: reserved keys, an answer lost behind 100 newer comments,
a run on a number that is no object."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import TOKENS
from support.localgh import Hooked, Local

from ghstore import InvalidUpdate
from ghstore.emulator import FaultKind
from ghstore.exceptions import GitHubStoreError

RESERVED = {"_ghstore_large": {"format": 1, "version": "v", "parts": 1}}
META = {"client_version": "x", "timestamp": "t", "update_mode": "append"}


@pytest.fixture
async def local() -> AsyncIterator[Local]:
    opened = Local()
    yield opened
    await opened.close()


async def test_a_reserved_key_is_refused_at_create_naming_the_key(local: Local) -> None:
    with pytest.raises(InvalidUpdate, match="_ghstore_large"):
        await local.store().create("obj", dict(RESERVED))
    assert local.issue_count() == 0


async def test_a_reserved_key_is_refused_at_update_naming_the_key(local: Local) -> None:
    store = local.store()
    number = (await store.create("obj", {"v": 0})).meta.issue_number
    with pytest.raises(InvalidUpdate, match="_ghstore_part"):
        await store.update("obj", {"_ghstore_part": 1})
    assert len(local.issue(number)["comments"]) == 1


async def test_a_reserved_key_posted_by_hand_is_rejected_by_the_processor_and_reads_go_on(
    local: Local,
) -> None:
    store = local.store()
    number = (await store.create("obj", {"v": 0})).meta.issue_number
    await local.comment("acme", number, json.dumps({"_data": RESERVED, "_meta": META}))
    await local.comment("acme", number, json.dumps(RESERVED))  # the legacy form
    await store.update("obj", {"v": 1})
    assert (await store.get("obj")).data == {"v": 1}
    report = await local.processor().process(number)
    assert [r.reason for r in report.rejected] == ["the key '_ghstore_large' is reserved"] * 2
    assert (await store.get("obj")).data == {"v": 1}


async def test_an_update_whose_answer_is_lost_behind_100_newer_comments_lands_once(
    local: Local,
) -> None:
    number = (await local.store().create("obj", {"v": 0})).meta.issue_number
    flooded: list[bool] = []

    async def lose_the_answer_then_flood(_: int, request: Any) -> None:
        query = str(request.payload["query"])
        if "addComment" in query:
            local.emulator.controls.fail_next(1, FaultKind.LOSE_RESPONSE)
        if "RecentComments" in query and not flooded:
            flooded.append(True)
            await local.flood("eve", number, [f"noise {i}" for i in range(100)])

    writer = local.store("acme", Hooked(local.emulator, TOKENS["acme"], lose_the_answer_then_flood))
    await writer.update("obj", {"v": 1})
    assert flooded
    mine = [c for c in local.issue(number)["comments"] if c["author"] == "acme"]
    assert len(mine) == 2  # the initial state and the update, once
    await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 1}


async def test_a_run_on_a_number_that_is_no_issue_leaves_no_lock_behind(local: Local) -> None:
    await local.store().create("obj", {"v": 0})
    with pytest.raises(GitHubStoreError, match="42"):
        await local.processor().process(42)
    assert not [n for n in local.label_names() if n.startswith("ghstore-lock")]


async def test_an_update_to_a_merges_source_between_its_read_and_its_retirement_is_not_lost(
    local: Local,
) -> None:
    owner = local.store()
    await owner.create("src", {"a": 1})
    await owner.create("dst", {"b": 1})
    late: list[bool] = []

    async def update_the_source_before_the_retire(_: int, request: Any) -> None:
        query = str(request.payload["query"])
        if "updateIssue" in query and "labelIds" in query and not late:
            late.append(True)
            await local.store("bob").update("src", {"late": True})  # reported as landed

    merger = local.store(
        "acme", Hooked(local.emulator, TOKENS["acme"], update_the_source_before_the_retire)
    )
    await merger.canonical.merge("src", "dst")
    assert late
    assert (await owner.get("dst")).data == {"a": 1, "b": 1, "late": True}
    assert (await owner.get("src")).data == {"a": 1, "b": 1, "late": True}  # src leads to dst
