"""The Actions workflow that processes updates: it passes actionlint, runs on the right events,
holds only the permissions it needs, queues runs per issue, and splices no event text into a
shell line."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ghstore.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]  # the repository
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
PROCESS = ROOT / ".github" / "workflows" / "process_update.yml"


def load(path: Path) -> dict[str, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(path.read_text())
    if True in workflow:  # YAML 1.1 reads the key `on` as a boolean
        workflow["on"] = workflow.pop(True)
    return workflow


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(PROCESS)


def tool(name: str) -> str | None:
    """A tool installed next to this Python (make install puts it in .venv/bin), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def actionlint(*files: Path) -> Any:
    """actionlint (with shellcheck, where installed) on the files."""
    found = tool("actionlint")
    if found is None:
        pytest.skip("actionlint is not installed: `make install` puts it in .venv/bin")
    return subprocess.run(
        [found, f"-shellcheck={tool('shellcheck') or ''}", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )


def test_every_workflow_passes_actionlint() -> None:
    assert WORKFLOWS, "no workflow files found"
    done = actionlint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_spliced_expression_and_a_bad_queue(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    text = PROCESS.read_text().replace("      queue: max", "      queue: forever", 1)
    text = text.replace('--issue "$ISSUE_NUMBER"', '--issue "${{ github.event.issue.title }}"')
    bad.write_text(text)
    done = actionlint(bad)
    assert done.returncode == 1
    assert '"queue"' in done.stdout
    assert "github.event.issue.title" in done.stdout


def test_it_runs_on_new_and_reopened_issues_new_comments_dispatch_and_a_schedule(
    workflow: dict[str, Any],
) -> None:
    on = workflow["on"]
    assert set(on["issues"]["types"]) == {"opened", "reopened"}
    assert on["issue_comment"]["types"] == ["created"]
    assert on["schedule"][0]["cron"]
    issue_input = on["workflow_dispatch"]["inputs"]["issue"]
    assert issue_input["required"] is True
    assert issue_input["type"] == "number"


def test_issue_events_run_only_for_stored_objects_and_never_for_pull_requests(
    workflow: dict[str, Any],
) -> None:
    condition = " ".join(workflow["jobs"]["process"]["if"].split())
    assert "github.event.issue.pull_request == null" in condition
    assert "contains(github.event.issue.labels.*.name, 'stored-object')" in condition
    assert "github.event_name == 'workflow_dispatch'" in condition
    assert workflow["jobs"]["sweep"]["if"] == "github.event_name == 'schedule'"


def test_the_token_may_write_issues_and_nothing_else(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"issues": "write"}
    for job in workflow["jobs"].values():
        assert "permissions" not in job


def test_runs_queue_per_issue_and_none_is_cancelled(workflow: dict[str, Any]) -> None:
    concurrency = workflow["jobs"]["process"]["concurrency"]
    assert "github.event.issue.number" in concurrency["group"]
    assert "inputs.issue" in concurrency["group"]
    for job in workflow["jobs"].values():
        assert job["concurrency"]["queue"] == "max"
        assert job["concurrency"].get("cancel-in-progress", False) is False
    assert "concurrency" not in workflow, "a workflow-wide group would serialise every issue"


def test_no_expression_is_spliced_into_a_shell_line(workflow: dict[str, Any]) -> None:
    for step in steps(workflow):
        if "run" in step:
            assert "${{" not in step["run"], step["run"]
    process = workflow["jobs"]["process"]["steps"][-1]
    assert process["env"]["ISSUE_NUMBER"] == "${{ github.event.issue.number || inputs.issue }}"
    assert process["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"


def test_ghstore_is_installed_with_pip_without_a_checkout(workflow: dict[str, Any]) -> None:
    assert workflow["env"]["GHSTORE_REQUIREMENT"].startswith("ghstore")
    for job in workflow["jobs"].values():
        uses = [step.get("uses", "") for step in job["steps"]]
        assert not any(u.startswith("actions/checkout@") for u in uses)
        assert any(u.startswith("actions/setup-python@") for u in uses)
        assert any(
            step.get("run", "").endswith('pip install --quiet "$GHSTORE_REQUIREMENT"')
            for step in job["steps"]
        )


def test_the_commands_it_runs_are_valid_ghstore_command_lines(workflow: dict[str, Any]) -> None:
    commands = [
        step["run"] for step in steps(workflow) if step.get("run", "").startswith("ghstore ")
    ]
    assert len(commands) == 2
    parser = build_parser()
    for command in commands:
        argv = shlex.split(re.sub(r'"\$ISSUE_NUMBER"', "12", command))[1:]
        args = parser.parse_args(argv)
        assert args.command == "process-updates"
    assert any(c.endswith("process-updates --all") for c in commands)
    assert any("--issue" in c for c in commands)
