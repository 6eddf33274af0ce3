"""Errors the GraphQL face answers with, shaped as GitHub's GraphQL API shapes them; a broken
issue rule (`issue_rules`) is an UNPROCESSABLE error."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from graphql import GraphQLError

from ..issue_rules import RuleBrokenError

__all__ = [
    "DOCS_URL",
    "FieldFault",
    "GitHubError",
    "NotEmulated",
    "execution_error",
    "forbidden",
    "locations",
    "not_found_node",
    "unprocessable",
]

log = logging.getLogger("ghstore.emulator")

DOCS_URL = "https://docs.github.com/graphql"


class GitHubError(Exception):
    """A GraphQL error with GitHub's top-level `type` (NOT_FOUND, FORBIDDEN, ...)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.type = error_type
        self.message = message


class NotEmulated(GitHubError):
    """A part of GitHub's schema that this emulator does not implement: never a silent null."""

    def __init__(self, what: str) -> None:
        super().__init__("NOT_EMULATED", f"{what} is not emulated by ghstore's local GitHub")


class FieldFault(Exception):
    """An injected failure of one mutation field: GitHub's untyped internal error."""

    MESSAGE = (
        "Something went wrong while executing your query. This may be the result of a timeout, "
        "or it could be a GitHub bug. Please try again."
    )


def not_found_node(global_id: str) -> GitHubError:
    """The error GitHub gives for an ID that resolves to nothing."""
    return GitHubError(
        "NOT_FOUND", f"Could not resolve to a node with the global id of '{global_id}'"
    )


def forbidden(login: str, mutation: str) -> GitHubError:
    """The error GitHub gives when a user lacks the permission a mutation needs; an app's
    token (its user is `slug[bot]`, as Actions' GITHUB_TOKEN acts as github-actions[bot]) is
    told in the integration's words [github-community-projects/contributors#492]."""
    if login.endswith("[bot]"):
        return GitHubError("FORBIDDEN", "Resource not accessible by integration")
    return GitHubError(
        "FORBIDDEN", f"{login} does not have the correct permissions to execute `{mutation}`"
    )


def unprocessable(message: str) -> GitHubError:
    """A validation failure of the data itself (too long, already exists, ...)."""
    return GitHubError("UNPROCESSABLE", message)


# -- GitHub's error shape ------------------------------------------------------------------
def locations(error: GraphQLError) -> list[dict[str, int]]:
    """Where in the document an error is, as GitHub lists it."""
    return [{"line": loc.line, "column": loc.column} for loc in error.locations or ()]


def execution_error(error: GraphQLError) -> dict[str, Any]:
    """An error raised while resolving, in GitHub's shape (`type` at the top level)."""
    original = error.original_error
    out: dict[str, Any] = {}
    if isinstance(original, GitHubError):
        out["type"] = original.type
        message = original.message
    elif isinstance(original, FieldFault):
        message = FieldFault.MESSAGE
    elif isinstance(original, RuleBrokenError):
        out["type"] = "UNPROCESSABLE"  # as `unprocessable` answers
        message = original.sentence()
    elif original is not None:
        log.error("emulator bug: %s", "".join(traceback.format_exception(original)))
        message = f"Something went wrong while executing your query. (emulator: {original!r})"
    else:
        message = error.message
    if error.path:
        out["path"] = list(error.path)
    if out.get("type") == "FORBIDDEN":
        out["extensions"] = {"saml_failure": False}  # as GitHub sends with every FORBIDDEN
    out["locations"] = locations(error)
    out["message"] = message
    return out
