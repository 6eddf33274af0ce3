"""`ghstore site --output DIR`: the browsable audit trail, a static site written from one read
of the store (ghstore.site, imported only when the command runs)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from ..config import LayeredConfig
from ..exceptions import ConfigurationError
from ..store import Store
from .commands import emit, open_store, say, where

__all__ = ["SITE_COMMANDS", "add_site_command"]


def add_site_command(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register `site` through the CLI's `add(name, help)`."""
    sub = add(
        "site",
        "write a static site of every object: its current state and its timeline of updates "
        "with diffs (refused ones marked and explained)",
    )
    sub.add_argument(
        "--output",
        required=True,
        metavar="DIR",
        help="the site's folder: new, empty, or a previous site (replaced whole)",
    )
    sub.add_argument("--collection", metavar="NAME", help="only the objects of this collection")


async def _use_repository_config(store: Store, layers: LayeredConfig) -> None:
    """Work under the repository's own configuration (`.github/ghstore.yml` on its default
    branch, --config winning), as the processor does: whose updates count decides what the
    site calls pending and refused. One request."""
    found = await store.issues.repository_file(layers.expression)
    if found.truncated:
        raise ConfigurationError(
            f"{layers.path} on the default branch is too large for GitHub to return"
        )
    store.reconfigure(layers.over(found.text))


async def site(args: argparse.Namespace) -> int:
    """Read every object with its history once and write the site."""
    from ..site import read_site, site_files, write_site  # noqa: PLC0415 - this command only

    target = Path(args.output)
    async with open_store(args) as store:
        await _use_repository_config(store, LayeredConfig.from_file(args.config))
        model = await read_site(store, collection=args.collection)
        files = site_files(model)
        size = write_site(target, files)
        emit(
            {
                "path": str(target),
                "repository": store.repo,
                "objects": len(model.objects),
                "files": len(files) + 1,  # and the marker
                "bytes": size,
                "requests": model.requests,
                "points": model.points,
            }
        )
        say(
            f"wrote {target}/index.html: {len(model.objects)} object(s) of {where(store)}, "
            f"{len(files) + 1} file(s), {size:,} bytes; read in {model.requests} request(s), "
            f"{model.points} point(s)"
        )
    return 0


SITE_COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "site": site,
}
