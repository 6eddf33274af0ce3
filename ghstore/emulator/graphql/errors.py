"""Errors the GraphQL face answers with, shaped as GitHub's GraphQL API shapes them; a broken
issue rule (`issue_rules`) is an UNPROCESSABLE error."""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from graphql import GraphQLError

from ..issue_rules import RuleBrokenError

__all__ = [
    "DOCS_URL",
    "GitHubError",
    "NotEmulated",
    "execution_error",
    "forbidden",
    "locations",
    "not_found_node",
    "unprocessable",
    "validation_error",
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


def not_found_node(global_id: str) -> GitHubError:
    """The error GitHub gives for an ID that resolves to nothing."""
    return GitHubError(
        "NOT_FOUND", f"Could not resolve to a node with the global id of '{global_id}'"
    )


def forbidden(login: str, mutation: str) -> GitHubError:
    """The error GitHub gives when a user lacks the permission a mutation needs."""
    return GitHubError(
        "FORBIDDEN", f"{login} does not have the correct permissions to execute `{mutation}`"
    )


def unprocessable(message: str) -> GitHubError:
    """A validation failure of the data itself (too long, already exists, ...)."""
    return GitHubError("UNPROCESSABLE", message)


# -- GitHub's error shape ------------------------------------------------------------------
_VALIDATION_REWRITES = [
    (
        re.compile(r"^Cannot query field '(\w+)' on type '(\w+)'\..*$", re.S),
        "Field '{0}' doesn't exist on type '{1}'",
        "undefinedField",
    ),
    (
        re.compile(r"^Unknown argument '(\w+)' on field '\w+\.(\w+)'\..*$", re.S),
        "Field '{1}' doesn't accept argument '{0}'",
        "argumentNotAccepted",
    ),
    (
        re.compile(
            r"^Field '(\w+)' argument '(\w+)' of type '.*' is required, but it was not provided\.$"
        ),
        "Field '{0}' is missing required arguments: {1}",
        "missingRequiredArguments",
    ),
]


def locations(error: GraphQLError) -> list[dict[str, int]]:
    """Where in the document an error is, as GitHub lists it."""
    return [{"line": loc.line, "column": loc.column} for loc in error.locations or ()]


def validation_error(error: GraphQLError) -> dict[str, Any]:
    """A graphql-core validation error in GitHub's words where GitHub's are known."""
    out: dict[str, Any] = {}
    message = error.message
    for pattern, template, code in _VALIDATION_REWRITES:
        match = pattern.match(message)
        if match:
            message = template.format(*match.groups())
            out["extensions"] = {"code": code}
            break
    out["locations"] = locations(error)
    out["message"] = message
    return out


def execution_error(error: GraphQLError) -> dict[str, Any]:
    """An error raised while resolving, in GitHub's shape (`type` at the top level)."""
    original = error.original_error
    out: dict[str, Any] = {}
    if isinstance(original, GitHubError):
        out["type"] = original.type
        message = original.message
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
    out["locations"] = locations(error)
    out["message"] = message
    return out
