"""Outsiders (anyone who can read a public repository can comment and react) cannot revert,
freeze or stall an object, and a read or a run costs what was posted since the processor last
settled it, not the object's whole history."""

from __future__ import annotations

import asyncio
import base64
import json
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import NO_PACING, TEAM, TOKENS, team_config
from support.localgh import Hooked, Local

from ghstore import Gateway, Store
from ghstore.emulator import Emulator, InProcessTransport
from ghstore.processor import Processor
from ghstore.processor.processor import MAX_REQUESTS, MAX_ROUNDS

REACTIONS = ["THUMBS_UP", "THUMBS_DOWN", "LAUGH", "HOORAY", "CONFUSED", "HEART", "ROCKET", "EYES"]
OUTSIDERS = [f"crowd{i}" for i in range(14)]
ACTIONS = "github-actions"  # the processor's identity in Actions (GITHUB_TOKEN), by default
META = {"client_version": "x", "timestamp": "t", "update_mode": "append"}


@pytest.fixture
async def local() -> AsyncIterator[Local]:
    emulator = Emulator()
    tokens = {**TOKENS, ACTIONS: "t-actions"} | {login: f"t-{login}" for login in OUTSIDERS}
    for login, token in tokens.items():
        emulator.add_user(login, token)
    roles = {"bob": "collaborator", "mia": "member", ACTIONS: "collaborator"}
    emulator.add_repository("acme/data", roles=roles)
    opened = Local(emulator, tokens)
    yield opened
    await opened.close()


def update(data: Any) -> str:
    return json.dumps({"_data": data, "_meta": META})


async def requests_of(store: Store, work: Any) -> int:
    before = store.stats.snapshot()[0]
    await work
    return store.stats.snapshot()[0] - before


async def test_56_outsider_reactions_on_an_applied_update_never_bring_it_back(
    local: Local,
) -> None:
    store = local.store()
    number = (await store.create("cfg", {"mode": "initial"})).meta.issue_number
    await store.update("cfg", {"mode": "legacy"})
    legacy = await local.newest_comment(number)
    # 7 accounts x 8 kinds before the processor's mark and 7 x 8 after it: however GitHub
    # orders reactions, 56 of them come before the mark.
    for login in OUTSIDERS[:7]:
        for content in REACTIONS:
            await local.react(login, legacy, content)
    await local.processor().process(number)
    for login in OUTSIDERS[7:]:
        for content in REACTIONS:
            await local.react(login, legacy, content)
    await store.update("cfg", {"mode": "safe"})
    await local.processor().process(number)
    await store.update("cfg", {"other": 1})
    await local.processor().process(number)
    assert local.issue(number)["body"] == {"mode": "safe", "other": 1}
    assert (await store.get("cfg")).data == {"mode": "safe", "other": 1}


async def test_an_owners_thumbs_up_on_a_pending_update_does_not_skip_it(local: Local) -> None:
    store = local.store()
    number = (await store.create("obj", {"v": 0})).meta.issue_number
    await local.store("bob").update("obj", {"v": 1})
    await local.react("acme", await local.newest_comment(number), "THUMBS_UP")  # "LGTM"
    report = await local.processor("bob").process(number)
    assert len(report.applied) == 1
    assert local.issue(number)["body"] == {"v": 1}
    statuses = [e.status for e in await local.store("bob").history("obj")]
    assert statuses == ["applied", "applied"]


async def test_an_owners_thumbs_down_on_a_pending_update_does_not_refuse_it(local: Local) -> None:
    store = local.store()
    number = (await store.create("obj", {"v": 0})).meta.issue_number
    await store.update("obj", {"v": 1})
    await local.react("acme", await local.newest_comment(number), "THUMBS_DOWN")
    await local.processor("bob").process(number)
    assert local.issue(number)["body"] == {"v": 1}


async def test_2000_old_outsider_comments_and_one_new_update_cost_a_run_at_most_3_requests(
    local: Local,
) -> None:
    store = local.store()
    number = (await store.create("obj", {"v": 0})).meta.issue_number
    await local.flood("eve", number, [update({"v": -i}) for i in range(2000)])
    processor = local.processor()  # the repository's id once, then 3 requests a run (2 if
    # it writes no body: the marks follow the body's write)
    first = await processor.process(number)
    assert len(first.rejected) == 2000  # each reported once, in the run that found it
    await store.update("obj", {"v": 1})
    report = await processor.process(number)
    assert (len(report.applied), report.rejected, report.requests) == (1, [], 3)
    assert local.issue(number)["body"] == {"v": 1}
    again = await local.processor().process(number)
    assert (again.applied, again.rejected) == ([], [])


