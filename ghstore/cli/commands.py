"""The CLI's subcommands: each takes the parsed arguments, prints its data as JSON on stdout
and its messages on stderr, and returns the exit code. Failures raise GitHubStoreError."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import REPOSITORY_CONFIG_PATH, Config, LayeredConfig
from ..domain.predicates import matches_all
from ..exceptions import AccessDeniedError, ConfigurationError, GitHubStoreError
from ..store.snapshot import meta_json
from .connection import open_store, where

if TYPE_CHECKING:
    from ..model import StoredObject
    from ..processor import ProcessReport
    from ..store import Store
    from .deploy import PlannedFile

# Each command imports what only it uses (the processor, the workflow's files, snapshots,
# progress on a terminal, the tour, the timeline's text) when it runs: `ghstore get` loads
# none of them.

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
    """Create the labels every stored object carries; with --config F, first the file F
    (gh-store 0.11's init) if absent; with --workflow, the workflow and the repository's
    configuration in the checkout, then check what the token may do."""
    from .deploy import checkout_root  # noqa: PLC0415

    planned, config = _init_files(args)
    if args.dry_run:
        emit({"dry_run": True, "files": {f.path: f.status for f in planned}})
        for file in planned:
            say(f"would {file.status} {file.path}" + (":" if file.changes else ""))
            if file.changes:
                sys.stderr.write(file.content)
        say("would create the labels on GitHub where missing")
        return 0
    root = checkout_root(Path.cwd()) if args.workflow or args.pages else Path.cwd()
    for file in planned:
        file.write(root)
        say(f"{_DONE[file.status]} {file.path}")
    async with open_store(args) as store:
        report: dict[str, Any] = {"repository": store.repo}
        if config is not None:
            store.reconfigure(config)  # the labels the repository's configuration names
            report.update(await _token_check(store))
        created, existing = await store.ensure_labels()
        markers = await store.legacy_markers()
        if created:
            say(f"created label(s) {', '.join(created)} in {where(store)}")
        else:
            say(f"labels {', '.join(existing)} exist already in {where(store)}: nothing to do")
        emit(
            {
                **report,
                "files": {f.path: f.status for f in planned},
                "created": created,
                "existing": existing,
                "legacy_markers": markers,
            }
        )
        for login, count in markers.items():
            say(
                f"{login} marked {count} update(s) processed: if gh-store 0.11 ran as {login}, "
                f"add it to store.authorized.processors so they are never applied again"
            )
    return 0


_DONE = {"create": "wrote", "update": "updated", "unchanged": "unchanged:", "keep": "kept"}


def _init_files(args: argparse.Namespace) -> tuple[list[PlannedFile], Config | None]:
    """The files init writes (--config F if absent; with --workflow, both repository files;
    with --pages, the site's workflow) and, with --workflow, the configuration the workflow
    was rendered for."""
    from .deploy import (  # noqa: PLC0415
        SITE_ACTION_DIR,
        action_reference,
        checkout_root,
        plan_config,
        plan_site_workflow,
        plan_workflow,
    )

    if not args.workflow and not args.pages:
        return ([plan_config(Path.cwd(), args.config)] if args.config else []), None
    root = checkout_root(Path.cwd())
    planned: list[PlannedFile] = []
    config = None
    if args.workflow:
        config_file = plan_config(root)
        config = LayeredConfig.from_file(args.config).over(config_file.content)
        planned += [config_file, plan_workflow(root, config, action_reference(args.action))]
    if args.pages:
        planned.append(plan_site_workflow(root, action_reference(args.action, SITE_ACTION_DIR)))
    return planned, config


async def _token_check(store: Store) -> dict[str, Any]:
    """What the token may do in the repository (refused: AccessDeniedError) and whether the
    configuration is on the default branch yet."""
    from .deploy import WORKFLOW_PATH  # noqa: PLC0415

    context = await store.issues.context()
    permission = context.permission or "NONE"
    if permission not in ("ADMIN", "MAINTAIN", "WRITE"):
        raise AccessDeniedError(
            f"the token ({context.viewer}) may not write issues in {store.repo} ({permission}): "
            "the files are written, the labels are not; run init again with a token that may"
        )
    say(f"the token ({context.viewer}) may write issues in {store.repo} ({permission})")
    found = await store.issues.repository_file(LayeredConfig().expression)
    if found.text is None:
        say(
            f"next: commit {WORKFLOW_PATH} and {REPOSITORY_CONFIG_PATH} and push them to the "
            "default branch (workflows run from there)"
        )
    return {"permission": permission, "config_on_default_branch": found.text is not None}


async def create(args: argparse.Namespace) -> int:
    """Store a new object."""
    async with open_store(args) as store:
        obj = await store.create(args.object_id, args.data, collection=args.collection)
        emit(_object_json(obj))
        say(f"created {args.object_id!r} (issue #{obj.meta.issue_number}) in {where(store)}")
    return 0


async def get(args: argparse.Namespace) -> int:
    """Print an object (authorized updates still waiting for the processor folded in). Several
    IDs: {"objects": {ID: object}, "missing": [ID]} from ceil(n/100) requests (get_many),
    exit 1 if any is missing."""
    async with open_store(args) as store:
        if len(args.object_id) == 1:
            emit(_object_json(await store.get(args.object_id[0])), args.output)
            return 0
        found = await store.get_many(args.object_id)
        objects = {asked: _object_json(obj) for asked, obj in found.by_id.items()}
        emit({"objects": objects, "missing": found.missing}, args.output)
        if found.missing:
            say(
                f"{len(found.missing)} of {len(objects) + len(found.missing)} IDs not found: "
                + ", ".join(found.missing)
            )
            return 1
    return 0


async def update(args: argparse.Namespace) -> int:
    """Post an update; print the object as it now reads and what became of the update:
    applied, waiting for the processor, or rejected (with the reason, exit 1)."""
    async with open_store(args) as store:
        change = await store.update(
            args.object_id,
            args.changes,
            remove=args.remove,
            expected_version=args.expected_version,
        )
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
    """Print every comment of an object: applied, pending, or rejected and why; with --diff,
    the state after each as text (as JSON with --json or --output)."""
    async with open_store(args) as store:
        if not args.diff:
            emit([entry.to_json() for entry in await store.history(args.object_id)], args.output)
            return 0
        timeline = await store.timeline(args.object_id)
    if args.json or args.output is not None:
        emit(timeline.to_json(), args.output)
    else:
        from .timeline_text import timeline_text  # noqa: PLC0415

        sys.stdout.write(timeline_text(timeline))
        sys.stdout.flush()
    return 0


async def list_objects(args: argparse.Namespace) -> int:
    """Print every live object by id."""
    from .progress import Progress  # noqa: PLC0415

    async with open_store(args) as store:
        progress = Progress("listing objects")
        objects = {}
        try:
            async for obj in store.list(collection=args.collection):
                progress.advance()
                if matches_all(args.where, obj.data, obj.meta.object_id):
                    objects[obj.meta.object_id] = _object_json(obj)
        finally:
            progress.close()
        emit(objects)
        say(f"{len(objects)} object(s) in {where(store)}; {store.stats.requests} request(s)")
    return 0


async def snapshot(args: argparse.Namespace) -> int:
    """Write every live object to a snapshot file."""
    from ..store.snapshot import take_snapshot, write_snapshot  # noqa: PLC0415
    from .progress import Progress  # noqa: PLC0415

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
    from ..store.snapshot import read_snapshot, refresh_snapshot, write_snapshot  # noqa: PLC0415
    from .progress import Progress  # noqa: PLC0415

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
    from ..processor import Processor  # noqa: PLC0415
    from .actions_env import ActionsEvent  # noqa: PLC0415
    from .workflow_report import RunSummary  # noqa: PLC0415

    layers = LayeredConfig.from_file(args.config)
    event = ActionsEvent.read(os.environ)
    async with open_store(args) as store:
        summary = RunSummary(store.repo)
        processor = Processor(
            store, repository_id=event.repository_id_of(store.repo), layers=layers
        )
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
    from .demo import run_demo  # noqa: PLC0415

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
