"""The emulator's state in SQLite: users, repositories, issues, labels, comments, reactions,
rate-limit usage and files; versioned and migrated on open (see `migrations`)."""

from .database import DatabaseTooNewError
from .migrations import DB_VERSION
from .rows import CommentRow, IssueRow, LabelRow, ReactionRow, RepoRow, UserRow
from .state import SeedComment, SeedIssue, State

__all__ = [
    "DB_VERSION",
    "CommentRow",
    "DatabaseTooNewError",
    "IssueRow",
    "LabelRow",
    "ReactionRow",
    "RepoRow",
    "SeedComment",
    "SeedIssue",
    "State",
    "UserRow",
]
