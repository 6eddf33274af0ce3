"""Failures GitHub really produces, injected by the local GitHub: lost responses, 502s,
timeouts, secondary and primary rate limits. Nothing is lost and nothing is posted twice."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import NO_PACING, TOKENS, Clock, make_emulator

from ghstore import (
    Gateway,
    GitHubStoreError,
    GitHubUnavailable,
    ObjectNotFound,
    RateLimitExceeded,
    Store,
)
from ghstore.config import RateLimitConfig, RetriesConfig
from ghstore.emulator import Emulator, FaultKind, InProcessTransport
from ghstore.processor import Processor


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def local(clock: Clock) -> Emulator:
    return make_emulator(clock=clock)


def in_process(emulator: Emulator, clock: Clock, **limits: Any) -> Store:
    gateway = Gateway(
        transport=InProcessTransport(emulator, TOKENS["acme"]),
        rate_limit=RateLimitConfig.unpaced(**limits),
        retries=RetriesConfig(max_attempts=4, backoff_factor=2),
        sleep=clock.sleep,
        clock=clock,
    )
    return Store("acme/data", gateway)


@pytest.fixture
async def fragile(local: Emulator, clock: Clock) -> AsyncIterator[Store]:
    store = in_process(local, clock)
    yield store
    await store.close()


def update_comments(emulator: Emulator, number: int) -> list[dict[str, Any]]:
    state = emulator.state
    issue = state.issue_by_number(1, number)
    assert issue is not None
    bodies = [c.body for c in state.comments_by_ids(state.comment_ids(issue.id))]
    return [json.loads(b)["_data"] for b in bodies if "initial_state" not in b]


@pytest.mark.parametrize(
    "fault", [FaultKind.LOSE_RESPONSE, FaultKind.BAD_GATEWAY, FaultKind.TIMEOUT]
)
async def test_an_update_whose_outcome_is_unknown_lands_exactly_once(
    fragile: Store, local: Emulator, fault: FaultKind
) -> None:
    created = await fragile.create("obj", {"v": 0})
    local.controls.fail_next(1, fault)
    await fragile.update("obj", {"v": 1})
    assert update_comments(local, created.meta.issue_number) == [{"v": 1}]
    assert (await fragile.get("obj")).data == {"v": 1}


@pytest.mark.parametrize(
    "fault", [FaultKind.LOSE_RESPONSE, FaultKind.BAD_GATEWAY, FaultKind.TIMEOUT]
)
async def test_a_create_whose_first_request_is_lost_makes_exactly_one_object(
    fragile: Store, local: Emulator, fault: FaultKind
) -> None:
    await fragile.create("warm", {})
    local.controls.fail_next(1, fault)
    await fragile.create("obj", {"v": 1})
    titles = [i.title for i in local.state.issues_by_ids(range(1, 20))]
    assert titles.count("Stored Object: obj") == 1
    assert (await fragile.get("obj")).data == {"v": 1}


@pytest.mark.slow
@pytest.mark.parametrize("stage", [1, 2, 3])
async def test_a_unit_of_work_survives_a_lost_response_at_each_of_its_stages(
    fragile: Store, local: Emulator, stage: int
) -> None:
    await fragile.create("warm", {})
    uow = fragile.unit_of_work()
    for n in range(5):
        uow.create(f"s{n}", {"n": n})
    local.controls.fail_request(stage, FaultKind.LOSE_RESPONSE)
    await uow.commit()
    titles = [i.title for i in local.state.issues_by_ids(range(1, 100))]
    assert all(titles.count(f"Stored Object: s{n}") == 1 for n in range(5))
    listed = {o.meta.object_id: o.data async for o in fragile.list()}
    assert all(listed[f"s{n}"] == {"n": n} for n in range(5))
    for n in range(5):
        history = await fragile.history(f"s{n}")
        assert [h.kind for h in history] == ["initial_state"]


async def test_a_secondary_limit_is_waited_out_for_retry_after_seconds(
    fragile: Store, local: Emulator, clock: Clock
) -> None:
    created = await fragile.create("obj", {"v": 0})
    local.controls.fail_next(1, FaultKind.SECONDARY_LIMIT, retry_after=7)
    await fragile.update("obj", {"v": 1})
    assert 7 in clock.slept
    assert update_comments(local, created.meta.issue_number) == [{"v": 1}]


async def test_a_spent_primary_limit_is_waited_out_when_the_reset_is_near(clock: Clock) -> None:
    local = make_emulator(clock=clock, hourly_points=6)
    store = in_process(local, clock, max_wait=4000)
    try:
        created = await store.create("obj", {"v": 0})  # spends 5 points
        await store.update("obj", {"v": 1})
        await store.update("obj", {"v": 2})  # the limit is hit here; wait for the reset
        assert any(s > 3000 for s in clock.slept)
        assert update_comments(local, created.meta.issue_number) == [{"v": 1}, {"v": 2}]
    finally:
        await store.close()


async def test_a_spent_primary_limit_with_a_far_reset_raises_with_the_reset_time(
    clock: Clock,
) -> None:
    local = make_emulator(clock=clock, hourly_points=6)  # a cold create spends them all
    store = in_process(local, clock, max_wait=60)
    try:
        await store.create("obj", {"v": 0})
        with pytest.raises(RateLimitExceeded) as caught:
            await store.get("obj")
        assert caught.value.reset_at is not None
        assert caught.value.reset_at.timestamp() > clock.now + 3000
        assert store.rate_limit is not None and store.rate_limit.remaining == 0
    finally:
        await store.close()


async def test_reads_retry_502s_with_exponential_backoff(
    fragile: Store, local: Emulator, clock: Clock
) -> None:
    await fragile.create("obj", {"v": 1})
    local.controls.fail_next(3, FaultKind.BAD_GATEWAY)
    assert (await fragile.get("obj")).data == {"v": 1}
    assert len(clock.slept) == 3
    assert clock.slept[2] > clock.slept[0]


async def test_reads_give_up_after_max_attempts_with_github_unavailable(
    fragile: Store, local: Emulator
) -> None:
    await fragile.create("obj", {"v": 1})
    local.controls.fail_next(4, FaultKind.BAD_GATEWAY)
    with pytest.raises(GitHubUnavailable):
        await fragile.get("obj")


async def test_mutations_are_spaced_by_the_configured_interval(
    local: Emulator, clock: Clock
) -> None:
    store = in_process(local, clock, mutation_interval=1.0)
    try:
        await store.create("a", {})
        await store.update("a", {"v": 1})
        assert clock.slept and all(abs(s - 1.0) < 1e-9 for s in clock.slept)
    finally:
        await store.close()


async def test_the_client_side_hourly_cap_is_honoured(local: Emulator, clock: Clock) -> None:
    store = in_process(local, clock, max_requests_per_hour=1, max_wait=10)
    try:
        with pytest.raises(ObjectNotFound):
            await store.get("a")  # the one request this hour
        with pytest.raises(RateLimitExceeded, match="max_requests_per_hour"):
            await store.get("a")
        assert local.controls.requests == 1
    finally:
        await store.close()


async def test_over_http_a_lost_response_to_an_update_lands_once(
    server: Any, emulator: Emulator
) -> None:
    store = Store(
        "acme/data", Gateway(token=TOKENS["acme"], api_url=server.url, rate_limit=NO_PACING)
    )
    try:
        created = await store.create("obj", {"v": 0})
        emulator.controls.fail_next(1, FaultKind.LOSE_RESPONSE)
        await store.update("obj", {"v": 1})
        assert update_comments(emulator, created.meta.issue_number) == [{"v": 1}]
    finally:
        await store.close()


async def test_a_body_write_that_fails_while_taking_back_marks_fails_too_loses_no_update(
    fragile: Store, local: Emulator
) -> None:
    created = await fragile.create("obj", {"v": 0, "kept": True})
    await fragile.update("obj", {"v": 1})
    await fragile.update("obj", {"w": 2})
    number = created.meta.issue_number
    local.controls.fail_field("updateIssue")  # the new body is not written...
    local.controls.fail_field("removeReaction", 50)  # ...and no mark could be taken back
    with pytest.raises(GitHubStoreError):
        await Processor(fragile).process(number)
    local.controls.clear_faults()
    await Processor(fragile).process(number)
    assert (await fragile.get("obj")).data == {"v": 1, "kept": True, "w": 2}
    issue = local.state.issue_by_number(1, number)
    assert issue is not None and json.loads(issue.body) == {"v": 1, "kept": True, "w": 2}
    assert issue.state == "CLOSED"


async def test_marks_that_fail_after_the_body_landed_are_made_by_the_next_run(
    fragile: Store, local: Emulator
) -> None:
    numbers = {}
    for object_id in ("obj", "calm"):
        numbers[object_id] = (await fragile.create(object_id, {"v": 0})).meta.issue_number
        await fragile.update(object_id, {"v": 1})
    await Processor(fragile).process(numbers["calm"])  # the same, with no fault
    local.controls.fail_field("addReaction", 50)  # every mark of the run fails
    await Processor(fragile).process(numbers["obj"])
    local.controls.clear_faults()
    assert (await fragile.get("obj")).data == {"v": 1}
    report = await Processor(fragile).process(numbers["obj"])
    assert len(report.applied) == 1  # applied again on the body that holds it: unchanged
    assert (await fragile.get("obj")).data == {"v": 1}
    statuses = [[h.status for h in await fragile.history(i)] for i in ("obj", "calm")]
    assert statuses[0] == statuses[1]
