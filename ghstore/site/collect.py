"""One read of the store for the site: every live object with its whole history, from one
listing (Store.timelines), turned into the page model; what the read cost is recorded."""

from __future__ import annotations

import datetime as dt

from ..model import github_time
from ..store import Store
from .model import SiteModel, object_page

__all__ = ["read_site"]


async def read_site(store: Store, *, collection: str | None = None) -> SiteModel:
    """The site of every live object of `store` (or of one collection); `requests` and
    `points` are what the store has spent so far (this read, and anything before it)."""
    pages = [
        object_page(stored, timeline)
        async for stored, timeline in store.timelines(collection=collection)
    ]
    requests, points = store.stats.snapshot()
    return SiteModel(
        repo=store.repo,
        generated_at=github_time(dt.datetime.now(dt.UTC)),
        objects=tuple(pages),
        requests=requests,
        points=points,
    )
