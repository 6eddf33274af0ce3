"""Every error ghstore raises, under one base class.

    GitHubStoreError
    ├── ConfigurationError        bad config file, option, repository name or token setup
    ├── InvalidUpdate             data or changes that cannot be stored (with the field path)
    │   └── ObjectTooLarge        an object or update over GitHub's size limits
    ├── ObjectNotFound            no stored object with that id
    ├── DuplicateUIDError         an object with that id exists already
    ├── ConcurrentUpdateError     another writer changed the object first
    ├── LockTimeout               another processor held the issue's lock too long
    ├── SnapshotError             a snapshot file that cannot be read or is not a snapshot
    ├── SiteError                 `ghstore site` cannot write where asked
    ├── CommitError               part of a batch landed, part did not (says which)
    ├── CanonicalizationError     aliases or merges that cannot be followed or made
    └── RemoteError               GitHub answered with a failure
        ├── AuthenticationError   401: no token or a bad one
        ├── AccessDeniedError     FORBIDDEN: the token may not do this
        ├── RepositoryNotFound    the repository does not exist or is not visible
        ├── RateLimitExceeded     the primary or secondary rate limit is spent
        └── GitHubUnavailable     502/503/504, timeouts, dropped connections after retries

Every error carries its context as attributes (object_id, status, errors, reset_at, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "CanonicalizationError",
    "CommitError",
    "ConcurrentUpdateError",
    "ConfigurationError",
    "DuplicateUIDError",
    "GitHubStoreError",
    "GitHubUnavailable",
    "InvalidUpdate",
    "LockTimeout",
    "ObjectNotFound",
    "ObjectTooLarge",
    "RateLimitExceeded",
    "RemoteError",
    "RepositoryNotFound",
    "SiteError",
    "SnapshotError",
]


class GitHubStoreError(Exception):
    """The root of every error ghstore raises."""

    def __init__(self, message: str, *, object_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.object_id = object_id


class ConfigurationError(GitHubStoreError):
    """Configuration that cannot work: unknown keys, wrong types, missing token or repo."""

    def __init__(self, message: str, *, key_path: str | None = None) -> None:
        super().__init__(message)
        self.key_path = key_path


class InvalidUpdate(GitHubStoreError):
    """Data or changes that cannot be stored; `path` names the offending field, if any."""

    def __init__(
        self, message: str, *, object_id: str | None = None, path: str | None = None
    ) -> None:
        super().__init__(message, object_id=object_id)
        self.path = path


class ObjectTooLarge(InvalidUpdate):
    """An object or update larger than GitHub accepts."""

    def __init__(
        self, message: str, *, object_id: str | None = None, size: int, limit: int
    ) -> None:
        super().__init__(message, object_id=object_id)
        self.size = size
        self.limit = limit


class ObjectNotFound(GitHubStoreError):
    """No stored object with this id."""


class DuplicateUIDError(GitHubStoreError):
    """An object with this id exists already (or another writer created it at the same time)."""


class ConcurrentUpdateError(GitHubStoreError):
    """Another writer changed the object between our read and our write: `expected` is the
    version the write was made against, `actual` the version the object is at."""

    def __init__(
        self,
        message: str,
        *,
        object_id: str | None = None,
        expected: int | None = None,
        actual: int | None = None,
    ) -> None:
        super().__init__(message, object_id=object_id)
        self.expected = expected
        self.actual = actual


class LockTimeout(GitHubStoreError):
    """Another processor held the issue's lock for longer than we may wait."""


class SnapshotError(GitHubStoreError):
    """A snapshot file that cannot be read or is not a snapshot."""


class SiteError(GitHubStoreError):
    """`ghstore site` cannot write where asked (a folder that is not a previous site, ...)."""


class CanonicalizationError(GitHubStoreError):
    """Aliases or merges that cannot be followed (a cycle, too deep) or made."""


class CommitError(GitHubStoreError):
    """A batch of changes landed in part; `landed` and `failed` say exactly which."""

    def __init__(self, message: str, *, landed: Sequence[Any], failed: Sequence[Any]) -> None:
        super().__init__(message)
        self.landed = list(landed)
        self.failed = list(failed)


class RemoteError(GitHubStoreError):
    """GitHub answered with a failure; `status` is the HTTP status, `errors` GitHub's errors."""

    def __init__(
        self,
        message: str,
        *,
        object_id: str | None = None,
        status: int | None = None,
        errors: Sequence[dict[str, Any]] = (),
        data: Any = None,
    ) -> None:
        super().__init__(message, object_id=object_id)
        self.status = status
        self.errors = list(errors)
        self.data = data


class AuthenticationError(RemoteError):
    """GitHub refused the token (HTTP 401)."""


class AccessDeniedError(RemoteError):
    """The token may not do this (GitHub's FORBIDDEN), or the author is not authorized."""


class RepositoryNotFound(RemoteError):
    """The repository does not exist, or this token cannot see it."""


class RateLimitExceeded(RemoteError):
    """A rate limit is spent; `reset_at` says when it refills, `retry_after` how long to wait."""

    def __init__(
        self,
        message: str,
        *,
        reset_at: dt.datetime | None = None,
        retry_after: float | None = None,
        status: int | None = None,
        errors: Sequence[dict[str, Any]] = (),
    ) -> None:
        super().__init__(message, status=status, errors=errors)
        self.reset_at = reset_at
        self.retry_after = retry_after


class GitHubUnavailable(RemoteError):
    """GitHub did not answer usably (5xx, timeout, dropped connection) after the retries.

    For writes, `landed` lists the calls known to have landed and `unknown` those whose
    outcome is unknown (they may or may not have landed)."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.landed: list[Any] = []
        self.unknown: list[Any] = []
