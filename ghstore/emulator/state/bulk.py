"""Loading many issues at once into the emulator's state (benchmarks and large fixtures):
each table written by one statement a batch, not one request an issue."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from .database import Database

__all__ = ["BulkLoading", "SeedComment", "SeedIssue"]


@frozen
class SeedComment:
    """A comment to load, with the reactions its author put on it."""

    body: str
    reactions: tuple[str, ...] = ()


@frozen
class SeedIssue:
    """An issue to load: its labels by name (made when missing) and its comments."""

    title: str
    body: str
    state: str = "OPEN"
    labels: tuple[str, ...] = ()
    comments: tuple[SeedComment, ...] = ()


class BulkLoading(Database):
    """Issues with labels, comments and reactions written in bulk, in one transaction."""

    def next_issue_number(self, repo_id: int) -> int:
        """The number the repository's next issue gets."""
        row = self._one(
            "SELECT MAX(n) FROM (SELECT last AS n FROM issue_numbers WHERE repo_id = ? UNION ALL"
            " SELECT MAX(number) FROM issues WHERE repo_id = ?)",
            (repo_id, repo_id),
        )
        return int(row[0] or 0) + 1 if row else 1

    def load_issues(
        self, repo_id: int, author_id: int, seeds: Sequence[SeedIssue], now: str
    ) -> list[int]:
        """Write `seeds` as the repository's next issues by `author_id`; their numbers."""
        with self.atomic():
            first = self.next_issue_number(repo_id)
            numbers = list(range(first, first + len(seeds)))
            closed = [now if seed.state == "CLOSED" else None for seed in seeds]
            self._db.executemany(
                "INSERT INTO issues (repo_id, number, title, body, state, state_reason, "
                "author_id, created_at, updated_at, closed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        repo_id,
                        n,
                        s.title,
                        s.body,
                        s.state,
                        c and "COMPLETED",
                        author_id,
                        now,
                        now,
                        c,
                    )
                    for n, s, c in zip(numbers, seeds, closed, strict=True)
                ],
            )
            self._db.execute(
                "INSERT INTO issue_numbers (repo_id, last) VALUES (?, ?) "
                "ON CONFLICT(repo_id) DO UPDATE SET last = excluded.last",
                (repo_id, first + len(seeds) - 1),
            )
            ids = self._issue_ids(repo_id, first, len(seeds))
            self._label(repo_id, ids, seeds, now)
            self._comment(ids, author_id, seeds, now)
        return numbers

    def _issue_ids(self, repo_id: int, first: int, count: int) -> list[int]:
        rows = self._db.execute(
            "SELECT id FROM issues WHERE repo_id = ? AND number >= ? AND number < ?"
            " ORDER BY number",
            (repo_id, first, first + count),
        ).fetchall()
        return [int(r["id"]) for r in rows]

    def _label(self, repo_id: int, ids: list[int], seeds: Sequence[SeedIssue], now: str) -> None:
        names = sorted({name for seed in seeds for name in seed.labels})
        self._db.executemany(
            "INSERT INTO labels (repo_id, name, color, description, created_at) "
            "SELECT ?, ?, 'ededed', NULL, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM labels WHERE repo_id = ? AND name = ?)",
            [(repo_id, name, now, repo_id, name) for name in names],
        )
        rows = self._db.execute("SELECT id, name FROM labels WHERE repo_id = ?", (repo_id,))
        label_ids = {r["name"]: r["id"] for r in rows}
        self._db.executemany(
            "INSERT OR IGNORE INTO issue_labels (issue_id, label_id) VALUES (?, ?)",
            [(i, label_ids[n]) for i, s in zip(ids, seeds, strict=True) for n in s.labels],
        )

    def _comment(
        self, ids: list[int], author_id: int, seeds: Sequence[SeedIssue], now: str
    ) -> None:
        comments = [(i, c) for i, s in zip(ids, seeds, strict=True) for c in s.comments]
        last = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM comments").fetchone()[0]
        self._db.executemany(
            "INSERT INTO comments (id, issue_id, author_id, body, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(last + k + 1, i, author_id, c.body, now, now) for k, (i, c) in enumerate(comments)],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO reactions (subject_kind, subject_id, user_id, content, "
            "created_at) VALUES ('IssueComment', ?, ?, ?, ?)",
            [
                (last + k + 1, author_id, content, now)
                for k, (_i, c) in enumerate(comments)
                for content in c.reactions
            ],
        )
