"""The deployment as a user gets it, run as GitHub Actions runs it: `ghstore init --workflow`
in a checkout whose `.github/ghstore.yml` lets only owners and collaborators update, the
workflow it wrote parsed and its `if:` evaluated for each event GitHub sends, and every job
started run step by step (setup-python, the process-updates action: ghstore installed from a
wheel built of this tree, offline, with the pinned files; then the processor) against the
local GitHub over HTTP. Each row: which jobs ran, what they changed, what they cost."""

from __future__ import annotations

import io
import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from attrs import define, field
from support.events import comment_event, dispatch_event, issue_event
from support.helpers import PEOPLE, TOKENS, emulator_process
from support.packaging import repository_at_commit, wheelhouse
from support.workflow_run import JobRun, Runner, load_workflow

from ghstore.cli import main

pytestmark = pytest.mark.slow  # builds ghstore, installs it, runs jobs as processes

COMMIT = "5e1f0c0ffee5e1f0c0ffee5e1f0c0ffee5e1f0c0"
BOT = "github-actions"
REPOSITORY_CONFIG = "store:\n  authorized:\n    associations: [OWNER, COLLABORATOR]\n"
# The laptop's config: no pacing, and the team (members and collaborators) writes.
FAST = (
    "store:\n  rate_limit:\n    mutation_interval: 0\n"
    "  authorized:\n    associations: [OWNER, MEMBER, COLLABORATOR]\n"
)


@define
class Row:
    """One event: the jobs it started and what they reported."""

    event: str
    jobs: list[JobRun] = field(factory=list)

    def reports(self) -> list[dict[str, Any]]:
        return [r for job in self.jobs for r in job.steps[-1].json()["reports"]]

    @property
    def requests(self) -> list[int]:
        return [job.steps[-1].json()["requests"] for job in self.jobs]


@define
class Story:
    rows: dict[str, Row]
    checkout: Path
    init: dict[str, Any]
    final: dict[str, Any]
    number: int


def ghstore(
    url: str, *argv: str, user: str = "acme", cwd: Path | None = None, exit_code: int = 0
) -> Any:
    """The CLI as a person on their laptop, against the served GitHub: its JSON output."""
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    try:
        os.chdir(cwd or here)
        with redirect_stdout(out), redirect_stderr(err):
            code = main([*argv, "--api-url", url, "--token", TOKENS[user], "--repo", "acme/data"])
    finally:
        os.chdir(here)
    assert code == exit_code, err.getvalue()
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def story(tmp_path_factory: Any, ghstore_dist: tuple[Path, Path]) -> Iterator[Story]:
    base = tmp_path_factory.mktemp("deploy")
    checkout = base / "checkout"
    (checkout / ".github").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    config = checkout / ".github" / "ghstore.yml"
    config.write_text(REPOSITORY_CONFIG)
    fast = base / "fast.yml"
    fast.write_text(FAST)
    sdist, _ = ghstore_dist
    tree = repository_at_commit(sdist, base / "ghstore-at-commit")
    people = [*PEOPLE, f"{BOT}:tgha:collaborator"]
    with emulator_process(*people, files=[f".github/ghstore.yml={config}"]) as (url, _):
        init = ghstore(
            url, "init", "--workflow", "--action", f"acme/ghstore@{COMMIT}", cwd=checkout
        )

        def action_repository(repo: str, commit: str) -> Path:
            assert (repo, commit) == ("acme/ghstore", COMMIT)
            return tree

        runner = Runner(
            load_workflow(checkout / ".github" / "workflows" / "process_update.yml"),
            "acme/data",
            url,
            "tgha",
            base / "runner",
            action_repository,
            wheelhouse(),
        )
        (base / "runner").mkdir()
        rows: dict[str, Row] = {}

        def event(label: str, name: str, payload: dict[str, Any], **inputs: Any) -> None:
            rows[label] = Row(name, runner.run(name, payload, inputs))

        def update(user: str, changes: dict[str, Any], exit_code: int = 0) -> None:
            argv = ("update", "thing", json.dumps(changes), "--config", str(fast))
            ghstore(url, *argv, user=user, exit_code=exit_code)

        made = ghstore(url, "create", "thing", '{"n": 0}', "--config", str(fast))
        number = made["meta"]["issue_number"]
        event("opened by the owner", "issues", issue_event(url, number, "opened", "acme"))
        update("bob", {"n": 1})
        event("comment by a collaborator", "issue_comment", comment_event(url, number))
        event("reopened by the collaborator", "issues", issue_event(url, number, "reopened", "bob"))
        update("eve", {"n": 666}, exit_code=1)  # posted, and told it will be refused
        event("comment by an outsider", "issue_comment", comment_event(url, number))
        # Authorized by the laptop's config (FAST); .github/ghstore.yml refuses it.
        update("mia", {"m": 1})
        event("comment by a member", "issue_comment", comment_event(url, number))
        event(
            "comment on a pull request",
            "issue_comment",
            comment_event(url, number, pull_request=True),
        )
        event(
            "workflow_dispatch",
            "workflow_dispatch",
            dispatch_event(url, "acme", issue=number),
            issue=number,
        )
        update("acme", {"n": 2})
        event("comment by the owner", "issue_comment", comment_event(url, number))
        event("schedule", "schedule", {"schedule": "17 */6 * * *"})
        final = ghstore(url, "get", "thing")
        yield Story(rows, checkout, init, final, number)


