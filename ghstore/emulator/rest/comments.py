"""REST handlers for issue comments and for reactions to issues and comments."""

from __future__ import annotations

from .rest_call import Call, Reply, Route, forbidden, invalid, not_found, validation_failed
from .rest_issues import check_body, parse_since, shapes
from .rest_shapes import REACTIONS
from .state import CommentRow, IssueRow, RepoRow

__all__ = ["ROUTES"]


def _comment(call: Call, repo: RepoRow) -> tuple[CommentRow, IssueRow]:
    """The comment the path names, if it belongs to this repository."""
    comment = call.state.comment(call.int_param("comment_id"))
    issue = call.state.issue(comment.issue_id) if comment else None
    if comment is None or issue is None or issue.repo_id != repo.id:
        raise not_found()
    return comment, issue


def _locked_for_viewer(call: Call, repo: RepoRow, issue: IssueRow) -> bool:
    return issue.locked and not call.can_write(repo)


# -- comments ------------------------------------------------------------------------------
def list_comments(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/comments, oldest first."""
    repo = call.repo()
    issue = call.issue(repo)
    since = parse_since(call, "IssueComment")
    rows = call.state.comments_by_ids(call.state.comment_ids(issue.id))
    if since is not None:
        rows = [row for row in rows if row.updated_at >= since]
    chunk, headers = call.page(rows)
    out = shapes(call)
    return Reply(200, [out.comment(repo, issue.number, row) for row in chunk], headers)


def create_comment(call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/comments: anyone who can read may."""
    repo = call.repo()
    issue = call.issue(repo)
    data = call.json_object()
    text = data.get("body")
    if not isinstance(text, str) or not text.strip():
        raise validation_failed(invalid("IssueComment", "body", "missing_field"))
    text = check_body(call, "IssueComment", text)
    if _locked_for_viewer(call, repo, issue):
        raise forbidden("Unable to create comment because issue is locked.")
    now = call.now()
    comment = call.state.create_comment(issue.id, call.user.id, text, now)
    call.state.update_issue(issue.id, updated_at=now)
    body = shapes(call).comment(repo, issue.number, comment)
    return Reply(201, body, {"Location": body["url"]})


def get_comment(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/comments/{comment_id}."""
    repo = call.repo()
    comment, issue = _comment(call, repo)
    return Reply(200, shapes(call).comment(repo, issue.number, comment))


# -- reactions -----------------------------------------------------------------------------
def _subject(call: Call, kind: str) -> tuple[RepoRow, IssueRow, int]:
    repo = call.repo()
    if kind == "Issue":
        issue = call.issue(repo)
        return repo, issue, issue.id
    comment, issue = _comment(call, repo)
    return repo, issue, comment.id


def _list_reactions(call: Call, kind: str) -> Reply:
    _repo, _issue, subject_id = _subject(call, kind)
    rows = call.state.reactions_of(kind, subject_id)
    content = call.query.get("content")
    if content:
        if content not in REACTIONS:
            raise validation_failed(invalid("Reaction", "content", value=content))
        rows = [row for row in rows if row.content == REACTIONS[content]]
    chunk, headers = call.page(rows)
    out = shapes(call)
    return Reply(200, [out.reaction(row) for row in chunk], headers)


def _create_reaction(call: Call, kind: str) -> Reply:
    repo, issue, subject_id = _subject(call, kind)
    content = call.json_object().get("content")
    if not isinstance(content, str) or content not in REACTIONS:
        raise validation_failed(invalid("Reaction", "content", value=content))
    if _locked_for_viewer(call, repo, issue):
        raise forbidden("Unable to react because the conversation is locked.")
    stored = REACTIONS[content]
    existed = any(
        row.user_id == call.user.id and row.content == stored
        for row in call.state.reactions_of(kind, subject_id)
    )
    row = call.state.add_reaction(kind, subject_id, call.user.id, stored, call.now())
    # "A response with an HTTP 200 status means that you already added the reaction type."
    return Reply(200 if existed else 201, shapes(call).reaction(row))


def list_issue_reactions(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/reactions."""
    return _list_reactions(call, "Issue")


def create_issue_reaction(call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/reactions."""
    return _create_reaction(call, "Issue")


def list_comment_reactions(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions."""
    return _list_reactions(call, "IssueComment")


def create_comment_reaction(call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions."""
    return _create_reaction(call, "IssueComment")


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
