"""The wire to GitHub: gql's client over a gql transport (aiohttp's unless one is given), its
exceptions told apart as the gateway needs them. The only module that imports gql."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gql import Client
from gql.graphql_request import GraphQLRequest
from gql.transport import AsyncTransport
from gql.transport.exceptions import TransportError, TransportQueryError, TransportServerError
from graphql import DocumentNode

from .wire import AnswerErrors, HttpStatus, NoAnswer, Wire

__all__ = ["GqlWire"]


class GqlWire(Wire):
    """gql's client over `transport`; without one, aiohttp to `api_url` with `token`."""

    def __init__(
        self,
        transport: AsyncTransport | None = None,
        *,
        token: str | None = None,
        api_url: str = "",
        timeout: float = 30.0,
    ) -> None:
        if transport is None:
            # aiohttp (and the SSL contexts its connector builds) only for real HTTP
            from gql.transport.aiohttp import AIOHTTPTransport  # noqa: PLC0415

            headers = {"Authorization": f"bearer {token}"} if token else {}
            headers["User-Agent"] = "ghstore"
            transport = AIOHTTPTransport(url=api_url, headers=headers, timeout=int(timeout))
        self.transport = transport
        self._client = Client(transport=transport, execute_timeout=timeout)
        self._session: Any = None

    @property
    def response_headers(self) -> Mapping[str, str] | None:
        """The headers the transport kept of the last answer."""
        headers: Mapping[str, str] | None = getattr(self.transport, "response_headers", None)
        return headers

    async def send(self, document: DocumentNode, variables: dict[str, Any]) -> dict[str, Any]:
        """Run one request through gql's client."""
        if self._session is None:
            self._session = await self._client.connect_async(reconnecting=False)  # type: ignore[no-untyped-call]
        try:
            result: dict[str, Any] = await self._session.execute(
                GraphQLRequest(document, variable_values=variables)
            )
        except TransportQueryError as exc:
            raise AnswerErrors(list(exc.errors or []), exc.data) from exc
        except TransportServerError as exc:
            raise HttpStatus(exc.code, str(exc)) from exc
        except (TransportError, TimeoutError, OSError) as exc:
            raise NoAnswer(exc) from exc
        return result

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._client.close_async()  # type: ignore[no-untyped-call]
            self._session = None
