"""The site's page model: what each page shows, computed once from the objects and their
timelines (one read of the store), and rendered by ghstore.site.pages."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from ..domain.timeline import Step, Timeline
from ..model import StoredObject
from .names import page_name

__all__ = ["ChangeRow", "ObjectPage", "SiteModel", "StepView", "object_page"]

STATUS_WORDS = {"applied": "applied", "rejected": "refused", "pending": "pending"}
"""How each status reads on the page (history's `rejected` is shown as `refused`)."""


@frozen
class ChangeRow:
    """One field the step changed: its path, and its value before and after."""

    op: str
    """"added", "removed" or "changed"."""
    path: str
    before: Any
    after: Any


@frozen
class StepView:
    """One comment of an object's timeline as its page shows it."""

    number: int
    when: str
    who: str | None
    association: str | None
    status: str
    """"applied", "rejected" or "pending" (as history says)."""
    kind: str
    """"initial_state", "update" or "invalid"."""
    reason: str | None
    sent: Any
    """The change as sent (the comment's data), or None when it held none."""
    changes: tuple[ChangeRow, ...]

    @property
    def status_word(self) -> str:
        """The status as the page says it."""
        return STATUS_WORDS.get(self.status, self.status)


@frozen
class ObjectPage:
    """An object's page: its current state and its timeline."""

    object_id: str
    file_name: str
    collection: str | None
    issue_number: int
    version: int | None
    state: str
    pending: int
    current: dict[str, Any]
    steps: tuple[StepView, ...]
    notes: tuple[str, ...] = ()
    """What the timeline could not reproduce (said, not hidden)."""

    @property
    def last_change(self) -> StepView | None:
        """The newest step that changed the object or will (applied or pending)."""
        changing = [s for s in self.steps if s.status in ("applied", "pending")]
        return changing[-1] if changing else None

    @property
    def refused(self) -> int:
        """How many of its updates were refused."""
        return sum(1 for s in self.steps if s.status == "rejected")


@frozen
class SiteModel:
    """Everything the site shows, and what reading it cost."""

    repo: str
    generated_at: str
    objects: tuple[ObjectPage, ...]
    requests: int
    points: int

    def ordered(self) -> list[ObjectPage]:
        """The index's order: the most recently changed first, then by id."""
        by_id = sorted(self.objects, key=lambda p: p.object_id)
        return sorted(by_id, key=_last_when, reverse=True)  # stable: ties stay by id


def _last_when(page: ObjectPage) -> str:
    last = page.last_change
    return last.when if last is not None else ""


def _step(number: int, step: Step) -> StepView:
    entry = step.entry
    return StepView(
        number=number,
        when=entry.timestamp,
        who=entry.author,
        association=entry.association,
        status=entry.status,
        kind=entry.kind,
        reason=step.reason,
        sent=entry.data,
        changes=tuple(ChangeRow(c.op, c.path_text(), c.before, c.after) for c in step.changes),
    )


def object_page(stored: StoredObject[dict[str, Any]], timeline: Timeline) -> ObjectPage:
    """The page of one object, from the listing's read of it and its timeline."""
    meta = stored.meta
    return ObjectPage(
        object_id=meta.object_id,
        file_name=page_name(meta.object_id),
        collection=meta.collection,
        issue_number=meta.issue_number,
        version=meta.version,
        state=meta.state,
        pending=meta.pending_updates,
        current=stored.data,
        steps=tuple(_step(n, s) for n, s in enumerate(timeline.steps, start=1)),
        notes=tuple(timeline.notes),
    )
