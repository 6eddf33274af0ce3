"""What both faces of the emulator exchange with the request handling: a request, an answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from .controls import FaultKind

__all__ = ["API_PREFIX", "HttpRequest", "HttpResponse", "JsonBody", "is_rest_path", "token_of"]

API_PREFIX = "/api/v3"
"""Where the REST API lives (GitHub Enterprise's layout); GraphQL is at /graphql."""

JsonBody = dict[str, Any] | list[Any] | str | None
"""A response body: GraphQL answers objects; REST also answers arrays, nothing (204), and
raw text (a file asked for as `application/vnd.github.raw`, with its content-type header)."""


@frozen
class HttpRequest:
    """What either face received: headers (any case) and the raw body.

    REST requests also need the method, the query string and the origin the client addressed
    (`http://127.0.0.1:PORT`), from which REST answers build their `url` fields; `path` is as
    sent, percent-encoding included.
    """

    headers: Mapping[str, str]
    body: bytes
    path: str = "/graphql"
    method: str = "POST"
    query: str = ""
    origin: str = "http://localhost"


@frozen
class HttpResponse:
    """What either face must answer; `fault` tells it to misbehave instead."""

    status: int
    headers: dict[str, str]
    body: JsonBody
    fault: FaultKind | None = None


def token_of(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: bearer X` (or `token X`) header, if there is one."""
    lowered = {k.lower(): v for k, v in headers.items()}
    scheme, _, token = lowered.get("authorization", "").strip().partition(" ")
    if not token.strip() or scheme.lower() not in ("bearer", "token"):
        return None
    return token.strip()


def is_rest_path(path: str) -> bool:
    """Whether a request path belongs to the REST API."""
    return path == API_PREFIX or path.startswith(f"{API_PREFIX}/")
