"""GitHub's limit on creating content (80 issues or comments a minute, 500 an hour): the client
paces what it sends under `store.rate_limit`, refuses a wait longer than `max_wait` before
anything is sent, and the local GitHub enforces both limits when asked.

Time is virtual: the local GitHub's clock and the gateway's clock and sleep are one Clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import TOKENS, Clock, make_emulator

from ghstore import Gateway, RateLimitExceeded, Store
from ghstore.config import RateLimitConfig
from ghstore.emulator import Emulator, InProcessTransport

START = 1_704_067_200.0  # 2024-01-01T00:00:00Z


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def limited(clock: Clock) -> Emulator:
    """A local GitHub enforcing GitHub's content limits."""
    return make_emulator(clock=clock, content_per_minute=80, content_per_hour=500)


def paced_store(emulator: Emulator, clock: Clock, **limits: Any) -> Store:
    config = {"max_requests_per_hour": 0, "mutation_interval": 0.0, **limits}
    gateway = Gateway(
        transport=InProcessTransport(emulator, TOKENS["acme"]),
        rate_limit=RateLimitConfig(**config),
        sleep=clock.sleep,
        clock=clock,
    )
    return Store("acme/data", gateway)


@pytest.fixture
async def store(limited: Emulator, clock: Clock) -> AsyncIterator[Store]:
    paced = paced_store(limited, clock, max_wait=120)
    yield paced
    await paced.close()


def secondary_limit_answers(emulator: Emulator) -> int:
    return sum(1 for r in emulator.controls.log if r.status == 403)


def half_made_issues(emulator: Emulator) -> int:
    """Issues that are not a whole stored object: open, or without their labels."""
    state = emulator.state
    repo = state.repository_by_name("acme", "data")
    assert repo is not None
    keys = state.issue_keys(
        repo.id, states=None, label_groups=[], since=None, author_id=None, order_field="CREATED_AT"
    )
    issues = state.issues_by_ids([issue_id for _, issue_id in keys])
    whole = [
        issue
        for issue in issues
        if issue.state == "CLOSED" and len(state.labels_of_issue(issue.id)) >= 3
    ]
    return len(issues) - len(whole)


async def test_a_unit_of_work_of_100_creates_meets_no_secondary_limit(
    store: Store, limited: Emulator, clock: Clock
) -> None:
    async with store.unit_of_work() as uow:
        for i in range(100):
            uow.create(f"user-{i}", {"n": i})
        await uow.commit()
    assert secondary_limit_answers(limited) == 0
    assert half_made_issues(limited) == 0
    assert store.gateway.stats.content == 200  # an issue and its initial-state comment each
    assert (await store.get("user-99")).data == {"n": 99}
    assert clock.slept and max(clock.slept) <= 60.0  # paced, every wait within a minute


async def test_a_commit_that_would_wait_longer_than_max_wait_sends_nothing(
    limited: Emulator, clock: Clock
) -> None:
    store = paced_store(limited, clock, max_wait=120)
    try:
        async with store.unit_of_work() as uow:
            for i in range(260):  # 520 creations: the hourly 500 would mean a wait of an hour
                uow.create(f"user-{i}", {"n": i})
            with pytest.raises(RateLimitExceeded, match="max_wait") as raised:
                await uow.commit()
        assert raised.value.retry_after is not None and raised.value.retry_after > 120
        assert not [r for r in limited.controls.log if r.kind == "mutation"]
    finally:
        await store.close()


async def test_the_client_limits_are_configurable(limited: Emulator, clock: Clock) -> None:
    store = paced_store(limited, clock, content_per_minute=3, max_wait=120)
    try:
        async with store.unit_of_work() as uow:
            for i in range(3):  # 6 creations at 3 a minute
                uow.create(f"user-{i}", {"n": i})
            await uow.commit()
        assert secondary_limit_answers(limited) == 0
        assert clock.now - START >= 60.0
    finally:
        await store.close()


async def test_a_single_update_is_not_held_back_by_pacing(store: Store, clock: Clock) -> None:
    await store.create("alice", {"age": 1})
    await store.update("alice", {"age": 2})
    assert clock.slept == []


async def test_a_long_wait_is_counted_down_on_progress(limited: Emulator, clock: Clock) -> None:
    store = paced_store(limited, clock, content_per_minute=2, max_wait=120)
    shown: list[float] = []
    store.gateway.on_wait = lambda left, _what: shown.append(left)
    try:
        await store.create("a", {})  # 2 creations: the minute's allowance
        await store.create("b", {})  # waits about a minute
        assert shown and shown[0] > 50 and shown[-1] == 0.0
        assert len(shown) > 50  # about once a second
    finally:
        await store.close()


async def test_the_local_github_enforces_the_hourly_content_limit(clock: Clock) -> None:
    emulator = make_emulator(clock=clock, content_per_hour=4)
    unpaced = paced_store(emulator, clock, content_per_minute=0, content_per_hour=0)
    try:
        await unpaced.create("a", {})
        await unpaced.create("b", {})  # 4 creations: the hour's allowance
        clock.now += 120  # past any minute window
        with pytest.raises(RateLimitExceeded):
            await unpaced.create("c", {})
        assert secondary_limit_answers(emulator) >= 1
    finally:
        await unpaced.close()
