"""`ghstore emulator serve` as a real subprocess, and state that outlives a restart.

Requests go over real HTTP through gql's AIOHTTPTransport.
"""

from __future__ import annotations

import re
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportConnectionFailed

from ghstore.emulator import Emulator, EmulatorServer

pytestmark = pytest.mark.slow  # `ghstore emulator serve` subprocesses

SERVE = [sys.executable, "-m", "ghstore", "emulator", "serve", "--port", "0"]
PEOPLE = ["--repo", "acme/data", "--user", "acme:t1", "--user", "bob:t2:collaborator"]
PEOPLE += ["--user", "eve:t3"]
REPO_ID = 'query { repository(owner: "acme", name: "data") { id } }'
CREATE_ISSUE = """
mutation($repo: ID!, $title: String!) {
  createIssue(input: {repositoryId: $repo, title: $title}) { issue { id number } }
}"""
ISSUE = """
query($number: Int!) {
  repository(owner: "acme", name: "data") {
    issue(number: $number) {
      title authorAssociation
      labels(first: 5) { nodes { name } }
      comments(first: 5) { nodes { body authorAssociation } }
      reactions(first: 5) { nodes { content user { login } } }
    }
  }
}"""


async def execute(url: str, token: str, query: str, **variables: Any) -> Any:
    """The data of a request that must succeed."""
    transport = AIOHTTPTransport(url=url, headers={"Authorization": f"bearer {token}"})
    async with Client(transport=transport) as session:
        return await session.execute(GraphQLRequest(query, variable_values=variables))


def first_line(process: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """The first line the process prints, waiting at most `timeout` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError(f"no output within {timeout} s")
    return process.stdout.readline().strip()


def stop(process: subprocess.Popen[str]) -> int:
    """SIGTERM the process and wait for it; kill it if it hangs (then fail)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError("the server did not stop on SIGTERM") from None
    return process.returncode


@contextmanager
def serve(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start `ghstore emulator serve ARGS`; yield it and its URL; stop it afterwards."""
    process = subprocess.Popen(
        [*SERVE, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield process, first_line(process)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """One `ghstore emulator serve` shared by the read-only checks of this module."""
    with serve(*PEOPLE) as (_, url):
        yield url


# -- the command ---------------------------------------------------------------------------
def test_serve_prints_the_endpoint_url_as_its_first_line(served: str) -> None:
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/graphql", served)
    assert match is not None
    assert int(match.group(1)) > 0


async def test_serve_answers_real_http_requests(served: str) -> None:
    data = await execute(served, "t1", "query { viewer { login } }")
    assert data == {"viewer": {"login": "acme"}}


async def test_serve_makes_users_with_a_role_collaborators_and_others_outsiders(
    served: str,
) -> None:
    repo = (await execute(served, "t1", REPO_ID))["repository"]["id"]
    issue = (await execute(served, "t2", CREATE_ISSUE, repo=repo, title="by bob"))["createIssue"][
        "issue"
    ]
    await execute(
        served,
        "t3",
        'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "by eve"}) '
        "{ clientMutationId } }",
        id=issue["id"],
    )
    read = (await execute(served, "t1", ISSUE, number=issue["number"]))["repository"]["issue"]
    assert read["authorAssociation"] == "COLLABORATOR"
    assert read["comments"]["nodes"] == [{"body": "by eve", "authorAssociation": "NONE"}]


async def test_serve_stops_on_sigterm() -> None:
    with serve(*PEOPLE) as (process, url):
        await execute(url, "t1", "query { viewer { login } }")
        assert stop(process) == 0
        with pytest.raises(TransportConnectionFailed):
            await execute(url, "t1", "query { viewer { login } }")


async def test_serve_with_a_db_file_keeps_state_across_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "gh.db")
    with serve(*PEOPLE, "--db", db) as (_, url):
        repo = (await execute(url, "t1", REPO_ID))["repository"]["id"]
        await execute(url, "t2", CREATE_ISSUE, repo=repo, title="survives")
    with serve(*PEOPLE, "--db", db) as (_, url):
        read = (await execute(url, "t1", ISSUE, number=1))["repository"]["issue"]
    assert (read["title"], read["authorAssociation"]) == ("survives", "COLLABORATOR")


def test_serve_refuses_a_malformed_user() -> None:
    completed = subprocess.run(
        [*SERVE, "--user", "no-token"], capture_output=True, text=True, timeout=30, check=False
    )
    assert completed.returncode == 2
    assert "LOGIN:TOKEN" in completed.stderr


# -- the Python API ------------------------------------------------------------------------
async def test_an_emulator_on_the_same_db_file_keeps_state_across_a_restart(
    tmp_path: Path,
) -> None:
    db = tmp_path / "gh.db"
    first = Emulator(db=db)
    first.add_user("acme", "t1")
    first.add_user("eve", "t3")
    first.add_repository("acme/data")
    server = EmulatorServer(first)
    url = await server.start()
    repo = (await execute(url, "t1", REPO_ID))["repository"]["id"]
    label = (
        await execute(
            url,
            "t1",
            'mutation($repo: ID!) { createLabel(input: {repositoryId: $repo, name: "kept",'
            ' color: "00ff00"}) { label { id } } }',
            repo=repo,
        )
    )["createLabel"]["label"]["id"]
    issue = (await execute(url, "t1", CREATE_ISSUE, repo=repo, title="persisted"))["createIssue"][
        "issue"
    ]
    await execute(
        url,
        "t1",
        "mutation($id: ID!, $labels: [ID!]!) { addLabelsToLabelable(input: "
        "{labelableId: $id, labelIds: $labels}) { clientMutationId } }",
        id=issue["id"],
        labels=[label],
    )
    await execute(
        url,
        "t3",
        'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "still here"}) '
        "{ clientMutationId } "
        "addReaction(input: {subjectId: $id, content: ROCKET}) { clientMutationId } }",
        id=issue["id"],
    )
    await server.stop()
    first.close()

    second = Emulator(db=db)
    server = EmulatorServer(second)
    url = await server.start()
    try:
        read = (await execute(url, "t1", ISSUE, number=issue["number"]))["repository"]["issue"]
        again = (await execute(url, "t3", CREATE_ISSUE, repo=repo, title="next"))["createIssue"]
    finally:
        await server.stop()
        second.close()
    assert read == {
        "title": "persisted",
        "authorAssociation": "OWNER",
        "labels": {"nodes": [{"name": "kept"}]},
        "comments": {"nodes": [{"body": "still here", "authorAssociation": "NONE"}]},
        "reactions": {"nodes": [{"content": "ROCKET", "user": {"login": "eve"}}]},
    }
    assert again["issue"]["number"] == issue["number"] + 1
