"""The workflow `ghstore init --pages` writes (publish_site.yml, the packaged template rendered):
it passes actionlint, runs on a schedule and on demand, asks each job for the least it needs
(build: issues and contents read; deploy: pages write and an OIDC token), uses the official
Pages actions and ghstore's build-site action pinned to commits; the action splices no input
into a shell line and runs a valid `ghstore site` command line. `init --pages` writes it into
a checkout, and a second run changes nothing."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.helpers import TOKENS, Cli
from test_workflow import actionlint, load

from ghstore.cli import build_parser
from ghstore.cli.deploy import SITE_ACTION_DIR, action_reference, render_site_workflow

pytestmark = pytest.mark.slow  # actionlint, and `ghstore emulator serve` for init

ROOT = Path(__file__).resolve().parents[2]
SITE_ACTION = ROOT / SITE_ACTION_DIR / "action.yml"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
WORKFLOW = Path(".github/workflows/publish_site.yml")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: Any) -> Path:
    path = tmp_path_factory.mktemp("pages") / "publish_site.yml"
    path.write_text(
        render_site_workflow(action_reference(f"acme/ghstore@{COMMIT}", SITE_ACTION_DIR))
    )
    return path


@pytest.fixture(scope="module")
def workflow(rendered: Path) -> dict[str, Any]:
    return load(rendered)


def test_the_rendered_site_workflow_passes_actionlint(rendered: Path) -> None:
    done = actionlint(rendered)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_broken_site_workflow(rendered: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(rendered.read_text().replace("id-token: write", "id-token: sometimes"))
    assert actionlint(bad).returncode != 0


def test_it_publishes_on_a_schedule_and_on_demand_only(workflow: dict[str, Any]) -> None:
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert workflow["on"]["schedule"][0]["cron"]


def test_each_job_gets_the_least_permissions_it_needs(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"issues": "read", "contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert workflow["concurrency"] == {"group": "ghstore-pages", "cancel-in-progress": False}


def test_it_builds_with_ghstores_action_and_deploys_with_the_official_ones_pinned(
    rendered: Path, workflow: dict[str, Any]
) -> None:
    build, deploy = workflow["jobs"]["build"]["steps"], workflow["jobs"]["deploy"]["steps"]
    assert build[0]["uses"] == f"acme/ghstore/{SITE_ACTION_DIR}@{COMMIT}"
    assert build[0]["with"] == {"output": "_site"}
    assert build[1]["uses"].startswith("actions/upload-pages-artifact@")
    assert build[1]["with"] == {"path": "_site"}
    assert [s["uses"].split("@")[0] for s in deploy] == [
        "actions/configure-pages",
        "actions/deploy-pages",
    ]
    for text in (rendered.read_text(), SITE_ACTION.read_text()):
        for uses in re.findall(r"^\s*-?\s*uses: (\S+)", text, re.MULTILINE):
            assert re.search(r"@[0-9a-f]{40}$", uses), f"{uses} is not pinned to a commit"


def test_the_build_site_action_installs_pinned_files_and_splices_no_input() -> None:
    action = load(SITE_ACTION)
    steps = action["runs"]["steps"]
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"], step["run"]
    install = steps[1]["run"].replace("\\\n", " ")
    pips = [line for line in install.splitlines() if "pip install" in line]
    assert len(pips) == 2
    assert "--require-hashes" in pips[0] and "process-updates/requirements.txt" in pips[0]
    assert "--no-index" in pips[1]
    assert steps[2]["env"]["GHSTORE_OUTPUT"] == "${{ inputs.output }}"
    assert 'ghstore site "${args[@]}"' in steps[2]["run"]


def test_the_build_site_action_runs_valid_ghstore_command_lines() -> None:
    parser = build_parser()
    for argv in (
        ["--output", "_site"],
        ["--output", "_site", "--collection", "books"],
        ["--output", "_site", "--config", "c.yml"],
    ):
        assert parser.parse_args(["site", *argv]).command == "site"


@pytest.fixture
def checkout(served_cli: Cli) -> Cli:
    subprocess.run(["git", "init", "-q", str(served_cli.folder)], check=True)
    return served_cli


def _init(cli: Cli, *argv: str) -> Any:
    assert cli.url is not None
    connection = ["--api-url", cli.url, "--token", TOKENS["acme"], "--repo", "acme/data"]
    return cli("init", *argv, "--action", f"acme/ghstore@{COMMIT}", *connection)


def test_init_pages_writes_the_site_workflow_and_a_second_run_changes_nothing(
    checkout: Cli,
) -> None:
    first = _init(checkout, "--pages")
    assert first.code == 0, first
    assert first.json()["files"] == {str(WORKFLOW): "create"}
    written = (checkout.folder / WORKFLOW).read_text()
    assert f"acme/ghstore/{SITE_ACTION_DIR}@{COMMIT}" in written
    assert actionlint(checkout.folder / WORKFLOW).returncode == 0
    second = _init(checkout, "--pages", "--workflow")
    assert second.code == 0, second
    assert second.json()["files"][str(WORKFLOW)] == "unchanged"
    assert (checkout.folder / ".github/workflows/process_update.yml").exists()
    dry = checkout("init", "--pages", "--dry-run", "--action", f"acme/ghstore@{COMMIT}")
    assert dry.code == 0 and dry.json()["files"] == {str(WORKFLOW): "unchanged"}
