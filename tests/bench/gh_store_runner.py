"""Runs one operation of gh-store 0.11 against a GitHub at another address.

Executed as a script by the python of the gh-store virtual environment (see
gh_store_harness.py); it imports nothing from ghstore. It points PyGithub at `api_url` by
replacing `github.Github` with a subclass that passes `base_url` before gh-store is imported,
then calls gh-store's own Python API or CLI, unchanged.

Reads a JSON request on stdin:
    {"api_url", "token", "repo", "op", "args": {...}, "pace": false, "config": null}
and prints the answer as the last line of stdout, after RESULT_MARK:
    {"ok": true, "value": ...} or {"ok": false, "error": "ObjectNotFound", "message": ...}
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import io
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULT_MARK = "@@gh-store-runner@@ "
TIMING: dict[str, float] = {}


def point_pygithub_at(api_url: str, pace: bool) -> None:
    """Make every `github.Github(...)` talk to `api_url`; unless `pace`, without PyGithub's
    client-side spacing (0.25 s between requests, 1 s between writes)."""
    github: Any = importlib.import_module("github")
    original = github.Github

    class PointedGithub(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["base_url"] = api_url
            if not pace:
                kwargs["seconds_between_requests"] = None
                kwargs["seconds_between_writes"] = None
            super().__init__(*args, **kwargs)

    github.Github = PointedGithub


def packaged_config() -> str:
    """gh-store's own default configuration file (so no ~/.config file changes a run)."""
    resources = importlib.import_module("importlib.resources")
    return str(resources.files("gh_store").joinpath("default_config.yml"))


def stored_object(obj: Any) -> dict[str, Any]:
    """A gh-store StoredObject as JSON."""
    meta = obj.meta
    return {
        "object_id": meta.object_id,
        "label": meta.label,
        "issue_number": meta.issue_number,
        "created_at": meta.created_at.isoformat(),
        "updated_at": meta.updated_at.isoformat(),
        "version": meta.version,
        "data": obj.data,
    }


def run_cli(argv: list[str], config: str) -> dict[str, Any]:
    """gh-store's CLI (`python -m gh_store ...`) with these arguments; its exit code and stdout."""
    main = importlib.import_module("gh_store.__main__").main
    if "--config" not in argv:
        argv = [*argv, "--config", config]
    out = io.StringIO()
    code = 0
    saved = sys.argv
    sys.argv = ["gh-store", *argv]
    try:
        with contextlib.redirect_stdout(out):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = saved
    return {"exit_code": code, "stdout": out.getvalue()}


def operations(store: Any) -> dict[str, Callable[..., Any]]:
    """gh-store's Python API, by operation name, answering JSON."""
    return {
        "create": lambda object_id, data: stored_object(store.create(object_id, data)),
        "get": lambda object_id: stored_object(store.get(object_id)),
        "update": lambda object_id, changes: stored_object(store.update(object_id, changes)),
        "delete": store.delete,
        "process_updates": lambda issue_number: stored_object(store.process_updates(issue_number)),
        "list_all": lambda: [stored_object(obj) for obj in store.list_all()],
        "list_updated_since": lambda timestamp: [
            stored_object(obj)
            for obj in store.list_updated_since(dt.datetime.fromisoformat(timestamp))
        ],
        "history": store.get_object_history,
        "noop": lambda: None,  # construction alone: what every operation spends before its own
    }


def run(request: dict[str, Any]) -> Any:
    """Carry out one request; the JSON value it answers."""
    point_pygithub_at(request["api_url"], bool(request.get("pace")))
    config = request.get("config") or packaged_config()
    if request["op"] == "cli":
        started = time.perf_counter()
        try:
            return run_cli(list(request["args"]["argv"]), config)
        finally:
            TIMING["op_seconds"] = time.perf_counter() - started
    store_module = importlib.import_module("gh_store.core.store")
    store = store_module.GitHubStore(
        repo=request["repo"], token=request["token"], config_path=Path(config)
    )
    started = time.perf_counter()
    try:
        return operations(store)[request["op"]](**request.get("args", {}))
    finally:
        # the operation alone: no interpreter start, imports or store construction
        TIMING["op_seconds"] = time.perf_counter() - started


def main() -> None:
    """Read the request, run it, print the answer."""
    request = json.loads(sys.stdin.read())
    try:
        answer = {"ok": True, "value": run(request)}
    except Exception as exc:  # the caller asserts on gh-store's own failures
        answer = {
            "ok": False,
            "error": type(exc).__name__,
            "message": str(exc),
            "traceback": traceback.format_exc(),
        }
    answer.update(TIMING)
    sys.stdout.write("\n" + RESULT_MARK + json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()
