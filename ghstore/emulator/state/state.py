"""The emulator's state in SQLite: users, repositories, issues, labels, comments, reactions."""

from __future__ import annotations

from pathlib import Path

from .batches import BatchReads
from .bulk import BulkLoading, SeedComment, SeedIssue
from .issues import IssueTables
from .migrations import MIGRATIONS
from .rows import CommentRow, IssueRow, LabelRow, ReactionRow, RepoRow, UserRow

__all__ = [
    "CommentRow",
    "IssueRow",
    "LabelRow",
    "ReactionRow",
    "RepoRow",
    "SeedComment",
    "SeedIssue",
    "State",
    "UserRow",
]

# One budget a table: GraphQL points, and REST ("core") requests.
_RATE_TABLES = {"graphql": "rate_usage", "core": "core_rate_usage"}


class State(IssueTables, BatchReads, BulkLoading):
    """SQLite-backed state; a file keeps it across restarts, ":memory:" does not."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        super().__init__(path, MIGRATIONS)

    # -- users and repositories ------------------------------------------------------------
    def upsert_user(
        self, login: str, token: str | None, now: str, hourly_points: int | None
    ) -> int:
        """Create the user or update its token and budget; return its id."""
        existing = self._one("SELECT id FROM users WHERE login = ?", (login,))
        if existing:
            self._db.execute(
                "UPDATE users SET token = ?, hourly_points = ? WHERE id = ?",
                (token, hourly_points, existing["id"]),
            )
            return int(existing["id"])
        return self._insert(
            "INSERT INTO users (login, token, hourly_points, created_at) VALUES (?, ?, ?, ?)",
            (login, token, hourly_points, now),
        )

    def user(self, user_id: int) -> UserRow | None:
        """Return the user with this id."""
        row = self._one("SELECT * FROM users WHERE id = ?", (user_id,))
        return UserRow.from_row(row) if row else None

    def user_by_login(self, login: str) -> UserRow | None:
        """Return the user with this login."""
        row = self._one("SELECT * FROM users WHERE login = ?", (login,))
        return UserRow.from_row(row) if row else None

    def user_by_token(self, token: str) -> UserRow | None:
        """Return the user owning this token."""
        row = self._one("SELECT * FROM users WHERE token = ?", (token,))
        return UserRow.from_row(row) if row else None

    _REPO = (
        "SELECT r.id, r.owner_id, r.name, r.private, r.created_at, u.login AS owner_login "
        "FROM repositories r JOIN users u ON u.id = r.owner_id"
    )

    def ensure_repository(self, owner_id: int, name: str, now: str, private: bool) -> int:
        """Create the repository if absent; return its id."""
        row = self._one(
            "SELECT id FROM repositories WHERE owner_id = ? AND name = ?", (owner_id, name)
        )
        if row:
            self._db.execute(
                "UPDATE repositories SET private = ? WHERE id = ?", (private, row["id"])
            )
            return int(row["id"])
        return self._insert(
            "INSERT INTO repositories (owner_id, name, private, created_at) VALUES (?, ?, ?, ?)",
            (owner_id, name, private, now),
        )

    def repository(self, repo_id: int) -> RepoRow | None:
        """Return the repository with this id."""
        row = self._one(f"{self._REPO} WHERE r.id = ?", (repo_id,))
        return RepoRow.from_row(row) if row else None

    def repository_by_name(self, owner: str, name: str) -> RepoRow | None:
        """Return OWNER/NAME."""
        row = self._one(f"{self._REPO} WHERE u.login = ? AND r.name = ?", (owner, name))
        return RepoRow.from_row(row) if row else None

    def repositories_of(self, user_id: int) -> list[RepoRow]:
        """Repositories the user owns or has a role in, oldest first."""
        rows = self._all(
            f"{self._REPO} WHERE r.owner_id = ? OR r.id IN "
            "(SELECT repo_id FROM roles WHERE user_id = ?) ORDER BY r.id",
            (user_id, user_id),
        )
        return [RepoRow.from_row(row) for row in rows]

    def set_role(self, repo_id: int, user_id: int, role: str | None) -> None:
        """Give a user a role (collaborator, member) in a repository, or none."""
        self._db.execute("DELETE FROM roles WHERE repo_id = ? AND user_id = ?", (repo_id, user_id))
        if role:
            self._db.execute(
                "INSERT INTO roles (repo_id, user_id, role) VALUES (?, ?, ?)",
                (repo_id, user_id, role),
            )

    def role(self, repo_id: int, user_id: int) -> str | None:
        """The user's role in the repository, if any."""
        row = self._one(
            "SELECT role FROM roles WHERE repo_id = ? AND user_id = ?", (repo_id, user_id)
        )
        return str(row["role"]) if row else None

    # -- files on the default branch -------------------------------------------------------
    def put_file(self, repo_id: int, path: str, content: bytes) -> None:
        """Create or replace a file on the repository's default branch."""
        self._db.execute(
            "INSERT INTO files (repo_id, path, content) VALUES (?, ?, ?) "
            "ON CONFLICT(repo_id, path) DO UPDATE SET content = excluded.content",
            (repo_id, path, content),
        )

    def file(self, repo_id: int, path: str) -> bytes | None:
        """The content of a file, or None."""
        row = self._one("SELECT content FROM files WHERE repo_id = ? AND path = ?", (repo_id, path))
        return bytes(row["content"]) if row else None

    def file_paths(self, repo_id: int) -> list[str]:
        """Paths of every file of the repository, sorted."""
        rows = self._all("SELECT path FROM files WHERE repo_id = ? ORDER BY path", (repo_id,))
        return [str(r["path"]) for r in rows]

    # -- rate limits -----------------------------------------------------------------------
    def rate_usage(self, user_id: int, resource: str = "graphql") -> tuple[int, int] | None:
        """(reset epoch seconds, points or requests used) of the user's current window."""
        table = _RATE_TABLES[resource]
        row = self._one(f"SELECT reset_at, used FROM {table} WHERE user_id = ?", (user_id,))
        return (int(row["reset_at"]), int(row["used"])) if row else None

    def set_rate_usage(
        self, user_id: int, reset_at: int, used: int, resource: str = "graphql"
    ) -> None:
        """Record the user's rate-limit window of one resource (graphql or core)."""
        table = _RATE_TABLES[resource]
        self._db.execute(
            f"INSERT INTO {table} (user_id, reset_at, used) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET reset_at = excluded.reset_at, used = excluded.used",
            (user_id, reset_at, used),
        )
