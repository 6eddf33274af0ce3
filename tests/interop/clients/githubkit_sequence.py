"""A realistic sequence of githubkit calls (PyPI, pinned in support.foreign), unmodified, against
a GitHub at another address: githubkit parses every REST answer into its typed models
(generated from GitHub's OpenAPI), so an answer that lacks a field GitHub documents fails here.

Run by the python of .venv-githubkit as `python githubkit_sequence.py REST_ROOT OWNER_TOKEN
OTHER_TOKEN OWNER REPO`; imports nothing from ghstore; prints one JSON line of what it saw.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from githubkit import GitHub, TokenAuthStrategy
from githubkit.exception import PrimaryRateLimitExceeded

REACTION_GROUPS = """query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) { issue(number: $number) {
    reactionGroups { content users { totalCount } reactors(first: 5) { totalCount } }
    comments(first: 5) { nodes { reactionGroups { content users { totalCount } } } }
  } }
  rateLimit { limit cost remaining used resetAt }
}"""
PAGE = """query($owner: String!, $name: String!, $first: Int, $after: String, $last: Int,
  $before: String) { repository(owner: $owner, name: $name) {
    issues(first: $first, after: $after, last: $last, before: $before,
      orderBy: {field: CREATED_AT, direction: ASC}) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { number } } } }"""


def _graphql_pages(gh: GitHub[Any], owner: str, name: str) -> dict[str, list[int]]:
    """Issue numbers page by page, forwards (first/after) and backwards (last/before)."""
    seen: dict[str, list[int]] = {"forward": [], "backward": []}
    cursor: str | None = None
    while True:
        page = gh.graphql(PAGE, {"owner": owner, "name": name, "first": 2, "after": cursor})
        issues = page["repository"]["issues"]
        seen["forward"] += [n["number"] for n in issues["nodes"]]
        if not issues["pageInfo"]["hasNextPage"]:
            break
        cursor = issues["pageInfo"]["endCursor"]
    cursor = None
    while True:
        page = gh.graphql(PAGE, {"owner": owner, "name": name, "last": 2, "before": cursor})
        issues = page["repository"]["issues"]
        seen["backward"] = [n["number"] for n in issues["nodes"]] + seen["backward"]
        if not issues["pageInfo"]["hasPreviousPage"]:
            break
        cursor = issues["pageInfo"]["startCursor"]
    return seen


def _rest_pages(gh: GitHub[Any], owner: str, name: str) -> dict[str, list[int]]:
    """Issue numbers through REST pages, oldest first and newest first."""
    out: dict[str, list[int]] = {}
    for direction in ("asc", "desc"):
        numbers: list[int] = []
        for issue in gh.rest.paginate(
            gh.rest.issues.list_for_repo,
            owner=owner,
            repo=name,
            state="all",
            labels="kind:b",
            direction=direction,
            per_page=2,
        ):
            numbers.append(issue.number)
        out[direction] = numbers
    return out


def main(root: str, token: str, other_token: str, owner: str, name: str) -> dict[str, Any]:
    gh = GitHub(TokenAuthStrategy(token), base_url=f"{root}/", auto_retry=False)
    issues, reactions = gh.rest.issues, gh.rest.reactions
    limits = gh.rest.rate_limit.get().parsed_data
    repository = gh.rest.repos.get(owner, name).parsed_data
    viewer = gh.rest.users.get_authenticated().parsed_data
    created = issues.create_label(owner, name, name="kind:a", color="ededed").parsed_data
    issues.update_label(owner, name, "kind:a", new_name="kind:b", color="BADA55")
    label = issues.get_label(owner, name, "kind:b").parsed_data
    numbers = [
        issues.create(
            owner, name, title=f"object {i}", body="{}", labels=["kind:b"]
        ).parsed_data.number
        for i in range(5)
    ]
    first = numbers[0]
    issues.add_labels(owner, name, first, labels=["kind:c"])
    on_issue = [lbl.name for lbl in issues.list_labels_on_issue(owner, name, first).parsed_data]
    issues.remove_label(owner, name, first, "kind:c")
    comment = issues.create_comment(owner, name, first, body='{"_data": {"a": 1}}').parsed_data
    other = GitHub(TokenAuthStrategy(other_token), base_url=f"{root}/", auto_retry=False)
    other.rest.issues.create_comment(owner, name, first, body="a passer-by")
    reactions.create_for_issue_comment(owner, name, comment.id, content="+1")
    other.rest.reactions.create_for_issue_comment(owner, name, comment.id, content="+1")
    reactions.create_for_issue(owner, name, first, content="heart")
    listed = reactions.list_for_issue_comment(owner, name, comment.id).parsed_data
    issues.update(owner, name, first, state="closed", state_reason="completed")
    closed = issues.get(owner, name, first).parsed_data
    issues.update(owner, name, first, state="open")
    issues.update(owner, name, first, body='{"a": 1}')
    issues.lock(owner, name, first, lock_reason="resolved")
    locked = issues.get(owner, name, first).parsed_data
    issues.unlock(owner, name, first)
    comments = issues.list_comments(owner, name, first).parsed_data
    fetched = issues.get_comment(owner, name, comment.id).parsed_data
    groups = gh.graphql(REACTION_GROUPS, {"owner": owner, "name": name, "number": first})
    final = issues.get(owner, name, first).parsed_data
    return {
        "limits": {k: getattr(limits.resources, k).limit for k in ("core", "graphql", "search")},
        "repository": [
            repository.full_name,
            repository.permissions.admin if repository.permissions else None,
        ],
        "viewer": viewer.login,
        "created_label": created.name,
        "label": [label.name, label.color],
        "numbers": numbers,
        "labels_on_issue": on_issue,
        "reactions_listed": sorted(r.content for r in listed),
        "closed": [closed.state, closed.state_reason, closed.closed_at is not None],
        "locked": [locked.locked, locked.active_lock_reason],
        "comments": [c.body for c in comments],
        "fetched_comment": [
            fetched.id == comment.id,
            fetched.reactions.plus_one if fetched.reactions else None,
        ],
        "final": [
            final.state,
            final.body,
            final.locked,
            [getattr(x, "name", x) for x in final.labels],
        ],
        "graphql_groups": groups["repository"]["issue"],
        "graphql_rate": groups["rateLimit"]["limit"],
        "graphql_pages": _graphql_pages(gh, owner, name),
        "rest_pages": _rest_pages(gh, owner, name),
        "spent_budget": _spent(root, other_token),
    }


def _spent(root: str, token: str) -> str:
    """The other token's tiny budget is spent: githubkit must see a primary rate limit."""
    gh = GitHub(TokenAuthStrategy(token), base_url=f"{root}/", auto_retry=False)
    try:
        for _ in range(10):
            gh.graphql("query { viewer { login } }")
    except PrimaryRateLimitExceeded as exc:
        return type(exc).__name__
    return "never limited"


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:6])))
