"""The rows of the emulator's state, each built from a query's NAMED columns.

`from_row` reads a row by column name (never by position), so a column added by a
migration, wherever it lands in the table, changes nothing for the rows built here.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Self

import attrs
from attrs import frozen

__all__ = ["CommentRow", "IssueRow", "LabelRow", "ReactionRow", "RepoRow", "UserRow"]


class _FromRow:
    """Builds an attrs row class from a `sqlite3.Row` by the names of its fields."""

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Self:
        """The row whose fields are the same-named columns of `row`."""
        fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)  # type: ignore[arg-type]
        values = {f.name: _convert(f, row[f.name]) for f in fields}
        return cls(**values)


def _convert(field: attrs.Attribute[Any], value: Any) -> Any:
    """SQLite has no booleans: a `bool` field gets its 0/1 column as a bool."""
    if field.type in ("bool", bool) and value is not None:
        return bool(value)
    return value


@frozen
class UserRow(_FromRow):
    """A GitHub account with an API token."""

    id: int
    login: str
    token: str | None
    hourly_points: int | None
    created_at: str


@frozen
class RepoRow(_FromRow):
    """A repository and its owner (`owner_login` comes from the users table)."""

    id: int
    owner_id: int
    name: str
    private: bool
    created_at: str
    owner_login: str


@frozen
class IssueRow(_FromRow):
    """An issue as stored."""

    id: int
    repo_id: int
    number: int
    title: str
    body: str
    state: str
    state_reason: str | None
    author_id: int
    created_at: str
    updated_at: str
    closed_at: str | None
    last_edited_at: str | None
    locked: bool
    lock_reason: str | None


@frozen
class LabelRow(_FromRow):
    """A repository label."""

    id: int
    repo_id: int
    name: str
    color: str
    description: str | None
    created_at: str


@frozen
class CommentRow(_FromRow):
    """An issue comment."""

    id: int
    issue_id: int
    author_id: int
    body: str
    created_at: str
    updated_at: str
    last_edited_at: str | None


@frozen
class ReactionRow(_FromRow):
    """One user's reaction of one kind to an issue or comment."""

    id: int
    subject_kind: str
    subject_id: int
    user_id: int
    content: str
    created_at: str
