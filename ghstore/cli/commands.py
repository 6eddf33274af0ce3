"""The CLI's subcommands: each takes the parsed arguments, prints its data as JSON on stdout
and its messages on stderr, and returns the exit code. Failures raise GitHubStoreError."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from ..exceptions import ConfigurationError, GitHubStoreError
from ..model import StoredObject
from ..processor import Processor, ProcessReport
from ..store.snapshot import (
    meta_json,
    read_snapshot,
    refresh_snapshot,
    take_snapshot,
    write_snapshot,
)
from .connection import open_store, where
from .demo import run_demo
from .progress import Progress
from .workflow_report import RunSummary

__all__ = ["COMMANDS", "emit", "open_store", "say", "where"]


def emit(data: Any, output: str | None = None) -> None:
    """A command's data as JSON: on stdout, or into the file `output` (said on stderr)."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    Path(output).write_text(text, encoding="utf-8")
    say(f"wrote {output}")


def say(message: str) -> None:
    """Print a message for the person at the terminal: one line on stderr."""
    print(message, file=sys.stderr, flush=True)


def _object_json(obj: StoredObject[dict[str, Any]]) -> dict[str, Any]:
    return {"data": obj.data, "meta": meta_json(obj.meta, full=True)}


async def init(args: argparse.Namespace) -> int:
    """Create the labels every stored object carries."""
    async with open_store(args) as store:
        created, existing = await store.ensure_labels()
        markers = await store.legacy_markers()
        emit(
            {
                "repository": store.repo,
                "created": created,
                "existing": existing,
                "legacy_markers": markers,
            }
        )
        if created:
            say(f"created label(s) {', '.join(created)} in {where(store)}")
        else:
            say(f"labels {', '.join(existing)} exist already in {where(store)}: nothing to do")
        for login, count in markers.items():
            say(
                f"{login} marked {count} update(s) processed: if gh-store 0.11 ran as {login}, "
                f"add it to store.authorized.processors so they are never applied again"
            )
    return 0


async def create(args: argparse.Namespace) -> int:
    """Store a new object."""
    async with open_store(args) as store:
        obj = await store.create(args.object_id, args.data, collection=args.collection)
        emit(_object_json(obj))
        say(f"created {args.object_id!r} (issue #{obj.meta.issue_number}) in {where(store)}")
    return 0


async def get(args: argparse.Namespace) -> int:
    """Print an object (authorized updates still waiting for the processor folded in)."""
    async with open_store(args) as store:
        emit(_object_json(await store.get(args.object_id)), args.output)
    return 0


async def update(args: argparse.Namespace) -> int:
    """Post an update; print the object as it now reads and what became of the update:
    applied, waiting for the processor, or rejected (with the reason, exit 1)."""
    async with open_store(args) as store:
        change = await store.update(args.object_id, args.changes)
        mine = [e for e in await store.history(args.object_id) if e.key == change.key]
        obj = await store.get(args.object_id)
        status, reason = (mine[-1].status, mine[-1].reason) if mine else ("pending", None)
        emit({**_object_json(obj), "update": {"status": status, "reason": reason}})
        target = f"{args.object_id!r} (issue #{obj.meta.issue_number}) in {where(store)}"
        if status == "applied":
            say(f"updated {target}: applied")
        elif status == "rejected":
            say(f"update to {target} rejected: {reason}")
            return 1
        else:
            say(f"posted an update to {target}: waiting for the processor")
    return 0


async def delete(args: argparse.Namespace) -> int:
    """Archive an object."""
    async with open_store(args) as store:
        await store.delete(args.object_id)
        emit({"object_id": args.object_id, "deleted": True})
        say(f"deleted (archived) {args.object_id!r} in {where(store)}")
    return 0


async def history(args: argparse.Namespace) -> int:
    """Print every comment of an object: applied, pending, or rejected and why."""
    async with open_store(args) as store:
        emit([entry.to_json() for entry in await store.history(args.object_id)], args.output)
    return 0


