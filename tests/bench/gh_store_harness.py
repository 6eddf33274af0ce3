"""gh-store 0.11.3, installed from PyPI into its own virtual environment, driven against any
GitHub REST root -- ghstore's local GitHub above all -- for interop tests and benchmarks.

    env = ensure_gh_store()                      # creates .venv-gh-store/ once, then reuses it
    gh_store = GhStore(env, server.rest_url, token="t1", repo="acme/data")
    outcome = await gh_store.create("alice", {"name": "Alice"})

Each operation runs in a fresh process (gh_store_runner.py executed by that environment's
python), so the caller's event loop -- which may be serving the emulator -- keeps running.
gh-store's code is used as published: the runner only points PyGithub at the address.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from attrs import define, frozen

__all__ = [
    "GH_STORE_VERSION",
    "GhStore",
    "GhStoreEnv",
    "GhStoreFailed",
    "HarnessError",
    "Outcome",
    "default_venv",
    "ensure_gh_store",
]

GH_STORE_VERSION = "0.11.3"
VENV_VARIABLE = "GHSTORE_GH_STORE_VENV"
"""Names another place for the environment (default: .venv-gh-store/ at the repository root)."""
RUNNER = Path(__file__).with_name("gh_store_runner.py")
RESULT_MARK = "@@gh-store-runner@@ "
_STAMP = "ghstore-harness.json"
_VERSIONS = (
    "import importlib.metadata as m, json; "
    "print(json.dumps({'gh-store': m.version('gh-store'), 'PyGithub': m.version('PyGithub')}))"
)


class HarnessError(RuntimeError):
    """The gh-store environment could not be built, or the runner answered nothing."""


@frozen
class GhStoreEnv:
    """A virtual environment holding gh-store."""

    path: Path
    gh_store_version: str
    pygithub_version: str

    @property
    def python(self) -> Path:
        """Its interpreter."""
        return self.path / "bin" / "python"


def default_venv() -> Path:
    """$GHSTORE_GH_STORE_VENV, else .venv-gh-store/ at the root of this checkout."""
    named = os.environ.get(VENV_VARIABLE)
    return Path(named) if named else Path(__file__).resolve().parents[2] / ".venv-gh-store"


def _run(command: list[str], what: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise HarnessError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _read_stamp(path: Path, version: str) -> GhStoreEnv | None:
    stamp = path / _STAMP
    try:
        versions = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return None
    env = GhStoreEnv(path, versions.get("gh-store", ""), versions.get("PyGithub", ""))
    return env if env.gh_store_version == version and env.python.exists() else None


def ensure_gh_store(
    venv: Path | None = None, *, version: str = GH_STORE_VERSION, python: str = sys.executable
) -> GhStoreEnv:
    """The environment at `venv` with gh-store==`version`, built (`python -m venv`, then
    `pip install gh-store==VERSION` from PyPI) unless an earlier call built it already."""
    import fcntl

    path = (venv or default_venv()).resolve()
    ready = _read_stamp(path, version)
    if ready is not None:
        return ready
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f"{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder; the others wait and then reuse it
        ready = _read_stamp(path, version)
        if ready is not None:
            return ready
        _run([python, "-m", "venv", "--clear", str(path)], f"creating {path}")
        pip = [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        _run([*pip, "--disable-pip-version-check", f"gh-store=={version}"], "pip install")
        versions = _run([str(path / "bin" / "python"), "-c", _VERSIONS], "reading versions")
        (path / _STAMP).write_text(versions)
    built = _read_stamp(path, version)
    if built is None:
        raise HarnessError(f"{path}: gh-store {version} is not there after installing it")
    return built


@frozen
class Outcome:
    """What one gh-store operation did: its JSON value, or the exception it raised."""

    ok: bool
    value: Any
    error: str | None
    message: str | None
    stderr: str
    seconds: float
    op_seconds: float | None = None
    """The operation alone, timed inside gh-store's process (no start-up or construction)."""

    def unwrap(self) -> Any:
        """The value; GhStoreFailed when gh-store raised."""
        if not self.ok:
            raise GhStoreFailed(self)
        return self.value


