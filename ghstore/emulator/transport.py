"""An in-process gql transport: the emulator's request handling with no socket."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any

from gql.graphql_request import GraphQLRequest
from gql.transport import AsyncTransport
from gql.transport.exceptions import (
    TransportConnectionFailed,
    TransportProtocolError,
    TransportServerError,
)
from graphql import ExecutionResult
from multidict import CIMultiDict, CIMultiDictProxy

from .controls import FaultKind
from .engine import Emulator, HttpRequest

__all__ = ["InProcessTransport", "InjectedTimeout"]


class InjectedTimeout(TransportConnectionFailed, TimeoutError):
    """A TIMEOUT fault: what AIOHTTPTransport raises when its timeout fires
    (TransportConnectionFailed) and what gql's Client raises when its execute_timeout does
    (TimeoutError), so code written for either path handles it.
    """


class InProcessTransport(AsyncTransport):
    """Sends each request through `Emulator.handle`, failing as AIOHTTPTransport would."""

    def __init__(self, emulator: Emulator, token: str | None, path: str = "/graphql") -> None:
        self.emulator = emulator
        self.token = token
        self.path = path
        self.response_headers: CIMultiDictProxy[str] | None = None

    async def connect(self) -> None:
        """Nothing to connect."""

    async def close(self) -> None:
        """Nothing to close."""

    async def execute(self, request: GraphQLRequest, *_: Any, **__: Any) -> ExecutionResult:
        """Run one request; faults and HTTP errors raise what gql's aiohttp transport raises."""
        headers = {"Content-Type": "application/json"}
        if self.token is not None:
            headers["Authorization"] = f"bearer {self.token}"
        body = json.dumps(request.payload).encode()
        response = await self.emulator.handle(HttpRequest(headers, body, self.path))
        self.response_headers = CIMultiDictProxy(CIMultiDict(response.headers))
        if response.fault is FaultKind.TIMEOUT:
            raise InjectedTimeout("in-process request timed out (injected)")
        if response.fault is FaultKind.LOSE_RESPONSE:
            raise TransportConnectionFailed("Server disconnected (injected: response lost)")
        result = response.body if isinstance(response.body, dict) else {}
        if response.status >= 400:
            raise TransportServerError(
                f"{response.status}, message={result.get('message', '')!r}", response.status
            )
        if "data" not in result and "errors" not in result:
            raise TransportProtocolError(f"Server did not return a valid GraphQL result: {result}")
        return ExecutionResult(data=result.get("data"), errors=result.get("errors"))

    def subscribe(self, request: GraphQLRequest) -> AsyncGenerator[ExecutionResult, None]:
        """GitHub's GraphQL API has no subscriptions."""
        raise NotImplementedError("GitHub's GraphQL API has no subscriptions")
