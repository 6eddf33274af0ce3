"""Which GitHub the command line talks to, and that it says so: a repository named with no
token is refused (never quietly the local GitHub), an empty --token is an error, GH_TOKEN
counts after GITHUB_TOKEN, connection flags go before or after the subcommand, every success
line names where it wrote, and the config's `store.log` shapes the log lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from support.helpers import TOKENS, Cli

pytestmark = pytest.mark.slow  # subprocesses and a served GitHub


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_repo_with_no_token_exits_2_with_one_line_and_writes_nothing_anywhere(
    tmp_path: Path,
) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    done = subprocess.run(
        [sys.executable, "-m", "ghstore", "create", "user-1", '{"a": 1}', "--repo", "myorg/prod"],
        cwd=work,
        env={**env, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("ghstore create: error: --repo myorg/prod names a GitHub repository")
    assert "--local" in line
    assert everything_under(work) == [] and everything_under(home) == []


def test_github_repository_with_no_token_is_refused_the_same_way(
    cli: Cli, monkeypatch: Any
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "myorg/prod")
    result = cli("get", "user-1")
    assert result.code == 2
    assert "GITHUB_REPOSITORY=myorg/prod names a GitHub repository" in result.err
    assert everything_under(cli.folder) == ["fast.yml"]


def test_local_uses_the_embedded_github_for_a_named_repository_and_says_where(cli: Cli) -> None:
    result = cli("create", "user-1", '{"a": 1}', "--local", "--repo", "myorg/prod")
    assert result.code == 0, result
    folder = cli.folder / ".ghstore"
    assert f"in myorg/prod (the embedded local GitHub in {folder})" in result.err
    assert cli("get", "user-1", "--repo", "myorg/prod", "--local").json()["data"] == {"a": 1}


@pytest.mark.parametrize(
    "argv",
    [["--local", "--token", "t"], ["--local", "--api-url", "http://127.0.0.1:9/graphql"]],
    ids=["token", "api-url"],
)
def test_local_with_a_token_or_an_api_url_is_a_contradiction(cli: Cli, argv: list[str]) -> None:
    result = cli("get", "x", *argv)
    assert result.code == 2
    assert "contradict each other" in result.err
    assert not (cli.folder / ".ghstore").exists()


def test_an_empty_token_is_an_error_not_the_local_github(cli: Cli) -> None:
    result = cli("create", "x", "{}", "--token", "")
    assert result.code == 2
    assert "--token is empty" in result.err
    assert not (cli.folder / ".ghstore").exists()


def test_gh_token_is_honoured_after_github_token(served_cli: Cli, monkeypatch: Any) -> None:
    oid = fresh("gh-token")
    connection = ["--api-url", served_cli.url or "", "--repo", "acme/data"]
    monkeypatch.setenv("GH_TOKEN", TOKENS["bob"])
    made = served_cli("create", oid, "{}", *connection, "--config", str(served_cli.config))
    assert made.code == 0, made
    history = served_cli("history", oid, *connection).json()
    assert history[0]["author"] == "bob"
    monkeypatch.setenv("GITHUB_TOKEN", TOKENS["acme"])  # GITHUB_TOKEN comes first
    served_cli("update", oid, '{"v": 1}', *connection, "--config", str(served_cli.config))
    assert served_cli("history", oid, *connection).json()[1]["author"] == "acme"


def test_connection_flags_work_before_or_after_the_subcommand(served_cli: Cli) -> None:
    oid = fresh("flags")
    url, token = served_cli.url or "", TOKENS["acme"]
    before = ["--api-url", url, "--token", token, "--repo", "acme/data"]
    made = served_cli(*before, "--config", str(served_cli.config), "create", oid, '{"v": 0}')
    assert made.code == 0, made
    assert "in acme/data" in made.err
    mixed = served_cli("--repo", "acme/data", "get", oid, "--api-url", url, "--token", token)
    assert mixed.code == 0, mixed
    assert mixed.json()["data"] == {"v": 0}


def test_an_outsiders_update_is_reported_rejected_with_the_reason_and_exits_1(
    served_cli: Cli,
) -> None:
    oid = fresh("outsider")
    served_cli.served("create", oid, '{"v": 0}')
    result = served_cli.served("update", oid, '{"v": 666}', user="eve")
    assert result.code == 1
    assert result.err.strip() == (
        f"update to {oid!r} (issue #{result.json()['meta']['issue_number']}) in acme/data "
        "rejected: author eve (NONE) is not authorized"
    )
    assert result.json()["update"] == {
        "status": "rejected",
        "reason": "author eve (NONE) is not authorized",
    }
    assert served_cli.served("get", oid).json()["data"] == {"v": 0}


def test_a_collaborators_update_is_reported_waiting_where_no_processor_runs(
    served_cli: Cli,
) -> None:
    oid = fresh("waiting")
    served_cli.served("create", oid, '{"v": 0}')
    result = served_cli.served("update", oid, '{"v": 1}', user="bob")
    assert result.code == 0, result
    assert "posted an update to" in result.err and "waiting for the processor" in result.err
    assert result.json()["update"] == {"status": "pending", "reason": None}


def test_get_and_history_write_to_output_files(cli: Cli) -> None:
    cli("create", "a", '{"v": 1}')
    got = cli("get", "a", "--output", "a.json")
    assert (got.code, got.out) == (0, "")
    assert "wrote a.json" in got.err
    assert json.loads((cli.folder / "a.json").read_text())["data"] == {"v": 1}
    assert cli("history", "a", "--output", "h.json").out == ""
    (entry,) = json.loads((cli.folder / "h.json").read_text())
    assert (entry["type"], entry["status"]) == ("initial_state", "applied")


def test_snapshot_writes_snapshot_json_by_default_as_gh_store_does(cli: Cli) -> None:
    cli("create", "a", '{"v": 1}')
    result = cli("snapshot")
    assert result.code == 0, result
    assert "written to snapshot.json" in result.err
    assert json.loads((cli.folder / "snapshot.json").read_text())["objects"]["a"]["data"] == {
        "v": 1
    }


LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d \| (DEBUG|INFO|WARNING|ERROR) \| \S"
)


def test_a_debug_level_in_the_spec_s_config_prints_lines_in_its_format(cli: Cli) -> None:
    config = cli.folder / "config.yml"
    config.write_text(
        'store:\n  processed_reaction: "+1"\n  rate_limit:\n    mutation_interval: 0\n'
        '  log:\n    level: "DEBUG"\n    format: "{time} | {level} | {message}"\n'
    )
    result = cli("create", "a", "{}", "--config", str(config))
    assert result.code == 0, result
    logged = [line for line in result.err.splitlines() if " | " in line]
    assert logged and all(LOG_LINE.match(line) for line in logged), logged
    levels = {line.split(" | ")[1] for line in logged}
    assert {"DEBUG", "WARNING"} <= levels
    # each request at DEBUG: its document, its price, its time
    requests = [
        line for line in logged if re.search(r"\| DEBUG \| \S+: \d+ point\(s\), \d+ ms$", line)
    ]
    assert any("CreateIssue" in line for line in requests), logged


def test_an_info_level_leaves_debug_lines_out(cli: Cli) -> None:
    config = cli.folder / "config.yml"
    config.write_text("store:\n  log:\n    level: INFO\n    format: '[{level}] {message}'\n")
    result = cli("get", "nothing", "--config", str(config))
    assert "DEBUG" not in result.err
    assert "[WARNING] no GitHub token: using the embedded local GitHub in .ghstore" in result.err
