"""REST handlers for issues and labels: list, get, create, edit; label an issue; repo labels."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .errors import GitHubError
from .rest_call import (
    Call,
    Reply,
    RestError,
    Route,
    forbidden,
    invalid,
    not_found,
    validation_failed,
)
from .rest_shapes import Shapes
from .state import IssueRow, LabelRow, RepoRow
from .timestamps import parse_datetime

__all__ = ["ROUTES", "check_body", "parse_since", "shapes"]

NEW_LABEL_COLOR = "ededed"
"""The colour GitHub gives a label it creates because an issue named it [github/docs#35718]."""
_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")
_SORTS = {"created": "CREATED_AT", "updated": "UPDATED_AT", "comments": "COMMENTS"}
_STATES: dict[str, list[str] | None] = {"open": ["OPEN"], "closed": ["CLOSED"], "all": None}
_STATE_REASONS = {"completed", "not_planned", "reopened"}
_NOT_EMULATED_FILTERS = ("milestone", "assignee", "mentioned", "type")
_NOT_EMULATED_INPUTS = ("assignee", "assignees", "milestone", "type")


def shapes(call: Call) -> Shapes:
    """The JSON builder for this request's REST root."""
    return Shapes(call.state, call.api)


def not_emulated(call: Call, what: str) -> RestError:
    """A request this emulator does not implement: a 422 naming it, never a silent answer."""
    route = f"{call.method} {call.path}"
    return RestError(422, f"{what} of {route} is not emulated by ghstore's local GitHub")


def parse_since(call: Call, resource: str) -> str | None:
    """The `since` query parameter as a stored timestamp."""
    since = call.query.get("since")
    if not since:
        return None
    try:
        return parse_datetime(since)
    except GitHubError as exc:
        raise validation_failed(invalid(resource, "since", value=since)) from exc


def check_body(call: Call, resource: str, body: Any) -> str:
    """A body must be text within GitHub's size limit."""
    if body is None:
        return ""
    if not isinstance(body, str):
        raise validation_failed(invalid(resource, "body"))
    limit = call.emulator.limits.body_chars
    if len(body) > limit:
        message = f"body is too long (maximum is {limit} characters)"
        raise validation_failed(invalid(resource, "body", "custom", message=message))
    return body


def _check_title(call: Call, title: Any) -> str:
    if isinstance(title, int) and not isinstance(title, bool):
        title = str(title)
    if title is None or (isinstance(title, str) and not title.strip()):
        raise validation_failed(invalid("Issue", "title", "missing_field"))
    if not isinstance(title, str):
        raise validation_failed(invalid("Issue", "title"))
    limit = call.emulator.limits.title_chars
    if len(title) > limit:
        message = f"title is too long (maximum is {limit} characters)"
        raise validation_failed(invalid("Issue", "title", "custom", message=message))
    return title


# -- labels by name ------------------------------------------------------------------------
def _label_names(value: Any) -> list[str]:
    """Label names from `["a", ...]`, `[{"name": "a"}, ...]` or `{"labels": [...]}`."""
    if isinstance(value, dict):
        value = value.get("labels", [])
    if not isinstance(value, list):
        raise validation_failed(invalid("Label", "labels"))
    names = []
    for item in value:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str):
            raise validation_failed(invalid("Label", "labels"))
        names.append(name)
    return names


def _create_label(
    call: Call, repo: RepoRow, name: str, color: str, description: str | None
) -> LabelRow:
    limits = call.emulator.limits
    if not name.strip():
        raise validation_failed(invalid("Label", "name", "missing_field"))
    if len(name) > limits.label_name_chars:
        message = f"name is too long (maximum is {limits.label_name_chars} characters)"
        raise validation_failed(invalid("Label", "name", "custom", message=message))
    if call.state.label_by_name(repo.id, name) is not None:
        raise validation_failed(invalid("Label", "name", "already_exists", value=name))
    return call.state.create_label(repo.id, name, color, description, call.now())


def labels_named(call: Call, repo: RepoRow, names: Sequence[str]) -> list[LabelRow]:
    """The labels of these names; a writer's missing ones are created, as GitHub's REST
    API does when an issue is created or labelled with a name it does not know."""
    found: dict[int, LabelRow] = {}
    for name in names:
        label = call.state.label_by_name(repo.id, name.strip())
        if label is None:
            if not call.can_write(repo):
                raise forbidden("You do not have permission to create labels on this repository.")
            label = _create_label(call, repo, name.strip(), NEW_LABEL_COLOR, None)
        found[label.id] = label
    return list(found.values())


