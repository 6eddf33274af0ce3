"""Code and recordings we did not write, installed once at pinned versions into git-ignored
caches, as the interop tests install gh-store 0.11.3:

- `.cache/npm-clients/` — npm's `@octokit/fixtures` (recordings of api.github.com), and the
  clients `@octokit/graphql` and `@octokit/rest`, run by node as published;
- `.venv-githubkit/` — PyPI's `githubkit`, whose typed models come from GitHub's OpenAPI.

The first call builds what is missing (network access to npm and PyPI that one time); later
calls find the stamp and return at once. One builder at a time (a file lock); the others wait
and reuse its work. Nothing here is committed: only the versions are.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "GITHUBKIT_VERSION",
    "NODE_PACKAGES",
    "ForeignError",
    "ensure_githubkit",
    "ensure_node_packages",
    "fixture_scenarios",
    "run_process",
]

ROOT = Path(__file__).resolve().parents[2]
NODE_PACKAGES = {
    "@octokit/fixtures": "23.1.2",
    "@octokit/graphql": "9.0.6",
    "@octokit/rest": "22.0.1",
}
GITHUBKIT_VERSION = "0.16.1"
GITHUBKIT_PINS = {
    "githubkit": GITHUBKIT_VERSION,
    "githubkit-schemas": "26.10.21",  # its typed models, generated from GitHub's OpenAPI
    "githubkit-schemas-2026-03-10": "26.10.21",
    # githubkit 0.16.1 allows hishel 2.0.0, which lacks the CachePolicy it imports.
    "hishel[async,httpx]": "1.4.0",
}
NODE_DIR = ROOT / ".cache" / "npm-clients"
GITHUBKIT_VENV = ROOT / ".venv-githubkit"
_STAMP = "foreign-stamp.json"


class ForeignError(RuntimeError):
    """An install failed, or a foreign client's process failed."""


def _run(command: list[str], what: str, cwd: Path | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ForeignError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Held by one process at a time (pytest-xdist workers, two checkouts' runs) until left."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def built_once(place: Path, wanted: dict[str, str], build: Callable[[], None]) -> Path:
    """`place`, built by `build` unless its stamp already names the `wanted` versions."""
    stamp = place / _STAMP

    def ready() -> bool:
        try:
            return bool(json.loads(stamp.read_text()) == wanted)
        except (OSError, ValueError):
            return False

    if ready():
        return place
    with exclusive(place.parent / f"{place.name}.lock"):
        if not ready():
            shutil.rmtree(place, ignore_errors=True)
            place.mkdir(parents=True)
            build()
            stamp.write_text(json.dumps(wanted))
    return place


def ensure_node_packages() -> Path:
    """The folder whose node_modules/ holds the pinned npm packages."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise ForeignError("node and npm are needed for the replay and the octokit clients")

    def build() -> None:
        (NODE_DIR / "package.json").write_text(json.dumps({"private": True, "type": "module"}))
        specs = [f"{name}@{version}" for name, version in NODE_PACKAGES.items()]
        flags = ["--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
        _run([npm, "install", *flags, *specs], "npm install", cwd=NODE_DIR)

    return built_once(NODE_DIR, NODE_PACKAGES, build)


def ensure_githubkit(python: str = sys.executable) -> Path:
    """The interpreter of a virtual environment holding githubkit==GITHUBKIT_VERSION."""

    def build() -> None:
        _run([python, "-m", "venv", "--clear", str(GITHUBKIT_VENV)], "creating .venv-githubkit")
        pip = [str(GITHUBKIT_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        pins = [f"{name}=={version}" for name, version in GITHUBKIT_PINS.items()]
        _run([*pip, "--disable-pip-version-check", *pins], "pip install githubkit")

    built_once(GITHUBKIT_VENV, GITHUBKIT_PINS, build)
    return GITHUBKIT_VENV / "bin" / "python"


def fixture_scenarios() -> Path:
    """The folder of @octokit/fixtures' api.github.com scenarios."""
    return ensure_node_packages() / "node_modules/@octokit/fixtures/scenarios/api.github.com"


async def run_process(*command: str, cwd: Path | None = None, timeout: float = 120) -> str:
    """Run a foreign client to its end without blocking this event loop (which may be
    serving the local GitHub it talks to); its stdout, or ForeignError with its output."""
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"},
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    if process.returncode != 0:
        raise ForeignError(
            f"{command[0]} exited {process.returncode}:\n{out.decode()}\n{err.decode()}"
        )
    return out.decode()
