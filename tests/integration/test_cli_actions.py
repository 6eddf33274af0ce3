"""Inside GitHub Actions, `process-updates` writes a step summary (applied, rejected and why,
requests and points) and annotations: a warning per rejected update, an error per failure."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from support.helpers import Cli

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess


@pytest.fixture
def in_actions(served_cli: Cli, monkeypatch: Any) -> Path:
    """GITHUB_ACTIONS=true and a step summary file; returns the file."""
    summary = served_cli.folder / "step_summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


def object_with_two_updates(cli: Cli) -> tuple[str, int]:
    """An object with a collaborator's update and an outsider's waiting."""
    oid = f"act-{uuid.uuid4().hex[:8]}"
    number = cli.served("create", oid, '{"v": 0}').json()["meta"]["issue_number"]
    cli.served("update", oid, '{"v": 1}', user="bob")
    cli.served("update", oid, '{"v": 2}', user="eve")
    return oid, number


def test_process_updates_appends_a_step_summary_of_what_it_applied_rejected_and_spent(
    served_cli: Cli, in_actions: Path
) -> None:
    oid, number = object_with_two_updates(served_cli)
    in_actions.write_text("earlier step\n")
    result = served_cli.served("process-updates", "--issue", str(number))
    assert result.code == 0, result
    text = in_actions.read_text()
    assert text.startswith("earlier step\n"), "appended, not overwritten"
    assert "## ghstore process-updates: acme/data" in text
    assert "**1 update(s) applied**, **1 rejected**" in text
    assert f"| #{number} | `{oid}` | 1 | 1 |" in text
    assert "### Rejected updates" in text
    assert "| `eve` | `author eve (NONE) is not authorized` |" in text  # outsider text as data
    requests = result.json()["requests"]
    assert f"**Spent:** {requests} request(s)" in text
    assert "points left" in text  # the rate limit GitHub reported


def test_a_rejected_update_is_a_warning_annotation(served_cli: Cli, in_actions: Path) -> None:
    oid, number = object_with_two_updates(served_cli)
    result = served_cli.served("process-updates", "--issue", str(number))
    warnings = [line for line in result.err.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1
    assert warnings[0].startswith("::warning title=ghstore%3A update rejected::")
    assert f"issue #{number} ({oid})" in warnings[0]
    assert "by eve not applied: author eve (NONE) is not authorized" in warnings[0]
    assert "::warning" not in result.out, "stdout stays JSON"


def test_a_failure_is_an_error_annotation_and_is_in_the_summary(
    served_cli: Cli, in_actions: Path
) -> None:
    result = served_cli.served("process-updates", "--issue", "99999")
    assert result.code == 1
    (line,) = result.err.splitlines()
    assert line.startswith("::error title=ghstore process-updates failed::")
    assert "99999" in line
    assert "**Failed:**" in in_actions.read_text()


def test_outside_actions_there_are_no_annotations_and_no_summary(served_cli: Cli) -> None:
    _, number = object_with_two_updates(served_cli)
    result = served_cli.served("process-updates", "--issue", str(number))
    assert result.code == 0
    assert "::" not in result.err
    assert not list(served_cli.folder.glob("*.md"))
