"""Reads of many issues' or comments' rows in one query each, for a page of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .database import Database
from .rows import CommentRow, LabelRow, ReactionRow

__all__ = ["BatchReads"]


def _marks(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))


class BatchReads(Database):
    """Labels, comment ids and reactions of many subjects at once, grouped by subject."""

    def labels_of_issues(self, issue_ids: Sequence[int]) -> dict[int, list[LabelRow]]:
        """Labels on each of these issues (as `labels_of_issue`, one query for all)."""
        found: dict[int, list[LabelRow]] = defaultdict(list)
        if issue_ids:
            rows = self._all(
                "SELECT il.issue_id AS on_issue, l.* FROM labels l JOIN issue_labels il "
                f"ON il.label_id = l.id WHERE il.issue_id IN ({_marks(issue_ids)})",
                issue_ids,
            )
            for row in rows:
                found[row["on_issue"]].append(LabelRow.from_row(row))
        return found

    def comment_ids_of_issues(self, issue_ids: Sequence[int]) -> dict[int, list[int]]:
        """Ids of each issue's comments in creation order (as `comment_ids`)."""
        found: dict[int, list[int]] = defaultdict(list)
        if issue_ids:
            rows = self._all(
                f"SELECT issue_id, id FROM comments WHERE issue_id IN ({_marks(issue_ids)}) "
                "ORDER BY issue_id, id",
                issue_ids,
            )
            for row in rows:
                found[row["issue_id"]].append(row["id"])
        return found

    def comment_windows(
        self, issue_ids: Sequence[int], first: int | None, last: int | None
    ) -> dict[int, tuple[list[CommentRow], int]]:
        """Each issue's page of comments with no cursor, as Relay's `first` then `last` cut
        the creation-ordered list, and how many it has: one query for all the issues (each
        issue's window by ROW_NUMBER over its own comments). Issues with no comments are
        left out."""
        found: dict[int, tuple[list[CommentRow], int]] = {}
        if not issue_ids:
            return found
        rows = self._all(
            "SELECT * FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY issue_id ORDER BY id)"
            " AS place, COUNT(*) OVER (PARTITION BY issue_id) AS listed FROM comments c"
            f" WHERE issue_id IN ({_marks(issue_ids)})) WHERE (? IS NULL OR place <= ?)"
            " AND (? IS NULL OR place > MIN(listed, COALESCE(?, listed)) - ?)"
            " ORDER BY issue_id, id",
            [*issue_ids, first, first, last, first, last],
        )
        for row in rows:
            window, _listed = found.setdefault(row["issue_id"], ([], row["listed"]))
            window.append(CommentRow.from_row(row))
        return found

    def reactions_of_subjects(
        self, subject_kind: str, subject_ids: Sequence[int]
    ) -> dict[int, list[ReactionRow]]:
        """Reactions to each of these subjects, oldest first (as `reactions_of`)."""
        found: dict[int, list[ReactionRow]] = defaultdict(list)
        if subject_ids:
            rows = self._all(
                "SELECT * FROM reactions WHERE subject_kind = ? AND subject_id IN "
                f"({_marks(subject_ids)}) ORDER BY id",
                [subject_kind, *subject_ids],
            )
            for row in rows:
                found[row["subject_id"]].append(ReactionRow.from_row(row))
        return found
