"""Shared helpers: a local GitHub with a repository and four people, in-process and on HTTP,
clients for its GraphQL and REST APIs, and the command line. tests/conftest.py makes fixtures
of them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs
from gql import Client
from gql.transport.aiohttp import AIOHTTPTransport

from ghstore.config import RateLimitConfig
from ghstore.emulator import Emulator, EmulatorServer

# acme owns acme/data; bob collaborates; mia is a member; eve is an outsider.
TOKENS = {"acme": "t1", "bob": "t2", "eve": "t3", "mia": "t4"}
PEOPLE = ("acme:t1", "bob:t2:collaborator", "eve:t3", "mia:t4:member")
"""The same people as `ghstore emulator serve --user` flags."""

# Against the local GitHub in tests: no client-side cap and no spacing of mutations.
NO_PACING = RateLimitConfig.unpaced()
# ghstore's default trusts the OWNER only (authorAssociation is not a permission). The tests'
# team -- acme the owner, bob a collaborator, mia a member -- writes because the tests' config
# widens the associations explicitly: TEAM is that `store:` section.
TEAM: dict[str, Any] = {"authorized": {"associations": ["OWNER", "MEMBER", "COLLABORATOR"]}}
# No pacing, and the team writes.
FAST_CONFIG = {"store": {"rate_limit": attrs.asdict(NO_PACING), **TEAM}}


class Clock:
    """A clock that fake sleeps move forward, shared by the client and the local GitHub."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def make_emulator(**kwargs: Any) -> Emulator:
    """An in-memory local GitHub with acme/data and its people."""
    emulator = Emulator(**kwargs)
    for login, token in TOKENS.items():
        emulator.add_user(login, token)
    emulator.add_repository("acme/data", roles={"bob": "collaborator", "mia": "member"})
    return emulator


class HttpGitHub:
    """Sends documents over real HTTP through gql's AIOHTTPTransport, as a given user."""

    def __init__(self, url: str) -> None:
        self.url = url

    def transport(self, login: str | None) -> AIOHTTPTransport:
        headers = {"Authorization": f"bearer {TOKENS[login]}"} if login else {}
        return AIOHTTPTransport(url=self.url, headers=headers)

    async def raw(self, login: str | None, query: str, **variables: Any) -> Any:
        """The ExecutionResult (data and GitHub's errors), without raising on errors."""
        from gql.graphql_request import GraphQLRequest

        transport = self.transport(login)
        await transport.connect()
        try:
            return await transport.execute(GraphQLRequest(query, variable_values=variables))
        finally:
            await transport.close()

    async def data(self, login: str | None, query: str, **variables: Any) -> Any:
        """The data of a request that must succeed."""
        from gql.graphql_request import GraphQLRequest

        async with Client(transport=self.transport(login)) as session:
            return await session.execute(GraphQLRequest(query, variable_values=variables))


def team_config(**store: Any) -> Any:
    """A Config with the team's associations (TEAM), and `store` keys on top of it."""
    from ghstore.config import parse_config

    return parse_config({"store": {**TEAM, **store}})


def store_for(server: EmulatorServer, login: str = "acme", **config: Any) -> Any:
    """A Store on acme/data over real HTTP, as `login`, with the team's config (TEAM: owner,
    members and collaborators write) and `config`'s `store:` keys on top of it."""
    from ghstore import Gateway, Store

    gateway = Gateway(token=TOKENS[login], api_url=server.url, rate_limit=NO_PACING)
    return Store("acme/data", gateway, team_config(**config))


# What GitHub Actions sets that changes what `ghstore` does; tests start with none of them.
ACTIONS_VARIABLES = (
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_REPOSITORY",
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_GRAPHQL_URL",
    "GITHUB_API_URL",
    "GITHUB_EVENT_PATH",
)


@contextmanager
def emulator_process(
    *users: str, files: Sequence[str] = (), repos: Sequence[str] = ("acme/data",)
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`ghstore emulator serve --repo acme/data` (or `repos`) with these LOGIN:TOKEN[:ROLE]
    users (and `--file REPO_PATH=LOCAL_PATH` for each of `files`), as a separate process:
    (its GraphQL URL, the process), stopped on leaving."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ghstore", "emulator", "serve", "--port=0"]
        + [f"--repo={repo}" for repo in repos]
        + [f"--user={user}" for user in users]
        + [f"--file={spec}" for spec in files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


# -- GitHub's REST API of the emulator (/api/v3/) ------------------------------------------
class RestAnswer:
    """One REST answer: status, headers (any case) and the JSON body (None when empty)."""

    def __init__(self, status: int, headers: Any, body: Any) -> None:
        self.status = status
        self.headers = headers
        self.body = body


class RestGitHub:
    """Calls the emulator's REST API over real HTTP (aiohttp), as a given user."""

    def __init__(self, root: str) -> None:
        self.root = root

    async def call(
        self,
        login: str | None,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, Any] | None = None,
        authorization: str | None = None,
    ) -> RestAnswer:
        """`path` is relative to the REST root (/repos/...) or a full URL from an answer."""
        import json

        import aiohttp

        headers = {"Accept": "application/vnd.github+json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif login is not None:
            headers["Authorization"] = f"token {TOKENS[login]}"
        url = path if path.startswith("http") else self.root + path
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, url, json=body, params=params, headers=headers) as response,
        ):
            text = await response.text()
            return RestAnswer(response.status, response.headers, json.loads(text) if text else None)

    async def ok(self, login: str, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        """The body of a call that must succeed (2xx)."""
        answer = await self.call(login, method, path, body, **kw)
        assert 200 <= answer.status < 300, (answer.status, answer.body)
        return answer.body


# -- the command line (tests/integration/test_cli*.py) ------------------------------------------------------
class CliResult:
    """What one `ghstore` run did: exit code, stdout, stderr."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        import json

        return json.loads(self.out)

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[:300]!r}, err={self.err[:600]!r})"


class Cli:
    """Runs `ghstore` in-process (main(argv)) in a clean environment and an empty folder."""

    def __init__(self, capsys: Any, folder: Any, url: str | None = None) -> None:
        self.capsys, self.folder, self.url = capsys, folder, url
        self.config = folder / "fast.yml"  # no pacing against the local GitHub; the team writes
        self.config.write_text(
            "store:\n  rate_limit:\n    mutation_interval: 0\n"
            "    content_per_minute: 0\n    content_per_hour: 0\n"
            "  authorized:\n    associations: [OWNER, MEMBER, COLLABORATOR]\n"
        )

    def __call__(self, *argv: str) -> CliResult:
        from ghstore.cli import main

        self.capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse: usage errors and --help
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    def served(self, *argv: str, user: str = "acme") -> CliResult:
        """A subcommand against the `served` GitHub as `user`."""
        assert self.url is not None, "use the served_cli fixture"
        connection = ["--api-url", self.url, "--token", TOKENS[user], "--repo", "acme/data"]
        return self(*argv, *connection, "--config", str(self.config))


def python_in(folder: Any, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python ARGV...` as its own process in `folder`, with no GitHub variables (GITHUB_*,
    GH_TOKEN) in its environment: what a user's fresh shell runs."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    return subprocess.run(
        [sys.executable, *argv],
        cwd=folder,
        env=clean,
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
    )
