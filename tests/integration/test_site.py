"""`ghstore site` reads the store once: every object with its whole history from one listing
(ceil(N/100) requests, and one more per 100 older comments of an object with more than 90),
and shows each update as `history` does; the command writes the site, says what it cost,
and refuses a folder that is not a previous site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench.scale import copies
from support.helpers import Cli, python_in, store_for

from ghstore.emulator import Emulator, EmulatorServer
from ghstore.processor import Processor
from ghstore.site import MARKER, SiteModel, page_name, read_site, site_files

pytestmark = pytest.mark.slow  # `ghstore emulator serve` and `python` subprocesses


async def _seed_copies(emulator: Emulator, store: Any, count: int) -> None:
    made = await store.create("template", {"n": 0})
    state = emulator.state
    repo = state.repository_by_name("acme", "data")
    owner = state.user_by_login("acme")
    seeds = copies(state, repo.id, made.meta.issue_number, count - 1, "obj-")
    state.load_issues(repo.id, owner.id, seeds, emulator.now())


async def _read_fresh(emulator: Emulator, server: EmulatorServer) -> SiteModel:
    """The site, read by a new store (cold caches), the local GitHub's counts reset first."""
    fresh = store_for(server)
    try:
        emulator.controls.reset()
        return await read_site(fresh)
    finally:
        await fresh.close()


async def test_a_site_of_150_objects_is_read_in_two_requests(
    emulator: Emulator, server: EmulatorServer, store: Any
) -> None:
    await _seed_copies(emulator, store, 150)
    site = await _read_fresh(emulator, server)
    assert emulator.controls.requests == 2
    assert (site.requests, site.points) == (2, emulator.controls.points)
    assert len(site.objects) == 150
    files = site_files(site)
    assert len([p for p in files if p.startswith("objects/")]) == 150


async def test_an_object_with_more_than_90_comments_costs_one_more_request_and_shows_them_all(
    emulator: Emulator, server: EmulatorServer, store: Any
) -> None:
    await store.create("busy", {"n": 0})
    for n in range(1, 96):
        await store.update("busy", {"n": n})
    await Processor(store).process_all()
    await store.create("quiet", {"n": 0})
    site = await _read_fresh(emulator, server)
    assert emulator.controls.requests == 2  # the listing, and busy's older comments
    busy = next(p for p in site.objects if p.object_id == "busy")
    assert len(busy.steps) == 96
    assert [s.status for s in busy.steps] == ["applied"] * 96
    assert busy.current == {"n": 95}
    assert busy.steps[-1].changes[0].before == 94 and busy.steps[-1].changes[0].after == 95


async def test_each_step_is_what_history_says_and_the_state_is_what_get_says(
    server: EmulatorServer, store: Any
) -> None:
    bob, eve = store_for(server, "bob"), store_for(server, "eve")
    try:
        await store.create("book", {"title": "Dune", "copies": 1})
        await bob.update("book", {"copies": 2})
        await Processor(store).process_all()
        await eve.update("book", {"copies": 0})
        await bob.update("book", {"copies": 3, "shelf": "B"})  # pending
        site = await read_site(store)
        history = await store.history("book")
        got = await store.get("book")
    finally:
        await bob.close()
        await eve.close()
    (page,) = site.objects
    assert [(s.status, s.who, s.sent) for s in page.steps] == [
        (e.status, e.author, e.data) for e in history
    ]
    assert [s.status for s in page.steps] == ["applied", "applied", "rejected", "pending"]
    assert page.steps[2].reason == "author eve (NONE) is not authorized"
    assert page.current == got.data == {"title": "Dune", "copies": 3, "shelf": "B"}
    assert page.pending == 1
    assert [(c.op, c.path, c.before, c.after) for c in page.steps[3].changes] == [
        ("changed", "copies", 2, 3),
        ("added", "shelf", None, "B"),
    ]
    assert page.last_change is not None and page.last_change.who == "bob"


def _site(cli: Cli, *argv: str) -> Any:
    return cli.served("site", *argv)


def test_ghstore_site_writes_the_site_and_says_what_reading_it_cost(served_cli: Cli) -> None:
    for object_id in ("alice", "a/b", "a_b", ".."):
        assert served_cli.served("create", object_id, '{"age": 1}').code == 0
    result = _site(served_cli, "--output", "out")
    assert result.code == 0, result
    report = result.json()
    out = served_cli.folder / "out"
    pages = sorted(p.name for p in (out / "objects").iterdir())
    assert report["objects"] == len(pages) >= 4  # the module's GitHub is shared
    assert report["requests"] == 2, "the repository's configuration, then one listing"
    assert report["files"] == 3 + len(pages)  # index, .nojekyll, the marker, the pages
    assert report["bytes"] == sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert (out / MARKER).is_file()
    for object_id in ("alice", "a/b", "a_b", ".."):
        assert (out / "objects" / page_name(object_id)).is_file()
    assert f"wrote out/index.html: {len(pages)} object(s)" in result.err


def test_ghstore_site_of_one_collection_lists_only_its_members(served_cli: Cli) -> None:
    assert served_cli.served("create", "dune", '{"t": 1}', "--collection", "books").code == 0
    assert served_cli.served("create", "carol", '{"age": 1}').code == 0
    result = _site(served_cli, "--output", "books", "--collection", "books")
    assert result.code == 0, result
    assert result.json()["objects"] == 1
    assert [p.name for p in (served_cli.folder / "books" / "objects").iterdir()] == ["dune.html"]


def test_ghstore_site_refuses_a_folder_that_is_not_a_site_and_leaves_it_alone(
    served_cli: Cli,
) -> None:
    mine = served_cli.folder / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = _site(served_cli, "--output", "mine")
    assert result.code == 1
    assert "not a ghstore site" in result.err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert _site(served_cli, "--output", "fresh").code == 0
    assert _site(served_cli, "--output", "fresh").code == 0, "a previous site is replaced"


def test_the_cli_loads_the_site_package_only_for_the_site_command(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom ghstore.cli.main import build_parser, main\nbuild_parser()\n"
        "assert main(['create', 'x', '{}']) == 0\n"
        "print('LOADED', 'ghstore.site' in sys.modules, file=sys.stderr)\n"
        "assert main(['site', '--output', 'out']) == 0\n"
        "print('LOADED', 'ghstore.site' in sys.modules, file=sys.stderr)\n"
    )
    done = python_in(tmp_path, "-c", probe)
    assert done.returncode == 0, done.stderr
    loaded = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("LOADED")]
    assert loaded == ["False", "True"]


async def test_the_bench_site_row_counts_one_listing_and_every_file() -> None:
    from bench.site import measure_site, site_table

    (row,) = await measure_site([3])
    assert (row.objects, row.requests, row.files) == (3, 1, 3 + 3)
    # a page priced as asked (100 issues, their labels, their newest 90 comments), as list's
    assert row.points == round((1 + 100 + 100 + 100 * 90) / 100) and row.bytes > 3 * 1000
    assert site_table([row])[-1].split()[:5] == ["3", "1", str(row.points), "6", f"{row.bytes:,}"]