async def list_objects(args: argparse.Namespace) -> int:
    """Print every live object by id."""
    async with open_store(args) as store:
        progress = Progress("listing objects")
        objects = {}
        try:
            async for obj in store.list(collection=args.collection):
                objects[obj.meta.object_id] = _object_json(obj)
                progress.advance()
        finally:
            progress.close()
        emit(objects)
        say(f"{len(objects)} object(s) in {where(store)}; {store.stats.requests} request(s)")
    return 0


async def snapshot(args: argparse.Namespace) -> int:
    """Write every live object to a snapshot file."""
    async with open_store(args) as store:
        progress = Progress("snapshot")
        try:
            taken = await take_snapshot(store, progress)
        finally:
            progress.close()
        write_snapshot(args.output, taken)
        if args.output != "-":
            emit(
                {
                    "path": args.output,
                    "repository": store.repo,
                    "snapshot_time": taken["snapshot_time"],
                    "objects": len(taken["objects"]),
                    "requests": store.stats.requests,
                    "points": store.stats.points,
                }
            )
        say(
            f"snapshot of {where(store)}: {len(taken['objects'])} object(s) "
            f"in {store.stats.requests} request(s)"
            + (f", written to {args.output}" if args.output != "-" else "")
        )
    return 0


async def update_snapshot(args: argparse.Namespace) -> int:
    """Refresh a snapshot file: objects updated since it was taken, and deleted ones removed."""
    old = read_snapshot(args.snapshot_path)
    async with open_store(args, repo=old["repository"]) as store:
        if store.repo != old["repository"]:
            raise ConfigurationError(
                f"snapshot {args.snapshot_path} is of {old['repository']}, not {store.repo}"
            )
        progress = Progress("refreshing snapshot")
        try:
            fresh, changes = await refresh_snapshot(store, old, progress)
        finally:
            progress.close()
        write_snapshot(args.snapshot_path, fresh)
        emit(
            {
                "path": args.snapshot_path,
                "repository": store.repo,
                "snapshot_time": fresh["snapshot_time"],
                **changes.to_json(),
                "objects": len(fresh["objects"]),
                "requests": store.stats.requests,
                "points": store.stats.points,
            }
        )
        say(
            f"snapshot of {where(store)}: {len(changes.added)} added, "
            f"{len(changes.updated)} updated, {len(changes.removed)} removed; "
            f"{len(fresh['objects'])} object(s) in {store.stats.requests} request(s), "
            f"written to {args.snapshot_path}"
        )
    return 0


def _describe(report: ProcessReport) -> str:
    where = f"issue #{report.issue_number}" + (f" ({report.object_id})" if report.object_id else "")
    if report.skipped:
        return f"{where}: skipped, {report.skipped}"
    return f"{where}: {len(report.applied)} applied, {len(report.rejected)} rejected"


async def process_updates(args: argparse.Namespace) -> int:
    """Apply pending updates of one issue (--issue) or of every open object (--all)."""
    async with open_store(args) as store:
        summary = RunSummary(store.repo)
        processor = Processor(store)
        try:
            if args.all:
                summary.reports = await processor.process_all()
            else:
                summary.reports = [await processor.process(args.issue)]
        except GitHubStoreError as exc:
            summary.error = exc.message
            raise
        finally:
            summary.requests, summary.points = store.stats.snapshot()
            summary.rate_limit = store.rate_limit
            summary.publish(os.environ, sys.stderr)
        emit(
            {
                "repository": store.repo,
                "reports": [r.to_json() for r in summary.reports],
                "requests": summary.requests,
                "points": summary.points,
            }
        )
        for report in summary.reports:
            say(_describe(report))
        if args.all and not summary.reports:
            say("no object has updates waiting")
        say(f"{summary.requests} request(s), {summary.points} point(s) in {where(store)}")
    return 0


async def demo(args: argparse.Namespace) -> int:
    """The tour on a throwaway local GitHub."""
    return await run_demo(args.dir)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "init": init,
    "create": create,
    "get": get,
    "update": update,
    "delete": delete,
    "history": history,
    "list": list_objects,
    "snapshot": snapshot,
    "update-snapshot": update_snapshot,
    "process-updates": process_updates,
    "demo": demo,
}
