"""The issue tables of the emulator's state: issues, labels, comments, reactions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen

from .database import Database
from .rows import CommentRow, IssueRow, LabelRow, ReactionRow

__all__ = ["IssueFilter", "IssueTables"]

_SORT_COLUMNS = {
    "CREATED_AT": "{id}",
    "UPDATED_AT": "updated_at",
    "COMMENTS": "(SELECT COUNT(*) FROM comments c WHERE c.issue_id = issues.id)",
}


@frozen
class IssueFilter:
    """Which of a repository's issues a list selects, and its sort key (ORDER BY field)."""

    repo_id: int
    states: Sequence[str] | None
    label_groups: Sequence[Sequence[int]]
    since: str | None
    author_id: int | None
    order_field: str

    @property
    def id_column(self) -> str:
        """The issue's id as the query reads it (from the label index when a label drives)."""
        return "labelled.issue_id" if self.label_groups else "issues.id"

    @property
    def key_column(self) -> str:
        """The sort key's SQL expression."""
        return _SORT_COLUMNS[self.order_field].format(id=self.id_column)

    def past(self, beyond: tuple[Any, int], descending: bool) -> tuple[str, list[Any]]:
        """The condition: past (key, id) `beyond` in key order (reversed if `descending`)."""
        sign = "<" if descending else ">"
        if self.order_field == "CREATED_AT":  # the key is the id: one index range
            return f"AND {self.id_column} {sign} ?", [beyond[1]]
        return f"AND ({self.key_column}, issues.id) {sign} (?, ?)", list(beyond)

    def sql(self) -> tuple[list[str], list[Any]]:
        """SELECT k, id FROM ... WHERE ... (no order): the words and their arguments.

        Each label group is satisfied by any one of its labels; every group must be. The
        smallest group drives, by the label index: no scan of every issue of the repository."""
        select = f"SELECT {self.key_column} AS k, issues.id AS id"
        sql: list[str] = [f"{select} FROM issues"]
        args: list[Any] = []
        groups = sorted(self.label_groups, key=len)
        if groups:
            first = groups.pop(0)
            labelled = (
                f"(SELECT DISTINCT issue_id FROM issue_labels WHERE label_id IN ({_marks(first)}))"
            )
            if len(first) == 1:  # in the index's (label, issue) order: pages need no sort
                labelled = "(SELECT issue_id FROM issue_labels WHERE label_id = ?)"
            join = "CROSS JOIN issues ON issues.id = labelled.issue_id"
            sql = [f"{select} FROM {labelled} AS labelled {join}"]
            args.extend(first)
        sql.append("WHERE repo_id = ?")
        args.append(self.repo_id)
        if self.states:
            sql.append(f"AND state IN ({_marks(self.states)})")
            args.extend(self.states)
        for group in groups:
            sql.append(
                f"AND issues.id IN (SELECT issue_id FROM issue_labels WHERE label_id IN "
                f"({_marks(group)}))"
            )
            args.extend(group)
        if self.since is not None:
            sql.append("AND updated_at >= ?")
            args.append(self.since)
        if self.author_id is not None:
            sql.append("AND author_id = ?")
            args.append(self.author_id)
        return sql, args


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class IssueTables(Database):
    """Issues with their labels, comments and reactions, over the state's database."""

    # -- issues ----------------------------------------------------------------------------
    def create_issue(
        self, repo_id: int, title: str, body: str, author_id: int, now: str
    ) -> IssueRow:
        """Create an open issue with the repository's next number (never a deleted one's)."""
        self._db.execute(
            "INSERT INTO issue_numbers (repo_id, last) VALUES"
            " (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM issues WHERE repo_id = ?))"
            " ON CONFLICT(repo_id) DO UPDATE SET last = last + 1",
            (repo_id, repo_id),
        )
        row = self._one("SELECT last FROM issue_numbers WHERE repo_id = ?", (repo_id,))
        assert row is not None
        number = int(row["last"])
        issue_id = self._insert(
            "INSERT INTO issues (repo_id, number, title, body, state, author_id, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, 'OPEN', ?, ?, ?)",
            (repo_id, number, title, body, author_id, now, now),
        )
        issue = self.issue(issue_id)
        assert issue is not None
        return issue

    def issue(self, issue_id: int) -> IssueRow | None:
        """Return the issue with this id."""
        row = self._one("SELECT * FROM issues WHERE id = ?", (issue_id,))
        return IssueRow.from_row(row) if row else None

    def _by_ids(self, table: str, ids: Sequence[int]) -> dict[int, Any]:
        """Rows of `table` (issues, comments) with these ids, by id."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            row["id"]: row for row in self._all(f"SELECT * FROM {table} WHERE id IN ({marks})", ids)
        }

    def issues_by_ids(self, issue_ids: Sequence[int]) -> list[IssueRow]:
        """Return these issues, in the order given."""
        found = self._by_ids("issues", issue_ids)
        return [IssueRow.from_row(found[i]) for i in issue_ids if i in found]

    def issue_by_number(self, repo_id: int, number: int) -> IssueRow | None:
        """Return issue #number of the repository."""
        row = self._one("SELECT * FROM issues WHERE repo_id = ? AND number = ?", (repo_id, number))
        return IssueRow.from_row(row) if row else None

    def issue_keys(
        self,
        repo_id: int,
        *,
        states: Sequence[str] | None,
        label_groups: Sequence[Sequence[int]],
        since: str | None,
        author_id: int | None,
        order_field: str,
    ) -> list[tuple[Any, int]]:
        """(sort key, id) of the repository's issues matching the filters, sorted by key.

        Each label group is satisfied by any one of its labels; every group must be."""
        where = IssueFilter(repo_id, states, label_groups, since, author_id, order_field)
        return self.filtered_keys(where)

    def filtered_keys(
        self,
        where: IssueFilter,
        *,
        beyond: tuple[Any, int] | None = None,
        descending: bool = False,
        limit: int | None = None,
        only_id: int | None = None,
    ) -> list[tuple[Any, int]]:
        """(sort key, id) of the issues `where` selects, in key order (reversed if
        `descending`): only those past `beyond` in that order, at most `limit` of them, only
        issue `only_id` if given. Keyset paging: the window is found by the index, not by
        reading every key before it."""
        sql, args = where.sql()
        if beyond is not None:
            condition, values = where.past(beyond, descending)
            sql.append(condition)
            args.extend(values)
        if only_id is not None:
            sql.append("AND issues.id = ?")
            args.append(only_id)
        sql.append("ORDER BY k DESC, id DESC" if descending else "ORDER BY k, id")
        if limit is not None:
            sql.append("LIMIT ?")
            args.append(limit)
        return [(row["k"], row["id"]) for row in self._all(" ".join(sql), args)]

    def count_filtered(self, where: IssueFilter) -> int:
        """How many issues `where` selects."""
        sql, args = where.sql()
        row = self._one(f"SELECT COUNT(*) FROM ({' '.join(sql)})", args)
        assert row is not None
        return int(row[0])

    def update_issue(self, issue_id: int, **changes: Any) -> None:
        """Set columns of an issue."""
        if not changes:
            return
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self._db.execute(
            f"UPDATE issues SET {assignments} WHERE id = ?", (*changes.values(), issue_id)
        )

    def delete_issue(self, issue_id: int) -> None:
        """Delete an issue with its comments, labels and reactions."""
        comment_ids = [
            r["id"] for r in self._all("SELECT id FROM comments WHERE issue_id = ?", (issue_id,))
        ]
        for comment_id in comment_ids:
            self.delete_comment(comment_id)
        self._db.execute(
            "DELETE FROM reactions WHERE subject_kind = 'Issue' AND subject_id = ?", (issue_id,)
        )
        self._db.execute("DELETE FROM issue_labels WHERE issue_id = ?", (issue_id,))
        self._db.execute("DELETE FROM issues WHERE id = ?", (issue_id,))

    # -- labels ----------------------------------------------------------------------------
    def create_label(
        self, repo_id: int, name: str, color: str, description: str | None, now: str
    ) -> LabelRow:
        """Create a label in the repository."""
        label_id = self._insert(
            "INSERT INTO labels (repo_id, name, color, description, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (repo_id, name, color, description, now),
        )
        label = self.label(label_id)
        assert label is not None
        return label

    def update_label(self, label_id: int, name: str, color: str, description: str | None) -> None:
        """Rename a label, or change its colour or description."""
        self._db.execute(
            "UPDATE labels SET name = ?, color = ?, description = ? WHERE id = ?",
            (name, color, description, label_id),
        )

    def delete_label(self, label_id: int) -> None:
        """Delete a label; it comes off every issue that had it."""
        self._db.execute("DELETE FROM issue_labels WHERE label_id = ?", (label_id,))
        self._db.execute("DELETE FROM labels WHERE id = ?", (label_id,))

    def label(self, label_id: int) -> LabelRow | None:
        """Return the label with this id."""
        row = self._one("SELECT * FROM labels WHERE id = ?", (label_id,))
        return LabelRow.from_row(row) if row else None

    def label_by_name(self, repo_id: int, name: str) -> LabelRow | None:
        """Return the repository's label of this name (case-insensitive, as GitHub)."""
        row = self._one("SELECT * FROM labels WHERE repo_id = ? AND name = ?", (repo_id, name))
        return LabelRow.from_row(row) if row else None

    def labels_of_repo(self, repo_id: int) -> list[LabelRow]:
        """All labels of the repository."""
        return [
            LabelRow.from_row(r)
            for r in self._all("SELECT * FROM labels WHERE repo_id = ?", (repo_id,))
        ]

    def labels_of_issue(self, issue_id: int) -> list[LabelRow]:
        """Labels on an issue."""
        rows = self._all(
            "SELECT l.* FROM labels l JOIN issue_labels il ON il.label_id = l.id "
            "WHERE il.issue_id = ?",
            (issue_id,),
        )
        return [LabelRow.from_row(r) for r in rows]

    def add_labels(self, issue_id: int, label_ids: Sequence[int]) -> None:
        """Put labels on an issue (already present ones are kept)."""
        self._db.executemany(
            "INSERT OR IGNORE INTO issue_labels (issue_id, label_id) VALUES (?, ?)",
            [(issue_id, label_id) for label_id in label_ids],
        )

    def remove_labels(self, issue_id: int, label_ids: Sequence[int]) -> None:
        """Take labels off an issue."""
        self._db.executemany(
            "DELETE FROM issue_labels WHERE issue_id = ? AND label_id = ?",
            [(issue_id, label_id) for label_id in label_ids],
        )

    # -- comments --------------------------------------------------------------------------
    def create_comment(self, issue_id: int, author_id: int, body: str, now: str) -> CommentRow:
        """Add a comment to an issue."""
        comment_id = self._insert(
            "INSERT INTO comments (issue_id, author_id, body, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (issue_id, author_id, body, now, now),
        )
        comment = self.comment(comment_id)
        assert comment is not None
        return comment

    def comment(self, comment_id: int) -> CommentRow | None:
        """Return the comment with this id."""
        row = self._one("SELECT * FROM comments WHERE id = ?", (comment_id,))
        return CommentRow.from_row(row) if row else None

    def comment_ids(self, issue_id: int) -> list[int]:
        """Ids of an issue's comments in creation order."""
        return [
            r["id"]
            for r in self._all(
                "SELECT id FROM comments WHERE issue_id = ? ORDER BY id", (issue_id,)
            )
        ]

    def comments_by_ids(self, comment_ids: Sequence[int]) -> list[CommentRow]:
        """Return these comments, in the order given."""
        found = self._by_ids("comments", comment_ids)
        return [CommentRow.from_row(found[i]) for i in comment_ids if i in found]

    def update_comment(self, comment_id: int, body: str, now: str) -> None:
        """Edit a comment's body."""
        self._db.execute(
            "UPDATE comments SET body = ?, updated_at = ?, last_edited_at = ? WHERE id = ?",
            (body, now, now, comment_id),
        )

    def delete_comment(self, comment_id: int) -> None:
        """Delete a comment and its reactions."""
        self._db.execute(
            "DELETE FROM reactions WHERE subject_kind = 'IssueComment' AND subject_id = ?",
            (comment_id,),
        )
        self._db.execute("DELETE FROM comments WHERE id = ?", (comment_id,))

    # -- reactions -------------------------------------------------------------------------
    def add_reaction(
        self, subject_kind: str, subject_id: int, user_id: int, content: str, now: str
    ) -> ReactionRow:
        """Add a reaction; the same user's same reaction is kept once, as on GitHub."""
        self._db.execute(
            "INSERT OR IGNORE INTO reactions (subject_kind, subject_id, user_id, content,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            (subject_kind, subject_id, user_id, content, now),
        )
        row = self._one(
            "SELECT * FROM reactions WHERE subject_kind = ? AND subject_id = ? AND user_id = ?"
            " AND content = ?",
            (subject_kind, subject_id, user_id, content),
        )
        assert row is not None
        return ReactionRow.from_row(row)

    def remove_reaction(
        self, subject_kind: str, subject_id: int, user_id: int, content: str
    ) -> ReactionRow | None:
        """Remove a user's reaction; return what was removed."""
        row = self._one(
            "SELECT * FROM reactions WHERE subject_kind = ? AND subject_id = ? AND user_id = ?"
            " AND content = ?",
            (subject_kind, subject_id, user_id, content),
        )
        if row:
            self._db.execute("DELETE FROM reactions WHERE id = ?", (row["id"],))
        return ReactionRow.from_row(row) if row else None

    def reaction(self, reaction_id: int) -> ReactionRow | None:
        """Return the reaction with this id."""
        row = self._one("SELECT * FROM reactions WHERE id = ?", (reaction_id,))
        return ReactionRow.from_row(row) if row else None

    def reactions_of(self, subject_kind: str, subject_id: int) -> list[ReactionRow]:
        """Reactions to one subject, oldest first."""
        rows = self._all(
            "SELECT * FROM reactions WHERE subject_kind = ? AND subject_id = ? ORDER BY id",
            (subject_kind, subject_id),
        )
        return [ReactionRow.from_row(r) for r in rows]
