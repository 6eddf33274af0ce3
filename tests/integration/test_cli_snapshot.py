"""`snapshot` and `update-snapshot`: gh-store 0.11's file layout, refreshes that re-read only
what changed, and deleted objects removed (gh-store keeps them)."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from support.helpers import Cli

from ghstore import embedded_store
from ghstore.cli.progress import Progress
from ghstore.store.snapshot import take_snapshot


def read(path: Path) -> Any:
    return json.loads(path.read_text())


def test_a_snapshot_has_gh_store_s_layout(cli: Cli) -> None:
    cli("create", "a", '{"x": 1}')
    cli("create", "b", '{"y": [1, 2]}')
    result = cli("snapshot", "--output", "snap.json")
    assert result.code == 0, result
    snap = read(cli.folder / "snap.json")
    assert set(snap) == {"snapshot_time", "repository", "objects"}
    assert snap["repository"] == "local/store"
    assert set(snap["objects"]) == {"a", "b"}
    a = snap["objects"]["a"]
    assert a["data"] == {"x": 1}
    gh_store_keys = {"issue_number", "object_id", "created_at", "updated_at", "version"}
    assert set(a["meta"]) == gh_store_keys | {"pending_updates"}
    assert a["meta"]["object_id"] == "a"
    assert a["meta"]["version"] == 1
    summary = result.json()
    assert summary["objects"] == 2
    assert summary["path"] == "snap.json"
    assert summary["requests"] == 1


def test_a_snapshot_of_an_empty_store_has_no_objects(cli: Cli) -> None:
    assert cli("snapshot", "--output", "snap.json").code == 0
    assert read(cli.folder / "snap.json")["objects"] == {}


def test_a_snapshot_can_go_to_stdout(cli: Cli) -> None:
    cli("create", "a", "{}")
    result = cli("snapshot", "--output", "-")
    assert result.code == 0
    assert set(result.json()["objects"]) == {"a"}


def test_update_snapshot_adds_new_refreshes_updated_and_removes_deleted_objects(
    cli: Cli,
) -> None:
    for oid in ("same", "changed", "deleted"):
        cli("create", oid, '{"v": 0}')
    cli("snapshot", "--output", "snap.json")
    before = read(cli.folder / "snap.json")
    cli("update", "changed", '{"v": 1}')
    cli("delete", "deleted")
    cli("create", "new", '{"v": 2}')

    result = cli("update-snapshot", "--snapshot-path", "snap.json")
    assert result.code == 0, result
    after = read(cli.folder / "snap.json")
    assert set(after["objects"]) == {"same", "changed", "new"}
    assert after["objects"]["changed"]["data"] == {"v": 1}
    assert after["objects"]["new"]["data"] == {"v": 2}
    assert after["objects"]["same"] == before["objects"]["same"]
    assert after["snapshot_time"] >= before["snapshot_time"]
    changes = result.json()
    assert changes["added"] == ["new"]
    assert "changed" in changes["updated"]
    assert changes["removed"] == ["deleted"]
    assert changes["objects"] == 3
    assert "1 added" in result.err
    assert "1 removed" in result.err


def test_an_object_deleted_and_created_again_stays_in_the_snapshot_with_its_new_data(
    cli: Cli,
) -> None:
    cli("create", "phoenix", '{"life": 1}')
    cli("snapshot", "--output", "snap.json")
    cli("delete", "phoenix")
    reborn = cli("create", "phoenix", '{"life": 2}').json()
    result = cli("update-snapshot", "--snapshot-path", "snap.json")
    assert result.code == 0, result
    held = read(cli.folder / "snap.json")["objects"]["phoenix"]
    assert held["data"] == {"life": 2}
    assert held["meta"]["issue_number"] == reborn["meta"]["issue_number"]
    assert result.json()["removed"] == []


def test_update_snapshot_keeps_keys_gh_store_wrote_and_objects_it_cannot_see_changing(
    cli: Cli,
) -> None:
    cli("create", "a", '{"v": 0}')
    cli("snapshot", "--output", "snap.json")
    snap = read(cli.folder / "snap.json")
    snap["relationships"] = {"aliases": {"old": "a"}}
    (cli.folder / "snap.json").write_text(json.dumps(snap))
    assert cli("update-snapshot", "--snapshot-path", "snap.json").code == 0
    assert read(cli.folder / "snap.json")["relationships"] == {"aliases": {"old": "a"}}


def test_update_snapshot_uses_the_snapshot_s_repository_when_none_is_given(cli: Cli) -> None:
    cli("create", "a", "{}", "--local", "--repo", "local/other")
    cli("snapshot", "--output", "snap.json", "--local", "--repo", "local/other")
    cli("create", "b", "{}", "--local", "--repo", "local/other")
    result = cli("update-snapshot", "--snapshot-path", "snap.json")
    assert result.code == 0, result
    assert set(read(cli.folder / "snap.json")["objects"]) == {"a", "b"}


def test_update_snapshot_refuses_a_snapshot_of_another_repository(cli: Cli) -> None:
    cli("snapshot", "--output", "snap.json", "--local", "--repo", "local/one")
    result = cli(
        "update-snapshot", "--snapshot-path", "snap.json", "--local", "--repo", "local/two"
    )
    assert result.code == 1
    assert "is of local/one, not local/two" in result.err


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "does not exist"),
        ("{not json", "is not valid JSON"),
        ("[]", "is not a JSON object"),
        ('{"repository": "a/b", "objects": {}}', "no 'snapshot_time'"),
        ('{"snapshot_time": "yesterday", "repository": "a/b", "objects": {}}', "ISO 8601"),
    ],
    ids=["missing", "not-json", "not-object", "no-time", "bad-time"],
)
def test_a_snapshot_file_that_is_not_a_snapshot_fails_with_one_line(
    cli: Cli, content: str | None, says: str
) -> None:
    if content is not None:
        (cli.folder / "snap.json").write_text(content)
    result = cli("update-snapshot", "--snapshot-path", "snap.json")
    assert result.code == 1
    (line,) = [line for line in result.err.splitlines() if "error" in line]
    assert says in line


def test_a_snapshot_that_cannot_be_written_fails_with_one_line(cli: Cli) -> None:
    result = cli("snapshot", "--output", "no/such/folder/snap.json")
    assert result.code == 1
    assert "ghstore snapshot: error:" in result.err
    assert "Traceback" not in result.err


@pytest.mark.slow
async def test_a_snapshot_lists_100_objects_a_request(tmp_path: Path) -> None:
    store = embedded_store(tmp_path, "me/many")
    try:
        for n in range(101):
            await store.create(f"o{n}", {"n": n})
        before = store.stats.requests
        snap = await take_snapshot(store)
        assert len(snap["objects"]) == 101
        assert store.stats.requests - before == math.ceil(101 / 100)
    finally:
        await store.close()
        store.embedded.close()


def test_progress_is_drawn_on_a_terminal_and_erased_at_the_end() -> None:
    screen = io.StringIO()
    progress = Progress("snapshot", screen, enabled=True)
    progress.advance(100, "1 requests")
    progress.close()
    assert "snapshot: 100 (1 requests)" in screen.getvalue()
    assert screen.getvalue().endswith("\r\x1b[K")


def test_progress_stays_silent_when_stderr_is_not_a_terminal() -> None:
    piped = io.StringIO()  # isatty() is False
    progress = Progress("snapshot", piped)
    progress.advance(5)
    progress.close()
    assert piped.getvalue() == ""
    assert progress.count == 5
