"""Relay connections over ordered lists, with opaque cursors, as GitHub paginates."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from .errors import GitHubError

__all__ = [
    "Keyset",
    "Page",
    "cursor_of",
    "decode_cursor",
    "encode_cursor",
    "paginate",
    "paginate_keyset",
]

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
    total: Callable[[], int]
    """How many the whole list holds (counted when asked: a page of a keyset never is)."""
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
    lo, hi = 0, len(order)
    if after is not None:  # the entry after the cursor's item, or after the gap it left
        lo = max(0, math.floor(_position(order, after, descending)) + 1)
    if before is not None:
        hi = min(len(order), math.ceil(_position(order, before, descending)))
    window = list(order[lo:hi])
    has_previous, has_next = lo > 0, hi < len(order)
    if first is not None and len(window) > first:
        window, has_next = window[:first], True
    if last is not None and len(window) > last:
        window, has_previous = window[len(window) - last :], True
    size = len(order)
    return Page(keys=window, total=lambda: size, has_next=has_next, has_previous=has_previous)


def cursor_of(entry: tuple[Any, int]) -> str:
    """The cursor of one (sort key, id) entry."""
    return encode_cursor(entry[0], entry[1])


Entry = tuple[Any, int]


@frozen
class Keyset:
    """An ordered list read a window at a time, by key, from where it is kept.

    `window(beyond, backwards, limit)`: up to `limit` entries past `beyond` (all if None; from
    the start if `beyond` is None) in list order, or before it going backwards; `locate(id)`:
    the entry of that id now, if it is still listed; `count()`: how many are listed."""

    window: Callable[[Entry | None, bool, int | None], list[Entry]]
    locate: Callable[[int], Entry | None]
    count: Callable[[], int]
    descending: bool = False

    def before(self, left: Entry, right: Entry) -> bool:
        """Whether `left` comes before `right` in list order."""
        return left > right if self.descending else left < right


def _anchor(keyset: Keyset, cursor: str) -> tuple[Entry, bool]:
    """Where a cursor stands, as `_position`: its item's entry (True) if still listed and
    nothing else is listed past the cursor's key before it; else the cursor's own key, between
    two entries (False)."""
    key, item_id = decode_cursor(cursor)
    mark = (key, item_id)
    now = keyset.locate(item_id)
    if now is not None and (not keyset.before(mark, now) or keyset.window(mark, False, 1) == [now]):
        return now, True
    return mark, False


def _beyond(keyset: Keyset, anchor: tuple[Entry, bool] | None, backwards: bool) -> bool:
    """Whether anything is listed at the anchor or past it (backwards: before it)."""
    if anchor is None:
        return False
    return anchor[1] or bool(keyset.window(anchor[0], backwards, 1))


def paginate_keyset(
    keyset: Keyset,
    *,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page:
    """`paginate` over a keyset: reads the page (and one entry more), never the whole list;
    the same pages, cursors and page info as `paginate` over the whole list."""
    low = _anchor(keyset, after) if after is not None else None
    high = _anchor(keyset, before) if before is not None else None
    has_previous, has_next = _beyond(keyset, low, True), _beyond(keyset, high, False)
    if first is None and last is not None:
        window = keyset.window(high[0] if high else None, True, last + 1)[::-1]
        window = [e for e in window if low is None or keyset.before(low[0], e)]
    else:
        window = keyset.window(low[0] if low else None, False, None if first is None else first + 1)
        window = [e for e in window if high is None or keyset.before(e, high[0])]
    if first is not None and len(window) > first:
        window, has_next = window[:first], True
    if last is not None and len(window) > last:
        window, has_previous = window[len(window) - last :], True
    return Page(keys=window, total=keyset.count, has_next=has_next, has_previous=has_previous)
