"""Fixtures for every test folder: a local GitHub with a repository and four people, in-process
and on HTTP, and the command line. The helpers behind them live in support/helpers.py.

Hypothesis: the default profile draws new random examples each run and prints the seed of a
failure (rerun it with --hypothesis-seed=N); HYPOTHESIS_PROFILE=ci derandomizes (the same
examples every run) for CI."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from support.helpers import (
    ACTIONS_VARIABLES,
    PEOPLE,
    Cli,
    HttpGitHub,
    RestGitHub,
    emulator_process,
    make_emulator,
    store_for,
)
from support.packaging import build_dist

from ghstore.emulator import Emulator, EmulatorServer

settings.register_profile("default", deadline=None, print_blob=True)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def emulator() -> Emulator:
    return make_emulator()


@pytest.fixture
async def server(emulator: Emulator) -> AsyncIterator[EmulatorServer]:
    """The emulator on a loopback port, answering real HTTP."""
    running = EmulatorServer(emulator)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def github(server: EmulatorServer) -> HttpGitHub:
    return HttpGitHub(server.url)


@pytest.fixture
async def store(server: EmulatorServer) -> AsyncIterator[Any]:
    """The owner's Store on acme/data over real HTTP."""
    opened = store_for(server)
    yield opened
    await opened.close()


@pytest.fixture(scope="module")
def served() -> Any:
    """`ghstore emulator serve` as a separate process; yields its GraphQL URL."""
    users = PEOPLE
    with emulator_process(*users) as (url, _):
        yield url


@pytest.fixture
def rest(server: EmulatorServer) -> RestGitHub:
    """The emulator's REST API (http://127.0.0.1:PORT/api/v3) on the same state as `github`."""
    return RestGitHub(server.rest_url)


@pytest.fixture
def cli(capsys: Any, monkeypatch: Any, tmp_path: Any) -> Cli:
    """`ghstore` in an empty folder, no GitHub variables set (so: the embedded local GitHub)."""
    for name in ACTIONS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return Cli(capsys, tmp_path)


@pytest.fixture
def served_cli(cli: Cli, served: str) -> Cli:
    """`ghstore` pointed at the `ghstore emulator serve` subprocess with cli.served(...)."""
    cli.url = served
    return cli


@pytest.fixture(scope="session")
def ghstore_dist(tmp_path_factory: Any) -> tuple[Path, Path]:
    """(sdist, wheel) of this tree, built once a session, offline (`python -m build`)."""
    return build_dist(tmp_path_factory.mktemp("dist"))
