"""`ghstore process-updates` as the workflow runs it: inside GitHub Actions, with the API's
address, the event payload and the step summary given by the environment, against the local
GitHub served over HTTP with the repository's `.github/ghstore.yml` seeded by `--file`."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.helpers import PEOPLE, TOKENS, Cli, HttpGitHub, emulator_process

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess

COLLABORATORS_ONLY = "store:\n  authorized:\n    associations: [OWNER, COLLABORATOR]\n"


@pytest.fixture(scope="module")
def configured(tmp_path_factory: Any) -> Iterator[str]:
    """The local GitHub whose acme/data has a collaborator-only rule in .github/ghstore.yml."""
    local = tmp_path_factory.mktemp("repo") / "ghstore.yml"
    local.write_text(COLLABORATORS_ONLY)
    with emulator_process(*PEOPLE, files=[f".github/ghstore.yml={local}"]) as (url, _):
        yield url


def repository_id(url: str) -> str:
    query = 'query { repository(owner: "acme", name: "data") { id } }'
    data = asyncio.run(HttpGitHub(url).data("acme", query))
    return str(data["repository"]["id"])


def comment_event(url: str, number: int, commenter: str, association: str) -> dict[str, Any]:
    """An issue_comment `created` payload shaped as GitHub sends it (the fields a run reads
    and their neighbours)."""
    return {
        "action": "created",
        "issue": {
            "number": number,
            "labels": [{"name": "gh-store"}, {"name": "stored-object"}],
            "state": "open",
            "user": {"login": "acme", "type": "User"},
            "author_association": "OWNER",
        },
        "comment": {
            "id": 1,
            "user": {"login": commenter, "type": "User"},
            "author_association": association,
            "body": '{"_data": {}}',
        },
        "repository": {
            "id": 1,
            "node_id": repository_id(url),
            "name": "data",
            "full_name": "acme/data",
            "owner": {"login": "acme", "type": "User"},
            "default_branch": "main",
        },
        "sender": {"login": commenter, "type": "User"},
    }


def in_actions(monkeypatch: Any, cli: Cli, url: str, event: dict[str, Any]) -> Path:
    """The environment Actions gives the processor's step; returns the step summary file."""
    event_path = cli.folder / "event.json"
    event_path.write_text(json.dumps(event))
    summary = cli.folder / "step_summary.md"
    for name, value in {
        "GITHUB_ACTIONS": "true",
        "GITHUB_GRAPHQL_URL": url,
        "GITHUB_API_URL": url.removesuffix("/graphql") + "/api/v3",
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": "acme/data",
        "GITHUB_TOKEN": TOKENS["acme"],
        "GITHUB_STEP_SUMMARY": str(summary),
    }.items():
        monkeypatch.setenv(name, value)
    return summary


def new_object(cli: Cli, url: str, *updates: tuple[str, dict[str, Any]]) -> tuple[str, int]:
    """An object on the served GitHub with these (author, changes) updates waiting."""
    cli.url = url
    oid = f"env-{uuid.uuid4().hex[:8]}"
    made = cli.served("create", oid, '{"v": 0}')
    assert made.code == 0, made
    for author, changes in updates:
        assert cli.served("update", oid, json.dumps(changes), user=author).code == 0
    return oid, made.json()["meta"]["issue_number"]


def test_a_cold_run_in_actions_takes_three_requests_and_writes_the_summary(
    cli: Cli, configured: str, monkeypatch: Any
) -> None:
    oid, number = new_object(cli, configured, ("bob", {"v": 1}))
    summary = in_actions(
        monkeypatch, cli, configured, comment_event(configured, number, "bob", "COLLABORATOR")
    )
    result = cli("process-updates", "--issue", str(number))  # no --api-url, no --config
    assert result.code == 0, result
    assert result.json()["requests"] == 3  # lock+read, body, marks once the body landed
    assert (
        result.json()["reports"][0]["applied"]
        == [c for c in result.json()["reports"][0]["applied"]]
        and len(result.json()["reports"][0]["applied"]) == 1
    )
    assert "**1 update(s) applied**" in summary.read_text()
    assert f"| #{number} | `{oid}` | 1 | 0 | 3 |" in summary.read_text()
    monkeypatch.delenv("GITHUB_ACTIONS")
    cli.url = configured
    assert cli.served("get", oid).json()["data"] == {"v": 1}


def test_the_repository_config_rule_is_enforced_with_no_config_given(
    cli: Cli, configured: str, monkeypatch: Any
) -> None:
    # The default rule lets a MEMBER update; the repository's file allows owners and
    # collaborators only, so mia's update is refused and bob's applied.
    _, number = new_object(cli, configured, ("mia", {"m": 1}), ("bob", {"b": 1}))
    summary = in_actions(
        monkeypatch, cli, configured, comment_event(configured, number, "bob", "COLLABORATOR")
    )
    result = cli("process-updates", "--issue", str(number))
    assert result.code == 0, result
    (report,) = result.json()["reports"]
    assert len(report["applied"]) == 1
    assert [r["author"] for r in report["rejected"]] == ["mia"]
    assert "author mia (MEMBER) is not authorized" in summary.read_text()
    assert result.json()["requests"] == 3, "the file came in the request the run makes anyway"


def test_an_explicit_config_wins_over_the_repository_file(
    cli: Cli, configured: str, monkeypatch: Any
) -> None:
    _, number = new_object(cli, configured, ("mia", {"m": 1}))
    in_actions(monkeypatch, cli, configured, comment_event(configured, number, "mia", "MEMBER"))
    explicit = cli.folder / "explicit.yml"
    explicit.write_text("store:\n  authorized:\n    associations: [OWNER, MEMBER]\n")
    result = cli("process-updates", "--issue", str(number), "--config", str(explicit))
    assert result.code == 0, result
    (report,) = result.json()["reports"]
    assert (len(report["applied"]), report["rejected"]) == (1, [])


def test_an_event_of_another_repository_lends_no_repository_id(
    cli: Cli, configured: str, monkeypatch: Any
) -> None:
    _, number = new_object(cli, configured, ("bob", {"v": 1}))
    event = comment_event(configured, number, "bob", "COLLABORATOR")
    event["repository"]["full_name"] = "acme/other"
    in_actions(monkeypatch, cli, configured, event)
    result = cli("process-updates", "--issue", str(number))
    assert result.code == 0, result
    assert result.json()["requests"] == 4, "asked GitHub for the repository's id"
