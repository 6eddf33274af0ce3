"""Errors the emulator answers with, shaped as GitHub shapes them."""

from __future__ import annotations

__all__ = [
    "DOCS_URL",
    "GitHubError",
    "NotEmulated",
    "forbidden",
    "not_found_node",
    "unprocessable",
]

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
