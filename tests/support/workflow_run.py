"""A GitHub Actions run of a workflow file, on this machine: which jobs an event starts (the
`on:` triggers and each job's `if:`, evaluated by support.expressions), and each started job's
steps run as subprocesses with the environment Actions sets, against a GitHub given by URL
(the local GitHub served over HTTP).

What stands in for GitHub's runner: `actions/setup-python` puts a Python on PATH (a virtual
environment of this Python with the system's pip, no packages of its own); a composite action
named by `uses: OWNER/REPO/PATH@COMMIT` runs from the folder `actions` maps the reference to;
pip runs offline (PIP_NO_INDEX, PIP_FIND_LINKS=a wheelhouse of the pinned files). The runner
is reused between jobs, so an install step that succeeded once is not repeated (say so in
results: `cached`); every other step runs every time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from attrs import define, field

from .expressions import evaluate, interpolate, truthy

__all__ = ["JobRun", "Runner", "StepRun", "load_workflow"]

SETUP_PYTHON = re.compile(r"^actions/setup-python@[0-9a-f]{40}$")
REMOTE_ACTION = re.compile(r"^([\w.-]+/[\w.-]+)/(.+)@([0-9a-f]{40})$")


def _scalar(value: Any) -> str:
    """A YAML value of `with:` or `env:` as the runner passes it: text (true, not True)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_workflow(path: Path) -> dict[str, Any]:
    """A workflow or action file (YAML 1.1 reads the key `on` as True: put it back)."""
    loaded: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in loaded:
        loaded["on"] = loaded.pop(True)
    return loaded


@define
class StepRun:
    """One step that ran: its name, exit code, output and step summary."""

    name: str
    code: int
    out: str = ""
    err: str = ""
    summary: str = ""
    cached: bool = False

    def json(self) -> Any:
        """Its stdout as JSON (ghstore prints its data so)."""
        return json.loads(self.out)


@define
class JobRun:
    """A job the event started: its concurrency group and its steps."""

    name: str
    group: str | None
    steps: list[StepRun] = field(factory=list)

    @property
    def ok(self) -> bool:
        return all(step.code == 0 for step in self.steps)


@define
class _JobState:
    """What the steps of one job share: its environment, its folder, its record."""

    env: dict[str, str]
    folder: Path
    run: JobRun


