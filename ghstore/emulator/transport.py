"""An in-process gql transport: the emulator's request handling with no socket."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from gql.graphql_request import GraphQLRequest
from gql.transport import AsyncTransport
from gql.transport.exceptions import (
    TransportConnectionFailed,
    TransportProtocolError,
    TransportServerError,
)
from graphql import ExecutionResult
from multidict import CIMultiDict, CIMultiDictProxy

from .inprocess import HttpStatusError, InProcessClient, NotGraphqlError, ResponseLost, TimedOut

if TYPE_CHECKING:
    from .engine import Emulator

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
        client = InProcessClient(self.emulator, self.token, self.path)
        try:
            result = await client.post(request.payload)
        except TimedOut as exc:
            raise InjectedTimeout(str(exc)) from None
        except ResponseLost as exc:
            raise TransportConnectionFailed(str(exc)) from None
        except HttpStatusError as exc:
            raise TransportServerError(exc.message, exc.status) from None
        except NotGraphqlError as exc:
            raise TransportProtocolError(str(exc)) from None
        finally:
            if client.response_headers is not None:
                self.response_headers = CIMultiDictProxy(CIMultiDict(client.response_headers))
        return ExecutionResult(data=result.get("data"), errors=result.get("errors"))

    def subscribe(self, request: GraphQLRequest) -> AsyncGenerator[ExecutionResult, None]:
        """GitHub's GraphQL API has no subscriptions."""
        raise NotImplementedError("GitHub's GraphQL API has no subscriptions")
