"""GitHub's answers, read into typed values: the one place that knows their shapes.

Every query and mutation document of `queries/` answers in a shape of its own; the functions
here turn those dicts into the values the store and the processor work with, so no other
module unpacks `(label or {}).get("issues", {}).get("nodes")`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ..domain.canonical import redirect
from ..exceptions import RemoteError
from .comment_answers import CommentPage, comment_from_node, comment_page
from .comment_answers import login_of as _login
from .comment_answers import nodes_of as _nodes
from .files import RepositoryFile, repository_file_from

__all__ = [
    "Claimed",
    "CommentPage",
    "IssueNode",
    "LabelInfo",
    "ListedPage",
    "LockedRead",
    "Lookup",
    "RepoContext",
    "RepositoryFile",
    "UidLabel",
    "added_comment",
    "archive_leftovers",
    "claimed_from",
    "comment_from_node",
    "context_from",
    "created_issue",
    "created_label",
    "is_name_taken",
    "is_not_found",
    "issue_with_comments",
    "label_from",
    "listed_page_from",
    "locked_read_from",
    "lookup_from",
    "object_issues_from",
    "reopened_labels",
    "repository_file_from",
    "settled",
    "settled_new",
]


@frozen
class RepoContext:
    """The repository id, who the token is, what it may do, and the ids of labels found."""

    repository_id: str
    viewer: str
    permission: str | None
    labels: Mapping[str, str]
    """Label name -> id, for the labels every object uses that exist already."""


@frozen
class IssueNode:
    """An issue as read: what any listing or lookup gives (empty where it was not asked)."""

    id: str
    number: int
    state: str = "OPEN"
    body: str = ""
    created_at: str = ""
    updated_at: str = ""
    labels: tuple[str, ...] = ()
    author: str | None = None
    association: str = "NONE"


@frozen
class UidLabel:
    """What GitHub holds under one UID label: its live objects (with the base label), oldest
    first, and the retired issues (merged or deduplicated) that carry it."""

    id: str
    name: str
    live: tuple[IssueNode, ...]
    live_total: int
    retired: tuple[IssueNode, ...]

    def redirect(self) -> str | None:
        """The id this label's object stands for instead (an alias, or a merge), if any."""
        return redirect(
            self.live[0].labels if self.live else None,
            self.retired[0].labels if self.retired else None,
        )


@frozen
class Lookup:
    """A FindObject or GetObject answer: the label (None if there is none), the token's
    permission, and, for GetObject, who asks, the owner and the live issue's comments."""

    label: UidLabel | None
    viewer_permission: str | None
    viewer: str | None = None
    owner: str | None = None
    comments: CommentPage | None = None

    def exact(self, wanted: str) -> UidLabel | None:
        """The label, unless it only matched ignoring case (GitHub matches label names so):
        UID:Alice is not the label of object 'alice'."""
        return self.label if self.label is not None and self.label.name == wanted else None


@frozen
class LabelInfo:
    """A label found by name."""

    id: str
    name: str
    description: str | None
    created_at: str | None = None


@frozen
class LockedRead:
    """LockAndReadIssue: the lock label made, and the issue read while it is held."""

    lock_id: str
    owner: str | None
    viewer_permission: str | None
    issue: IssueNode | None
    comments: CommentPage | None
    config_file: RepositoryFile | None = None
    """The repository's configuration file, when the read asked for it."""


