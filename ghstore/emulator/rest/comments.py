"""REST handlers for issue comments and for reactions to issues and comments."""

from __future__ import annotations

from .. import issue_rules
from ..state import CommentRow, IssueRow, RepoRow
from .errors import invalid, not_found, validation_failed
from .inputs import body_text, since
from .request import Reply, RestRequest, Route
from .shapes import REACTIONS

__all__ = ["ROUTES"]


def _comment(request: RestRequest, repo: RepoRow) -> tuple[CommentRow, IssueRow]:
    """The comment the path names, if it belongs to this repository."""
    comment = request.state.comment(request.int_param("comment_id"))
    issue = request.state.issue(comment.issue_id) if comment else None
    if comment is None or issue is None or issue.repo_id != repo.id:
        raise not_found()
    return comment, issue


# -- comments ------------------------------------------------------------------------------
def list_comments(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/comments, oldest first."""
    repo = request.repo()
    issue = request.issue(repo)
    changed_since = since(request, "IssueComment")
    rows = request.state.comments_by_ids(request.state.comment_ids(issue.id))
    if changed_since is not None:
        rows = [row for row in rows if row.updated_at >= changed_since]
    chunk, headers = request.page(rows)
    out = request.shapes()
    return Reply(200, [out.comment(repo, issue.number, row) for row in chunk], headers)


def create_comment(request: RestRequest) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/comments: anyone who can read may."""
    repo = request.repo()
    issue = request.issue(repo)
    data = request.json_object()
    text = data.get("body")
    if not isinstance(text, str):
        raise validation_failed(invalid("IssueComment", "body", "missing_field"))
    issue_rules.check_comment_text(text)
    text = body_text(request, "IssueComment", text)
    issue_rules.check_unlocked(issue, request.role(repo), "comment")
    now = request.now()
    comment = request.state.create_comment(issue.id, request.user.id, text, now)
    request.state.update_issue(issue.id, updated_at=now)
    body = request.shapes().comment(repo, issue.number, comment)
    return Reply(201, body, {"Location": body["url"]})


def get_comment(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/comments/{comment_id}."""
    repo = request.repo()
    comment, issue = _comment(request, repo)
    return Reply(200, request.shapes().comment(repo, issue.number, comment))


# -- reactions -----------------------------------------------------------------------------
def _subject(request: RestRequest, kind: str) -> tuple[RepoRow, IssueRow, int]:
    repo = request.repo()
    if kind == "Issue":
        issue = request.issue(repo)
        return repo, issue, issue.id
    comment, issue = _comment(request, repo)
    return repo, issue, comment.id


def _list_reactions(request: RestRequest, kind: str) -> Reply:
    _repo, _issue, subject_id = _subject(request, kind)
    rows = request.state.reactions_of(kind, subject_id)
    content = request.query.get("content")
    if content:
        if content not in REACTIONS:
            raise validation_failed(invalid("Reaction", "content", value=content))
        rows = [row for row in rows if row.content == REACTIONS[content]]
    chunk, headers = request.page(rows)
    out = request.shapes()
    return Reply(200, [out.reaction(row) for row in chunk], headers)


def _create_reaction(request: RestRequest, kind: str) -> Reply:
    repo, issue, subject_id = _subject(request, kind)
    content = request.json_object().get("content")
    if not isinstance(content, str) or content not in REACTIONS:
        raise validation_failed(invalid("Reaction", "content", value=content))
    issue_rules.check_unlocked(issue, request.role(repo), "react")
    stored = REACTIONS[content]
    existed = any(
        row.user_id == request.user.id and row.content == stored
        for row in request.state.reactions_of(kind, subject_id)
    )
    row = request.state.add_reaction(kind, subject_id, request.user.id, stored, request.now())
    # "A response with an HTTP 200 status means that you already added the reaction type."
    return Reply(200 if existed else 201, request.shapes().reaction(row))


def list_issue_reactions(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/reactions."""
    return _list_reactions(request, "Issue")


def create_issue_reaction(request: RestRequest) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/reactions."""
    return _create_reaction(request, "Issue")


def list_comment_reactions(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions."""
    return _list_reactions(request, "IssueComment")


def create_comment_reaction(request: RestRequest) -> Reply:
    """POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions."""
    return _create_reaction(request, "IssueComment")


_ISSUE = "/repos/{owner}/{repo}/issues/{issue_number}"
_COMMENT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"

# Literal segments first: /issues/comments/... must not be read as an issue number.
ROUTES = [
    Route("GET", _COMMENT, get_comment),
    Route("GET", f"{_COMMENT}/reactions", list_comment_reactions),
    Route("POST", f"{_COMMENT}/reactions", create_comment_reaction),
    Route("GET", f"{_ISSUE}/comments", list_comments),
    Route("POST", f"{_ISSUE}/comments", create_comment, content_field="addComment"),
    Route("GET", f"{_ISSUE}/reactions", list_issue_reactions),
    Route("POST", f"{_ISSUE}/reactions", create_issue_reaction),
]
