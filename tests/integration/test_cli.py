"""The `ghstore` command line: exit codes, one-line errors, and each subcommand against a
`ghstore emulator serve` subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from support.helpers import Cli

from ghstore.cli import build_parser

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess


def ghstore(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    """`python -m ghstore ...` as its own process, GitHub variables removed from its environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    return subprocess.run(
        [sys.executable, "-m", "ghstore", *argv],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )


def fresh(prefix: str) -> str:
    """An object id no other test in the module uses (the served GitHub lives per module)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# -- usage errors: exit 2, one line ------------------------------------------------------------
def test_bad_json_on_the_command_line_is_a_usage_error_of_one_line_naming_the_argument(
    tmp_path: Path,
) -> None:
    done = ghstore("create", "obj", "{'a': 1}", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("ghstore create: error: argument JSON: not valid JSON")
    assert "line 1 column 2" in line
    assert not (tmp_path / ".ghstore").exists(), "nothing was touched"


@pytest.mark.parametrize(
    ("argument", "says"),
    [("[1, 2]", "got a JSON array"), ('"text"', "got a JSON string"), ("3", "got a JSON number")],
)
def test_a_json_argument_that_is_not_an_object_is_a_usage_error(
    cli: Cli, argument: str, says: str
) -> None:
    result = cli("update", "obj", argument)
    assert result.code == 2
    assert "argument JSON: expected a JSON object" in result.err
    assert says in result.err


def test_nan_is_not_json_and_is_refused_as_a_usage_error(cli: Cli) -> None:
    result = cli("create", "obj", '{"x": NaN}')
    assert result.code == 2
    assert "NaN is not JSON" in result.err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([], "required: COMMAND"),
        (["process-updates"], "one of the arguments --issue --all is required"),
        (["process-updates", "--issue", "0"], "expected an issue number"),
        (["process-updates", "--issue", "3", "--all"], "not allowed with argument"),
        (["get"], "ID"),
        (["frobnicate"], "invalid choice"),
    ],
    ids=["nothing", "no-issue", "issue-0", "issue-and-all", "no-id", "unknown"],
)
def test_a_usage_error_exits_2_with_one_line(cli: Cli, argv: list[str], says: str) -> None:
    result = cli(*argv)
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert says in line


def test_connection_options_are_accepted_after_every_subcommand() -> None:
    parser = build_parser()
    connection = ["--token", "t", "--repo", "o/r", "--config", "c.yml", "--api-url", "http://x"]
    for argv in (
        ["process-updates", "--issue", "4"],
        ["process-updates", "--all"],
        ["snapshot", "--output", "s.json"],
        ["update-snapshot", "--snapshot-path", "s.json"],
        ["init"],
        ["create", "a", "{}"],
        ["get", "a"],
        ["update", "a", "{}"],
        ["delete", "a"],
        ["history", "a"],
        ["list"],
    ):
        args = parser.parse_args([*argv, *connection, "--debug"])
        assert (args.token, args.repo, args.config, args.api_url) == (
            "t",
            "o/r",
            "c.yml",
            "http://x",
        )
        assert args.debug


def test_emulator_serve_is_still_a_subcommand() -> None:
    args = build_parser().parse_args(["emulator", "serve", "--repo", "a/b", "--user", "a:t"])
    assert args.repo == ["a/b"]
    assert args.user == [("a", "t", "none")]


# -- failures: exit 1, one line ----------------------------------------------------------------
def test_an_unknown_object_fails_with_exit_1_and_one_line_naming_it(served_cli: Cli) -> None:
    result = served_cli.served("get", "no-such-object")
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        "ghstore get: error: no stored object 'no-such-object' in acme/data"
    ]


def test_debug_adds_the_traceback_to_the_error(served_cli: Cli) -> None:
    result = served_cli.served("get", "no-such-object", "--debug")
    assert result.code == 1
    assert "Traceback (most recent call last)" in result.err
    assert "ObjectNotFound" in result.err
    assert result.err.rstrip().endswith("no stored object 'no-such-object' in acme/data")


def test_a_missing_token_inside_actions_is_an_error_never_a_local_store(tmp_path: Path) -> None:
    done = ghstore(
        "get", "obj", cwd=tmp_path, env={"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "a/b"}
    )
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("::error title=ghstore get failed::no token")
    assert "GITHUB_TOKEN" in line
    assert not (tmp_path / ".ghstore").exists()


def test_a_bad_token_fails_with_one_line(served_cli: Cli) -> None:
    assert served_cli.url is not None
    result = served_cli(
        "get", "x", "--api-url", served_cli.url, "--token", "wrong", "--repo", "acme/data"
    )
    assert result.code == 1
    (line,) = result.err.splitlines()
    assert line.startswith("ghstore get: error:")
    assert "credentials" in line.lower() or "401" in line


def test_an_api_url_without_a_token_is_refused_rather_than_quietly_local(cli: Cli) -> None:
    result = cli("get", "x", "--api-url", "http://127.0.0.1:9/graphql")
    assert result.code == 2
    assert "needs a token" in result.err
    assert not (cli.folder / ".ghstore").exists()


def test_a_config_file_with_an_unknown_key_fails_naming_it(cli: Cli) -> None:
    bad = cli.folder / "bad.yml"
    bad.write_text("store:\n  colour: blue\n")
    result = cli("list", "--config", str(bad))
    assert result.code == 1
    (line,) = result.err.splitlines()
    assert "colour" in line


def test_a_missing_repository_with_a_token_is_an_error(cli: Cli) -> None:
    result = cli("get", "x", "--token", "t")
    assert result.code == 1
    assert "GITHUB_REPOSITORY" in result.err


# -- each subcommand against a served GitHub ---------------------------------------------------
def test_create_prints_the_object_and_says_where_it_went(served_cli: Cli) -> None:
    oid = fresh("create")
    result = served_cli.served("create", oid, '{"name": "Ada", "tags": ["x"]}')
    assert result.code == 0, result
    printed = result.json()
    assert printed["data"] == {"name": "Ada", "tags": ["x"]}
    meta = printed["meta"]
    assert meta["object_id"] == oid
    assert meta["state"] == "CLOSED"
    assert f"created '{oid}' (issue #{meta['issue_number']}) in acme/data" in result.err


def test_creating_an_existing_id_fails(served_cli: Cli) -> None:
    oid = fresh("dup")
    assert served_cli.served("create", oid, "{}").code == 0
    again = served_cli.served("create", oid, "{}")
    assert again.code == 1
    assert "already exists" in again.err


def test_an_id_that_cannot_be_a_label_fails_naming_the_problem(served_cli: Cli) -> None:
    result = served_cli.served("create", "a,b", "{}")
    assert result.code == 1
    assert "comma" in result.err


def test_get_update_process_history_and_delete_tell_one_story(served_cli: Cli) -> None:
    oid = fresh("story")
    number = served_cli.served("create", oid, '{"n": 1, "deep": {"a": 1}}').json()["meta"][
        "issue_number"
    ]

    updated = served_cli.served("update", oid, '{"deep": {"b": 2}}')
    assert updated.code == 0, updated
    assert updated.json()["data"] == {"n": 1, "deep": {"a": 1, "b": 2}}
    assert updated.json()["meta"]["state"] == "OPEN"  # no workflow on this GitHub
    assert "waiting for the processor" in updated.err

    got = served_cli.served("get", oid).json()
    assert got["data"] == {"n": 1, "deep": {"a": 1, "b": 2}}
    assert got["meta"]["pending_updates"] == 1

    processed = served_cli.served("process-updates", "--issue", str(number))
    assert processed.code == 0, processed
    (report,) = processed.json()["reports"]
    assert report["object_id"] == oid
    assert len(report["applied"]) == 1
    assert report["rejected"] == []
    assert processed.json()["requests"] >= 2
    assert f"issue #{number} ({oid}): 1 applied, 0 rejected" in processed.err

    settled = served_cli.served("get", oid).json()
    assert settled["meta"]["state"] == "CLOSED"
    assert settled["meta"]["pending_updates"] == 0

    history = served_cli.served("history", oid).json()
    assert [(e["type"], e["status"], e["author"]) for e in history] == [
        ("initial_state", "applied", "acme"),
        ("update", "applied", "acme"),
    ]
    assert history[1]["data"] == {"deep": {"b": 2}}

    deleted = served_cli.served("delete", oid)
    assert deleted.code == 0
    assert deleted.json() == {"object_id": oid, "deleted": True}
    assert served_cli.served("get", oid).code == 1


def test_update_removes_the_keys_remove_names_and_the_processor_removes_the_same(
    served_cli: Cli,
) -> None:
    oid = fresh("remove")
    made = served_cli.served("create", oid, '{"n": 1, "deep": {"a": 1, "b": 2}, "x.y": 3}')
    number = made.json()["meta"]["issue_number"]

    updated = served_cli.served(
        "update", oid, '{"n": 2}', "--remove", "deep.a", "--remove", '["x.y"]'
    )
    assert updated.code == 0, updated
    assert updated.json()["data"] == {"n": 2, "deep": {"b": 2}}

    assert served_cli.served("process-updates", "--issue", str(number)).code == 0
    settled = served_cli.served("get", oid).json()
    assert settled["data"] == {"n": 2, "deep": {"b": 2}}
    assert settled["meta"]["state"] == "CLOSED"


def test_an_update_against_a_version_the_object_has_moved_past_is_refused_and_not_posted(
    served_cli: Cli,
) -> None:
    oid = fresh("expected")
    served_cli.served("create", oid, '{"n": 1}')
    first = served_cli.served("update", oid, '{"n": 2}', "--expected-version", "1")
    assert first.code == 0, first

    stale = served_cli.served("update", oid, '{"n": 3}', "--expected-version", "1")
    assert stale.code == 1
    assert "version" in stale.err
    history = served_cli.served("history", oid).json()
    assert [e["data"] for e in history if e["type"] == "update"] == [{"n": 2}]


@pytest.mark.parametrize("path", ["", "a..b", "[1]", '["a", ""]', "[not json"])
def test_a_remove_path_that_names_no_key_is_a_usage_error(cli: Cli, path: str) -> None:
    result = cli("update", "obj", "{}", "--remove", path)
    assert result.code == 2
    assert "--remove" in result.err


def test_process_updates_applies_a_collaborators_update_and_rejects_an_outsiders(
    served_cli: Cli,
) -> None:
    oid = fresh("people")
    number = served_cli.served("create", oid, '{"v": 0}').json()["meta"]["issue_number"]
    assert served_cli.served("update", oid, '{"v": 1}', user="bob").code == 0
    # no processor runs on a served GitHub (no workflow); an outsider's update is known
    # rejected at once all the same: the processor will never apply it
    outsider = served_cli.served("update", oid, '{"v": 666}', user="eve")
    assert outsider.code == 1
    assert "rejected: author eve (NONE) is not authorized" in outsider.err
    result = served_cli.served("process-updates", "--issue", str(number))
    assert result.code == 0, result
    (report,) = result.json()["reports"]
    assert len(report["applied"]) == 1
    (rejected,) = report["rejected"]
    assert rejected["author"] == "eve"
    assert "not authorized" in rejected["reason"]
    assert served_cli.served("get", oid).json()["data"] == {"v": 1}
    history = served_cli.served("history", oid).json()
    assert [(e["author"], e["status"]) for e in history[1:]] == [
        ("bob", "applied"),
        ("eve", "rejected"),
    ]


def test_process_updates_all_sweeps_every_object_with_updates_waiting(served_cli: Cli) -> None:
    first, second = fresh("sweep"), fresh("sweep")
    for oid in (first, second):
        served_cli.served("create", oid, '{"v": 0}')
        served_cli.served("update", oid, '{"v": 1}')
    result = served_cli.served("process-updates", "--all")
    assert result.code == 0, result
    swept = {r["object_id"] for r in result.json()["reports"]}
    assert {first, second} <= swept
    again = served_cli.served("process-updates", "--all")
    assert again.json()["reports"] == []
    assert "no object has updates waiting" in again.err


def test_list_prints_every_live_object_by_id(served_cli: Cli) -> None:
    kept, gone = fresh("listed"), fresh("listed")
    served_cli.served("create", kept, '{"k": 1}')
    served_cli.served("create", gone, '{"k": 2}')
    served_cli.served("delete", gone)
    result = served_cli.served("list")
    assert result.code == 0
    listed = result.json()
    assert listed[kept]["data"] == {"k": 1}
    assert listed[kept]["meta"]["object_id"] == kept
    assert gone not in listed


def test_token_and_repository_fall_back_to_the_github_variables(
    served_cli: Cli, monkeypatch: Any
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "t1")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/data")
    assert served_cli.url is not None
    oid = fresh("env")
    result = served_cli(
        "create", oid, "{}", "--api-url", served_cli.url, "--config", str(served_cli.config)
    )
    assert result.code == 0, result
    assert "embedded" not in result.err


def test_python_dash_m_ghstore_runs_the_same_command_line(tmp_path: Path) -> None:
    done = ghstore("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("ghstore ")
