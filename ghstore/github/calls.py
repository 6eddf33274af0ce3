"""The mutation calls ghstore sends, one builder a document of `queries/`: the only place
that knows their names and variables. Builders are pure: nothing is sent here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .documents import Call

LISTING_WINDOW = 90
"""The newest comments every read of an object takes: get, get_many, a listing (for the objects
that have more than its first look) and the processor's lock read. One window for all, so all
report one version; 90, as 100 lookups of 100 comments aliased in one request would pass
GitHub's 500,000 nodes."""

__all__ = [
    "LISTING_WINDOW",
    "add_comment",
    "add_labels",
    "add_reaction",
    "archive_object",
    "claim_object_id",
    "close_issue",
    "create_issue",
    "create_label",
    "delete_label",
    "lock_and_read",
    "remove_reaction",
    "reopen_issue",
    "set_labels_and_close",
    "settle_new_object",
    "settle_object",
]


def create_label(repository_id: str, name: str, color: str) -> Call:
    """Create a label (its name is unique in the repository, ignoring case)."""
    return Call("CreateLabel", {"repositoryId": repository_id, "name": name, "color": color})


def claim_object_id(
    repository_id: str, claim: str, description: str, uid_label: str, base_label: str
) -> Call:
    """Claim an object id with a label and read who holds its UID label (ClaimObjectId)."""
    return Call(
        "ClaimObjectId",
        {
            "repositoryId": repository_id,
            "claimName": claim,
            "claimDescription": description,
            "uidLabel": uid_label,
            "baseLabel": base_label,
        },
    )


def create_issue(repository_id: str, title: str, body: str) -> Call:
    """Open a bare issue, no labels (an object becomes visible only when labelled)."""
    return Call(
        "CreateIssue",
        {"repositoryId": repository_id, "title": title, "body": body, "labelIds": []},
    )


def add_comment(issue_id: str, body: str) -> Call:
    """Post a comment on an issue."""
    return Call("AddComment", {"subjectId": issue_id, "body": body})


def reopen_issue(issue_id: str) -> Call:
    """Reopen an issue; the answer lists its labels."""
    return Call("ReopenIssue", {"issueId": issue_id})


def close_issue(issue_id: str) -> Call:
    """Close an issue."""
    return Call("CloseIssue", {"issueId": issue_id})


def add_labels(issue_id: str, label_ids: Sequence[str]) -> Call:
    """Add labels to an issue, keeping the ones it has."""
    return Call("AddLabels", {"labelableId": issue_id, "labelIds": list(label_ids)})


def set_labels_and_close(issue_id: str, label_ids: Sequence[str]) -> Call:
    """Replace an issue's labels and close it."""
    return Call("UpdateIssue", {"id": issue_id, "labelIds": list(label_ids), "state": "CLOSED"})


def settle_new_object(
    issue_id: str, label_ids: Sequence[str], uid_label: str, base_label: str
) -> Call:
    """Label and close a new object; the answer counts the live objects holding its UID."""
    return Call(
        "SettleNewObject",
        {
            "id": issue_id,
            "labelIds": list(label_ids),
            "uidLabel": uid_label,
            "baseLabel": base_label,
        },
    )


def archive_object(
    issue_id: str, label_ids: Sequence[str], uid_label: str, base_label: str
) -> Call:
    """Relabel an object as archived and close it; the answer lists live objects left."""
    return Call(
        "ArchiveObject",
        {
            "id": issue_id,
            "labelIds": list(label_ids),
            "uidLabel": uid_label,
            "baseLabel": base_label,
        },
    )


def settle_object(issue_id: str, body: str | None) -> Call:
    """Write an object's body (None: leave it, and send no body at all: what GitHub does with
    an explicit null is not documented) and close it; the answer tells its newest comment."""
    return Call("SettleObject", {"id": issue_id} | ({} if body is None else {"body": body}))


def add_reaction(subject_id: str, content: str) -> Call:
    """React to a comment (GraphQL ReactionContent, e.g. THUMBS_UP)."""
    return Call("AddReaction", {"subjectId": subject_id, "content": content})


def remove_reaction(subject_id: str, content: str) -> Call:
    """Take back the viewer's reaction."""
    return Call("RemoveReaction", {"subjectId": subject_id, "content": content})


def delete_label(label_id: str) -> Call:
    """Delete a label (the processor's lock)."""
    return Call("DeleteLabel", {"id": label_id})


def lock_and_read(
    repository_id: str,
    name: str,
    description: str,
    number: int,
    *,
    config_expression: str | None = None,
) -> Call:
    """Create the lock label of an issue and, in the same answer, read the issue (and the
    repository's configuration file at `config_expression`, e.g. HEAD:.github/ghstore.yml)."""
    variables: dict[str, Any] = {
        "repositoryId": repository_id,
        "lockName": name,
        "lockDescription": description,
        "number": number,
        "recent": LISTING_WINDOW,
    }
    if config_expression is not None:
        variables.update(withConfig=True, configExpression=config_expression)
    return Call("LockAndReadIssue", variables)