@define
class Runner:
    """Runs a workflow's jobs for events, as GitHub Actions would."""

    workflow: dict[str, Any]
    repository: str
    graphql_url: str
    token: str
    temp: Path
    actions: Callable[[str, str], Path]
    """(OWNER/REPO, COMMIT) -> the folder holding that repository at that commit."""
    wheelhouse: Path
    python: Path | None = None
    done_installs: set[str] = field(factory=set)

    def triggered(self, event_name: str, payload: Mapping[str, Any]) -> bool:
        """The workflow's `on:` takes this event (and its activity type)."""
        on = self.workflow["on"]
        if event_name not in on:
            return False
        types = (on[event_name] or {}).get("types") if isinstance(on[event_name], dict) else None
        return types is None or payload.get("action") in types

    def run(
        self, event_name: str, payload: Mapping[str, Any], inputs: Mapping[str, Any] | None = None
    ) -> list[JobRun]:
        """The jobs the event starts, each run to its end."""
        if not self.triggered(event_name, payload):
            return []
        context = self._context(event_name, payload, inputs or {})
        started = []
        for name, job in self.workflow["jobs"].items():
            if "if" in job and not truthy(evaluate(str(job["if"]), context)):
                continue
            group = job.get("concurrency", {}).get("group")
            run = JobRun(name, interpolate(group, context) if group else None)
            self._job(job, context, payload, run)
            started.append(run)
        return started

    def _context(
        self, event_name: str, payload: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        github = {
            "event_name": event_name,
            "event": payload,
            "repository": self.repository,
            "token": self.token,
            "api_url": self.rest_url,
            "graphql_url": self.graphql_url,
        }
        return {"github": github, "inputs": dict(inputs), "secrets": {"GITHUB_TOKEN": self.token}}

    @property
    def rest_url(self) -> str:
        return self.graphql_url.removesuffix("/graphql") + "/api/v3"

    def _job(
        self, job: Mapping[str, Any], context: dict[str, Any], payload: Any, run: JobRun
    ) -> None:
        folder = self.temp / f"job-{len(list(self.temp.glob('job-*')))}"
        (folder / "workspace").mkdir(parents=True)
        event_path = folder / "event.json"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        env = {
            "HOME": str(folder),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": context["github"]["event_name"],
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": self.repository,
            "GITHUB_REPOSITORY_OWNER": self.repository.split("/")[0],
            "GITHUB_API_URL": self.rest_url,
            "GITHUB_GRAPHQL_URL": self.graphql_url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_WORKSPACE": str(folder / "workspace"),
            "RUNNER_TEMP": str(folder),
            "RUNNER_OS": "Linux",
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(self.wheelhouse),
            "PIP_CONFIG_FILE": os.devnull,
        }
        state = _JobState(env, folder, run)
        for step in job["steps"]:
            if not self._step(step, context, state):
                return

    def _step(self, step: Mapping[str, Any], context: dict[str, Any], job: _JobState) -> bool:
        """Run one step; False when it failed (the job stops)."""
        env, run = job.env, job.run
        uses = step.get("uses")
        if uses is None:
            return self._shell(step, context, job)
        if SETUP_PYTHON.match(uses):
            env["PATH"] = f"{self._setup_python().parent}{os.pathsep}{env['PATH']}"
            run.steps.append(StepRun(uses, 0))
            return True
        found = REMOTE_ACTION.match(uses)
        if found is None:
            raise ValueError(f"uses: {uses!r} is neither setup-python nor OWNER/REPO/PATH@COMMIT")
        action_dir = self.actions(found[1], found[3]) / found[2]
        action = load_workflow(action_dir / "action.yml")
        assert action["runs"]["using"] == "composite", action["runs"]
        given = {k: interpolate(_scalar(v), context) for k, v in (step.get("with") or {}).items()}
        unknown = set(given) - set(action.get("inputs", {}))
        if unknown:
            raise ValueError(f"{uses}: no such input(s) {sorted(unknown)}")
        inputs = {
            name: given.get(name, interpolate(_scalar(spec.get("default", "")), context))
            for name, spec in action.get("inputs", {}).items()
        }
        inner = {**context, "inputs": inputs}
        within = _JobState({**env, "GITHUB_ACTION_PATH": str(action_dir)}, job.folder, run)
        return all(self._step(s, inner, within) for s in action["runs"]["steps"])

    def _setup_python(self) -> Path:
        """A Python for the job: a virtual environment of this interpreter, with the
        system's pip and none of this environment's packages."""
        if self.python is None:
            target = self.temp / "toolcache-python"
            base = Path(getattr(sys, "_base_executable", sys.executable))
            subprocess.run(
                [str(base), "-m", "venv", "--without-pip", "--system-site-packages", str(target)],
                check=True,
            )
            self.python = target / "bin" / "python"
        return self.python

    def _shell(self, step: Mapping[str, Any], context: dict[str, Any], job: _JobState) -> bool:
        env, folder, run = job.env, job.folder, job.run
        name = str(step.get("name") or step["run"].splitlines()[0])
        step_env = {k: interpolate(_scalar(v), context) for k, v in (step.get("env") or {}).items()}
        script = interpolate(step["run"], context)
        key = f"{env.get('GITHUB_ACTION_PATH')}\n{script}"
        if "pip install" in script and key in self.done_installs:
            run.steps.append(StepRun(name, 0, cached=True))
            return True
        summary = folder / f"summary-{len(run.steps)}.md"
        summary.touch()
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=env["GITHUB_WORKSPACE"],
            env={**env, **step_env, "GITHUB_STEP_SUMMARY": str(summary)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        result = StepRun(name, done.returncode, done.stdout, done.stderr, summary.read_text())
        run.steps.append(result)
        if done.returncode == 0 and "pip install" in script:
            self.done_installs.add(key)
        return done.returncode == 0
