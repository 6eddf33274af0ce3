"""The base of every view, and the connection views (nodes, edges, pageInfo) lists page through."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from .context import RequestContext
from .pagination import Keyset, Page, cursor_of, paginate, paginate_keyset

__all__ = [
    "ConnectionView",
    "EdgeView",
    "PageInfoView",
    "Payload",
    "View",
    "connection",
    "keyset_connection",
    "relay_args",
]


class View:
    """An object of one GitHub type; its public methods resolve that type's fields."""

    typename: ClassVar[str] = ""

    def __init__(self, ctx: RequestContext) -> None:
        self._ctx = ctx


class Payload(View):
    """A mutation payload or other plain object: fields are looked up by name."""

    def __init__(self, ctx: RequestContext, typename: str, **values: Any) -> None:
        super().__init__(ctx)
        self.dynamic_typename = typename
        self.values = values


# -- connections ---------------------------------------------------------------------------
class PageInfoView(View):
    typename = "PageInfo"

    def __init__(self, ctx: RequestContext, page: Page) -> None:
        super().__init__(ctx)
        self._page = page

    def hasNextPage(self) -> bool:
        return self._page.has_next

    def hasPreviousPage(self) -> bool:
        return self._page.has_previous

    def startCursor(self) -> str | None:
        return cursor_of(self._page.keys[0]) if self._page.keys else None

    def endCursor(self) -> str | None:
        return cursor_of(self._page.keys[-1]) if self._page.keys else None


class EdgeView(View):
    def __init__(
        self, ctx: RequestContext, typename: str, entry: tuple[Any, int], node: View
    ) -> None:
        super().__init__(ctx)
        self.dynamic_typename = typename
        self._entry = entry
        self._node = node

    def cursor(self) -> str:
        return cursor_of(self._entry)

    def node(self) -> View:
        return self._node


class ConnectionView(View):
    """A page of nodes with edges, pageInfo and totalCount."""

    def __init__(
        self,
        ctx: RequestContext,
        typename: str,
        page: Page,
        load: Callable[[Sequence[int]], Sequence[View]],
    ) -> None:
        super().__init__(ctx)
        self.dynamic_typename = typename
        self._page = page
        self._load = load
        self._loaded: list[View] | None = None

    def _views(self) -> list[View]:
        if self._loaded is None:
            self._loaded = list(self._load([entry[1] for entry in self._page.keys]))
        return self._loaded

    def nodes(self) -> list[View]:
        return self._views()

    def edges(self) -> list[EdgeView]:
        edge_type = self.dynamic_typename.removesuffix("Connection") + "Edge"
        return [
            EdgeView(self._ctx, edge_type, entry, view)
            for entry, view in zip(self._page.keys, self._views(), strict=True)
        ]

    def pageInfo(self) -> PageInfoView:
        return PageInfoView(self._ctx, self._page)

    def totalCount(self) -> int:
        return self._page.total()


def connection(
    ctx: RequestContext,
    typename: str,
    order: Sequence[tuple[Any, int]],
    load: Callable[[Sequence[int]], Sequence[View]],
    args: dict[str, Any],
    descending: bool = False,
) -> ConnectionView:
    """A connection of TYPENAME over (sort key, id) entries, paged by first/last/after/before."""
    page = paginate(order, descending=descending, **relay_args(args))
    return ConnectionView(ctx, typename, page, load)


def keyset_connection(
    ctx: RequestContext,
    typename: str,
    keyset: Keyset,
    load: Callable[[Sequence[int]], Sequence[View]],
    args: dict[str, Any],
) -> ConnectionView:
    """`connection` over a keyset: only the page is read."""
    return ConnectionView(ctx, typename, paginate_keyset(keyset, **relay_args(args)), load)


def relay_args(args: dict[str, Any]) -> dict[str, Any]:
    """The Relay paging arguments of a connection field: first, last, after, before."""
    return {name: args.get(name) for name in ("first", "last", "after", "before")}
