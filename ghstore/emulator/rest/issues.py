"""REST handlers for issues: list, get, create, edit (title, body, state, labels), lock."""

from __future__ import annotations

from typing import Any

from .. import issue_rules
from ..state import IssueRow, RepoRow
from .errors import forbidden, invalid, validation_failed
from .inputs import body_text, label_names, not_emulated, reject_unemulated, since, title_text
from .labels import labels_named
from .request import Reply, RestRequest, Route

__all__ = ["ROUTES"]

_SORTS = {"created": "CREATED_AT", "updated": "UPDATED_AT", "comments": "COMMENTS"}
_STATES: dict[str, list[str] | None] = {"open": ["OPEN"], "closed": ["CLOSED"], "all": None}
_STATE_REASONS = {"completed", "not_planned", "reopened"}
_NOT_EMULATED_FILTERS = ("milestone", "assignee", "mentioned", "type")
_NOT_EMULATED_INPUTS = ("assignee", "assignees", "milestone", "type")


def _label_groups(request: RestRequest, repo: RepoRow) -> list[list[int]]:
    """`labels=a,b`: one group a name (an unknown name matches nothing)."""
    groups: list[list[int]] = []
    for name in filter(None, (n.strip() for n in request.query.get("labels", "").split(","))):
        label = request.state.label_by_name(repo.id, name)
        groups.append([label.id] if label else [])
    return groups


def list_issues(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues: open by default, newest first, labels ANDed."""
    repo = request.repo()
    for name in _NOT_EMULATED_FILTERS:
        if request.query.get(name):
            raise not_emulated(request, f"Parameter '{name}'")
    state_name = request.query.get("state", "open")
    sort = request.query.get("sort", "created")
    direction = request.query.get("direction", "desc")
    if state_name not in _STATES:
        raise validation_failed(invalid("Issue", "state", value=state_name))
    if sort not in _SORTS or direction not in ("asc", "desc"):
        raise validation_failed(invalid("Issue", "sort" if sort not in _SORTS else "direction"))
    groups = _label_groups(request, repo)
    author_id = None
    if request.query.get("creator"):
        author = request.state.user_by_login(request.query["creator"])
        author_id = author.id if author else -1
    changed_since = since(request, "Issue")
    keys = []
    if all(groups):
        keys = request.state.issue_keys(
            repo.id,
            states=_STATES[state_name],
            label_groups=groups,
            since=changed_since,
            author_id=author_id,
            order_field=_SORTS[sort],
        )
    if direction == "desc":
        keys.reverse()
    chunk, headers = request.page([issue_id for _key, issue_id in keys])
    out = request.shapes()
    rows = request.state.issues_by_ids(chunk)
    return Reply(200, [out.issue(repo, row, listed=True) for row in rows], headers)


def get_issue(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}."""
    repo = request.repo()
    return Reply(200, request.shapes().issue(repo, request.issue(repo)))


def _fresh(request: RestRequest, repo: RepoRow, issue_id: int, status: int = 200) -> Reply:
    row = request.state.issue(issue_id)
    assert row is not None
    body = request.shapes().issue(repo, row)
    headers = {"Location": body["url"]} if status == 201 else {}
    return Reply(status, body, headers)


def create_issue(request: RestRequest) -> Reply:
    """POST /repos/{owner}/{repo}/issues. Labels are names; a non-writer's are dropped."""
    repo = request.repo()
    data = request.json_object()
    reject_unemulated(request, data, _NOT_EMULATED_INPUTS)
    title = title_text(request, data.get("title"))
    body = body_text(request, "Issue", data.get("body"))
    labels = labels_named(request, repo, label_names(data.get("labels") or []))
    if not issue_rules.may_triage(request.role(repo)):
        labels = []  # "Labels are silently dropped otherwise" (GitHub's docs)
    issue = request.state.create_issue(repo.id, title, body, request.user.id, request.now())
    request.state.add_labels(issue.id, [label.id for label in labels])
    return _fresh(request, repo, issue.id, 201)


def _state_changes(issue: IssueRow, data: dict[str, Any], now: str) -> dict[str, Any]:
    new_state, reason = data.get("state"), data.get("state_reason")
    if new_state is not None and new_state not in ("open", "closed"):
        raise validation_failed(invalid("Issue", "state", value=new_state))
    if reason is not None and reason not in _STATE_REASONS:
        raise validation_failed(invalid("Issue", "state_reason", value=reason))
    if new_state == "closed" and issue.state != "CLOSED":
        return issue_rules.transition("CLOSED", now, (reason or "completed").upper())
    if new_state == "open" and issue.state != "OPEN":
        return issue_rules.transition("OPEN", now)
    if new_state in ("closed", None) and issue.state == "CLOSED" and reason:
        return {"state_reason": reason.upper()}
    return {}


def edit_issue(request: RestRequest) -> Reply:
    """PATCH /repos/{owner}/{repo}/issues/{issue_number}: title, body, state, state_reason,
    labels (replacing them). Its author may edit it; only writers may label it."""
    repo = request.repo()
    issue = request.issue(repo)
    role = request.role(repo)
    if not issue_rules.may_edit_issue(role, issue, request.user.id):
        raise forbidden()
    data = request.json_object()
    reject_unemulated(request, data, _NOT_EMULATED_INPUTS)
    now = request.now()
    changes: dict[str, Any] = {}
    if "title" in data:
        changes["title"] = title_text(request, data["title"])
    if "body" in data:
        changes["body"] = body_text(request, "Issue", data["body"])
        changes["last_edited_at"] = now
    changes.update(_state_changes(issue, data, now))
    if data.get("labels") is not None and issue_rules.may_triage(role):
        wanted = {label.id for label in labels_named(request, repo, label_names(data["labels"]))}
        current = {label.id for label in request.state.labels_of_issue(issue.id)}
        request.state.remove_labels(issue.id, sorted(current - wanted))
        request.state.add_labels(issue.id, sorted(wanted - current))
    changes["updated_at"] = now
    request.state.update_issue(issue.id, **changes)
    return _fresh(request, repo, issue.id)


_LOCK_REASONS = {
    "off-topic": "OFF_TOPIC",
    "too heated": "TOO_HEATED",
    "resolved": "RESOLVED",
    "spam": "SPAM",
}


def _set_lock(request: RestRequest, locked: bool) -> Reply:
    repo = request.repo()
    issue = request.issue(repo)
    if not issue_rules.may_triage(request.role(repo)):
        raise forbidden()
    reason = request.json_object().get("lock_reason") if locked else None
    if reason is not None and reason not in _LOCK_REASONS:
        raise validation_failed(invalid("Issue", "lock_reason", value=reason))
    request.state.update_issue(
        issue.id,
        locked=locked,
        lock_reason=_LOCK_REASONS[reason] if reason else None,
        updated_at=request.now(),
    )
    return Reply(204, None)


def lock_issue(request: RestRequest) -> Reply:
    """PUT /repos/{owner}/{repo}/issues/{issue_number}/lock: 204, with an optional reason."""
    return _set_lock(request, locked=True)


def unlock_issue(request: RestRequest) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock: 204."""
    return _set_lock(request, locked=False)


ROUTES = [
    Route("GET", "/repos/{owner}/{repo}/issues", list_issues),
    Route("POST", "/repos/{owner}/{repo}/issues", create_issue, content_field="createIssue"),
    Route("GET", "/repos/{owner}/{repo}/issues/{issue_number}", get_issue),
    Route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", edit_issue),
    Route("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/lock", lock_issue),
    Route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/lock", unlock_issue),
]
