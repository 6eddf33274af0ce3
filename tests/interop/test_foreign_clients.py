"""Clients we did not write, installed at pinned versions (support.foreign) and run unmodified
against the local GitHub over HTTP on loopback: githubkit (PyPI; its typed models, generated
from GitHub's OpenAPI, must accept every answer), and npm's @octokit/rest and @octokit/graphql
(run by node). Each runs a realistic sequence (clients/) -- labels, issues with labels,
comments, reactions, paging both ways, close and reopen, a body edit, a lock, reaction groups,
rate limits -- and the test checks what each saw.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from support.foreign import ensure_githubkit, ensure_node_packages, run_process
from support.helpers import TOKENS

from ghstore.emulator import Emulator, EmulatorServer

pytestmark = pytest.mark.slow  # separate processes; .venv-githubkit and .cache/npm-clients

CLIENTS = Path(__file__).with_name("clients")


def _sequence_args(emulator: Emulator, server: EmulatorServer) -> list[str]:
    """The REST root, the owner's token and eve's: eve comments and reacts as an outsider,
    then spends her 3 GraphQL points an hour."""
    emulator.add_user("eve", TOKENS["eve"], hourly_points=3)
    return [server.rest_url, TOKENS["acme"], TOKENS["eve"], "acme", "data"]


def _check_sequence(seen: dict[str, Any]) -> None:
    """What every client must have seen of its sequence on acme/data."""
    numbers = seen["numbers"]
    assert seen["repository"] == ["acme/data", True]
    assert seen["label"] == ["kind:b", "BADA55"]
    assert seen["labels_on_issue"] == ["kind:b", "kind:c"]
    assert seen["reactions_listed"] == ["+1", "+1"]
    assert seen["closed"] == ["closed", "completed", True]
    assert seen["locked"] == [True, "resolved"]
    assert seen["comments"] == ['{"_data": {"a": 1}}', "a passer-by"]
    assert seen["fetched_comment"] == [True, 2]
    assert seen["final"] == ["open", '{"a": 1}', False, ["kind:b"]]
    issue = seen["graphql_groups"]
    on_issue = {g["content"]: g["users"]["totalCount"] for g in issue["reactionGroups"]}
    assert on_issue == {**dict.fromkeys(on_issue, 0), "HEART": 1}
    on_comment = issue["comments"]["nodes"][0]["reactionGroups"]
    counts = {g["content"]: (g.get("users") or g["reactors"])["totalCount"] for g in on_comment}
    assert counts["THUMBS_UP"] == 2
    assert seen["graphql_rate"] == 5000
    assert seen["graphql_pages"] == {"forward": numbers, "backward": numbers}
    assert seen["rest_pages"] == {"asc": numbers, "desc": numbers[::-1]}
    assert seen["limits"] == {"core": 5000, "graphql": 5000, "search": 30}


@pytest.fixture(scope="session")
def githubkit_python() -> Path:
    return ensure_githubkit()


@pytest.fixture(scope="session")
def octokit_script() -> Path:
    """The sequence, copied next to the pinned npm packages so node resolves them there."""
    script = ensure_node_packages() / "octokit_sequence.mjs"
    shutil.copyfile(CLIENTS / "octokit_sequence.mjs", script)
    return script


async def test_githubkit_runs_its_sequence_and_its_typed_models_accept_every_answer(
    githubkit_python: Path, emulator: Emulator, server: EmulatorServer
) -> None:
    script = str(CLIENTS / "githubkit_sequence.py")
    out = await run_process(str(githubkit_python), script, *_sequence_args(emulator, server))
    seen = json.loads(out.strip().splitlines()[-1])
    _check_sequence(seen)
    assert (seen["viewer"], seen["created_label"]) == ("acme", "kind:a")
    assert seen["spent_budget"] == "PrimaryRateLimitExceeded"


async def test_octokit_rest_and_graphql_run_their_sequence(
    octokit_script: Path, emulator: Emulator, server: EmulatorServer
) -> None:
    node = shutil.which("node")
    assert node is not None
    out = await run_process(node, str(octokit_script), *_sequence_args(emulator, server))
    seen = json.loads(out.strip().splitlines()[-1])
    _check_sequence(seen)
    assert seen["spent_budget"] == [["RATE_LIMIT", "graphql_rate_limit"]]
