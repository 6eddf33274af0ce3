"""Files of a repository's default branch, as `Repository.object(expression:)` answers them
(the repository's `.github/ghstore.yml`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

__all__ = ["RepositoryFile", "repository_file_from"]


@frozen
class RepositoryFile:
    """A file of the default branch."""

    text: str | None
    """None: no such file (or not a blob)."""
    truncated: bool = False


def repository_file_from(repo: Mapping[str, Any]) -> RepositoryFile:
    """The `configFile` field of a repository node (an absent file is a None text)."""
    blob = repo.get("configFile") or {}
    return RepositoryFile(blob.get("text"), bool(blob.get("isTruncated")))
