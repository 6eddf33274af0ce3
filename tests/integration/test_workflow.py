"""The Actions workflow `ghstore init --workflow` writes (the packaged template, rendered): it
passes actionlint, runs on the right events, holds only the permissions it needs, queues runs
per issue, skips authors the configuration does not authorize before installing anything, and
splices no event text into a shell line; the process-updates action it runs installs pinned
files only. The project's own workflows pass actionlint too."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ghstore.cli import build_parser
from ghstore.cli.deploy import action_reference, render_workflow
from ghstore.config import Config, parse_config

ROOT = Path(__file__).resolve().parents[2]  # the repository
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
ACTION = ROOT / ".github" / "actions" / "process-updates" / "action.yml"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def load(path: Path) -> dict[str, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(path.read_text())
    if True in workflow:  # YAML 1.1 reads the key `on` as a boolean
        workflow["on"] = workflow.pop(True)
    return workflow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: Any) -> Path:
    """The workflow init writes for the default configuration."""
    path = tmp_path_factory.mktemp("wf") / "process_update.yml"
    path.write_text(render_workflow(Config(), action_reference(f"acme/ghstore@{COMMIT}")))
    return path


@pytest.fixture(scope="module")
def workflow(rendered: Path) -> dict[str, Any]:
    return load(rendered)


def tool(name: str) -> str | None:
    """A tool installed next to this Python (make install puts it in .venv/bin), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


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


def test_every_workflow_and_the_rendered_one_pass_actionlint(rendered: Path) -> None:
    assert WORKFLOWS, "no workflow files found"
    done = actionlint(*WORKFLOWS, rendered)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_bad_queue_and_a_spliced_expression(
    rendered: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yml"
    text = rendered.read_text().replace("      queue: max", "      queue: forever", 1)
    text += "      - run: echo ${{ github.event.issue.title }}\n"
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


def test_issue_events_run_only_for_stored_objects_from_authorized_authors(
    workflow: dict[str, Any],
) -> None:
    condition = " ".join(workflow["jobs"]["process"]["if"].split())
    assert "github.event.issue.pull_request == null" in condition
    assert "contains(github.event.issue.labels.*.name, 'stored-object')" in condition
    assert "github.event_name == 'workflow_dispatch'" in condition
    authorized = "contains(fromJSON('[\"OWNER\"]'), "  # the default: the owner only
    assert authorized + "github.event.comment.author_association)" in condition
    assert authorized + "github.event.issue.author_association)" in condition
    assert workflow["jobs"]["sweep"]["if"] == "github.event_name == 'schedule'"


def test_the_rendered_condition_follows_the_configuration(tmp_path: Path) -> None:
    config = parse_config(
        {
            "store": {
                "base_label": "it's",
                "authorized": {"associations": ["OWNER"], "users": ["zoe"]},
            }
        }
    )
    path = tmp_path / "process_update.yml"
    path.write_text(render_workflow(config, action_reference(f"acme/ghstore@{COMMIT}")))
    condition = " ".join(load(path)["jobs"]["process"]["if"].split())
    assert "contains(github.event.issue.labels.*.name, 'it''s')" in condition
    assert "fromJSON('[\"OWNER\"]')" in condition
    assert "contains(fromJSON('[\"zoe\"]'), github.event.comment.user.login)" in condition


def test_the_token_may_write_issues_and_read_contents_and_nothing_else(
    workflow: dict[str, Any],
) -> None:
    assert workflow["permissions"] == {"issues": "write", "contents": "read"}
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


def test_every_job_runs_the_action_pinned_to_a_commit(workflow: dict[str, Any]) -> None:
    for job in workflow["jobs"].values():
        (step,) = job["steps"]
        assert step["uses"] == f"acme/ghstore/.github/actions/process-updates@{COMMIT}"
    assert workflow["jobs"]["sweep"]["steps"][0]["with"] == {"all": True}


def test_the_action_splices_no_expression_into_a_shell_line() -> None:
    action = load(ACTION)
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["run"]
    process = action["runs"]["steps"][-1]
    assert process["env"]["GHSTORE_ISSUE"] == "${{ inputs.issue }}"
    assert process["env"]["GITHUB_TOKEN"] == "${{ inputs.token }}"


def _pip_lines(text: str) -> list[str]:
    joined = text.replace("\\\n", " ")
    return [line for line in joined.splitlines() if "pip install" in line]


def test_every_install_step_shipped_or_written_takes_pinned_files_only(rendered: Path) -> None:
    texts = [path.read_text() for path in [*WORKFLOWS, ACTION, rendered]]
    lines = [line for text in texts for line in _pip_lines(text)]
    assert len(lines) == 3, lines  # the action's two, the release workflow's one
    for line in lines:
        assert "--require-hashes" in line or "--no-index" in line, line
    for text in texts:
        for uses in re.findall(r"^\s*-?\s*uses: (\S+)", text, re.MULTILINE):
            assert re.search(r"@[0-9a-f]{40}$", uses), f"{uses} is not pinned to a commit"


def test_the_action_runs_valid_ghstore_command_lines() -> None:
    script = load(ACTION)["runs"]["steps"][-1]["run"]
    assert 'ghstore process-updates "${args[@]}"' in script
    parser = build_parser()
    for argv in (["--issue", "12"], ["--all"], ["--issue", "12", "--config", "c.yml"]):
        assert parser.parse_args(["process-updates", *argv]).command == "process-updates"
