"""The emulator's SQLite state carries a schema version and is migrated on open: a database
written before the state had a version keeps working, one written by a newer emulator is
refused, and a migration that adds a column changes nothing for the rows read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import ghstore.emulator.state.state as state_module
from ghstore.emulator import Emulator, HttpRequest
from ghstore.emulator.state import DB_VERSION, DatabaseTooNewError
from ghstore.emulator.state.migrations import MIGRATIONS

# The schema exactly as the emulator wrote it before it carried a version (user_version 0).
UNVERSIONED_SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE COLLATE NOCASE, token TEXT UNIQUE,
    hourly_points INTEGER, created_at TEXT NOT NULL);
CREATE TABLE repositories (
    id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL COLLATE NOCASE, private INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, UNIQUE (owner_id, name));
CREATE TABLE roles (
    repo_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (repo_id, user_id));
CREATE TABLE issues (
    id INTEGER PRIMARY KEY, repo_id INTEGER NOT NULL, number INTEGER NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, state_reason TEXT,
    author_id INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    closed_at TEXT, last_edited_at TEXT, locked INTEGER NOT NULL DEFAULT 0, lock_reason TEXT,
    UNIQUE (repo_id, number));
CREATE INDEX issues_by_updated ON issues (repo_id, updated_at, id);
CREATE TABLE issue_numbers (repo_id INTEGER PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE labels (
    id INTEGER PRIMARY KEY, repo_id INTEGER NOT NULL, name TEXT NOT NULL COLLATE NOCASE,
    color TEXT NOT NULL, description TEXT, created_at TEXT NOT NULL, UNIQUE (repo_id, name));
CREATE TABLE issue_labels (
    issue_id INTEGER NOT NULL, label_id INTEGER NOT NULL, PRIMARY KEY (issue_id, label_id));
CREATE INDEX issue_labels_by_label ON issue_labels (label_id, issue_id);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, author_id INTEGER NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_edited_at TEXT);
CREATE INDEX comments_by_issue ON comments (issue_id, id);
CREATE TABLE reactions (
    id INTEGER PRIMARY KEY, subject_kind TEXT NOT NULL, subject_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL, content TEXT NOT NULL, created_at TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, user_id, content));
CREATE TABLE rate_usage (
    user_id INTEGER PRIMARY KEY, reset_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE core_rate_usage (
    user_id INTEGER PRIMARY KEY, reset_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE files (
    repo_id INTEGER NOT NULL, path TEXT NOT NULL, content BLOB NOT NULL,
    PRIMARY KEY (repo_id, path));
"""
T0 = "2024-01-01T00:00:00Z"
T1 = "2024-01-02T00:00:00Z"


def _user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def _unversioned_database(path: Path) -> None:
    """A github.db as the emulator wrote it before versions: one issue with everything."""
    db = sqlite3.connect(path)
    db.executescript(UNVERSIONED_SCHEMA)
    db.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
        [(1, "alice", "t1", None, T0), (2, "bob", "t2", 50, T0)],
    )
    db.execute("INSERT INTO repositories VALUES (1, 1, 'data', 0, ?)", (T0,))
    db.execute("INSERT INTO roles VALUES (1, 2, 'collaborator')")
    db.execute(
        "INSERT INTO issues VALUES (1, 1, 1, 'kept', 'the body', 'CLOSED', 'COMPLETED', 2,"
        " ?, ?, ?, NULL, 1, 'RESOLVED')",
        (T0, T1, T1),
    )
    db.execute("INSERT INTO issue_numbers VALUES (1, 1)")
    db.execute("INSERT INTO labels VALUES (1, 1, 'stored', 'ededed', 'a label', ?)", (T0,))
    db.execute("INSERT INTO issue_labels VALUES (1, 1)")
    db.execute("INSERT INTO comments VALUES (1, 1, 1, 'a comment', ?, ?, NULL)", (T0, T0))
    db.execute("INSERT INTO reactions VALUES (1, 'Issue', 1, 1, 'ROCKET', ?)", (T0,))
    db.execute("INSERT INTO files VALUES (1, 'CODEOWNERS', ?)", (b"* @alice\n",))
    db.commit()
    db.close()


