"""GitHub's rules for issues, comments, reactions and labels, written once for both faces.

Who may do what (on top of `access`: roles and reading), what a title, a body or a label
must be, what locking forbids, and what closing and reopening set. A check that fails
raises a `RuleBrokenError`; each face answers it in its own shape (GraphQL: an UNPROCESSABLE
error with `sentence()`; REST: a 422 Validation Failed entry, or a 403 for a lock).
"""

from __future__ import annotations

import re
from typing import Any

from . import access
from .limits import Limits
from .state import CommentRow, IssueRow, State

__all__ = [
    "Blank",
    "Invalid",
    "Locked",
    "RuleBrokenError",
    "Taken",
    "TooLong",
    "check_body",
    "check_comment_text",
    "check_label_description",
    "check_label_name",
    "check_label_unique",
    "check_title",
    "check_unlocked",
    "label_color",
    "may_delete_issue",
    "may_edit_comment",
    "may_edit_issue",
    "may_triage",
    "transition",
]

_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")
_LOCKED = {
    "comment": "Unable to create comment because issue is locked.",
    "edit comment": "Unable to update comment because issue is locked.",
    "react": "Unable to react because the conversation is locked.",
}


# -- broken rules --------------------------------------------------------------------------
class RuleBrokenError(Exception):
    """A rule a request breaks: which field of which resource, and GitHub's sentence."""

    def __init__(self, resource: str, field: str, sentence: str) -> None:
        super().__init__(sentence)
        self.resource = resource
        self.field = field
        self._sentence = sentence

    def sentence(self, *, capital: bool = True) -> str:
        """GitHub's words: "Title can't be blank" (GraphQL), "title is too long ..." (REST)."""
        if capital:
            return self._sentence[0].upper() + self._sentence[1:]
        return self._sentence


class Blank(RuleBrokenError):
    """A text that must not be blank is."""

    def __init__(self, resource: str, field: str) -> None:
        super().__init__(resource, field, f"{field} can't be blank")


class TooLong(RuleBrokenError):
    """A text longer than GitHub's limit for it."""

    def __init__(self, resource: str, field: str, limit: int) -> None:
        super().__init__(resource, field, f"{field} is too long (maximum is {limit} characters)")


class Invalid(RuleBrokenError):
    """A value of the wrong form (a label colour that is not six hex digits)."""

    def __init__(self, resource: str, field: str, value: Any) -> None:
        super().__init__(resource, field, f"{field} is invalid")
        self.value = value


class Taken(RuleBrokenError):
    """A name another object of the repository already has."""

    def __init__(self, resource: str, field: str, value: Any) -> None:
        super().__init__(resource, field, f"{field} has already been taken")
        self.value = value


class Locked(RuleBrokenError):
    """The issue is locked and the viewer may not take part in its conversation."""

    def __init__(self, action: str) -> None:
        super().__init__("Issue", "locked", _LOCKED[action])


# -- who may do what -----------------------------------------------------------------------
def may_triage(role: str) -> bool:
    """Label issues (a non-triager's labels on a new issue are dropped), manage labels, lock
    and unlock issues."""
    return access.can_write(role)


def may_edit_issue(role: str, issue: IssueRow, viewer_id: int) -> bool:
    """Edit, close or reopen an issue: a triager, or its author."""
    return access.can_write(role) or issue.author_id == viewer_id


def may_edit_comment(role: str, comment: CommentRow, viewer_id: int) -> bool:
    """Edit or delete a comment: a triager, or its author."""
    return access.can_write(role) or comment.author_id == viewer_id


def may_delete_issue(role: str) -> bool:
    """Delete an issue: admin rights, which only the owner has here."""
    return role == "owner"


def check_unlocked(issue: IssueRow, role: str, action: str) -> None:
    """A locked issue's conversation (comment, edit comment, react) is for triagers only."""
    if issue.locked and not access.can_write(role):
        raise Locked(action)


# -- what texts must be --------------------------------------------------------------------
def check_title(title: str, limits: Limits) -> None:
    """An issue title: not blank, at most `limits.title_chars`."""
    if not title.strip():
        raise Blank("Issue", "title")
    if len(title) > limits.title_chars:
        raise TooLong("Issue", "title", limits.title_chars)


def check_body(resource: str, body: str, limits: Limits) -> None:
    """An issue's or a comment's body: at most `limits.body_chars`."""
    if len(body) > limits.body_chars:
        raise TooLong(resource, "body", limits.body_chars)


def check_comment_text(body: str) -> None:
    """A comment must say something."""
    if not body.strip():
        raise Blank("IssueComment", "body")


def check_label_name(name: str, limits: Limits) -> None:
    """A label name: not blank, at most `limits.label_name_chars`."""
    if not name.strip():
        raise Blank("Label", "name")
    if len(name) > limits.label_name_chars:
        raise TooLong("Label", "name", limits.label_name_chars)


def check_label_unique(state: State, repo_id: int, name: str) -> None:
    """Label names are unique in a repository, whatever their case."""
    if state.label_by_name(repo_id, name) is not None:
        raise Taken("Label", "name", name)


def label_color(color: str) -> str:
    """A label colour (`#` optional) as stored: six hex digits, in the case given (GitHub
    answers a label patched to "BADA55" with "BADA55": @octokit/fixtures' labels scenario)."""
    digits = color.lstrip("#")
    if not _COLOR.match(digits):
        raise Invalid("Label", "color", color)
    return digits


def check_label_description(description: str | None, limits: Limits) -> None:
    """A label description: at most `limits.label_description_chars`."""
    if description is not None and len(description) > limits.label_description_chars:
        raise TooLong("Label", "description", limits.label_description_chars)


# -- closing and reopening -----------------------------------------------------------------
def transition(new_state: str, now: str, reason: str | None = None) -> dict[str, Any]:
    """The issue columns closing (CLOSED, with a reason: COMPLETED unless given) or
    reopening (OPEN, REOPENED) sets."""
    if new_state == "CLOSED":
        return {"state": "CLOSED", "state_reason": reason or "COMPLETED", "closed_at": now}
    return {"state": "OPEN", "state_reason": "REOPENED", "closed_at": None}
