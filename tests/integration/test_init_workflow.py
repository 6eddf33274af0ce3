"""`ghstore init --workflow` in a checkout of the user's repository: writes the workflow and,
if absent, the repository's configuration, creates the labels, checks the token; `--dry-run`
only prints; a second run changes nothing. `init --config F` (gh-store 0.11) creates F."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from support.helpers import TOKENS, Cli

from ghstore.config import Config, load_config

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess, actionlint

COMMIT = "0123456789abcdef0123456789abcdef01234567"
ACTION = ["--action", f"acme/ghstore@{COMMIT}"]
WORKFLOW = Path(".github/workflows/process_update.yml")
CONFIG = Path(".github/ghstore.yml")


@pytest.fixture
def checkout(served_cli: Cli) -> Cli:
    subprocess.run(["git", "init", "-q", str(served_cli.folder)], check=True)
    return served_cli


def init(cli: Cli, *argv: str, user: str = "acme") -> tuple[int, dict[str, object], str]:
    assert cli.url is not None
    result = cli(
        "init", *argv, "--api-url", cli.url, "--token", TOKENS[user], "--repo", "acme/data"
    )
    return result.code, (result.json() if result.code == 0 else {}), result.err


def test_in_an_empty_checkout_it_writes_both_files_and_the_workflow_passes_actionlint(
    checkout: Cli,
) -> None:
    from test_workflow import actionlint

    code, report, err = init(checkout, "--workflow", *ACTION)
    assert code == 0, err
    assert report["files"] == {str(CONFIG): "create", str(WORKFLOW): "create"}
    assert set(report["created"]) | set(report["existing"]) >= {"stored-object", "gh-store"}
    assert report["permission"] == "ADMIN"
    assert load_config(checkout.folder / CONFIG) == Config()
    done = actionlint(checkout.folder / WORKFLOW)
    assert done.returncode == 0, done.stdout
    assert (
        f"acme/ghstore/.github/actions/process-updates@{COMMIT}"
        in (checkout.folder / WORKFLOW).read_text()
    )
    assert "next: commit" in err


def test_a_second_run_changes_nothing(checkout: Cli) -> None:
    assert init(checkout, "--workflow", *ACTION)[0] == 0
    before = {p: (checkout.folder / p).read_bytes() for p in (CONFIG, WORKFLOW)}
    code, report, _ = init(checkout, "--workflow", *ACTION)
    assert code == 0
    assert report["files"] == {str(CONFIG): "keep", str(WORKFLOW): "unchanged"}
    assert report["created"] == []
    assert {p: (checkout.folder / p).read_bytes() for p in (CONFIG, WORKFLOW)} == before


def test_dry_run_prints_what_it_would_write_and_writes_nothing(checkout: Cli) -> None:
    result = checkout("init", "--workflow", "--dry-run", *ACTION)
    assert result.code == 0, result
    assert result.json() == {
        "dry_run": True,
        "files": {str(CONFIG): "create", str(WORKFLOW): "create"},
    }
    assert "would create .github/workflows/process_update.yml:" in result.err
    assert "uses: acme/ghstore/.github/actions/process-updates@" in result.err
    assert not (checkout.folder / ".github").exists()


def test_the_workflow_follows_the_configuration_the_checkout_has(checkout: Cli) -> None:
    (checkout.folder / ".github").mkdir()
    (checkout.folder / CONFIG).write_text("store:\n  base_label: things\n")
    code, report, err = init(checkout, "--workflow", *ACTION)
    assert code == 0, err
    assert report["files"][str(CONFIG)] == "keep"
    workflow = yaml.safe_load((checkout.folder / WORKFLOW).read_text())
    assert "'things')" in workflow["jobs"]["process"]["if"]
    assert "things" in report["created"] or "things" in report["existing"]


def test_outside_a_git_checkout_it_refuses_and_writes_nothing(served_cli: Cli) -> None:
    code, _, err = init(served_cli, "--workflow", *ACTION)
    assert code == 1
    assert "is not inside a git checkout" in err
    assert not (served_cli.folder / ".github").exists()


def test_a_build_that_is_not_a_release_asks_for_the_actions_commit(checkout: Cli) -> None:
    code, _, err = init(checkout, "--workflow")
    assert code == 1
    assert "pass --action OWNER/REPO@COMMIT" in err
    code, _, err = init(checkout, "--workflow", "--action", "acme/ghstore@v1.0")
    assert code == 1
    assert "full 40-hex commit id" in err


def test_a_token_that_may_not_write_is_named_as_what_is_missing(checkout: Cli) -> None:
    code, _, err = init(checkout, "--workflow", *ACTION, user="eve")
    assert code == 1
    assert "the token (eve) may not write issues in acme/data (READ)" in err
    assert (checkout.folder / WORKFLOW).exists(), "the files are written first"


def test_init_config_creates_the_file_as_gh_store_does_and_keeps_an_existing_one(
    served_cli: Cli,
) -> None:
    code, report, err = init(served_cli, "--config", "mine.yml")
    assert code == 0, err
    assert load_config(served_cli.folder / "mine.yml") == Config()
    assert "wrote mine.yml" in err
    (served_cli.folder / "mine.yml").write_text("store:\n  base_label: mine\n")
    code, report, err = init(served_cli, "--config", "mine.yml")
    assert code == 0, err
    assert "mine" in [*report["created"], *report["existing"]]  # type: ignore[misc]
    assert (served_cli.folder / "mine.yml").read_text() == "store:\n  base_label: mine\n"