# -- issues --------------------------------------------------------------------------------
def list_issues(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues: open by default, newest first, labels ANDed."""
    repo = call.repo()
    for name in _NOT_EMULATED_FILTERS:
        if call.query.get(name):
            raise not_emulated(call, f"Parameter '{name}'")
    state_name = call.query.get("state", "open")
    sort = call.query.get("sort", "created")
    direction = call.query.get("direction", "desc")
    if state_name not in _STATES:
        raise validation_failed(invalid("Issue", "state", value=state_name))
    if sort not in _SORTS or direction not in ("asc", "desc"):
        raise validation_failed(invalid("Issue", "sort" if sort not in _SORTS else "direction"))
    groups: list[list[int]] = []
    for name in filter(None, (n.strip() for n in call.query.get("labels", "").split(","))):
        label = call.state.label_by_name(repo.id, name)
        groups.append([label.id] if label else [])
    author_id = None
    if call.query.get("creator"):
        author = call.state.user_by_login(call.query["creator"])
        author_id = author.id if author else -1
    since = parse_since(call, "Issue")
    keys = []
    if all(groups):
        keys = call.state.issue_keys(
            repo.id,
            states=_STATES[state_name],
            label_groups=groups,
            since=since,
            author_id=author_id,
            order_field=_SORTS[sort],
        )
    if direction == "desc":
        keys.reverse()
    chunk, headers = call.page([issue_id for _key, issue_id in keys])
    out = shapes(call)
    return Reply(200, [out.issue(repo, row) for row in call.state.issues_by_ids(chunk)], headers)


def get_issue(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}."""
    repo = call.repo()
    return Reply(200, shapes(call).issue(repo, call.issue(repo)))


def _fresh(call: Call, repo: RepoRow, issue_id: int, status: int = 200) -> Reply:
    row = call.state.issue(issue_id)
    assert row is not None
    body = shapes(call).issue(repo, row)
    headers = {"Location": body["url"]} if status == 201 else {}
    return Reply(status, body, headers)


def create_issue(call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues. Labels are names; a non-writer's are dropped."""
    repo = call.repo()
    data = call.json_object()
    for name in _NOT_EMULATED_INPUTS:
        if data.get(name) not in (None, [], ""):
            raise not_emulated(call, f"Input '{name}'")
    title = _check_title(call, data.get("title"))
    body = check_body(call, "Issue", data.get("body"))
    labels = labels_named(call, repo, _label_names(data.get("labels") or []))
    if not call.can_write(repo):
        labels = []  # "Labels are silently dropped otherwise" (GitHub's docs)
    issue = call.state.create_issue(repo.id, title, body, call.user.id, call.now())
    call.state.add_labels(issue.id, [label.id for label in labels])
    return _fresh(call, repo, issue.id, 201)


def _state_changes(issue: IssueRow, data: dict[str, Any], now: str) -> dict[str, Any]:
    new_state, reason = data.get("state"), data.get("state_reason")
    if new_state is not None and new_state not in ("open", "closed"):
        raise validation_failed(invalid("Issue", "state", value=new_state))
    if reason is not None and reason not in _STATE_REASONS:
        raise validation_failed(invalid("Issue", "state_reason", value=reason))
    if new_state == "closed" and issue.state != "CLOSED":
        return {
            "state": "CLOSED",
            "state_reason": (reason or "completed").upper(),
            "closed_at": now,
        }
    if new_state == "open" and issue.state != "OPEN":
        return {"state": "OPEN", "state_reason": "REOPENED", "closed_at": None}
    if new_state in ("closed", None) and issue.state == "CLOSED" and reason:
        return {"state_reason": reason.upper()}
    return {}


def edit_issue(call: Call) -> Reply:
    """PATCH /repos/{owner}/{repo}/issues/{issue_number}: title, body, state, state_reason,
    labels (replacing them). Its author may edit it; only writers may label it."""
    repo = call.repo()
    issue = call.issue(repo)
    writer = call.can_write(repo)
    if not (writer or issue.author_id == call.user.id):
        raise forbidden()
    data = call.json_object()
    for name in _NOT_EMULATED_INPUTS:
        if data.get(name) not in (None, [], ""):
            raise not_emulated(call, f"Input '{name}'")
    now = call.now()
    changes: dict[str, Any] = {}
    if "title" in data:
        changes["title"] = _check_title(call, data["title"])
    if "body" in data:
        changes["body"] = check_body(call, "Issue", data["body"])
        changes["last_edited_at"] = now
    changes.update(_state_changes(issue, data, now))
    if data.get("labels") is not None and writer:
        wanted = {label.id for label in labels_named(call, repo, _label_names(data["labels"]))}
        current = {label.id for label in call.state.labels_of_issue(issue.id)}
        call.state.remove_labels(issue.id, sorted(current - wanted))
        call.state.add_labels(issue.id, sorted(wanted - current))
    changes["updated_at"] = now
    call.state.update_issue(issue.id, **changes)
    return _fresh(call, repo, issue.id)


# -- an issue's labels ---------------------------------------------------------------------
def _issue_labels_reply(call: Call, repo: RepoRow, issue: IssueRow) -> Reply:
    return Reply(200, shapes(call).issue_labels(repo, issue.id))


def list_issue_labels(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/labels."""
    repo = call.repo()
    issue = call.issue(repo)
    labels = shapes(call).issue_labels(repo, issue.id)
    chunk, headers = call.page(labels)
    return Reply(200, chunk, headers)


def _relabel(call: Call, replace: bool) -> Reply:
    repo = call.repo()
    issue = call.issue(repo)
    if not call.can_write(repo):
        raise forbidden()
    labels = labels_named(call, repo, _label_names(call.json()))
    if replace:
        current = [label.id for label in call.state.labels_of_issue(issue.id)]
        call.state.remove_labels(issue.id, current)
    call.state.add_labels(issue.id, [label.id for label in labels])
    call.state.update_issue(issue.id, updated_at=call.now())
    return _issue_labels_reply(call, repo, issue)


def add_issue_labels(call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/labels: adds; answers all labels."""
    return _relabel(call, replace=False)


def set_issue_labels(call: Call) -> Reply:
    """PUT /repos/{owner}/{repo}/issues/{issue_number}/labels: replaces them."""
    return _relabel(call, replace=True)


def remove_issue_label(call: Call) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}: answers the rest;
    404 when the issue does not carry the label."""
    repo = call.repo()
    issue = call.issue(repo)
    if not call.can_write(repo):
        raise forbidden()
    label = call.state.label_by_name(repo.id, call.params["name"])
    on_issue = {row.id for row in call.state.labels_of_issue(issue.id)}
    if label is None or label.id not in on_issue:
        raise not_found("Label does not exist")
    call.state.remove_labels(issue.id, [label.id])
    call.state.update_issue(issue.id, updated_at=call.now())
    return _issue_labels_reply(call, repo, issue)


# -- repository labels ---------------------------------------------------------------------
def list_labels(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/labels, oldest first."""
    repo = call.repo()
    rows = sorted(call.state.labels_of_repo(repo.id), key=lambda label: label.id)
    chunk, headers = call.page(rows)
    out = shapes(call)
    return Reply(200, [out.label(repo, row) for row in chunk], headers)


def get_label(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/labels/{name}."""
    repo = call.repo()
    label = call.state.label_by_name(repo.id, call.params["name"])
    if label is None:
        raise not_found()
    return Reply(200, shapes(call).label(repo, label))


def create_label(call: Call) -> Reply:
    """POST /repos/{owner}/{repo}/labels: name, color (default ededed), description."""
    repo = call.repo()
    if not call.can_write(repo):
        raise forbidden()
    data = call.json_object()
    name = data.get("name")
    if not isinstance(name, str):
        raise validation_failed(invalid("Label", "name", "missing_field"))
    color = data.get("color") or NEW_LABEL_COLOR
    if not isinstance(color, str) or not _COLOR.match(color.lstrip("#")):
        raise validation_failed(invalid("Label", "color", value=color))
    description = data.get("description")
    limit = call.emulator.limits.label_description_chars
    if description is not None and (not isinstance(description, str) or len(description) > limit):
        message = f"description is too long (maximum is {limit} characters)"
        raise validation_failed(invalid("Label", "description", "custom", message=message))
    label = _create_label(call, repo, name, color.lstrip("#").lower(), description)
    body = shapes(call).label(repo, label)
    return Reply(201, body, {"Location": body["url"]})


ROUTES = [
    Route("GET", "/repos/{owner}/{repo}/issues", list_issues),
    Route("POST", "/repos/{owner}/{repo}/issues", create_issue, content_field="createIssue"),
    Route("GET", "/repos/{owner}/{repo}/issues/{issue_number}", get_issue),
    Route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", edit_issue),
    Route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels", list_issue_labels),
    Route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", add_issue_labels),
    Route("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels", set_issue_labels),
    Route(
        "DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", remove_issue_label
    ),
    Route("GET", "/repos/{owner}/{repo}/labels", list_labels),
    Route("POST", "/repos/{owner}/{repo}/labels", create_label),
    Route("GET", "/repos/{owner}/{repo}/labels/{name}", get_label),
]