class GhStoreFailed(AssertionError):
    """gh-store raised where the caller expected it to succeed."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(f"gh-store raised {outcome.error}: {outcome.message}\n{outcome.stderr}")
        self.outcome = outcome


@define
class GhStore:
    """gh-store 0.11 (Python API and CLI) as `token` on `repo`, talking to `api_url`."""

    env: GhStoreEnv
    api_url: str
    token: str
    repo: str
    pace: bool = False
    """Keep PyGithub's spacing of requests (0.25 s; 1 s before a write), as on github.com."""
    timeout: float = 120.0

    def _request(self, op: str, args: dict[str, Any]) -> bytes:
        request = {
            "api_url": self.api_url,
            "token": self.token,
            "repo": self.repo,
            "op": op,
            "args": args,
            "pace": self.pace,
        }
        return json.dumps(request).encode()

    @staticmethod
    def _outcome(stdout: bytes, stderr: bytes, seconds: float) -> Outcome:
        text = stdout.decode(errors="replace")
        log = stderr.decode(errors="replace")
        marked = [line for line in text.splitlines() if line.startswith(RESULT_MARK)]
        if not marked:
            raise HarnessError(f"the gh-store runner answered nothing:\n{text}\n{log}")
        answer = json.loads(marked[-1][len(RESULT_MARK) :])
        return Outcome(
            ok=bool(answer["ok"]),
            value=answer.get("value"),
            error=answer.get("error"),
            message=answer.get("message"),
            stderr=log,
            seconds=seconds,
            op_seconds=answer.get("op_seconds"),
        )

    def _environ(self) -> dict[str, str]:
        hidden = {"GITHUB_TOKEN", "GITHUB_REPOSITORY", "PYTHONPATH"}
        return {k: v for k, v in os.environ.items() if k not in hidden}

    async def run(self, op: str, **args: Any) -> Outcome:
        """Run one operation in a subprocess without blocking the event loop."""
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            str(self.env.python),
            str(RUNNER),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._environ(),
        )
        try:
            stdout, stderr = await asyncio.wait_for(
                process.communicate(self._request(op, args)), self.timeout
            )
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
        return self._outcome(stdout, stderr, time.perf_counter() - started)

    # -- gh-store's Python API (GitHubStore) and CLI ------------------------------------
    async def create(self, object_id: str, data: dict[str, Any]) -> Outcome:
        """GitHubStore.create: the new object."""
        return await self.run("create", object_id=object_id, data=data)

    async def get(self, object_id: str) -> Outcome:
        """GitHubStore.get."""
        return await self.run("get", object_id=object_id)

    async def update(self, object_id: str, changes: dict[str, Any]) -> Outcome:
        """GitHubStore.update: posts an update comment and reopens the issue."""
        return await self.run("update", object_id=object_id, changes=changes)

    async def delete(self, object_id: str) -> Outcome:
        """GitHubStore.delete."""
        return await self.run("delete", object_id=object_id)

    async def process_updates(self, issue_number: int) -> Outcome:
        """GitHubStore.process_updates: applies pending updates, closes the issue."""
        return await self.run("process_updates", issue_number=issue_number)

    async def list_all(self) -> Outcome:
        """GitHubStore.list_all: every settled object."""
        return await self.run("list_all")

    async def history(self, object_id: str) -> Outcome:
        """GitHubStore.get_object_history."""
        return await self.run("history", object_id=object_id)

    async def cli(self, *argv: str) -> Outcome:
        """`gh-store ARGV... --token T --repo R`: value {"exit_code", "stdout"}."""
        full = [*argv, "--token", self.token, "--repo", self.repo]
        return await self.run("cli", argv=full)
