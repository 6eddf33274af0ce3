"""Relay connections over ordered lists, with opaque cursors, as GitHub paginates."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from .errors import GitHubError

__all__ = ["Page", "cursor_of", "decode_cursor", "encode_cursor", "paginate"]

MAX_PAGE = 100


def encode_cursor(key: Any, item_id: int) -> str:
    """An opaque cursor for the item with this sort key and id."""
    raw = json.dumps(["cursor:v2", key, item_id], separators=(",", ":")).encode()
    return base64.b64encode(raw).decode()


def decode_cursor(cursor: str) -> tuple[Any, int]:
    """(sort key, id) of a cursor; a malformed one is GitHub's INVALID_CURSOR_ARGUMENTS error."""
    try:
        tag, key, item_id = json.loads(base64.b64decode(cursor.encode(), validate=True))
        if tag != "cursor:v2" or not isinstance(item_id, int):
            raise ValueError(cursor)
    except (ValueError, TypeError) as exc:
        raise GitHubError(
            "INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor."
        ) from exc
    return key, item_id


def _position(order: Sequence[tuple[Any, int]], cursor: str, descending: bool) -> float:
    """Index of the cursor's item in `order`; between two items if it has gone since."""
    key, item_id = decode_cursor(cursor)
    for index, entry in enumerate(order):
        if entry[1] == item_id:
            return index
        if (
            ((entry[0], entry[1]) < (key, item_id))
            if descending
            else ((entry[0], entry[1]) > (key, item_id))
        ):
            return index - 0.5
    return len(order) - 0.5


@frozen
class Page:
    """A window of an ordered list and what lies on either side of it."""

    keys: list[tuple[Any, int]]
    total: int
    has_next: bool
    has_previous: bool


def paginate(
    order: Sequence[tuple[Any, int]],
    *,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    descending: bool = False,
) -> Page:
    """Slice `order` (a list of (sort key, id)) by Relay arguments, GitHub's limits applied."""
    start, stop = 0.0, float(len(order))
    if after is not None:
        start = _position(order, after, descending) + 1
    if before is not None:
        stop = _position(order, before, descending)
    lo = max(0, int(-(-start // 1)))  # ceil
    hi = min(len(order), int(-(-stop // 1)))
    window = list(order[lo:hi])
    has_previous, has_next = lo > 0, hi < len(order)
    if first is not None and len(window) > first:
        window, has_next = window[:first], True
    if last is not None and len(window) > last:
        window, has_previous = window[len(window) - last :], True
    return Page(keys=window, total=len(order), has_next=has_next, has_previous=has_previous)


def cursor_of(entry: tuple[Any, int]) -> str:
    """The cursor of one (sort key, id) entry."""
    return encode_cursor(entry[0], entry[1])
