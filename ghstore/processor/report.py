"""What one processor run did to one object."""

from __future__ import annotations

from typing import Any

from attrs import define, field

__all__ = ["ProcessReport", "Rejection"]


@define
class Rejection:
    """An update the processor did not apply, and why."""

    comment_id: int
    author: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {"comment_id": self.comment_id, "author": self.author, "reason": self.reason}


@define
class ProcessReport:
    """What one processor run did to one object."""

    issue_number: int
    object_id: str | None = None
    applied: list[int] = field(factory=list)
    rejected: list[Rejection] = field(factory=list)
    requests: int = 0
    points: int = 0
    skipped: str | None = None
    """Why the issue was left alone (not a stored object, no pending updates, ...)."""
    unfinished: str | None = None
    """Why the run stopped before the issue settled (its cap), leaving it open."""

    def to_json(self) -> dict[str, Any]:
        """JSON form (the CLI's output)."""
        return {
            "issue_number": self.issue_number,
            "object_id": self.object_id,
            "applied": self.applied,
            "rejected": [r.to_json() for r in self.rejected],
            "requests": self.requests,
            "points": self.points,
            "skipped": self.skipped,
            "unfinished": self.unfinished,
        }
