"""GitHub's DateTime scalar: ISO-8601 in UTC, to the second (`2024-01-01T00:00:00Z`)."""

from __future__ import annotations

import datetime as dt
import math

__all__ = ["BadTimestampError", "format_utc", "parse_datetime"]

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class BadTimestampError(ValueError):
    """A client's DateTime that is not ISO-8601; the message is GitHub's GraphQL words."""


def format_utc(epoch: float) -> str:
    """An epoch time as GitHub prints a DateTime."""
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime(_FORMAT)


def parse_datetime(text: str) -> str:
    """A client's DateTime (any ISO-8601 offset or fraction) as a stored timestamp.

    Stored timestamps have whole seconds, so a fraction rounds up: `since: 00:59:59.5`
    keeps what changed at 01:00:00 and drops what changed at 00:59:59.
    """
    try:
        parsed = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise BadTimestampError(f"Could not coerce value {text!r} to DateTime") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return format_utc(math.ceil(parsed.timestamp()))
