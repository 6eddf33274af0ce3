"""Large objects change by parts in proportion to the change: the processor reuses the chunks
the issue holds, writes a new state of many parts in as many requests as GitHub's content
limit needs, and a run stopped part-way is redone to the same object.

In-process local GitHub with GitHub's content limits on; time is virtual."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import TOKENS, Clock, make_emulator
from support.strategies import big_object, records_object

from ghstore import Gateway, GitHubStoreError, Store
from ghstore.config import RateLimitConfig, RetriesConfig
from ghstore.domain.large import STUB_KEY
from ghstore.emulator import Emulator, FaultKind, InProcessTransport
from ghstore.emulator.budgets import CONTENT_CREATING
from ghstore.processor import Processor

pytestmark = pytest.mark.slow


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited(clock: Clock) -> Emulator:
    return make_emulator(clock=clock, content_per_minute=80, content_per_hour=500)


@pytest.fixture
async def store(limited: Emulator, clock: Clock) -> AsyncIterator[Store]:
    gateway = Gateway(
        transport=InProcessTransport(limited, TOKENS["acme"]),
        rate_limit=RateLimitConfig(max_requests_per_hour=0, mutation_interval=0.0, max_wait=120),
        retries=RetriesConfig(max_attempts=1),
        sleep=clock.sleep,
        clock=clock,
    )
    paced = Store("acme/data", gateway)
    yield paced
    await paced.close()


def content_created(emulator: Emulator) -> int:
    """Issues and comments created since the log was last reset."""
    return sum(
        1
        for record in emulator.controls.log
        if record.status == 200
        for name in record.fields
        if name in CONTENT_CREATING
    )


def stub_of(emulator: Emulator, number: int) -> dict[str, Any]:
    issue = emulator.state.issue_by_number(1, number)
    assert issue is not None
    stub: dict[str, Any] = json.loads(issue.body)[STUB_KEY]
    return stub


async def test_a_processed_one_key_update_to_a_large_object_adds_at_most_three_contents(
    store: Store, limited: Emulator
) -> None:
    data = records_object(17, 2_000_000)
    created = await store.create("big", data)
    assert stub_of(limited, created.meta.issue_number)["parts"] > 20
    key = sorted(data)[len(data) // 2]
    limited.controls.reset()
    await store.update("big", {key: "changed"})
    await Processor(store).process(created.meta.issue_number)
    assert content_created(limited) <= 3  # the update's comment and the changed chunks
    assert (await store.get("big", include_pending=False)).data == {**data, key: "changed"}


async def test_a_new_key_appended_to_a_large_object_adds_one_part(
    store: Store, limited: Emulator
) -> None:
    data = records_object(18, 2_000_000)
    created = await store.create("big", data)
    limited.controls.reset()
    await store.update("big", {"appended": list(range(10))})
    await Processor(store).process(created.meta.issue_number)
    assert content_created(limited) == 2
    assert (await store.get("big")).data == {**data, "appended": list(range(10))}


async def test_a_rerun_after_a_write_that_never_landed_reaches_the_same_object(
    store: Store, limited: Emulator
) -> None:
    data = records_object(19, 1_000_000)
    created = await store.create("big", data)
    number = created.meta.issue_number
    key = sorted(data)[0]
    await store.update("big", {key: "first"})
    before = stub_of(limited, number)
    limited.controls.fail_request(2, FaultKind.BAD_GATEWAY)  # the write: nothing lands
    with pytest.raises(GitHubStoreError):
        await Processor(store).process(number)
    assert stub_of(limited, number) == before
    await Processor(store).process(number)
    assert (await store.get("big", include_pending=False)).data == {**data, key: "first"}


async def test_a_new_state_of_more_parts_than_a_minute_allows_is_written_in_paced_requests(
    clock: Clock,
) -> None:
    # GitHub allows 80 a minute; the same rule at 20 a minute needs a smaller object
    emulator = make_emulator(clock=clock, content_per_minute=20, content_per_hour=500)
    gateway = Gateway(
        transport=InProcessTransport(emulator, TOKENS["acme"]),
        rate_limit=RateLimitConfig(
            max_requests_per_hour=0, mutation_interval=0.0, max_wait=120, content_per_minute=20
        ),
        sleep=clock.sleep,
        clock=clock,
    )
    store = Store("acme/data", gateway)
    try:
        number = (await store.create("grown", {})).meta.issue_number
        filler = big_object(20, 1_500_000)
        async with store.unit_of_work() as uow:  # updates that each fit a comment
            for update in _in_comment_sized_updates(filler):
                uow.update("grown", update)
            await uow.commit()
        emulator.controls.reset()
        await Processor(store).process(number)
        assert stub_of(emulator, number)["parts"] > 20
        writes = [r for r in emulator.controls.log if r.kind == "mutation"]
        assert len(writes) >= 3  # the parts beyond the write's share went first
        assert not [r for r in emulator.controls.log if r.status == 403]
        assert (await store.get("grown", include_pending=False)).data == filler
    finally:
        await store.close()


def _in_comment_sized_updates(data: dict[str, Any]) -> list[dict[str, Any]]:
    updates: list[dict[str, Any]] = [{}]
    for key, value in data.items():
        if len(json.dumps({**updates[-1], key: value})) > 60_000:
            updates.append({})
        updates[-1][key] = value
    return updates
