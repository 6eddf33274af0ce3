"""GitHub's failures as ghstore exceptions: GraphQL errors, HTTP statuses, rate limits, and
the internal signals the gateway retries on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ..exceptions import (
    AccessDeniedError,
    AuthenticationError,
    GitHubStoreError,
    GitHubUnavailable,
    RateLimitExceeded,
    RemoteError,
    RepositoryNotFound,
)

__all__ = [
    "RATE_LIMIT_TYPES",
    "TRANSIENT_STATUS",
    "PartialFailure",
    "Retry",
    "error_for",
    "is_rate_limited",
    "primary_limited",
    "server_error",
]

TRANSIENT_STATUS = frozenset({500, 502, 503, 504})
RATE_LIMIT_TYPES = frozenset({"RATE_LIMIT", "RATE_LIMITED"})
"""The `type` of a spent primary budget: today's (`RATE_LIMIT`, with `code`
`graphql_rate_limit`) and the older one GitHub answered before; both mean "wait for the reset"."""


def is_rate_limited(errors: Sequence[Mapping[str, Any]]) -> bool:
    """Whether GitHub's GraphQL errors say the primary budget is spent, in either form."""
    return any(
        e.get("type") in RATE_LIMIT_TYPES or e.get("code") == "graphql_rate_limit" for e in errors
    )


def error_for(
    errors: Sequence[Mapping[str, Any]], data: Any = None, status: int | None = None
) -> RemoteError:
    """The ghstore exception for GitHub's GraphQL errors."""
    types = {str(e.get("type", "")) for e in errors}
    message = "; ".join(str(e.get("message", e)) for e in errors[:3])
    kwargs: dict[str, Any] = {"errors": [dict(e) for e in errors], "data": data, "status": status}
    if is_rate_limited(errors):
        return RateLimitExceeded(
            f"GitHub's rate limit is spent: {message}", errors=kwargs["errors"], status=status
        )
    if "FORBIDDEN" in types:
        return AccessDeniedError(f"GitHub refused: {message}", **kwargs)
    if types == {"NOT_FOUND"} and all(
        list(e.get("path") or [])[:1] == ["repository"] and len(e.get("path") or []) == 1
        for e in errors
    ):
        return RepositoryNotFound(message, **kwargs)
    return RemoteError(f"GitHub answered with errors: {message}", **kwargs)


class Retry(GitHubStoreError):
    """A failure worth sending the same request again for, after `wait` seconds (None: the
    backoff's); caught by the gateway, which raises `error` once the attempts are spent."""

    def __init__(self, error: RemoteError, wait: float | None) -> None:
        super().__init__(error.message)
        self.error = error
        self.wait = wait


class PartialFailure(GitHubStoreError):
    """Some fields of a mutation batch failed; the others landed (caught by the gateway)."""

    def __init__(self, data: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        super().__init__("partial failure")
        self.data = data
        self.errors = errors


def server_error(
    status: int | None,
    text: str,
    headers: Mapping[str, str],
    max_wait: float,
    idempotent: bool,
) -> Exception:
    """The exception (or Retry) for an HTTP error status; `headers` lower-cased."""
    if status == 401:
        return AuthenticationError(
            "GitHub refused the token (401): it is missing, wrong or expired", status=401
        )
    retry_after = headers.get("retry-after")
    if status in (403, 429) and (retry_after is not None or "rate limit" in text.lower()):
        wait = float(retry_after) if retry_after is not None else 60.0
        limited = RateLimitExceeded(
            f"GitHub's secondary rate limit: retry after {wait:.0f} s",
            retry_after=wait,
            status=status,
        )
        return Retry(limited, wait) if wait <= max_wait else limited
    if status == 403:
        return AccessDeniedError(f"GitHub refused the request (403): {text}", status=403)
    failure = GitHubUnavailable(f"GitHub answered {status}: {text}", status=status)
    if status in TRANSIENT_STATUS and idempotent:
        return Retry(failure, None)
    return failure


def primary_limited(
    errors: list[dict[str, Any]], reset: dt.datetime | None, now: float, max_wait: float
) -> Exception:
    """The spent primary limit: a Retry after the reset when that is within `max_wait`."""
    wait = (reset.timestamp() - now) if reset else None
    limited = RateLimitExceeded(
        f"GitHub's rate limit is spent until {reset.isoformat() if reset else 'unknown'}",
        reset_at=reset,
        retry_after=wait,
        errors=errors,
    )
    if wait is not None and 0 <= wait <= max_wait:
        return Retry(limited, wait + 1)
    return limited
