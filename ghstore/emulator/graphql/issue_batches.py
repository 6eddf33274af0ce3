"""What a page of issues reads for all its issues at once: labels, reactions, comment pages.

Each read runs when the first issue of the page asks for it (a deferred loader), so a query
that does not select a field reads nothing for it, and a page's SQL queries do not grow with
its size: an issue page's comment pages are one query for every issue's window and one for
the reactions on all those comments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from attrs import frozen

from ..state import CommentRow, ReactionRow, State
from .batch import PageBatch
from .pagination import Page, paginate

__all__ = ["CommentPage", "CommentPages", "IssueBatches"]


@frozen
class CommentPage:
    """One issue's page of comments: the page, its comments by id, and their reactions (read
    for every issue's page of the same arguments at once)."""

    page: Page
    comments: dict[int, CommentRow]
    reactions: PageBatch[ReactionRow]


_Relay = tuple[Any, ...]
_Found = tuple[Page, list[CommentRow]]


class CommentPages:
    """The issues' pages of comments, one read per distinct set of Relay arguments."""

    def __init__(self, state: State, issue_ids: Sequence[int]) -> None:
        self._state = state
        self._issue_ids = list(issue_ids)
        self._all_ids = PageBatch(state.comment_ids_of_issues, issue_ids)
        self._read: dict[_Relay, dict[int, CommentPage]] = {}

    def of(self, issue_id: int, relay: dict[str, Any]) -> CommentPage:
        """The page of this issue's comments that `relay` (first, last, after, before) asks."""
        key = tuple(sorted(relay.items()))
        pages = self._read.get(key)
        if pages is None:
            pages = self._read[key] = self._pages(relay)
        return pages[issue_id]

    def _pages(self, relay: dict[str, Any]) -> dict[int, CommentPage]:
        first, last = relay.get("first"), relay.get("last")
        plain = relay.get("after") is None and relay.get("before") is None
        # SQL cuts windows of 1 or more (an empty window would hide how many there are).
        if plain and (first is None or first > 0) and (last is None or last > 0):
            found = self._windows(first, last)
        else:
            found = self._paged(relay)
        reactions = PageBatch(
            lambda ids: self._state.reactions_of_subjects("IssueComment", ids),
            [c.id for _, rows in found.values() for c in rows],
        )
        return {
            issue_id: CommentPage(page, {c.id: c for c in rows}, reactions)
            for issue_id, (page, rows) in found.items()
        }

    def _windows(self, first: int | None, last: int | None) -> dict[int, _Found]:
        """Windows with no cursor: every issue's in one query (SQL cuts them)."""
        windows = self._state.comment_windows(self._issue_ids, first, last)
        found = {}
        for issue_id in self._issue_ids:
            rows, listed = windows.get(issue_id, ([], 0))
            found[issue_id] = (_page(rows, listed, first, last), rows)
        return found

    def _paged(self, relay: dict[str, Any]) -> dict[int, _Found]:
        """Windows by cursor: each issue's comment ids paged in Python, then one read."""
        cuts = {
            issue_id: paginate([(i, i) for i in self._all_ids.of(issue_id)], **relay)
            for issue_id in self._issue_ids
        }
        rows = self._state.comments_by_ids([k[1] for cut in cuts.values() for k in cut.keys])
        by_issue: dict[int, list[CommentRow]] = defaultdict(list)
        for row in rows:
            by_issue[row.issue_id].append(row)
        return {issue_id: (cut, by_issue[issue_id]) for issue_id, cut in cuts.items()}


def _page(rows: list[CommentRow], listed: int, first: int | None, last: int | None) -> Page:
    """The page `paginate` gives for `first`/`last` and no cursor over `listed` comments of
    which `rows` is that window."""
    kept = listed if first is None else min(listed, first)
    return Page(
        keys=[(c.id, c.id) for c in rows],
        total=lambda: listed,
        has_next=first is not None and listed > first,
        has_previous=last is not None and kept > last,
    )


class IssueBatches:
    """A page of issues' labels, reactions and comment pages, each read once for the page."""

    def __init__(self, state: State, issue_ids: Sequence[int]) -> None:
        self.labels = PageBatch(state.labels_of_issues, issue_ids)
        self.reactions = PageBatch(lambda i: state.reactions_of_subjects("Issue", i), issue_ids)
        self.comments = CommentPages(state, issue_ids)
