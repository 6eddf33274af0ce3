"""Crash and race safety: a run killed between any two of its requests, then run again,
reaches exactly what an uninterrupted run reaches; processors racing on one issue lose
nothing."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from gql.transport import AsyncTransport
from gql.transport.aiohttp import AIOHTTPTransport
from support.helpers import NO_PACING, TOKENS, make_emulator, store_for, team_config

from ghstore import Gateway, Store
from ghstore.emulator import EmulatorServer, FaultKind
from ghstore.processor import Processor

pytestmark = pytest.mark.slow  # runs killed at every request, interleaved processors

STATE = """query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) {
  state body comments(first: 100) { totalCount nodes { body reactions(first: 20) { nodes { content user { login } } } } } }
  labels(first: 100) { nodes { name } } } }"""


class Later:
    """GitHub's clock, moved on by `offset` seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class ProcessKilled(BaseException):
    """The processor's process dies: nothing after this point runs or reaches GitHub."""


class DyingTransport(AsyncTransport):
    """Forwards `allowed` requests, then dies; optionally makes request `fault_at` fail."""

    def __init__(
        self, url: str, allowed: int, fault_at: int | None = None, emulator: Any = None
    ) -> None:
        self.inner = AIOHTTPTransport(
            url=url, headers={"Authorization": f"bearer {TOKENS['acme']}"}
        )
        self.allowed = allowed
        self.sent = 0
        self.fault_at = fault_at
        self.emulator = emulator

    @property
    def response_headers(self) -> Any:
        return self.inner.response_headers

    async def connect(self) -> None:
        await self.inner.connect()

    async def close(self) -> None:
        await self.inner.close()

    async def execute(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if self.sent >= self.allowed:
            raise ProcessKilled(f"killed before request {self.sent + 1}")
        self.sent += 1
        if self.fault_at == self.sent:
            self.emulator.controls.fail_next(1, FaultKind.LOSE_RESPONSE)
        return await self.inner.execute(request, *args, **kwargs)

    def subscribe(self, request: Any) -> Any:
        raise NotImplementedError


async def scenario(server: EmulatorServer, github: Any, pending: int) -> int:
    """An object with `pending` updates from the owner, a collaborator, an outsider and a bad
    comment; returns its issue number."""
    owner, bob, eve = (store_for(server, login) for login in ("acme", "bob", "eve"))
    try:
        created = await owner.create("obj", {"n": 0, "by": {}})
        for n in range(1, pending + 1):
            writer = (owner, bob, eve)[n % 3]
            await writer.update("obj", {"n": n, "by": {str(n): n % 3}})
        data = await github.data(
            "acme", 'query { repository(owner: "acme", name: "data") { issue(number: 1) { id } } }'
        )
        await github.data(
            "bob",
            'mutation($s: ID!) { addComment(input: {subjectId: $s, body: "{not json"}) { clientMutationId } }',
            s=data["repository"]["issue"]["id"],
        )
        return created.meta.issue_number
    finally:
        for store in (owner, bob, eve):
            await store.close()


def without_timestamp(body: str) -> str:
    """A comment body without what differs from run to run (the client clock, the key)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    payload.get("_meta", {}).pop("timestamp", None)
    payload.get("_meta", {}).pop("idempotency_key", None)
    return json.dumps(payload, sort_keys=True)


async def final_state(github: Any, number: int) -> Any:
    data = await github.data("acme", STATE, n=number)
    issue = data["repository"]["issue"]
    comments = [
        (
            without_timestamp(c["body"]),
            sorted((r["content"], r["user"]["login"]) for r in c["reactions"]["nodes"]),
        )
        for c in issue["comments"]["nodes"]
    ]
    locks = [
        label["name"]
        for label in data["repository"]["labels"]["nodes"]
        if label["name"].startswith("ghstore-lock")
    ]
    return issue["state"], issue["body"], comments, locks


async def run_with(url: str, transport: AsyncTransport | None, number: int) -> None:
    gateway = (
        Gateway(transport=transport, rate_limit=NO_PACING)
        if transport
        else Gateway(token=TOKENS["acme"], api_url=url, rate_limit=NO_PACING)
    )
    store = Store("acme/data", gateway, team_config())
    try:
        await Processor(store, poll=0.01).process(number)
    finally:
        await store.close()


async def uninterrupted(pending: int) -> tuple[Any, int]:
    emulator = make_emulator()
    server = EmulatorServer(emulator)
    await server.start()
    try:
        from support.helpers import HttpGitHub

        github = HttpGitHub(server.url)
        number = await scenario(server, github, pending)
        emulator.controls.reset()
        await run_with(server.url, None, number)
        requests = emulator.controls.requests
        return await final_state(github, number), requests
    finally:
        await server.stop()


# 40 updates: a run is 3 requests (lock+read, body, marks); 130: 4 (another page of comments).
@pytest.mark.parametrize("pending", [40, 130])
async def test_a_run_killed_between_any_two_requests_then_rerun_equals_an_uninterrupted_run(
    pending: int,
) -> None:
    expected, requests = await uninterrupted(pending)
    assert requests >= 2
    for killed_after in range(requests):  # the run dies before request killed_after + 1
        github_clock = Later()
        emulator = make_emulator(clock=github_clock)
        server = EmulatorServer(emulator)
        await server.start()
        try:
            from support.helpers import HttpGitHub

            github = HttpGitHub(server.url)
            number = await scenario(server, github, pending)
            with pytest.raises(ProcessKilled):
                await run_with(server.url, DyingTransport(server.url, killed_after), number)
            # The next run comes an hour later (on GitHub's clock): the dead run's lock has
            # expired by then.
            github_clock.offset = 3600
            await run_with(server.url, None, number)
            assert await final_state(github, number) == expected, (
                f"killed after request {killed_after}"
            )
        finally:
            await server.stop()


@pytest.mark.parametrize("lost", ["body", "marks"])
async def test_a_lost_response_to_the_write_is_sent_again_and_equals_an_uninterrupted_run(
    lost: str,
) -> None:
    expected, requests = await uninterrupted(40)
    emulator = make_emulator()
    server = EmulatorServer(emulator)
    await server.start()
    try:
        from support.helpers import HttpGitHub

        github = HttpGitHub(server.url)
        number = await scenario(server, github, 40)
        # the body's write (alone: writing it again changes nothing), or the marks' request
        fault_at = requests - 1 if lost == "body" else requests
        await run_with(
            server.url, DyingTransport(server.url, 99, fault_at=fault_at, emulator=emulator), number
        )
        assert await final_state(github, number) == expected
        await run_with(server.url, None, number)
        assert await final_state(github, number) == expected
    finally:
        await server.stop()


async def test_two_processors_interleaved_on_one_issue_lose_nothing(
    emulator: Any, server: EmulatorServer, github: Any
) -> None:
    owner, bob = store_for(server, "acme"), store_for(server, "bob")
    created = await owner.create("obj", {"seen": {}})
    number = created.meta.issue_number
    emulator.controls.latency = 0.005

    async def post(writer: Store, start: int) -> None:
        for n in range(start, start + 20):
            await writer.update("obj", {"seen": {str(n): True}})

    async def process_repeatedly() -> None:
        for _ in range(5):
            await run_with(server.url, None, number)

    try:
        await asyncio.gather(
            post(owner, 0), post(bob, 100), process_repeatedly(), process_repeatedly()
        )
        await run_with(server.url, None, number)
        data = (await owner.get("obj", include_pending=False)).data
        assert set(data["seen"]) == {str(n) for n in [*range(20), *range(100, 120)]}
        state, _, comments, locks = await final_state(github, number)
        assert state == "CLOSED"
        assert locks == []
        assert all(("THUMBS_UP", "acme") in reactions for _, reactions in comments)
    finally:
        await owner.close()
        await bob.close()


class HookTransport(DyingTransport):
    """Runs `hook` just before forwarding request number `at`."""

    def __init__(self, url: str, at: int, hook: Any) -> None:
        super().__init__(url, allowed=10**6)
        self.at = at
        self.hook = hook

    async def execute(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if self.sent + 1 == self.at:
            await self.hook()
        return await super().execute(request, *args, **kwargs)


async def test_updates_posted_while_a_run_is_in_flight_are_not_stranded(
    server: EmulatorServer,
) -> None:
    owner, late = store_for(server, "acme"), store_for(server, "bob")
    created = await owner.create("obj", {"v": 0})
    await owner.update("obj", {"v": 1})
    try:

        async def post_late() -> None:  # after the processor's read, before its write
            await late.update("obj", {"late": True})

        # requests of the run: 1 repository context, 2 lock and read, 3 the write
        await run_with(
            server.url, HookTransport(server.url, 3, post_late), created.meta.issue_number
        )
        got = await owner.get("obj", include_pending=False)
        assert got.data == {"v": 1, "late": True}
        assert got.meta.state == "CLOSED"
        assert got.meta.pending_updates == 0
    finally:
        await owner.close()
        await late.close()
