"""REST handlers for labels: an issue's labels (list, add, set, remove one) and the
repository's labels (list, get, create, update, delete); labels an issue names are created
on the way."""

from __future__ import annotations

from collections.abc import Sequence

from .. import issue_rules
from ..state import IssueRow, LabelRow, RepoRow
from .errors import forbidden, invalid, not_found, validation_failed
from .inputs import label_names
from .request import Reply, RestRequest, Route

__all__ = ["NEW_LABEL_COLOR", "ROUTES", "labels_named"]

NEW_LABEL_COLOR = "ededed"
"""The colour GitHub gives a label it creates because an issue named it [github/docs#35718]."""


def _create_label(
    request: RestRequest, repo: RepoRow, name: str, color: str, description: str | None
) -> LabelRow:
    issue_rules.check_label_name(name, request.emulator.limits)
    issue_rules.check_label_unique(request.state, repo.id, name)
    return request.state.create_label(repo.id, name, color, description, request.now())


def labels_named(request: RestRequest, repo: RepoRow, names: Sequence[str]) -> list[LabelRow]:
    """The labels of these names; a writer's missing ones are created, as GitHub's REST
    API does when an issue is created or labelled with a name it does not know."""
    found: dict[int, LabelRow] = {}
    for name in names:
        label = request.state.label_by_name(repo.id, name.strip())
        if label is None:
            if not issue_rules.may_triage(request.role(repo)):
                raise forbidden("You do not have permission to create labels on this repository.")
            label = _create_label(request, repo, name.strip(), NEW_LABEL_COLOR, None)
        found[label.id] = label
    return list(found.values())


# -- an issue's labels ---------------------------------------------------------------------
def _issue_labels_reply(request: RestRequest, repo: RepoRow, issue: IssueRow) -> Reply:
    return Reply(200, request.shapes().issue_labels(repo, issue.id))


def _triaged_repo(request: RestRequest, number: bool = False) -> RepoRow:
    """The repository the path names (and its issue `number` exists), when the viewer may
    label in it: 404 before 403."""
    repo = request.repo()
    if number:
        request.issue(repo)
    if not issue_rules.may_triage(request.role(repo)):
        raise forbidden()
    return repo


def _triaged_issue(request: RestRequest) -> tuple[RepoRow, IssueRow]:
    """The repository and the issue the path names, when the viewer may label it."""
    repo = _triaged_repo(request, number=True)
    return repo, request.issue(repo)


def list_issue_labels(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/labels."""
    repo = request.repo()
    issue = request.issue(repo)
    labels = request.shapes().issue_labels(repo, issue.id)
    chunk, headers = request.page(labels)
    return Reply(200, chunk, headers)


def _relabel(request: RestRequest, replace: bool) -> Reply:
    repo, issue = _triaged_issue(request)
    labels = labels_named(request, repo, label_names(request.json()))
    if replace:
        current = [label.id for label in request.state.labels_of_issue(issue.id)]
        request.state.remove_labels(issue.id, current)
    request.state.add_labels(issue.id, [label.id for label in labels])
    request.state.update_issue(issue.id, updated_at=request.now())
    return _issue_labels_reply(request, repo, issue)


def add_issue_labels(request: RestRequest) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/labels: adds; answers all labels."""
    return _relabel(request, replace=False)


def set_issue_labels(request: RestRequest) -> Reply:
    """PUT /repos/{owner}/{repo}/issues/{issue_number}/labels: replaces them."""
    return _relabel(request, replace=True)


def remove_issue_label(request: RestRequest) -> Reply:
    """DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}: answers the rest;
    404 when the issue does not carry the label."""
    repo, issue = _triaged_issue(request)
    label = request.state.label_by_name(repo.id, request.params["name"])
    on_issue = {row.id for row in request.state.labels_of_issue(issue.id)}
    if label is None or label.id not in on_issue:
        raise not_found("Label does not exist")
    request.state.remove_labels(issue.id, [label.id])
    request.state.update_issue(issue.id, updated_at=request.now())
    return _issue_labels_reply(request, repo, issue)


# -- repository labels ---------------------------------------------------------------------
def list_labels(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/labels, oldest first."""
    repo = request.repo()
    rows = sorted(request.state.labels_of_repo(repo.id), key=lambda label: label.id)
    chunk, headers = request.page(rows)
    out = request.shapes()
    return Reply(200, [out.label(repo, row) for row in chunk], headers)


def get_label(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/labels/{name}."""
    repo = request.repo()
    return Reply(200, request.shapes().label(repo, _named_label(request, repo)))


def _color(value: object) -> str:
    if not isinstance(value, str):
        raise validation_failed(invalid("Label", "color"))
    return issue_rules.label_color(value)


def _description(request: RestRequest, value: object) -> str | None:
    limits = request.emulator.limits
    if value is not None and not isinstance(value, str):
        raise issue_rules.TooLong("Label", "description", limits.label_description_chars)
    issue_rules.check_label_description(value, limits)
    return value


def create_label(request: RestRequest) -> Reply:
    """POST /repos/{owner}/{repo}/labels: name, color (default ededed), description."""
    repo = _triaged_repo(request)
    data = request.json_object()
    name = data.get("name")
    if not isinstance(name, str):
        raise validation_failed(invalid("Label", "name", "missing_field"))
    color = _color(data.get("color") or NEW_LABEL_COLOR)
    description = _description(request, data.get("description"))
    label = _create_label(request, repo, name, color, description)
    body = request.shapes().label(repo, label)
    return Reply(201, body, {"Location": body["url"]})


def _named_label(request: RestRequest, repo: RepoRow) -> LabelRow:
    label = request.state.label_by_name(repo.id, request.params["name"])
    if label is None:
        raise not_found()
    return label


def update_label(request: RestRequest) -> Reply:
    """PATCH /repos/{owner}/{repo}/labels/{name}: new_name, color, description."""
    repo = _triaged_repo(request)
    label = _named_label(request, repo)
    data = request.json_object()
    name = data.get("new_name", label.name)
    if not isinstance(name, str):
        raise validation_failed(invalid("Label", "name"))
    issue_rules.check_label_name(name, request.emulator.limits)
    if name.lower() != label.name.lower():
        issue_rules.check_label_unique(request.state, repo.id, name)
    color = _color(data["color"]) if "color" in data else label.color
    description = _description(request, data.get("description", label.description))
    request.state.update_label(label.id, name, color, description)
    updated = request.state.label(label.id)
    assert updated is not None
    return Reply(200, request.shapes().label(repo, updated))


def delete_label(request: RestRequest) -> Reply:
    """DELETE /repos/{owner}/{repo}/labels/{name}: 204; it comes off every issue."""
    repo = _triaged_repo(request)
    request.state.delete_label(_named_label(request, repo).id)
    return Reply(204, None)


_ISSUE_LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"

ROUTES = [
    Route("GET", _ISSUE_LABELS, list_issue_labels),
    Route("POST", _ISSUE_LABELS, add_issue_labels),
    Route("PUT", _ISSUE_LABELS, set_issue_labels),
    Route("DELETE", f"{_ISSUE_LABELS}/{{name}}", remove_issue_label),
    Route("GET", "/repos/{owner}/{repo}/labels", list_labels),
    Route("POST", "/repos/{owner}/{repo}/labels", create_label),
    Route("GET", "/repos/{owner}/{repo}/labels/{name}", get_label),
    Route("PATCH", "/repos/{owner}/{repo}/labels/{name}", update_label),
    Route("DELETE", "/repos/{owner}/{repo}/labels/{name}", delete_label),
]