async def test_with_1000_settled_comments_a_get_is_1_request_and_a_run_of_1_update_is_3(
    local: Local,
) -> None:
    store = local.store()
    number = (await store.create("obj", {"n": 0})).meta.issue_number
    await local.flood("acme", number, [update({"n": i}) for i in range(1, 1000)])
    processor = local.processor(ACTIONS)
    await processor.process(number)
    reader = local.store("bob")
    assert await requests_of(reader, reader.get("obj")) == 1
    assert (await reader.get("obj")).data == {"n": 999}
    await store.update("obj", {"n": 1000})
    assert (await reader.get("obj")).data == {"n": 1000}  # read-your-writes, one request
    report = await processor.process(number)
    assert (len(report.applied), report.requests) == (1, 3)  # lock+read, body, marks
    assert local.issue(number)["body"] == {"n": 1000}


async def test_a_comment_flood_during_a_run_ends_within_its_cap_and_reports_each_rejection_once(
    local: Local,
) -> None:
    store = local.store()
    number = (await store.create("obj", {"v": 0})).meta.issue_number
    await store.update("obj", {"v": 1})
    flooded: list[int] = []

    async def flood_before_each_write(_: int, request: Any) -> None:
        if "updateIssue" in str(request.payload["query"]):
            flooded.append(10)
            await local.flood("eve", number, [update({"v": -1})] * 10)

    wire = Hooked(local.emulator, local.tokens["acme"], flood_before_each_write)
    report = await asyncio.wait_for(Processor(local.store("acme", wire)).process(number), 60)
    assert report.unfinished is not None
    assert len(flooded) <= MAX_ROUNDS and report.requests <= MAX_REQUESTS + 2
    rejected = [r.comment_id for r in report.rejected]
    assert len(rejected) == len(set(rejected))
    assert local.issue(number)["state"] == "OPEN"  # left for the next run
    assert local.issue(number)["body"] == {"v": 1}
    after = await local.processor().process(number)
    assert not set(rejected) & {r.comment_id for r in after.rejected}
    assert len(rejected) + len(after.rejected) == sum(flooded)
    assert local.issue(number)["state"] == "CLOSED"


async def test_a_collaborator_removed_after_creating_objects_freezes_nothing_they_made(
    local: Local,
) -> None:
    bob, owner = local.store("bob"), local.store()
    large = {"noise": base64.b64encode(os.urandom(120_000)).decode()}
    numbers = [
        (await bob.create("plain", {"v": 0})).meta.issue_number,
        (await bob.create("large", large)).meta.issue_number,
    ]
    for number in numbers:  # the run each issue's `opened` event starts
        await local.processor(ACTIONS).process(number)
    state = local.emulator.state
    bob_user = state.user_by_login("bob")
    assert bob_user is not None
    state.set_role(1, bob_user.id, None)  # bob is no longer a collaborator
    assert (await owner.get("plain")).data == {"v": 0}
    assert (await owner.get("large")).data == large
    await owner.update("plain", {"v": 1})
    await owner.update("large", {"more": 1})
    await bob.update("plain", {"v": 99})  # bob's own future updates are refused
    reports = [await local.processor(ACTIONS).process(number) for number in numbers]
    assert [len(r.applied) for r in reports] == [1, 1]
    assert [r.author for r in reports[0].rejected] == ["bob"]
    assert (await owner.get("plain")).data == {"v": 1}
    assert (await owner.get("large")).data == {**large, "more": 1}


async def test_init_offers_the_identity_gh_store_0_11_marked_updates_with(local: Local) -> None:
    number = (await local.store().create("obj", {"v": 0})).meta.issue_number
    await local.store("bob").update("obj", {"v": 1})
    await local.react("mia", await local.newest_comment(number), "THUMBS_UP")  # 0.11 ran as mia
    reader = local.store("bob")
    assert await reader.legacy_markers() == {"mia": 1}
    assert (await reader.get("obj")).meta.pending_updates == 1  # mia is no processor yet
    config = team_config(authorized={**TEAM["authorized"], "processors": ["github-actions", "mia"]})
    wire = Gateway(
        transport=InProcessTransport(local.emulator, TOKENS["bob"]), rate_limit=NO_PACING
    )
    configured = Store("acme/data", wire, config)
    try:
        assert (await configured.get("obj")).meta.pending_updates == 0  # never applied again
        assert await configured.legacy_markers() == {}
    finally:
        await configured.close()
