"""An object's history replayed: the state after each update and what changed, in GitHub's order.

Pure: the entries of `Reads.history` in, a `Timeline` out. Applied updates are replayed with
the processor's own rule (ghstore.domain.deep_merge.apply_update: `_meta.remove`, then the deep
merge); a refused update leaves the state as it was; a pending one gives the state the fold of
`get` gives it (or, if that fold leaves it out, none, and says why). The replay is checked
against the stored body: where they differ (a body edited by hand, an object whose initial
state is not on record), the timeline says so rather than hide it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from ..model import HistoryEntry
from .deep_merge import apply_update
from .verdicts import Classified

__all__ = [
    "FieldChange",
    "Step",
    "Timeline",
    "build_timeline",
    "diff",
    "history_entries",
    "path_text",
    "pretty",
]

Path = tuple[str | int, ...]


@frozen
class FieldChange:
    """One difference between two states: a key path and the value before and after."""

    op: str
    """"added", "removed" or "changed"."""
    path: Path
    """Keys into nested objects (str) and indexes into lists (int)."""
    before: Any
    """None when `op` is "added"."""
    after: Any
    """None when `op` is "removed"."""

    def path_text(self) -> str:
        """The path as one reads it: `a.b[2].c`; a key that is not a plain name is quoted
        (`["two words"]`)."""
        return path_text(self.path)

    def to_json(self) -> dict[str, Any]:
        """JSON form: op, path (a list), path_text, before, after."""
        return {
            "op": self.op,
            "path": list(self.path),
            "path_text": self.path_text(),
            "before": self.before,
            "after": self.after,
        }


def path_text(path: Path) -> str:
    """`a.b[2].c` for ("a", "b", 2, "c"); "." for the empty path."""
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        elif key.isidentifier():
            text += f".{key}" if text else key
        else:
            text += f"[{json.dumps(key, ensure_ascii=False)}]"
    return text or "."


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON: 1, 1.0 and true are three different values (== says they are one)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _walk(before: Any, after: Any, path: Path) -> Iterator[FieldChange]:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(before.keys() | after.keys()):
            if key not in after:
                yield FieldChange("removed", (*path, key), before[key], None)
            elif key not in before:
                yield FieldChange("added", (*path, key), None, after[key])
            else:
                yield from _walk(before[key], after[key], (*path, key))
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            yield from _walk(old, new, (*path, index))
    elif not _same(before, after):
        yield FieldChange("changed", path, before, after)


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldChange, ...]:
    """What changed from `before` to `after`, sorted by path: keys of nested objects one by one,
    lists of the same length item by item, anything else (a list that grew or shrank, a value
    that changed type) as one changed value. Values compare as JSON (1 is not 1.0 nor true)."""
    return tuple(_walk(before, after, ()))


def pretty(data: Any) -> str:
    """JSON as the timeline prints states: indent 2, keys in the object's order, unicode as is."""
    return json.dumps(data, indent=2, ensure_ascii=False)


