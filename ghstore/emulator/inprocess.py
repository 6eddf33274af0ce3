"""A client's in-process door to the local GitHub: a GraphQL payload through `Emulator.handle`,
no socket and no HTTP library, failing as an HTTP client would, in exceptions of its own that
each transport turns into its library's (`InProcessTransport`: gql's; the embedded store's
wire: ghstore's)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .controls import FaultKind
from .exchange import HttpRequest

if TYPE_CHECKING:
    from .engine import Emulator

__all__ = ["HttpStatusError", "InProcessClient", "NotGraphqlError", "ResponseLost", "TimedOut"]


class ResponseLost(ConnectionError):
    """The answer never came back (a LOSE_RESPONSE fault): the request may have run."""


class TimedOut(TimeoutError):
    """The request timed out (a TIMEOUT fault)."""


class HttpStatusError(Exception):
    """An HTTP error status (4xx, 5xx) instead of a GraphQL answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class NotGraphqlError(Exception):
    """A 2xx answer that holds neither data nor errors."""


class InProcessClient:
    """Sends GraphQL payloads as one token to an emulator in this process."""

    def __init__(self, emulator: Emulator, token: str | None, path: str = "/graphql") -> None:
        self.emulator = emulator
        self.token = token
        self.path = path
        self.response_headers: dict[str, str] | None = None
        """The last answer's headers (None before the first)."""

    async def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The GraphQL result (`data` and/or `errors`) of one request."""
        headers = {"Content-Type": "application/json"}
        if self.token is not None:
            headers["Authorization"] = f"bearer {self.token}"
        body = json.dumps(payload).encode()
        response = await self.emulator.handle(HttpRequest(headers, body, self.path))
        self.response_headers = dict(response.headers)
        if response.fault is FaultKind.TIMEOUT:
            raise TimedOut("in-process request timed out (injected)")
        if response.fault is FaultKind.LOSE_RESPONSE:
            raise ResponseLost("Server disconnected (injected: response lost)")
        result = response.body if isinstance(response.body, dict) else {}
        if response.status >= 400:
            message = f"{response.status}, message={result.get('message', '')!r}"
            raise HttpStatusError(response.status, message)
        if "data" not in result and "errors" not in result:
            raise NotGraphqlError(f"Server did not return a valid GraphQL result: {result}")
        return result
