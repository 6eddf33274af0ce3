"""Snapshots: every live object in one JSON file, in gh-store 0.11's layout, refreshed cheaply.

    {"snapshot_time": ISO 8601, "repository": "OWNER/NAME",
     "objects": {id: {"data": {...}, "meta": {"issue_number", "object_id", "created_at",
                                               "updated_at", "version"}}}}

Taking one costs ceil(N/100) requests (`Store.list`). A refresh costs ceil(M/100) for the M
objects updated since the snapshot plus ceil(D/100) for the D issues archived since, and --
unlike gh-store, which keeps them -- it removes the objects deleted since.
Keys gh-store may have added (`relationships`) are kept as they are. `version` and
`pending_updates` are what `get` reports: the listing reads each object's comments in the same
request (ghstore.store.reads), so pending authorized updates are folded in as `get` folds them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol

from attrs import define, field

from ..domain.format import ARCHIVED_LABEL
from ..exceptions import SnapshotError
from ..model import ObjectMeta, StoredObject, github_time
from .facade import Store

__all__ = [
    "CLOCK_SKEW",
    "Progress",
    "Refresh",
    "archived_since",
    "meta_json",
    "read_snapshot",
    "refresh_snapshot",
    "take_snapshot",
    "write_snapshot",
]


class Progress(Protocol):
    """Told of each object as it arrives (the CLI draws a counter)."""

    def advance(self, items: int = 1, detail: str = "") -> None: ...  # pragma: no cover


CLOCK_SKEW = dt.timedelta(minutes=5)
"""snapshot_time is this machine's clock, GitHub stamps updates with its own: a refresh looks
this much further back, so an object updated just before the snapshot is not missed. Reading
an object twice is harmless."""


@define
class Refresh:
    """What a refresh changed, by object id."""

    added: list[str] = field(factory=list)
    updated: list[str] = field(factory=list)
    removed: list[str] = field(factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"added": self.added, "updated": self.updated, "removed": self.removed}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def meta_json(meta: ObjectMeta, *, full: bool = False) -> dict[str, Any]:
    """gh-store's metadata of an object with the version and pending updates every read
    computes alike (ghstore.domain.verdicts.object_state); `full` (the CLI): the state and
    the collection too."""
    out: dict[str, Any] = {
        "issue_number": meta.issue_number,
        "object_id": meta.object_id,
        "created_at": github_time(meta.created_at),
        "updated_at": github_time(meta.updated_at),
        "version": meta.version if meta.version is not None else 1,
        "pending_updates": meta.pending_updates,
    }
    if full:
        out["state"] = meta.state
        out["collection"] = meta.collection
    return out


def _entry(obj: StoredObject[dict[str, Any]]) -> dict[str, Any]:
    return {"data": obj.data, "meta": meta_json(obj.meta)}


def _progress_detail(store: Store) -> str:
    return f"{store.stats.requests} requests"


async def take_snapshot(store: Store, progress: Progress | None = None) -> dict[str, Any]:
    """Every live object of the store, 100 per request."""
    started = _now()  # before listing: whatever changes during it is newer than the snapshot
    objects: dict[str, Any] = {}
    async for obj in store.list():
        objects[obj.meta.object_id] = _entry(obj)
        if progress:
            progress.advance(1, _progress_detail(store))
    return {"snapshot_time": started, "repository": store.repo, "objects": objects}


async def archived_since(store: Store, since: str) -> AsyncIterator[tuple[str, int]]:
    """(object id, issue number) of every issue archived (deleted) at or after `since`."""
    async for issue in store.issues.listing(since, label=ARCHIVED_LABEL):
        object_id = store.reads.object_id_of(issue)
        if object_id is not None:
            yield object_id, issue.number


def _since(snapshot_time: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(snapshot_time)
    except ValueError as exc:
        raise SnapshotError(f"snapshot_time {snapshot_time!r} is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment - CLOCK_SKEW).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def refresh_snapshot(
    store: Store, snapshot: dict[str, Any], progress: Progress | None = None
) -> tuple[dict[str, Any], Refresh]:
    """The snapshot with objects updated since it was taken re-read, and deleted ones removed."""
    since = _since(snapshot["snapshot_time"])
    started = _now()
    objects: dict[str, Any] = dict(snapshot["objects"])
    changes = Refresh()
    async for obj in store.list(since=since):
        object_id = obj.meta.object_id
        entry = _entry(obj)
        if object_id not in objects:
            changes.added.append(object_id)
        elif objects[object_id] != entry:
            changes.updated.append(object_id)
        objects[object_id] = entry
        if progress:
            progress.advance(1, _progress_detail(store))
    async for object_id, number in archived_since(store, since):
        held = objects.get(object_id)
        # Only the very issue the snapshot holds: an id re-created later lives on another one.
        if held is not None and held.get("meta", {}).get("issue_number") == number:
            del objects[object_id]
            changes.removed.append(object_id)
    return {**snapshot, "snapshot_time": started, "objects": objects}, changes


def read_snapshot(path: str | Path) -> dict[str, Any]:
    """A snapshot file, checked to have the keys a refresh needs."""
    file = Path(path)
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SnapshotError(f"snapshot file {file} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"snapshot file {file} cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            f"snapshot file {file} is not valid JSON: {exc.msg} "
            f"(line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(raw, dict):
        raise SnapshotError(f"snapshot file {file} is not a JSON object")
    for key, kind in (("snapshot_time", str), ("repository", str), ("objects", dict)):
        if not isinstance(raw.get(key), kind):
            raise SnapshotError(
                f"snapshot file {file} has no {key!r} {'string' if kind is str else 'object'}"
            )
    return raw


def write_snapshot(path: str | Path, snapshot: dict[str, Any]) -> None:
    """Write a snapshot (`-` is stdout) so a reader never sees half a file."""
    text = json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    file = Path(path)
    import tempfile  # noqa: PLC0415 - only where a snapshot is written

    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        # mkstemp makes the file private; keep the old file's mode, or the usual 0644.
        os.chmod(temporary, stat.S_IMODE(file.stat().st_mode) if file.exists() else 0o644)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
