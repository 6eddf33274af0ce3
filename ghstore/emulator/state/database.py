"""The SQLite database under the emulator's state: opening and migrating, transactions, and
the query helpers the tables use. Rows come back as `sqlite3.Row` (read by column name)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["Database", "DatabaseTooNewError"]


class DatabaseTooNewError(RuntimeError):
    """The database was written by a newer emulator than this one: refusing to guess."""


class Database:
    """One SQLite database migrated to the last of `migrations`; a file keeps it, ":memory:"
    does not. `migrations[i]` is the SQL script from schema version i to i + 1."""

    def __init__(self, path: str | Path, migrations: Sequence[str]) -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._depth = 0
        self.rows_read = 0
        """Rows the queries have handed back (a row counts once, however wide)."""
        self.queries_run = 0
        """Reading queries run (each `_all` or `_one`, whatever it handed back)."""
        try:
            self._migrate(migrations)
        except BaseException:
            self._db.close()
            raise

    @property
    def db_version(self) -> int:
        """The database's schema version (`PRAGMA user_version`)."""
        row = self._one("PRAGMA user_version")
        assert row is not None
        return int(row[0])

    def _migrate(self, migrations: Sequence[str]) -> None:
        version, latest = self.db_version, len(migrations)
        if version > latest:
            raise DatabaseTooNewError(
                f"{self.path}: schema version {version} is newer than this emulator knows "
                f"({latest}); open it with the ghstore that wrote it, or use a new database"
            )
        for step in range(version, latest):
            # One transaction a step: the version moves only with the step's changes.
            self._db.executescript(
                f"BEGIN;\n{migrations[step]}\nPRAGMA user_version = {step + 1};\nCOMMIT;"
            )

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run a block as one transaction (nested blocks become savepoints)."""
        name = f"sp{self._depth}"
        self._db.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._db.execute(f"ROLLBACK TO {name}")
            self._db.execute(f"RELEASE {name}")
            raise
        else:
            self._db.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    # -- low level -------------------------------------------------------------------------
    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        rows = self._db.execute(sql, args).fetchall()
        self.queries_run += 1
        self.rows_read += len(rows)
        return rows

    def _one(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(sql, args).fetchone()
        self.queries_run += 1
        self.rows_read += row is not None
        return row

    def _insert(self, sql: str, args: Sequence[Any]) -> int:
        cursor = self._db.execute(sql, args)
        assert cursor.lastrowid is not None
        return cursor.lastrowid
