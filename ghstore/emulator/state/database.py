"""The SQLite connection under the emulator's state: schema, transactions, query helpers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["Database"]


class Database:
    """One SQLite database with SCHEMA applied; a file keeps it, ":memory:" does not."""

    def __init__(self, path: str | Path, schema: str) -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(schema)
        self._depth = 0

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
    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, args).fetchall()

    def _one(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
        return row

    def _insert(self, sql: str, args: Sequence[Any]) -> int:
        cursor = self._db.execute(sql, args)
        assert cursor.lastrowid is not None
        return cursor.lastrowid
