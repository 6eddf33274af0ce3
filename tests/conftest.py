"""Shared fixtures: a local GitHub with a repository and four people, in-process and on HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from gql import Client
from gql.transport.aiohttp import AIOHTTPTransport

from ghstore.config import RateLimitConfig
from ghstore.emulator import Emulator, EmulatorServer

# acme owns acme/data; bob collaborates; mia is a member; eve is an outsider.
TOKENS = {"acme": "t1", "bob": "t2", "eve": "t3", "mia": "t4"}

# Against the local GitHub in tests: no client-side cap and no spacing of mutations.
NO_PACING = RateLimitConfig(max_requests_per_hour=0, mutation_interval=0.0)
FAST_CONFIG = {"store": {"rate_limit": {"max_requests_per_hour": 0, "mutation_interval": 0.0}}}


def make_emulator(**kwargs: Any) -> Emulator:
    """An in-memory local GitHub with acme/data and its people."""
    emulator = Emulator(**kwargs)
    for login, token in TOKENS.items():
        emulator.add_user(login, token)
    emulator.add_repository("acme/data", roles={"bob": "collaborator", "mia": "member"})
    return emulator


@pytest.fixture
def emulator() -> Emulator:
    return make_emulator()


@pytest.fixture
async def server(emulator: Emulator) -> AsyncIterator[EmulatorServer]:
    """The emulator on a loopback port, answering real HTTP."""
    running = EmulatorServer(emulator)
    await running.start()
    yield running
    await running.stop()


class HttpGitHub:
    """Sends documents over real HTTP through gql's AIOHTTPTransport, as a given user."""

    def __init__(self, url: str) -> None:
        self.url = url

    def transport(self, login: str | None) -> AIOHTTPTransport:
        headers = {"Authorization": f"bearer {TOKENS[login]}"} if login else {}
        return AIOHTTPTransport(url=self.url, headers=headers)

    async def raw(self, login: str | None, query: str, **variables: Any) -> Any:
        """The ExecutionResult (data and GitHub's errors), without raising on errors."""
        from gql.graphql_request import GraphQLRequest

        transport = self.transport(login)
        await transport.connect()
        try:
            return await transport.execute(GraphQLRequest(query, variable_values=variables))
        finally:
            await transport.close()

    async def data(self, login: str | None, query: str, **variables: Any) -> Any:
        """The data of a request that must succeed."""
        from gql.graphql_request import GraphQLRequest

        async with Client(transport=self.transport(login)) as session:
            return await session.execute(GraphQLRequest(query, variable_values=variables))


@pytest.fixture
def github(server: EmulatorServer) -> HttpGitHub:
    return HttpGitHub(server.url)


def store_for(server: EmulatorServer, login: str = "acme", **config: Any) -> Any:
    """A Store on acme/data over real HTTP, as `login`."""
    from ghstore import Gateway, Store
    from ghstore.config import parse_config

    gateway = Gateway(token=TOKENS[login], api_url=server.url, rate_limit=NO_PACING)
    return Store("acme/data", gateway, parse_config({"store": config}) if config else None)


@pytest.fixture
async def store(server: EmulatorServer) -> AsyncIterator[Any]:
    """The owner's Store on acme/data over real HTTP."""
    opened = store_for(server)
    yield opened
    await opened.close()


@pytest.fixture(scope="module")
def served() -> Any:
    """`ghstore emulator serve` as a separate process; yields its GraphQL URL."""
    import subprocess
    import sys

    users = [
        "--user=acme:t1",
        "--user=bob:t2:collaborator",
        "--user=eve:t3",
        "--user=mia:t4:member",
    ]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ghstore",
            "emulator",
            "serve",
            "--port",
            "0",
            "--repo",
            "acme/data",
            *users,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url
    process.terminate()
    process.wait(timeout=10)
