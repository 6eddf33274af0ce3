"""Event payloads as GitHub sends them to a workflow (`GITHUB_EVENT_PATH`), made from what the
GitHub being served holds: the issue, its labels, the newest comment and its author's
association are read from it, never typed in by hand."""

from __future__ import annotations

import asyncio
from typing import Any

from .helpers import HttpGitHub

__all__ = ["comment_event", "dispatch_event", "issue_event", "repository_of"]

_ISSUE = """
query($number: Int!) {
  repository(owner: "acme", name: "data") {
    id databaseId name nameWithOwner
    issue(number: $number) {
      id databaseId number title body state createdAt
      author { login } authorAssociation
      labels(first: 20) { nodes { name } }
      comments(last: 1) {
        totalCount
        nodes { id databaseId body createdAt author { login } authorAssociation }
      }
    }
  }
}"""


def _user(login: str | None) -> dict[str, Any]:
    return {"login": login or "ghost", "type": "Bot" if login == "github-actions" else "User"}


def repository_of(data: dict[str, Any]) -> dict[str, Any]:
    """The `repository` object of a payload."""
    repo = data["repository"]
    owner, name = repo["nameWithOwner"].split("/")
    return {
        "id": repo["databaseId"],
        "node_id": repo["id"],
        "name": name,
        "full_name": repo["nameWithOwner"],
        "owner": _user(owner),
        "private": False,
        "default_branch": "main",
    }


def _read(url: str, number: int) -> dict[str, Any]:
    data: dict[str, Any] = asyncio.run(HttpGitHub(url).data("acme", _ISSUE, number=number))
    return data


def _issue(data: dict[str, Any], pull_request: bool) -> dict[str, Any]:
    issue = data["repository"]["issue"]
    shaped = {
        "id": issue["databaseId"],
        "node_id": issue["id"],
        "number": issue["number"],
        "title": issue["title"],
        "body": issue["body"],
        "state": issue["state"].lower(),
        "created_at": issue["createdAt"],
        "user": _user((issue["author"] or {}).get("login")),
        "author_association": issue["authorAssociation"],
        "labels": [{"name": label["name"]} for label in issue["labels"]["nodes"]],
        "comments": issue["comments"]["totalCount"],
    }
    if pull_request:  # issue_comment on a pull request: the issue carries this key
        shaped["pull_request"] = {"url": "https://api.github.com/repos/acme/data/pulls/1"}
    return shaped


def issue_event(url: str, number: int, action: str, sender: str) -> dict[str, Any]:
    """`issues` (opened, reopened) for issue #number."""
    data = _read(url, number)
    return {
        "action": action,
        "issue": _issue(data, False),
        "repository": repository_of(data),
        "sender": _user(sender),
    }


def comment_event(url: str, number: int, *, pull_request: bool = False) -> dict[str, Any]:
    """`issue_comment` (created) for the newest comment of issue #number."""
    data = _read(url, number)
    comment = data["repository"]["issue"]["comments"]["nodes"][-1]
    author = (comment["author"] or {}).get("login")
    return {
        "action": "created",
        "issue": _issue(data, pull_request),
        "comment": {
            "id": comment["databaseId"],
            "node_id": comment["id"],
            "body": comment["body"],
            "created_at": comment["createdAt"],
            "user": _user(author),
            "author_association": comment["authorAssociation"],
        },
        "repository": repository_of(data),
        "sender": _user(author),
    }


_REPOSITORY = """
query { repository(owner: "acme", name: "data") { id databaseId name nameWithOwner } }"""


def dispatch_event(url: str, sender: str, **inputs: Any) -> dict[str, Any]:
    """`workflow_dispatch` with these inputs, as the repository's owner runs it."""
    data: dict[str, Any] = asyncio.run(HttpGitHub(url).data("acme", _REPOSITORY))
    return {
        "inputs": {name: str(value) for name, value in inputs.items()},
        "ref": "refs/heads/main",
        "repository": repository_of(data),
        "sender": _user(sender),
        "workflow": ".github/workflows/process_update.yml",
    }
