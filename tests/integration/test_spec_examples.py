"""The spec runs: every example of gh-store's README but the workflow copy (tests/spec/gh-store-readme-examples.md,
verbatim but for `gh_store` renamed to `ghstore`) runs against a local GitHub, in order, as a
reader would type them into one session, and does what the README says it does.

The examples name real GitHub: the served local GitHub stands in for api.github.com (as DNS
would), holding owner/repository and owner/repo, with the README's tokens. What the test adds
is setup the README assumes (`user-123` exists; `Path` is imported), never a changed line.
"""

from __future__ import annotations

import ast
import json
import os
import shlex
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.examples import Block, code_blocks
from support.helpers import emulator_process

from ghstore.cli import main

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "spec" / "gh-store-readme-examples.md"
SECTIONS = ("Quick Start", "Update Flow", "Deep Updates", "Configuration", "Error Handling")


@pytest.fixture
def spec_github() -> Iterator[str]:
    """A served local GitHub with the README's repositories and tokens."""
    users = ("owner:your-github-token", "helper:your-token:collaborator")
    with emulator_process(*users, repos=("owner/repository", "owner/repo")) as (url, _):
        yield url


def open_issues(url: str, count: int) -> None:
    """`count` plain issues in owner/repository (REST), so the next issue is #count+1."""
    rest = url.rsplit("/", 1)[0] + "/api/v3/repos/owner/repository/issues"
    for n in range(count):
        request = urllib.request.Request(
            rest,
            data=json.dumps({"title": f"an issue that is no object ({n})"}).encode(),
            headers={"Authorization": "token your-github-token"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 201


def expressions(block: Block) -> list[Any]:
    """The block's bare dicts (its "Initial state" and "Final state")."""
    tree = ast.parse(block.code)
    return [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Dict)
    ]


def printed_comments(block: Block) -> list[Any]:
    """The JSON the block's comments say a print shows (`# {"name": ...}`)."""
    return [
        json.loads(line.lstrip("# ")) for line in block.code.splitlines() if line.startswith("# {")
    ]


def run_python(block: Block, namespace: dict[str, Any]) -> None:
    exec(compile(block.code, f"{EXAMPLES.name}:{block.line}", "exec"), namespace)


def run_cli_example(block: Block) -> int:
    """A `python -m ghstore ...` example, its variables expanded as the shell would."""
    text = block.code.replace("\\\n", " ")
    (command,) = [line for line in text.splitlines() if line and not line.startswith("#")]
    argv = shlex.split(os.path.expandvars(command))
    assert argv[:3] == ["python", "-m", "ghstore"], argv
    return main(argv[3:])


def test_every_example_of_the_spec_runs_with_only_gh_store_renamed(
    spec_github: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("ghstore.bootstrap.DEFAULT_API_URL", spec_github)
    monkeypatch.chdir(tmp_path)
    blocks = code_blocks(EXAMPLES)
    quick, flow, deep, config, errors = (
        [b for b in blocks if b.heading == section] for section in SECTIONS
    )
    (cli,) = [b for b in blocks if b.heading == "Command Line Interface"]

    # Quick Start 1 copies a workflow file out of gh-store's source tree; ghstore writes its
    # workflow with `ghstore init --workflow` instead (rendered for the repository's config,
    # pinned to a released action), so that block is the one example not run here.
    assert quick[0].language == "bash" and "process_update.yml" in quick[0].code

    # Quick Start 2 and 3: a store; create, get and update an object (issue #123: see below)
    open_issues(spec_github, 122)
    namespace: dict[str, Any] = {"Path": Path}  # the Configuration example uses Path
    run_python(quick[1], namespace)
    run_python(quick[2], namespace)
    store = namespace["store"]
    made = store.get("my-object")
    assert made.data == {"name": "test", "value": 43}
    assert (made.meta.issue_number, made.meta.pending_updates) == (123, 1)

    # Update Flow: the README's user-123, then its prints are what its comments say
    store.create("user-123", {"name": "Alice", "score": 10})
    capsys.readouterr()
    run_python(flow[0], namespace)
    shown = [ast.literal_eval(line) for line in capsys.readouterr().out.splitlines()]
    assert (
        shown
        == printed_comments(flow[0])
        == [
            {"name": "Alice", "score": 10},
            {"name": "Alice", "score": 15},
        ]
    )

    # Deep Updates: from its initial state, the update gives its final state
    initial, final = expressions(deep[0])
    store.update("user-123", initial)
    run_python(deep[0], namespace)
    data = store.get("user-123").data
    assert {key: data[key] for key in final} == final

    # Configuration: its config.yml, then a store configured by it
    (tmp_path / "config.yml").write_text(config[0].code)
    run_python(config[1], namespace)
    configured = namespace["store"]
    assert configured.repo == "owner/repo"
    assert configured.core.config.store.reactions.processed == "+1"
    assert configured.core.config.store.log.format == "{time} | {level} | {message}"

    # Error Handling: each error is the one the README catches
    capsys.readouterr()
    run_python(errors[0], namespace)
    assert capsys.readouterr().out == "Object doesn't exist\nInvalid update format\n"

    # Command Line Interface: process the updates of issue #123 (my-object)
    monkeypatch.setenv("GITHUB_TOKEN", "your-github-token")
    assert run_cli_example(cli) == 0
    settled = store.get("my-object", include_pending=False)
    assert (settled.data, settled.meta.state) == ({"name": "test", "value": 43}, "CLOSED")
    store.close()
    configured.close()


def _spec() -> Path | None:
    """shared/gh-store-README.md beside this checkout (where the project's notes keep it)."""
    for base in ROOT.parents:
        candidate = base / "shared" / "gh-store-README.md"
        if candidate.exists():
            return candidate
    return None


def test_the_examples_are_the_spec_s_with_only_gh_store_renamed(tmp_path: Path) -> None:
    spec = _spec()
    if spec is None:
        pytest.skip("the spec (shared/gh-store-README.md) is not beside this checkout")
    renamed = tmp_path / "spec.md"
    renamed.write_text(spec.read_text(encoding="utf-8").replace("gh_store", "ghstore"))
    wanted = {*SECTIONS, "Command Line Interface"}
    theirs = [(b.language, b.code) for b in code_blocks(renamed) if b.heading in wanted]
    ours = [(b.language, b.code) for b in code_blocks(EXAMPLES)]
    assert ours == theirs