def started(story: Story, label: str) -> list[str]:
    return [job.name for job in story.rows[label].jobs]


def test_init_kept_the_users_configuration_and_wrote_the_workflow(story: Story) -> None:
    files = story.init["files"]
    assert files == {
        ".github/ghstore.yml": "keep",
        ".github/workflows/process_update.yml": "create",
    }
    assert (story.checkout / ".github" / "ghstore.yml").read_text() == REPOSITORY_CONFIG


def test_the_outsiders_comment_starts_no_job(story: Story) -> None:
    assert started(story, "comment by an outsider") == []


def test_a_member_the_configuration_leaves_out_starts_no_job(story: Story) -> None:
    assert started(story, "comment by a member") == []


def test_a_comment_on_a_pull_request_starts_no_job(story: Story) -> None:
    assert started(story, "comment on a pull request") == []


def test_authorized_issue_and_comment_events_run_the_processor_in_2_requests_3_if_it_applies(
    story: Story,
) -> None:
    for label in (
        "opened by the owner",
        "comment by a collaborator",
        "reopened by the collaborator",
        "comment by the owner",
        "workflow_dispatch",
    ):
        row = story.rows[label]
        assert started(story, label) == ["process"], label
        (job,) = row.jobs
        assert job.ok, [(s.name, s.code, s.err[-2000:]) for s in job.steps]
        assert job.group == f"ghstore-issue-{story.number}"
        # the repository id came with the event; marks go after the body's write landed
        applies = sum(len(report["applied"]) for report in row.reports()) > 0
        assert row.requests == [3 if applies else 2], label


def test_each_authorized_update_is_applied_by_the_run_its_comment_started(story: Story) -> None:
    assert [len(r["applied"]) for r in story.rows["comment by a collaborator"].reports()] == [1]
    assert [len(r["applied"]) for r in story.rows["comment by the owner"].reports()] == [1]
    assert [len(r["applied"]) for r in story.rows["reopened by the collaborator"].reports()] == [0]


def test_the_dispatched_run_refuses_the_comments_that_started_no_job(story: Story) -> None:
    (report,) = story.rows["workflow_dispatch"].reports()
    assert report["applied"] == []
    assert sorted(r["author"] for r in report["rejected"]) == ["eve", "mia"]
    (job,) = story.rows["workflow_dispatch"].jobs
    assert "author mia (MEMBER) is not authorized" in job.steps[-1].summary


def test_the_schedule_runs_the_sweep_only(story: Story) -> None:
    (job,) = story.rows["schedule"].jobs
    assert job.name == "sweep" and job.ok
    assert story.rows["schedule"].reports() == []  # every object settled already
    # The configuration file, then the listing of open objects (none).
    assert story.rows["schedule"].requests == [2]


def test_ghstore_was_installed_once_from_pinned_files_and_reused(story: Story) -> None:
    installs = [
        step
        for row in story.rows.values()
        for job in row.jobs
        for step in job.steps
        if step.name.startswith("Install ghstore")
    ]
    assert [step.cached for step in installs] == [False] + [True] * (len(installs) - 1)
    assert installs[0].code == 0


def test_the_object_ends_with_the_authorized_updates_only(story: Story) -> None:
    assert story.final["data"] == {"n": 2}