async def _graphql(emulator: Emulator, query: str) -> dict[str, object]:
    request = HttpRequest({"Authorization": "bearer t1"}, json.dumps({"query": query}).encode())
    response = await emulator.handle(request)
    assert isinstance(response.body, dict)
    assert "errors" not in response.body, response.body
    data = response.body["data"]
    assert isinstance(data, dict)
    return data


async def test_an_unversioned_database_is_migrated_on_open_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "github.db"
    _unversioned_database(path)
    assert _user_version(path) == 0

    emulator = Emulator(path)
    try:
        assert emulator.state.db_version == DB_VERSION
        state = emulator.state
        bob = state.user_by_token("t2")
        assert bob is not None and (bob.login, bob.hourly_points) == ("bob", 50)
        repo = state.repository_by_name("alice", "data")
        assert repo is not None and repo.owner_login == "alice" and repo.private is False
        assert state.role(repo.id, bob.id) == "collaborator"
        issue = state.issue_by_number(repo.id, 1)
        assert issue is not None
        assert (issue.title, issue.state, issue.closed_at, issue.author_id) == (
            "kept",
            "CLOSED",
            T1,
            bob.id,
        )
        assert issue.locked is True and issue.lock_reason == "RESOLVED"
        assert [label.name for label in state.labels_of_issue(issue.id)] == ["stored"]
        assert [c.body for c in state.comments_by_ids(state.comment_ids(issue.id))] == ["a comment"]
        assert [r.content for r in state.reactions_of("Issue", issue.id)] == ["ROCKET"]
        assert state.file(repo.id, "CODEOWNERS") == b"* @alice\n"
        data = await _graphql(
            emulator,
            'query { repository(owner: "alice", name: "data") { issue(number: 1) {'
            " title locked author { login } labels(first: 5) { nodes { name } } } } }",
        )
        assert data == {
            "repository": {
                "issue": {
                    "title": "kept",
                    "locked": True,
                    "author": {"login": "bob"},
                    "labels": {"nodes": [{"name": "stored"}]},
                }
            }
        }
        # New writes continue the old numbering.
        emulator.add_user("carol", "t3")
        assert state.create_issue(repo.id, "next", "", 1, T1).number == 2
    finally:
        emulator.close()
    assert _user_version(path) == DB_VERSION


def test_a_new_database_gets_the_current_version_and_reopens_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "github.db"
    emulator = Emulator(path)
    emulator.add_user("alice", "t1")
    emulator.add_repository("alice/data")
    emulator.close()
    assert _user_version(path) == DB_VERSION

    reopened = Emulator(path)
    try:
        assert reopened.state.db_version == DB_VERSION
        assert reopened.state.repository_by_name("alice", "data") is not None
    finally:
        reopened.close()


def test_a_database_from_a_newer_emulator_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "github.db"
    Emulator(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {DB_VERSION + 1}")

    with pytest.raises(DatabaseTooNewError, match="newer than this emulator knows") as raised:
        Emulator(path)
    assert str(path) in str(raised.value)
    assert f"schema version {DB_VERSION + 1}" in str(raised.value)
    assert _user_version(path) == DB_VERSION + 1


def test_a_migration_that_adds_a_column_keeps_existing_rows_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "github.db"
    emulator = Emulator(path)
    emulator.add_user("alice", "t1")
    emulator.add_repository("alice/data")
    repo = emulator.state.repository_by_name("alice", "data")
    assert repo is not None
    with emulator.state.atomic():
        created = emulator.state.create_issue(repo.id, "before", "body", 1, T0)
    emulator.close()

    # A later version adds a column in the middle of nothing: it lands last in the table.
    step = "ALTER TABLE issues ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;"
    monkeypatch.setattr(state_module, "MIGRATIONS", [*MIGRATIONS, step])
    upgraded = Emulator(path)
    try:
        assert upgraded.state.db_version == DB_VERSION + 1
        assert upgraded.state.issue(created.id) == created
        with upgraded.state.atomic():
            later = upgraded.state.create_issue(repo.id, "after", "", 1, T1)
        assert (later.number, later.title, later.locked) == (2, "after", False)
    finally:
        upgraded.close()
