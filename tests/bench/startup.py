"""The CLI table: wall time of `ghstore get ID` on the embedded store, beside `python -c pass`
and importing ghstore, for this tree and for the tree before issue 17 (a `git archive` of
BASELINE in `.cache/`), interleaved round by round in one run; medians and ratios.

Both trees run on this venv's interpreter and libraries (PYTHONPATH picks the tree), with
bytecode written (as an installed package has it) and one warm-up run each, so the first
run's compiling and the schema cache's first build are not counted."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from attrs import define

__all__ = [
    "BASELINE",
    "StartupRow",
    "measure_in_process",
    "measure_startup",
    "startup_table",
]

BASELINE = "aa720fda28a8930313bae32511e9c6b82b69cd6c"
"""main before issue 17 (the commit its work started from)."""

ROOT = Path(__file__).resolve().parents[2]


@define
class StartupRow:
    """One command: median seconds for each tree."""

    command: str
    before: float
    after: float

    @property
    def ratio(self) -> float:
        """after / before."""
        return self.after / self.before if self.before else float("nan")


def baseline_tree() -> Path:
    """The baseline's files, extracted once into `.cache/` (git-ignored)."""
    target = ROOT / ".cache" / f"bench-baseline-{BASELINE[:12]}"
    if not (target / "ghstore" / "__init__.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BASELINE, "ghstore", "queries"],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "import ghstore": ["-c", "import ghstore"],
    "from ghstore import connect, Store": ["-c", "from ghstore import connect, Store"],
    "ghstore get ID (embedded)": ["-m", "ghstore", "get", "bench"],
}


def _env(tree: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(tree or ROOT)
    return env


def _time(argv: list[str], tree: Path | None, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *argv], cwd=cwd, env=_env(tree), capture_output=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv}: {done.stderr.decode()[-400:]}")
    return seconds


def measure_startup(rounds: int, work: Path) -> list[StartupRow]:
    """Median wall time of each command for both trees, interleaved in one run."""
    trees: dict[str, Path | None] = {"before": baseline_tree(), "after": None}
    folders = {name: work / name for name in trees}
    for name, tree in trees.items():
        folders[name].mkdir(parents=True, exist_ok=True)
        create = ["-m", "ghstore", "create", "bench", '{"n": 1}']
        if not (folders[name] / ".ghstore").exists():
            _time(create, tree, folders[name])
        for argv in COMMANDS.values():  # warm-up: bytecode and the schema cache written
            _time(argv, tree, folders[name])
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for command, argv in COMMANDS.items():
            for name, tree in trees.items():
                times.setdefault((command, name), []).append(_time(argv, tree, folders[name]))
    return [
        StartupRow(
            command,
            statistics.median(times[command, "before"]),
            statistics.median(times[command, "after"]),
        )
        for command in COMMANDS
    ]


def startup_table(rows: list[StartupRow], rounds: int) -> list[str]:
    """The CLI table."""
    head = f"{'command':<36}{'before s':>10}{'after s':>10}{'after/before':>14}"
    lines = [
        f"CLI start-up (median of {rounds} interleaved rounds; before = {BASELINE[:7]})",
        "",
        head,
        "-" * len(head),
    ]
    lines += [f"{r.command:<36}{r.before:>10.3f}{r.after:>10.3f}{r.ratio:>13.2f}x" for r in rows]
    return lines


IN_PROCESS = """
import asyncio, json, statistics, sys, tempfile
from ghstore.bootstrap import embedded_store

async def main():
    store = embedded_store(tempfile.mkdtemp())
    store.on_reopened = None
    await store.create("warm", {"a": 1})
    log = store.embedded.controls.log
    for phase, action in (("get", lambda i: store.get("warm")),
                          ("create", lambda i: store.create(f"c{i}", {"i": i}))):
        log.clear()
        for i in range(int(sys.argv[1])):
            await action(i)
        print(json.dumps([phase, statistics.mean(r.duration_ms for r in log)]))

asyncio.run(main())
"""


def measure_in_process(count: int, work: Path) -> list[StartupRow]:
    """The local GitHub's own time per request (its request log), in-process, for `count`
    gets and `count` creates, before and after."""
    found: dict[str, dict[str, float]] = {}
    for name, tree in (("before", baseline_tree()), ("after", None)):
        done = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(count)],
            cwd=work,
            env=_env(tree),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-400:])
        found[name] = dict(json.loads(line) for line in done.stdout.split("\n") if line)
    return [
        StartupRow(f"emulator ms/request: {phase}", found["before"][phase], found["after"][phase])
        for phase in ("get", "create")
    ]
