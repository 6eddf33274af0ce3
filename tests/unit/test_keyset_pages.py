"""A keyset page (read by key from where the list is kept) is the page `paginate` cuts from the
whole list: same entries, same page info, for every cursor, direction and size -- including
cursors whose item has gone or moved since."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ghstore.emulator.graphql.pagination import (
    Entry,
    Keyset,
    Page,
    encode_cursor,
    paginate,
    paginate_keyset,
)


def _keyset(entries: list[Entry], descending: bool) -> Keyset:
    order = sorted(entries, reverse=descending)

    def window(beyond: Entry | None, backwards: bool, limit: int | None) -> list[Entry]:
        listed = order[::-1] if backwards else order
        if beyond is not None:
            past = (lambda e: e < beyond) if descending != backwards else (lambda e: e > beyond)
            listed = [e for e in listed if past(e)]
        return listed if limit is None else listed[:limit]

    def locate(item_id: int) -> Entry | None:
        return next((e for e in order if e[1] == item_id), None)

    return Keyset(window, locate, lambda: len(order), descending)


def _same(left: Page, right: Page) -> tuple[Any, ...]:
    return (left.keys, left.has_next, left.has_previous, left.total()) == (
        right.keys,
        right.has_next,
        right.has_previous,
        right.total(),
    ), (left, right)


keys = st.lists(st.tuples(st.integers(0, 6), st.integers(1, 30)), unique_by=lambda e: e[1])
cursors = st.none() | st.tuples(st.integers(0, 6), st.integers(1, 30))
sizes = st.none() | st.integers(1, 5)


@settings(max_examples=500)
@given(keys, cursors, cursors, sizes, sizes, st.booleans())
def test_a_keyset_page_is_the_page_of_the_whole_list(
    entries: list[Entry],
    after: Entry | None,
    before: Entry | None,
    first: int | None,
    last: int | None,
    descending: bool,
) -> None:
    order = sorted(entries, reverse=descending)
    args: dict[str, Any] = {
        "first": first,
        "last": last,
        "after": encode_cursor(*after) if after else None,
        "before": encode_cursor(*before) if before else None,
    }
    whole = paginate(order, descending=descending, **args)
    by_key = paginate_keyset(_keyset(entries, descending), **args)
    same, pages = _same(by_key, whole)
    assert same, pages
