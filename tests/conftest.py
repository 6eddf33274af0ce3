"""Shared fixtures: a local GitHub with a repository and four people, in-process and on HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport

from ghstore.emulator import Emulator, EmulatorServer

# acme owns acme/data; bob collaborates; mia is a member; eve is an outsider.
TOKENS = {"acme": "t1", "bob": "t2", "eve": "t3", "mia": "t4"}


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
        async with Client(transport=self.transport(login)) as session:
            return await session.execute(gql(query), variable_values=variables)


@pytest.fixture
def github(server: EmulatorServer) -> HttpGitHub:
    return HttpGitHub(server.url)
