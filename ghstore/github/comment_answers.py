"""GitHub's answers about comments, read into typed values: comment nodes with their marks,
pages of them (the newest, or those before a cursor), and pages of one kind of reaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ..domain.verdicts import CommentRecord

__all__ = [
    "CommentPage",
    "comment_from_node",
    "comment_page",
    "login_of",
    "nodes_of",
    "older_comments_from",
    "older_page_from",
    "reactors_page_from",
]


@frozen
class CommentPage:
    """The newest comments of an issue, oldest first, and how many there are in all."""

    comments: tuple[CommentRecord, ...]
    total: int
    has_older: bool
    cursor: str | None = None
    """Where the comments before this page end (the page's start cursor)."""


def login_of(node: Mapping[str, Any] | None) -> str | None:
    """The login of an actor node (None: a deleted account)."""
    return (node or {}).get("login")


def nodes_of(connection: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The nodes of a connection (none when it is missing)."""
    return list((connection or {}).get("nodes") or ())


def comment_from_node(node: Mapping[str, Any]) -> CommentRecord:
    """A CommentRecord from a StoredComment node (reactions read by group)."""
    groups = node.get("reactionGroups") or ()
    marks = []
    crowded = set()
    for group in groups:
        reactors = group.get("reactors") or {}
        listed = [n["login"] for n in nodes_of(reactors) if n.get("login")]
        marks += [(group["content"], login) for login in listed]
        if int(reactors.get("totalCount") or 0) > len(nodes_of(reactors)):
            crowded.add(group["content"])
    return CommentRecord(
        node_id=node["id"],
        database_id=int(node["databaseId"]),
        body=node["body"],
        created_at=node["createdAt"],
        author=login_of(node.get("author")),
        association=node.get("authorAssociation") or "NONE",
        marks=tuple(marks),
        edited=node.get("lastEditedAt") is not None,
        viewer_reacted=frozenset(g["content"] for g in groups if g.get("viewerHasReacted")),
        crowded=frozenset(crowded),
    )


def comment_page(connection: Mapping[str, Any]) -> CommentPage:
    """A `comments(last: N)` connection (the newest comments, or those before a cursor)."""
    info = connection.get("pageInfo") or {}
    return CommentPage(
        tuple(comment_from_node(n) for n in nodes_of(connection)),
        int(connection.get("totalCount") or 0),
        bool(info.get("hasPreviousPage")),
        info.get("startCursor"),
    )


def older_page_from(data: Mapping[str, Any]) -> CommentPage:
    """An OlderComments answer."""
    return comment_page(data["node"]["comments"])


def reactors_page_from(data: Mapping[str, Any]) -> tuple[list[str], str | None]:
    """A CommentReactions page: who reacted, and the cursor of the next page (None: last)."""
    page = (data.get("node") or {}).get("reactions") or {}
    info = page.get("pageInfo") or {}
    logins = [login for n in nodes_of(page) if (login := login_of(n.get("user")))]
    return logins, info.get("endCursor") if info.get("hasNextPage") else None


def older_comments_from(data: Mapping[str, Any]) -> tuple[list[CommentRecord], str | None]:
    """An ObjectComments page: its comments, and the cursor of the next page (None: last)."""
    page = data["node"]["comments"]
    info = page["pageInfo"]
    cursor = info["endCursor"] if info["hasNextPage"] else None
    return [comment_from_node(n) for n in nodes_of(page)], cursor