@frozen
class Step:
    """One comment of the history and what it did to the object."""

    entry: HistoryEntry
    """When (timestamp), who (author, association), status ("applied", "pending",
    "rejected"), reason, kind, the change as sent (data, removals), comment_id, key."""
    before: dict[str, Any]
    """The state before this step."""
    after: dict[str, Any]
    """The state after it: the same as `before` for a refused update; for a pending one, the
    state it will give when the processor applies it (as `get` folds it)."""
    changes: tuple[FieldChange, ...]
    """diff(before, after)."""
    refusal: str | None = None
    """For a pending update the processor will refuse (get's fold leaves it out): why."""

    @property
    def reason(self) -> str | None:
        """Why the update is refused, or will be: the verdict's reason, or the fold's."""
        return self.entry.reason or self.refusal

    def unified(self) -> str:
        """A unified text diff of the pretty-printed states ("" when nothing changed)."""
        lines = difflib.unified_diff(
            pretty(self.before).splitlines(),
            pretty(self.after).splitlines(),
            "before",
            "after",
            lineterm="",
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """JSON form: the history entry's fields (with `key`, `remove` and the effective
        `reason`), then before, after and changes."""
        return {
            **self.entry.to_json(),
            "key": self.entry.key,
            "remove": [list(path) for path in self.entry.removals],
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "changes": [change.to_json() for change in self.changes],
        }


@frozen
class Timeline:
    """An object's history replayed step by step, and how it ends."""

    object_id: str
    """The canonical id (an alias's history is its target's)."""
    steps: tuple[Step, ...]
    """In GitHub's order, the initial state first."""
    current: dict[str, Any]
    """The object's state as `get` gives it (pending updates folded in)."""
    stored: dict[str, Any] | None = None
    """The settled state the store holds (the body, or a large object's parts joined)."""
    mismatch: tuple[FieldChange, ...] = ()
    """diff(replayed, stored): how the stored state differs from what the initial state and
    the applied updates give (empty when they agree, or the stored state is not known)."""
    initial_known: bool = True
    """False when no initial-state comment is on record: the replay starts from {}."""
    notes: tuple[str, ...] = field(factory=tuple)
    """What a reader must know to trust the steps (the mismatch, a missing initial state)."""

    def to_json(self) -> dict[str, Any]:
        """JSON form (`ghstore history ID --diff --json`)."""
        return {
            "object_id": self.object_id,
            "steps": [step.to_json() for step in self.steps],
            "current": self.current,
            "stored": self.stored,
            "mismatch": [change.to_json() for change in self.mismatch],
            "initial_known": self.initial_known,
            "notes": list(self.notes),
        }


def history_entries(verdicts: Sequence[Classified]) -> list[HistoryEntry]:
    """An object's history from the verdicts on its comments (parts of a large object are
    storage, not changes, and are left out)."""
    entries = []
    for verdict in verdicts:
        if verdict.status == "part":
            continue
        status = "applied" if verdict.status == "initial_state" else verdict.status
        comment, parsed = verdict.comment, verdict.parsed
        entries.append(
            HistoryEntry(
                timestamp=comment.created_at,
                kind=parsed.kind,
                status=status,
                data=parsed.changes,
                comment_id=comment.database_id,
                author=comment.author,
                reason=verdict.reason,
                key=_key_of(parsed.meta),
                association=comment.association,
                removals=parsed.removals,
            )
        )
    return entries


def _key_of(meta: dict[str, Any] | None) -> str | None:
    """The idempotency key of a comment's `_meta`, if it is a string."""
    key = (meta or {}).get("idempotency_key")
    return key if isinstance(key, str) else None


def _next_state(
    state: dict[str, Any], entry: HistoryEntry, refusals: Mapping[int, str]
) -> dict[str, Any]:
    if entry.status == "rejected" or entry.data is None or entry.comment_id in refusals:
        return state
    if entry.kind == "initial_state":
        return dict(entry.data)
    return apply_update(state, entry.data, entry.removals)


def build_timeline(
    object_id: str,
    entries: Sequence[HistoryEntry],
    *,
    stored: dict[str, Any] | None = None,
    current: dict[str, Any] | None = None,
    refusals: Mapping[int, str] | None = None,
) -> Timeline:
    """Replay `entries` (Reads.history's, in order) from the initial state. `stored`: the
    settled state the store holds, checked against the replay of the initial state and the
    applied updates; `current`: get's data (default: the last step's state); `refusals`:
    comment id -> why get's fold leaves out a pending update (it then changes nothing)."""
    refusals = refusals or {}
    state: dict[str, Any] = {}
    settled: dict[str, Any] = {}
    steps = []
    for entry in entries:
        after = _next_state(state, entry, refusals)
        if entry.status == "applied":
            settled = _next_state(settled, entry, refusals)
        steps.append(Step(entry, state, after, diff(state, after), refusals.get(entry.comment_id)))
        state = after
    initial_known = any(e.kind == "initial_state" and e.status == "applied" for e in entries)
    mismatch = diff(settled, stored) if stored is not None else ()
    return Timeline(
        object_id,
        tuple(steps),
        state if current is None else current,
        stored,
        mismatch,
        initial_known,
        _notes(initial_known, mismatch),
    )


def _notes(initial_known: bool, mismatch: tuple[FieldChange, ...]) -> tuple[str, ...]:
    notes = []
    if not initial_known:
        notes.append(
            "no initial-state comment is on record (an object gh-store 0.11 created before it "
            "wrote one, or the comment was deleted): the states start from {}"
        )
    if mismatch:
        notes.append(
            f"the stored state differs from the replay of the initial state and the applied "
            f"updates in {len(mismatch)} place(s) (edited by hand, or by a writer that left "
            f"no comment): " + "; ".join(f.path_text() for f in mismatch)
        )
    return tuple(notes)
