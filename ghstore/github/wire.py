"""How the gateway's requests travel: a `Wire` sends one document with its variables and
gives back the answer's data, or raises one of three failures the gateway tells apart (errors
in a GraphQL answer, an HTTP error status, no usable answer at all). Everything above the wire
-- pricing, pacing, retries, batching, error mapping -- is the gateway's, the same for every
wire: gql over aiohttp to GitHub (`ghstore.github.gql_wire`), or the embedded local GitHub in
this process (`ghstore.bootstrap`), which needs neither gql nor an HTTP library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import DocumentNode, print_ast

from ..exceptions import GitHubStoreError

__all__ = ["AnswerErrors", "HttpStatus", "NoAnswer", "Wire", "payload"]


class AnswerErrors(GitHubStoreError):
    """A GraphQL answer with errors (and perhaps some data). The wire's three failures are
    signals the gateway catches and turns into ghstore's errors; none leaves it."""

    def __init__(self, errors: list[dict[str, Any]], data: dict[str, Any] | None) -> None:
        super().__init__(str(errors[0]) if errors else "errors")
        self.errors = errors
        self.data = data


class HttpStatus(GitHubStoreError):
    """An HTTP error status instead of a GraphQL answer."""

    def __init__(self, code: int | None, message: str) -> None:
        super().__init__(message)
        self.code = code


class NoAnswer(GitHubStoreError):
    """No usable answer (connection failed, timed out, answer lost or not GraphQL): the
    request may or may not have run. `cause` is what the transport raised."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(repr(cause))
        self.cause = cause


class Wire:
    """Sends GraphQL requests; subclasses say how."""

    @property
    def response_headers(self) -> Mapping[str, str] | None:
        """The last answer's HTTP headers (None before the first)."""
        return None

    async def send(self, document: DocumentNode, variables: dict[str, Any]) -> dict[str, Any]:
        """The data of the answer to `document`; AnswerErrors, HttpStatus or NoAnswer."""
        raise NotImplementedError

    async def close(self) -> None:
        """Release connections (nothing, unless the wire holds some)."""


def payload(document: DocumentNode, variables: dict[str, Any]) -> dict[str, Any]:
    """A request's JSON body, as gql sends it (GraphQL over HTTP): the printed document, and
    the variables unless there are none."""
    body: dict[str, Any] = {"query": print_ast(document)}
    if variables:
        body["variables"] = variables
    return body
