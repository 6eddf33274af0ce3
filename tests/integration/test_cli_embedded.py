"""With no token, outside Actions, the command line works on the embedded local GitHub in
`.ghstore/`, which behaves like a repository with the workflow installed; and `ghstore demo`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from support.helpers import Cli, python_in

from ghstore import embedded_store
from ghstore.processor import ProcessReport


def test_with_no_token_the_cli_uses_the_local_github_in_dot_ghstore_and_says_so_once(
    cli: Cli,
) -> None:
    result = cli("create", "note", '{"text": "hi"}')
    assert result.code == 0, result
    embedded = [line for line in result.err.splitlines() if "no GitHub token" in line]
    assert len(embedded) == 1
    assert ".ghstore" in embedded[0]
    assert (cli.folder / ".ghstore" / "github.db").exists()
    assert cli("get", "note").json()["data"] == {"text": "hi"}


def test_the_local_github_keeps_objects_between_runs_and_honours_the_repository(
    cli: Cli,
) -> None:
    assert cli("create", "a", "{}", "--local", "--repo", "local/notes").code == 0
    assert cli("get", "a", "--local", "--repo", "local/notes").code == 0
    missing = cli("get", "a")  # the default repository, local/store, is another one
    assert missing.code == 1
    assert "no stored object 'a'" in missing.err


def test_repositories_of_two_owners_can_share_the_local_github(cli: Cli) -> None:
    assert cli("create", "a", "{}", "--local", "--repo", "me/notes").code == 0
    assert cli("create", "a", "{}", "--local", "--repo", "you/notes").code == 0


def test_an_update_on_the_local_github_is_processed_as_the_workflow_would(cli: Cli) -> None:
    cli("create", "counter", '{"n": 1, "log": ["a"]}')
    result = cli("update", "counter", '{"n": 2, "log": ["a", "b"]}')
    assert result.code == 0, result
    assert "applied" in result.err
    settled = cli("get", "counter").json()
    assert settled["data"] == {"n": 2, "log": ["a", "b"]}
    assert settled["meta"]["state"] == "CLOSED"
    assert settled["meta"]["pending_updates"] == 0
    statuses = [entry["status"] for entry in cli("history", "counter").json()]
    assert statuses == ["applied", "applied"]


def test_a_json_argument_of_dash_is_read_from_stdin(cli: Cli, monkeypatch: Any) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"from": "stdin"}'))
    assert cli("create", "piped", "-").code == 0
    assert cli("get", "piped").json()["data"] == {"from": "stdin"}


async def test_an_embedded_store_runs_the_processor_when_an_update_reopens_an_object(
    tmp_path: Path,
) -> None:
    store = embedded_store(tmp_path / "gh", "me/data")
    assert store.on_reopened is not None
    try:
        created = await store.create("x", {"v": 1})
        report = await store.on_reopened(created.meta.issue_number)
        assert isinstance(report, ProcessReport)
        assert report.object_id == "x"
    finally:
        await store.close()
        store.embedded.close()


def test_init_creates_the_labels_and_says_so_then_finds_them_there(cli: Cli) -> None:
    first = cli("init")
    assert first.code == 0, first
    assert first.json()["created"] == ["stored-object", "gh-store", "archived"]
    assert "created label(s) stored-object, gh-store, archived" in first.err
    second = cli("init")
    assert second.json()["created"] == []
    assert sorted(second.json()["existing"]) == ["archived", "gh-store", "stored-object"]
    assert second.json()["legacy_markers"] == {}  # no gh-store 0.11 processor marked updates
    assert "nothing to do" in second.err


def test_process_updates_on_the_local_github_finds_nothing_left_to_do(cli: Cli) -> None:
    number = cli("create", "p", '{"v": 1}').json()["meta"]["issue_number"]
    cli("update", "p", '{"v": 2}')
    result = cli("process-updates", "--issue", str(number))
    assert result.code == 0
    (report,) = result.json()["reports"]
    assert report["applied"] == []


@pytest.mark.slow
def test_demo_runs_on_a_fresh_local_github_and_exits_0(tmp_path: Path) -> None:
    done = python_in(tmp_path, "-m", "ghstore", "demo", timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for expected in (
        "Book(title='Dune'",  # typed records
        "bob (collaborator)",
        "eve (outsider)",
        "author eve (NONE) is not authorized",  # the outsider's rejected update
        "does not fit Book",  # an update that does not fit the record type
        "the history of dune",
        "requests",
        "points",
    ):
        assert expected in out, expected
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == [], "the demo leaves nothing behind"


def test_demo_can_keep_its_local_github_in_a_folder(cli: Cli) -> None:
    result = cli("demo", "--dir", "kept")
    assert result.code == 0, result
    assert (cli.folder / "kept" / "github.db").exists()
