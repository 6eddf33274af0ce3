"""Reads for every node of a page done once, when one node first asks (a data loader)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

__all__ = ["PageBatch"]

T = TypeVar("T")


class PageBatch(Generic[T]):
    """`fetch(ids)` for all of a page's ids, run the first time any of them is asked for."""

    def __init__(
        self, fetch: Callable[[Sequence[int]], Mapping[int, list[T]]], ids: Sequence[int]
    ) -> None:
        self._fetch = fetch
        self._ids = list(ids)
        self._found: Mapping[int, list[T]] | None = None

    def of(self, item_id: int) -> list[T]:
        """What the fetch found for one id of the page (a new list: callers may keep it)."""
        if self._found is None:
            self._found = self._fetch(self._ids)
        return list(self._found.get(item_id, ()))
