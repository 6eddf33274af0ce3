"""`ghstore demo`: typed records on a throwaway local GitHub, updates from a collaborator and an
outsider, the processor's verdicts, the history, and the requests and points it all cost."""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from attrs import Factory, define

from ..bootstrap import close_embedded, embedded_people, embedded_store
from ..config import parse_config
from ..processor import Processor
from ..store import Store
from ..store.repository import Repository
from .timeline_text import timeline_text

__all__ = ["Book", "run_demo"]

REPO = "acme/library"
PEOPLE = {"bob": ("demo-bob-token", "collaborator"), "eve": ("demo-eve-token", "none")}
# The default trusts the OWNER only (authorAssociation is not a permission): bob writes because
# the config names him in store.authorized.users.
CONFIG = {"store": {"authorized": {"users": ["bob"]}}}


@define
class Book:
    """A record type: the stored JSON must fit it, or the processor refuses the update."""

    title: str
    author: str
    year: int
    copies: int = 0
    tags: list[str] = Factory(list)


def _out(text: str = "") -> None:
    print(text, flush=True)


def _section(number: int, title: str) -> None:
    _out()
    _out(f"{number}. {title}")
    _out("-" * (len(title) + len(str(number)) + 2))


@contextmanager
def _caught_warnings() -> Iterator[list[str]]:
    """ghstore's warnings, kept to be shown in the tour's own words instead of as log lines."""
    logger = logging.getLogger("ghstore")
    caught: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record.getMessage())

    saved, propagate = logger.handlers[:], logger.propagate
    logger.handlers[:] = [Keep()]
    logger.propagate = False
    try:
        yield caught
    finally:
        logger.handlers[:] = saved
        logger.propagate = propagate


async def run_demo(directory: str | None) -> int:
    """Run the tour in `directory`, or in a temporary folder removed afterwards."""
    if directory is not None:
        await _tour(Path(directory), Path(directory))
        return 0
    with tempfile.TemporaryDirectory(prefix="ghstore-demo-") as folder:
        await _tour(Path(folder), "a temporary folder")
    return 0


async def _tour(folder: Path, where: Path | str) -> None:
    owner = embedded_store(folder, REPO, parse_config(CONFIG))
    bob, eve = embedded_people(owner, PEOPLE)
    try:
        await _run(owner, bob, eve, where)
    finally:
        for store in (owner, bob, eve):
            await store.close()
        close_embedded(owner)


async def _run(owner: Store, bob: Store, eve: Store, where: Path | str) -> None:
    _out("ghstore demo: JSON objects stored in GitHub issues, updated through comments.")
    _out(f"A local GitHub (GitHub's GraphQL schema over SQLite) in {where},")
    _out(f"repository {REPO}: acme owns it, bob is a collaborator, eve is an outsider;")
    _out("the config trusts acme (OWNER) and bob (store.authorized.users: [bob]).")
    books = Repository(owner, Book)
    await _store_and_update(books, owner, bob, eve)
    await _process_and_show(books, owner)
    _section(8, "what it cost (GitHub GraphQL requests and rate-limit points)")
    people = (("acme (creates, reads, processor)", owner), ("bob", bob), ("eve", eve))
    for who, store in people:
        _out(f"  {who:<34} {store.stats.requests:>3} requests {store.stats.points:>4} points")
    requests = sum(store.stats.requests for _, store in people)
    points = sum(store.stats.points for _, store in people)
    _out(f"  {'total':<34} {requests:>3} requests {points:>4} points")
    _out()
    _out("Try it: `ghstore create ID JSON`, `ghstore get ID`, `ghstore history ID --diff` --")
    _out("with no token they work on a local GitHub in .ghstore/ under the current folder.")
    sys.stdout.flush()


async def _store_and_update(books: Repository[Book], owner: Store, bob: Store, eve: Store) -> None:
    _section(1, "acme stores two books as typed records (an attrs class, Repository[Book])")
    for object_id, book in (
        ("dune", Book("Dune", "Frank Herbert", 1965, copies=2, tags=["sf"])),
        ("emma", Book("Emma", "Jane Austen", 1815, copies=1)),
    ):
        stored = await books.create(object_id, book)
        _out(f"  {object_id}: issue #{stored.meta.issue_number}  {stored.data}")

    _section(2, "updates arrive as comments on the issues")
    await Repository(bob, Book).update("dune", {"copies": 3, "tags": ["sf", "classic"]})
    _out('  bob (collaborator) on dune:  {"copies": 3, "tags": ["sf", "classic"]}')
    await bob.update("emma", {"year": "eighteen-fifteen"})
    _out('  bob (collaborator) on emma:  {"year": "eighteen-fifteen"}   <- not an int')
    with _caught_warnings():
        await eve.update("dune", {"copies": 0, "tags": ["free-books-here"]})
    _out('  eve (outsider)     on dune:  {"copies": 0, "tags": ["free-books-here"]}')
    _out("    (anyone may comment on a public repository; only writers may reopen the issue)")
    pending = await books.get("dune")
    _out("  dune as read now, bob's pending update folded in and eve's not:")
    _out(f"    {pending.data}")


async def _process_and_show(books: Repository[Book], owner: Store) -> None:
    _section(3, "the processor applies what is authorized and fits, and refuses the rest")
    for report in await Processor(owner).process_all():
        _out(
            f"  issue #{report.issue_number} ({report.object_id}): "
            f"{len(report.applied)} applied, {len(report.rejected)} rejected; "
            f"{report.requests} requests, {report.points} points"
        )
        for rejection in report.rejected:
            _out(f"    rejected {rejection.author}'s comment {rejection.comment_id}:")
            _out(f"      {rejection.reason}")

    _section(4, "on the local GitHub an update is processed at once, as the workflow would")
    await books.update("emma", {"copies": 5})
    settled = await owner.get("emma", include_pending=False)
    _out(
        f'  acme on emma: {{"copies": 5}} -> issue #{settled.meta.issue_number} '
        f"{settled.meta.state.lower()}, body {json.dumps(settled.data)}"
    )

    _section(5, "the objects")
    async for stored in books.list():
        _out(f"  {stored.meta.object_id} (issue #{stored.meta.issue_number}): {stored.data}")

    _section(6, "the history of dune, step by step (`ghstore history dune --diff`)")
    timeline = await books.timeline("dune")
    for line in timeline_text(timeline).splitlines()[1:]:
        _out(f"  {line}")
    entries = [step.entry for step in timeline.steps]

    _section(7, "eve's rejected update")
    for entry in entries:
        if entry.author == "eve":
            _out(f"  comment {entry.comment_id}: {json.dumps(entry.data)}")
            _out(f"  {entry.status}: {entry.reason}")
            _out(
                "  dune's body never took it; the processor marked the comment with a thumbs-down."
            )
