"""Objects larger than an issue body: stored transparently, read back identical, updated
through the same comment flow, listed like any other; plain when they fit."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from support.helpers import store_for

from ghstore import ObjectTooLarge, Store
from ghstore.domain.large import PART_KEY, STUB_KEY
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.processor import Processor

BODY = 'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { body comments(first: 100) { totalCount } } } }'


def megabyte() -> dict[str, Any]:
    """About 1 MB of JSON, half of it incompressible."""
    noise = base64.b64encode(os.urandom(375_000)).decode()
    return {
        "noise": noise,
        "rows": [{"id": n, "name": f"row {n}", "tags": ["a", "b"]} for n in range(10_000)],
    }


async def raw_issue(github: Any, number: int) -> dict[str, Any]:
    return (await github.data("acme", BODY, n=number))["repository"]["issue"]  # type: ignore[no-any-return]


async def test_a_one_megabyte_object_round_trips_identical(
    store: Store, github: Any, emulator: Emulator
) -> None:
    data = megabyte()
    assert len(json.dumps(data)) > 1_000_000
    created = await store.create("big", data)
    raw = await raw_issue(github, created.meta.issue_number)
    assert set(json.loads(raw["body"])) == {STUB_KEY}
    assert len(raw["body"]) < 10_000  # a stub: its chunks' hashes, not the data
    fresh = store_for_same(store)
    try:
        emulator.controls.reset()
        got = await fresh.get("big")
        assert got.data == data
        assert emulator.controls.requests == 1
    finally:
        await fresh.close()


def store_for_same(store: Store) -> Store:
    from ghstore import Gateway

    return Store(
        store.repo,
        Gateway(token="t1", api_url=store.gateway.api_url, rate_limit=store.gateway.limits),
    )


async def test_an_update_to_a_large_object_goes_through_the_comment_flow(
    store: Store, emulator: Emulator
) -> None:
    data = megabyte()
    created = await store.create("big", data)
    emulator.controls.reset()
    await store.update("big", {"rows": [{"id": 0}], "extra": "value"})
    update_requests = emulator.controls.requests
    assert update_requests == 1
    expected = {**data, "rows": [{"id": 0}], "extra": "value"}
    assert (await store.get("big")).data == expected  # pending, folded
    report = await Processor(store).process(created.meta.issue_number)
    assert len(report.applied) == 1
    assert (await store.get("big", include_pending=False)).data == expected


async def test_an_object_that_fits_stays_in_the_plain_format(store: Store, github: Any) -> None:
    data = {"text": "x" * 60_000}
    created = await store.create("fits", data)
    raw = await raw_issue(github, created.meta.issue_number)
    assert json.loads(raw["body"]) == data


async def test_updates_that_outgrow_the_body_spill_into_parts_and_shrink_back(
    store: Store, github: Any
) -> None:
    created = await store.create("grows", {"a": "x" * 40_000})
    number = created.meta.issue_number
    await store.update("grows", {"b": "y" * 40_000})
    await Processor(store).process(number)
    assert set(json.loads((await raw_issue(github, number))["body"])) == {STUB_KEY}
    assert (await store.get("grows")).data == {"a": "x" * 40_000, "b": "y" * 40_000}
    await store.update("grows", {"a": "small", "b": "small"})
    await Processor(store).process(number)
    assert json.loads((await raw_issue(github, number))["body"]) == {"a": "small", "b": "small"}


async def test_a_large_object_is_listed_like_any_other(store: Store) -> None:
    data = megabyte()
    await store.create("big", data)
    await store.create("small", {"v": 1})
    listed = {o.meta.object_id: o.data async for o in store.list()}
    assert listed == {"big": data, "small": {"v": 1}}


async def test_history_of_a_large_object_shows_changes_not_its_parts(store: Store) -> None:
    await store.create("big", megabyte())
    await store.update("big", {"extra": 1})
    history = await store.history("big")
    assert [(h.kind, h.status) for h in history] == [
        ("initial_state", "applied"),
        ("update", "pending"),
    ]
    assert set(history[0].data or {}) == {STUB_KEY}


async def test_an_object_over_the_ceiling_is_refused_before_any_request(
    server: EmulatorServer, emulator: Emulator
) -> None:
    small = store_for(server, max_parts=2)
    try:
        emulator.controls.reset()
        with pytest.raises(ObjectTooLarge) as caught:
            await small.create("huge", {"noise": base64.b64encode(os.urandom(200_000)).decode()})
        assert caught.value.limit == 120_000
        assert emulator.controls.requests == 0
    finally:
        await small.close()


async def test_an_update_that_would_pass_the_ceiling_is_refused_by_the_processor(
    server: EmulatorServer,
) -> None:
    small = store_for(server, max_parts=2)
    try:
        created = await small.create("obj", {"v": 1})
        noise = base64.b64encode(os.urandom(30_000)).decode()
        for n in range(3):
            await small.update("obj", {f"n{n}": noise})
        report = await Processor(small).process(created.meta.issue_number)
        assert len(report.applied) == 2
        assert "ceiling" in report.rejected[0].reason
        assert set((await small.get("obj", include_pending=False)).data) == {"v", "n0", "n1"}
    finally:
        await small.close()


async def test_parts_posted_by_an_outsider_are_ignored(
    server: EmulatorServer, store: Store, github: Any
) -> None:
    data = megabyte()
    created = await store.create("big", data)
    stub = json.loads((await raw_issue(github, created.meta.issue_number))["body"])[STUB_KEY]
    issue_id = created.meta.node_id
    forged = json.dumps(
        {PART_KEY: {"version": stub["version"], "index": 0, "of": stub["parts"], "data": "AAAA"}}
    )
    await github.data(
        "eve",
        "mutation($s: ID!, $b: String!) { addComment(input: {subjectId: $s, body: $b}) { clientMutationId } }",
        s=issue_id,
        b=forged,
    )
    assert (await store.get("big")).data == data
