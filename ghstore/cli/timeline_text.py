"""`ghstore history ID --diff`: an object's timeline as text for a terminal, and as JSON.

Text: per step a header line (timestamp, author (association), status and reason), the change
as sent, then what changed, one line each, sorted by path:

    + path: value            added
    - path: value            removed
    ~ path: old -> new       changed

Values are compact JSON, cut at VALUE_WIDTH characters with "...". Notes (a stored state the
replay does not reach, no initial state on record) follow the steps.
"""

from __future__ import annotations

import json
from typing import Any

from ..domain.timeline import FieldChange, Step, Timeline, path_text

__all__ = ["VALUE_WIDTH", "change_lines", "timeline_text"]

VALUE_WIDTH = 80
_MARK = {"added": "+", "removed": "-", "changed": "~"}


def _value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 3] + "..."


def change_lines(changes: tuple[FieldChange, ...], indent: str = "  ") -> list[str]:
    """One line per change: `+ path: value`, `- path: value`, `~ path: old -> new`."""
    lines = []
    for change in changes:
        if change.op == "added":
            shown = _value(change.after)
        elif change.op == "removed":
            shown = _value(change.before)
        else:
            shown = f"{_value(change.before)} -> {_value(change.after)}"
        lines.append(f"{indent}{_MARK[change.op]} {change.path_text()}: {shown}")
    return lines


def _status(step: Step) -> str:
    entry = step.entry
    if entry.status == "rejected":
        return f"refused: {step.reason}"
    if entry.status == "pending":
        if step.refusal is not None:
            return f"pending, will be refused: {step.refusal}"
        return "pending (not processed yet)"
    word = "created" if entry.kind == "initial_state" else "applied"
    return f"{word} ({entry.reason})" if entry.reason else word


def _header(step: Step) -> str:
    entry = step.entry
    who = entry.author or "ghost"
    if entry.association:
        who += f" ({entry.association})"
    return f"{entry.timestamp}  {who}  {_status(step)}"


def _step_lines(step: Step) -> list[str]:
    entry = step.entry
    lines = [_header(step)]
    created = entry.kind == "initial_state" and entry.status == "applied"
    if entry.data is not None and not created:  # a creation's changes say what it sent
        sent = f"  sent: {_value(entry.data)}"
        if entry.removals:
            sent += "  remove: " + ", ".join(path_text(p) for p in entry.removals)
        lines.append(sent)
    lines += change_lines(step.changes) or ["  (state unchanged)"]
    return lines


def timeline_text(timeline: Timeline) -> str:
    """The whole timeline as terminal text (ends with a newline)."""
    count = len(timeline.steps)
    lines = [f"{timeline.object_id}: {count} step{'' if count == 1 else 's'}"]
    for step in timeline.steps:
        lines += _step_lines(step)
    for note in timeline.notes:
        lines.append(f"note: {note}")
    if timeline.mismatch:
        lines.append("the stored state against the replay (replay -> stored):")
        lines += change_lines(timeline.mismatch)
    return "\n".join(lines) + "\n"
