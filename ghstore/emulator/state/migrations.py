"""The state's SQLite schema as a list of migrations, and its version (`PRAGMA user_version`).

`MIGRATIONS[i]` takes a database from version i to version i + 1; `DB_VERSION` is the
version this code writes and reads. Version 0 is a new file, or one written before the
state carried a version: step 1 creates every table that is missing (`IF NOT EXISTS`), so a
`.ghstore/github.db` of that time is adopted unchanged. A new column is a new step (e.g.
`ALTER TABLE issues ADD COLUMN ...`) appended here; rows are read by column name
(`rows.py`), so it can land anywhere. Each step runs in one transaction with its version
bump (`Database`); should two processes upgrade the same old file at once, a step that is
not idempotent (ALTER TABLE) fails loudly in the second, which then simply reopens.
"""

from __future__ import annotations

__all__ = ["DB_VERSION", "MIGRATIONS"]

_V1_ACCOUNTS = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE COLLATE NOCASE, token TEXT UNIQUE,
    hourly_points INTEGER, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS repositories (
    id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL COLLATE NOCASE, private INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, UNIQUE (owner_id, name));
CREATE TABLE IF NOT EXISTS roles (
    repo_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (repo_id, user_id));
"""

_V1_ISSUES = """
CREATE TABLE IF NOT EXISTS issues (
    id INTEGER PRIMARY KEY, repo_id INTEGER NOT NULL, number INTEGER NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, state_reason TEXT,
    author_id INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    closed_at TEXT, last_edited_at TEXT, locked INTEGER NOT NULL DEFAULT 0, lock_reason TEXT,
    UNIQUE (repo_id, number));
CREATE INDEX IF NOT EXISTS issues_by_updated ON issues (repo_id, updated_at, id);
CREATE TABLE IF NOT EXISTS issue_numbers (repo_id INTEGER PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS labels (
    id INTEGER PRIMARY KEY, repo_id INTEGER NOT NULL, name TEXT NOT NULL COLLATE NOCASE,
    color TEXT NOT NULL, description TEXT, created_at TEXT NOT NULL, UNIQUE (repo_id, name));
CREATE TABLE IF NOT EXISTS issue_labels (
    issue_id INTEGER NOT NULL, label_id INTEGER NOT NULL, PRIMARY KEY (issue_id, label_id));
CREATE INDEX IF NOT EXISTS issue_labels_by_label ON issue_labels (label_id, issue_id);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, author_id INTEGER NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_edited_at TEXT);
CREATE INDEX IF NOT EXISTS comments_by_issue ON comments (issue_id, id);
CREATE TABLE IF NOT EXISTS reactions (
    id INTEGER PRIMARY KEY, subject_kind TEXT NOT NULL, subject_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL, content TEXT NOT NULL, created_at TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, user_id, content));
"""

_V1_RATES_AND_FILES = """
CREATE TABLE IF NOT EXISTS rate_usage (
    user_id INTEGER PRIMARY KEY, reset_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS core_rate_usage (
    user_id INTEGER PRIMARY KEY, reset_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    repo_id INTEGER NOT NULL, path TEXT NOT NULL, content BLOB NOT NULL,
    PRIMARY KEY (repo_id, path));
"""

MIGRATIONS: list[str] = [
    # 0 -> 1: every table, adopting an unversioned database of the same tables.
    _V1_ACCOUNTS + _V1_ISSUES + _V1_RATES_AND_FILES,
]
"""SQL scripts; MIGRATIONS[i] takes version i to i + 1. Append, never edit a shipped step."""

DB_VERSION = len(MIGRATIONS)
"""The schema version this code reads and writes."""
