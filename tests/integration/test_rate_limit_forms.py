"""A spent GraphQL budget, in both forms GitHub has answered it: today's `{"type": "RATE_LIMIT",
"code": "graphql_rate_limit"}` [githubkit#271], which the local GitHub answers, and the older
`{"type": "RATE_LIMITED"}` [renovatebot/renovate#21861]. ghstore waits for the reset when it
is within `max_wait`, and otherwise raises RateLimitExceeded with the reset time, whichever
form comes. Everything goes over real HTTP on loopback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from support.helpers import TOKENS, Clock, make_emulator

from ghstore import Gateway, RateLimitExceeded, Store
from ghstore.config import RateLimitConfig
from ghstore.emulator import Emulator, EmulatorServer

OLDER_FORM = {
    "type": "RATE_LIMITED",
    "message": "API rate limit exceeded for installation ID 9306189.",
}


def _store(url: str, clock: Clock, max_wait: float) -> Store:
    limits = RateLimitConfig(max_requests_per_hour=0, mutation_interval=0.0, max_wait=max_wait)
    gateway = Gateway(
        token=TOKENS["acme"], api_url=url, rate_limit=limits, sleep=clock.sleep, clock=clock
    )
    return Store("acme/data", gateway)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def emulator(clock: Clock) -> Emulator:
    """The local GitHub (served by conftest's `server`) on the shared clock, 7 points an hour."""
    return make_emulator(clock=clock, hourly_points=7)


def _answers(local: Emulator) -> list[tuple[str, ...]]:
    return [record.error_types for record in local.controls.log if record.error_types]


async def test_ghstore_waits_for_the_reset_when_github_answers_the_current_form(
    emulator: Emulator, server: EmulatorServer, clock: Clock
) -> None:
    store = _store(server.url, clock, max_wait=4000)
    try:
        await store.create("obj", {"v": 0})  # 6 of the hour's 7 points (the id's claim: 1)
        await store.update("obj", {"v": 1})
        await store.update("obj", {"v": 2})  # refused until the reset: waited out
        assert ("RATE_LIMIT",) in _answers(emulator)
        assert any(3000 < s <= 3601 for s in clock.slept)
        assert (await store.get("obj")).data == {"v": 2}
    finally:
        await store.close()


async def test_a_reset_past_max_wait_raises_with_the_reset_time_in_the_current_form(
    emulator: Emulator, server: EmulatorServer, clock: Clock
) -> None:
    store = _store(server.url, clock, max_wait=60)
    try:
        await store.create("obj", {"v": 0})
        await store.update("obj", {"v": 1})
        with pytest.raises(RateLimitExceeded) as caught:
            await store.update("obj", {"v": 2})
        assert ("RATE_LIMIT",) in _answers(emulator)
        assert caught.value.reset_at is not None
        assert caught.value.reset_at.timestamp() > clock.now + 60
    finally:
        await store.close()


# -- the older form, from a GitHub that still answers it ---------------------------------------
@pytest.fixture
async def older_github(
    server: EmulatorServer, clock: Clock
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """The local GitHub behind a proxy that answers the first request with the older form
    (reset in `reset_in` seconds), as GitHub did before it said RATE_LIMIT."""
    settings: dict[str, Any] = {"refusals": 1, "reset_in": 30}

    async def answer(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if settings["refusals"] > 0:
            settings["refusals"] -= 1
            reset = int(clock.now + settings["reset_in"])
            headers = {"x-ratelimit-remaining": "0", "x-ratelimit-limit": "5000"}
            headers |= {"x-ratelimit-used": "5000", "x-ratelimit-reset": str(reset)}
            return web.json_response({"errors": [OLDER_FORM]}, headers=headers)
        forwarded = {"Authorization": request.headers["Authorization"]}
        async with (
            aiohttp.ClientSession() as session,
            session.post(server.url, data=body, headers=forwarded) as upstream,
        ):
            kept = {k: v for k, v in upstream.headers.items() if k.lower().startswith("x-")}
            return web.Response(
                status=upstream.status,
                body=await upstream.read(),
                headers=kept,
                content_type="application/json",
            )

    app = web.Application()
    app.router.add_post("/graphql", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/graphql", settings
    await runner.cleanup()


async def test_ghstore_waits_for_the_reset_when_github_answers_the_older_form(
    older_github: tuple[str, dict[str, Any]], clock: Clock
) -> None:
    url, _settings = older_github
    store = _store(url, clock, max_wait=4000)
    try:
        created = await store.create("obj", {"v": 0})  # the first answer is RATE_LIMITED
        assert any(30 <= s <= 32 for s in clock.slept)
        assert created.data == {"v": 0}
    finally:
        await store.close()


async def test_a_far_reset_in_the_older_form_raises_with_the_reset_time(
    older_github: tuple[str, dict[str, Any]], clock: Clock
) -> None:
    url, settings = older_github
    settings["reset_in"] = 3000
    store = _store(url, clock, max_wait=60)
    try:
        with pytest.raises(RateLimitExceeded) as caught:
            await store.create("obj", {"v": 0})
        assert caught.value.reset_at is not None
        assert int(caught.value.reset_at.timestamp()) == int(clock.now + 3000)
    finally:
        await store.close()