def _names(node: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(n["name"] for n in (node.get("labels") or {}).get("nodes") or ())


def issue_from_node(node: Mapping[str, Any]) -> IssueNode:
    """An IssueNode from any issue node of the documents (fields not asked stay empty)."""
    return IssueNode(
        id=node.get("id", ""),
        number=int(node["number"]),
        state=node.get("state") or "OPEN",
        body=node.get("body") or "",
        created_at=node.get("createdAt") or "",
        updated_at=node.get("updatedAt") or "",
        labels=_names(node),
        author=_login(node.get("author")),
        association=node.get("authorAssociation") or "NONE",
    )


def context_from(data: Mapping[str, Any]) -> RepoContext:
    """A RepositoryContext answer."""
    repo = data["repository"]
    found = {
        node["name"]: node["id"]
        for node in (repo.get("base"), repo.get("namespace"), repo.get("archived"))
        if node
    }
    return RepoContext(repo["id"], data["viewer"]["login"], repo.get("viewerPermission"), found)


def lookup_from(data: Mapping[str, Any]) -> Lookup:
    """A FindObject or GetObject answer."""
    repo = data["repository"]
    label = repo.get("label")
    comments = None
    uid = None
    if label is not None:
        live = _nodes(label.get("issues"))
        uid = UidLabel(
            label["id"],
            label["name"],
            tuple(issue_from_node(n) for n in live),
            int((label.get("issues") or {}).get("totalCount") or len(live)),
            tuple(issue_from_node(n) for n in _nodes(label.get("retired"))),
        )
        if live and "comments" in live[0]:
            comments = comment_page(live[0]["comments"])
    return Lookup(
        uid,
        repo.get("viewerPermission"),
        _login(data.get("viewer") or {}) if "viewer" in data else None,
        _login(repo.get("owner")),
        comments,
    )


def locked_read_from(data: Mapping[str, Any]) -> LockedRead:
    """A LockAndReadIssue answer."""
    label = data["createLabel"]["label"]
    repo = label["repository"]
    issue = repo.get("issue")
    return LockedRead(
        label["id"],
        _login(repo.get("owner")),
        repo.get("viewerPermission"),
        issue_from_node(issue) if issue is not None else None,
        comment_page(issue["comments"]) if issue is not None else None,
        repository_file_from(repo) if "configFile" in repo else None,
    )


def issues_page_from(data: Mapping[str, Any]) -> tuple[list[IssueNode], str | None]:
    """A ListObjects page (no such label: no issues), and the cursor of the next page."""
    label = data["repository"].get("label")
    if label is None:
        return [], None
    page = label["issues"]
    info = page["pageInfo"]
    cursor = info["endCursor"] if info["hasNextPage"] else None
    return [issue_from_node(n) for n in _nodes(page)], cursor


@frozen
class ListedPage:
    """A ListObjectStates page: who reads, the owner, the viewer's permission, each issue with
    its newest comments, and the cursor of the next page (None: the last)."""

    viewer: str | None
    owner: str | None
    viewer_permission: str | None
    issues: tuple[tuple[IssueNode, CommentPage], ...]
    cursor: str | None


def listed_page_from(data: Mapping[str, Any]) -> ListedPage:
    """A ListObjectStates answer (no such label: no issues)."""
    repo = data["repository"]
    label = repo.get("label")
    page = (label or {}).get("issues") or {}
    info = page.get("pageInfo") or {}
    return ListedPage(
        _login(data.get("viewer")),
        _login(repo.get("owner")),
        repo.get("viewerPermission"),
        tuple((issue_from_node(n), comment_page(n["comments"])) for n in _nodes(page)),
        info["endCursor"] if info.get("hasNextPage") else None,
    )


def issue_with_comments(data: Mapping[str, Any]) -> tuple[IssueNode, CommentPage]:
    """An OlderComments answer asked `withIssue`: the issue and its comments."""
    node = data["node"]
    return issue_from_node(node), comment_page(node["comments"])


def object_issues_from(data: Mapping[str, Any]) -> list[IssueNode]:
    """An ObjectIssues answer: the live issues holding a UID label, oldest first."""
    return [
        issue_from_node(n) for n in _nodes((data["repository"].get("label") or {}).get("issues"))
    ]


def label_from(data: Mapping[str, Any]) -> LabelInfo | None:
    """A LabelByName answer."""
    label = data["repository"].get("label")
    if label is None:
        return None
    return LabelInfo(label["id"], label["name"], label.get("description"), label.get("createdAt"))


@frozen
class Claimed:
    """A ClaimObjectId answer: the claim label, and the id's UID label if it exists (its
    exact name, and the live objects holding it)."""

    claim_id: str
    uid_label_id: str | None
    uid_label_name: str | None
    live: int
    live_number: int | None


def claimed_from(data: Mapping[str, Any]) -> Claimed:
    """A ClaimObjectId answer."""
    label = data["createLabel"]["label"]
    uid = label["repository"].get("label")
    if uid is None:
        return Claimed(label["id"], None, None, 0, None)
    live = uid.get("issues") or {}
    first = _nodes(live)
    return Claimed(
        label["id"],
        uid["id"],
        uid["name"],
        int(live.get("totalCount") or 0),
        int(first[0]["number"]) if first else None,
    )


def created_label(data: Mapping[str, Any]) -> tuple[str, str]:
    """A CreateLabel answer: (name, id)."""
    label = data["createLabel"]["label"]
    return label["name"], label["id"]


def created_issue(data: Mapping[str, Any]) -> IssueNode:
    """A CreateIssue answer."""
    return issue_from_node(data["createIssue"]["issue"])


def added_comment(data: Mapping[str, Any]) -> str:
    """An AddComment answer: the new comment's node id."""
    node_id: str = data["addComment"]["commentEdge"]["node"]["id"]
    return node_id


def reopened_labels(data: Mapping[str, Any]) -> tuple[str, ...]:
    """A ReopenIssue answer: the labels the reopened issue carries."""
    return _names(data["reopenIssue"]["issue"])


def settled_new(data: Mapping[str, Any]) -> tuple[str, str | None, int]:
    """A SettleNewObject answer: (state, updatedAt, live objects holding the UID label)."""
    issue = data["updateIssue"]["issue"]
    live = issue["repository"]["label"]["issues"]
    return issue["state"], issue.get("updatedAt"), int(live["totalCount"])


def archive_leftovers(data: Mapping[str, Any]) -> list[str]:
    """An ArchiveObject answer: ids of live objects still holding the UID label."""
    label = data["updateIssue"]["issue"]["repository"].get("label")
    return [n["id"] for n in _nodes((label or {}).get("issues"))]


def settled(data: Mapping[str, Any]) -> tuple[int, str | None]:
    """A SettleObject answer: (comments on the issue now, the newest one's id)."""
    latest = data["updateIssue"]["issue"]["comments"]
    newest = (_nodes(latest) or [{}])[-1].get("id")
    return int(latest["totalCount"]), newest


def is_not_found(error: RemoteError) -> bool:
    """GitHub answered NOT_FOUND (the node or issue is gone)."""
    return any(e.get("type") == "NOT_FOUND" for e in error.errors)


def is_name_taken(error: RemoteError) -> bool:
    """createLabel refused because a label of that name exists (GitHub's words are not
    verified: the processor's lock reads the label instead)."""
    return any("already been taken" in str(e.get("message")) for e in error.errors)
