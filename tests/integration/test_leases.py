"""The processor's lock holds on GitHub's clock and GitHub's facts, not on this machine's clock
or on the words of an error: a processor whose clock is fast neither breaks a live lock nor
loses an update, a refused lock is confirmed by reading the label, and the write sends no
field whose null GitHub does not document."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import TOKENS
from support.localgh import Hooked, Local

from ghstore.emulator import InProcessTransport
from ghstore.exceptions import AccessDeniedError, LockTimeout
from ghstore.processor import Processor


@pytest.fixture
async def local() -> AsyncIterator[Local]:
    opened = Local()
    yield opened
    await opened.close()


def mutation_of(request: Any) -> str:
    return str(request.payload["query"])


async def test_a_processor_300_s_fast_waits_for_a_live_lock_and_no_update_is_lost(
    local: Local,
) -> None:
    store = local.store()
    number = (await store.create("obj", {"a": 0})).meta.issue_number
    await store.update("obj", {"a": 1})
    fast_run: list[str] = []

    async def before_the_write(_: int, request: Any) -> None:
        if "updateIssue" not in mutation_of(request) or fast_run:
            return
        await store.update("obj", {"b": 2})  # posted while the slow run holds its lock
        fast = Processor(local.store(), clock=lambda: time.time() + 300, poll=0.05, lock_seconds=1)
        try:
            await fast.process(number)
            fast_run.append("broke the lock")
        except LockTimeout:
            fast_run.append("waited")

    wire = Hooked(local.emulator, TOKENS["acme"], before_the_write)
    await Processor(local.store("acme", wire), poll=0.0).process(number)
    assert fast_run == ["waited"]
    assert local.issue(number)["body"] == {"a": 1, "b": 2}
    assert local.issue(number)["state"] == "CLOSED"


class Reworded(InProcessTransport):
    """GitHub's answer with other words: every error message replaced."""

    async def execute(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        result = await super().execute(request, *args, **kwargs)
        for error in result.errors or ():
            error["message"] = "Label could not be created"
        return result


async def test_a_lock_held_by_another_run_is_waited_for_whatever_words_github_refuses_it_in(
    local: Local,
) -> None:
    store = local.store()
    number = (await store.create("obj", {"v": 0})).meta.issue_number
    await store.update("obj", {"v": 1})
    holder = Processor(local.store(), lock_seconds=600)
    await holder.lock.acquire(number)
    waiting = Processor(
        local.store("acme", Reworded(local.emulator, TOKENS["acme"])), lock_seconds=0.0, poll=0.0
    )
    with pytest.raises(LockTimeout):
        await waiting.process(number)
    assert Processor.lock_name(number) in local.label_names()


async def test_a_lock_refused_for_another_reason_raises_that_error(local: Local) -> None:
    number = (await local.store().create("obj", {"v": 0})).meta.issue_number
    with pytest.raises(AccessDeniedError, match="CreateLabel"):
        await local.processor("eve").process(number)  # not a wait on a lock nobody holds


async def test_a_run_that_changes_nothing_sends_no_body_field(local: Local) -> None:
    number = (await local.store().create("obj", {"v": 0})).meta.issue_number
    await local.comment("eve", number, '{"v": 9}')
    sent: list[dict[str, Any]] = []

    async def record(_: int, request: Any) -> None:
        if "updateIssue" in mutation_of(request):
            sent.append(dict(request.payload.get("variables") or {}))

    wire = Hooked(local.emulator, TOKENS["acme"], record)
    report = await Processor(local.store("acme", wire), poll=0.0).process(number)
    assert len(report.rejected) == 1
    assert sent and not [name for name in sent[0] if name.startswith("body")]
    assert local.issue(number)["body"] == {"v": 0}
