"""GitHub's own GraphQL answers, quoted verbatim in public issues, and the local GitHub's answer
to the same case: each row is one capture with its source link.

A capture names other people's objects (a pull request 999, a `repositories` connection), so
each row asks the same case of acme/data and compares what GitHub's answer fixes: the message
(exactly, or through a pattern with the capture's names as holes that must fit the capture
itself too), `type`, `code`, `extensions`, the shape of `path`, `locations`, the HTTP status.
`CLIENT` rows are answers the local GitHub no longer gives (an older form) or cannot give (an
Actions token): ghstore's client must read them right all the same.
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import pytest
from attrs import field, frozen
from support.helpers import TOKENS, HttpGitHub, RestGitHub

from ghstore import AccessDeniedError, RateLimitExceeded
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.emulator.state.ids import encode_id
from ghstore.exceptions import RemoteError, RepositoryNotFound
from ghstore.github.errors import error_for


@frozen
class Capture:
    """One answer of GitHub's, quoted in a public issue, and how to ask it of acme/data."""

    case: str
    source: str
    recorded: dict[str, Any]
    query: str = ""
    pattern: str | None = None
    """The message with the capture's own names as holes; None: the message must be equal."""
    compare: tuple[str, ...] = ("message", "type", "code", "extensions", "path", "locations")
    client_raises: type[Exception] | None = None
    data: Any = field(default=None)


# A query that asks for 100 + 100*100 + 100*100*100 + 100*100*11 = 1,120,100 nodes, as the
# capture's did.
NODES_1_120_100 = """query { viewer { repositories(first: 100) { nodes {
  issues(first: 100) { nodes { labels(first: 100) { nodes { id } } comments(first: 11) {
  nodes { id } } } } } } } }"""

CAPTURES = [
    Capture(
        "spent budget, current form",
        "https://github.com/yanyongyu/githubkit/issues/271",
        {
            "type": "RATE_LIMIT",
            "code": "graphql_rate_limit",
            "message": "API rate limit already exceeded for user ID xxxxx.",
        },
        "query { viewer { login } }",
        pattern=r"API rate limit already exceeded for user ID \w+\.",
        client_raises=RateLimitExceeded,
    ),
    Capture(
        "spent budget, older form (CLIENT)",
        "https://github.com/renovatebot/renovate/issues/21861",
        {"type": "RATE_LIMITED", "message": "API rate limit exceeded for installation ID 9306189."},
        client_raises=RateLimitExceeded,
    ),
    Capture(
        "page size over 100",
        "https://github.com/dblock/fue/issues/5",
        {
            "message": "Requesting 1000 records on the `repositories` connection exceeds the "
            "`last` limit of 100 records."
        },
        "query { viewer { repositories(last: 1000) { nodes { id } } } }",
    ),
    Capture(
        "node limit",
        "https://github.com/pyvec/python.cz/issues/250",
        {
            "message": "This query requests up to 1,120,100 possible nodes which exceeds the "
            "maximum limit of 500,000."
        },
        NODES_1_120_100,
    ),
    Capture(
        "NOT_FOUND",
        "https://github.com/octokit/graphql.js/pull/314",
        {
            "type": "NOT_FOUND",
            "path": ["repository", "pullRequest"],
            "locations": [{"line": 3, "column": 5}],
            "message": "Could not resolve to a PullRequest with the number of 999.",
        },
        'query {\n  repository(owner: "acme", name: "data") {\n    issue(number: 999) {\n'
        "      id\n    }\n  }\n}",
        pattern=r"Could not resolve to an? \w+ with the number of 999\.",
        client_raises=RemoteError,
        data={"repository": {"issue": None}},
    ),
    Capture(
        "NOT_FOUND repository",
        "https://github.com/refined-github/refined-github/issues/8424",
        {
            "type": "NOT_FOUND",
            "path": ["repository"],
            "message": "Could not resolve to a Repository with the name 'github-copilot/pro'.",
        },
        'query { repository(owner: "nobody", name: "here") { id } }',
        pattern=r"Could not resolve to a Repository with the name '[\w-]+/[\w-]+'\.",
        compare=("message", "type", "path"),
        client_raises=RepositoryNotFound,
    ),
    Capture(
        "FORBIDDEN, an Actions token (github-actions[bot]) without issues: write",
        "https://github.com/github-community-projects/contributors/issues/492",
        {
            "type": "FORBIDDEN",
            "path": ["createDiscussion"],
            "extensions": {"saml_failure": False},
            "locations": [{"line": 9, "column": 5}],
            "message": "Resource not accessible by integration",
        },
        'mutation { createLabel(input: {repositoryId: "REPO", name: "x", color: "ededed"}) '
        "{ label { id } } }",
        compare=("message", "type", "extensions", "path"),
        client_raises=AccessDeniedError,
    ),
    Capture(
        "parse error",
        "https://github.com/pyvec/python.cz/pull/417",
        {"message": 'Parse error on ")" (RPAREN) at [25, 23]'},
        "\n" * 24 + "query { viewer { login) } }",
    ),
    Capture(
        "parse error on a character no token starts with",
        "https://github.com/ocurrent/ocurrent/issues/395",
        {
            "message": 'Parse error on "\\xE2" (error) at [13, 15]',
            "locations": [{"line": 13, "column": 15}],
        },
        "\n" * 12 + "query { viewer\u2026 { login } }",
    ),
    Capture(
        "a document that stops early (graphql-ruby's answer, as GitLab serves it; GitHub's "
        "engine is graphql-ruby too)",
        "https://github.com/phip1611/gitlab-timelogs/issues/38",
        {"message": "Unexpected end of document", "locations": []},
        "query { viewer { login }",
    ),
    Capture(
        "undefined field",
        "https://github.com/refined-github/refined-github/issues/6946",
        {
            "path": ["query", "repository", "pullRequest", "viewerCanEditFiles"],
            "extensions": {
                "code": "undefinedField",
                "typeName": "PullRequest",
                "fieldName": "viewerCanEditFiles",
            },
            "message": "Field 'viewerCanEditFiles' doesn't exist on type 'PullRequest'",
        },
        'query { repository(owner: "acme", name: "data") { issue(number: 1) '
        "{ viewerCanEditFiles } } }",
        pattern=r"Field 'viewerCanEditFiles' doesn't exist on type '\w+'",
        compare=("message", "path", "extensions"),
    ),
    Capture(
        "undefined field under a named query and an inline fragment (path joined by the gh CLI)",
        "https://github.com/dlvhdr/gh-dash/issues/376",
        {
            "message": "Field 'startLine' doesn't exist on type 'PullRequestReviewComment'",
            "path": "query SearchPullRequests.search.nodes.... on PullRequest.reviewThreads.nodes"
            ".comments.nodes.startLine",
        },
        'query SearchIssues { search(query: "x", type: ISSUE, first: 1) { nodes { ... on Issue '
        "{ timelineItems(first: 1) { nodes { ... on IssueComment { startLine } } } } } } }",
        pattern=r"Field 'startLine' doesn't exist on type '\w+'",
        compare=("message",),
    ),
]


def _matches(capture: Capture, message: str) -> bool:
    if capture.pattern is None:
        return message == capture.recorded["message"]
    return re.fullmatch(capture.pattern, message) is not None


def _same_shape(capture: Capture, ours: dict[str, Any]) -> None:
    recorded = capture.recorded
    for key in capture.compare:
        if key not in recorded:
            continue
        assert key in ours, (capture.case, key, ours)
        if key == "message":
            assert _matches(capture, ours["message"]), (capture.case, ours["message"])
        elif key == "path":
            assert len(ours["path"]) == len(recorded["path"]), (capture.case, ours["path"])
            assert ours["path"][0] == recorded["path"][0] or recorded["path"][0] != "query"
        elif key == "extensions":
            assert set(ours["extensions"]) == set(recorded["extensions"]), capture.case
            for name in ("code", "saml_failure", "fieldName"):
                if name in recorded["extensions"]:
                    assert ours["extensions"][name] == recorded["extensions"][name]
        elif key == "locations":
            assert len(ours["locations"]) == len(recorded["locations"]), capture.case
        else:
            assert ours[key] == recorded[key], (capture.case, key)


def test_each_pattern_fits_its_own_capture() -> None:
    for capture in CAPTURES:
        assert _matches(capture, capture.recorded["message"]), capture.case


@pytest.mark.parametrize("capture", [c for c in CAPTURES if c.client_raises], ids=lambda c: c.case)
def test_ghstore_reads_each_captured_error_as_github_means_it(capture: Capture) -> None:
    raised = error_for([capture.recorded])
    assert isinstance(raised, capture.client_raises)


async def _answer(emulator: Emulator, server: EmulatorServer, capture: Capture) -> dict[str, Any]:
    token, query = TOKENS["acme"], capture.query
    if capture.recorded.get("type") == "RATE_LIMIT":  # eve's one point an hour is spent
        emulator.add_user("eve", TOKENS["eve"], hourly_points=1)
        await _post(server.url, f"bearer {TOKENS['eve']}", query)
        token = TOKENS["eve"]
    if capture.recorded.get("type") == "FORBIDDEN":  # a read-only Actions token
        emulator.add_user("github-actions[bot]", "ghs_actions")
        repo = emulator.state.repository_by_name("acme", "data")
        assert repo is not None
        token, query = "ghs_actions", query.replace("REPO", encode_id("Repository", repo.id))
    status, _headers, body = await _post(server.url, f"bearer {token}", query)
    assert status == 200 and body.get("errors"), (capture.case, status, body)
    if capture.data is not None:
        assert body["data"] == capture.data
    return body["errors"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("capture", [c for c in CAPTURES if c.query], ids=lambda c: c.case)
async def test_the_local_github_answers_each_case_as_github_did(
    capture: Capture, emulator: Emulator, server: EmulatorServer
) -> None:
    ours = await _answer(emulator, server, capture)
    if isinstance(capture.recorded.get("path"), str):  # joined by the gh CLI
        assert ".".join(ours["path"]) == (
            "query SearchIssues.search.nodes.... on Issue.timelineItems.nodes"
            ".... on IssueComment.startLine"
        )
    _same_shape(capture, ours)


# -- answers before GraphQL runs ---------------------------------------------------------------
async def _post(
    url: str, authorization: str | None, query: str = "{ viewer { login } }"
) -> tuple[int, dict[str, str], Any]:
    """POST a document as it is (gql would parse it first and refuse a broken one)."""
    headers = {"Authorization": authorization} if authorization else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"query": query}, headers=headers) as response,
    ):
        headers = {name.lower(): value for name, value in response.headers.items()}
        return response.status, headers, await response.json()


async def test_a_bad_token_is_answered_as_recorded(server: EmulatorServer) -> None:
    """vesoft-inc/github-statistics#75 (body); hcengineering/platform#5104 (headers: a 401
    carries rate headers of a zero budget on the graphql resource)."""
    status, headers, body = await _post(server.url, "bearer nope")
    assert status == 401
    assert body == {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/graphql",
    }
    assert (headers["x-ratelimit-limit"], headers["x-ratelimit-resource"]) == ("0", "graphql")


async def test_an_actions_token_refused_by_rest_is_answered_as_recorded(
    emulator: Emulator, rest: RestGitHub
) -> None:
    """actions/create-github-app-token#258: `{"message": "Resource not accessible by
    integration", "documentation_url": ..., "status": "403"}`."""
    emulator.add_user("github-actions[bot]", "ghs_actions")
    answer = await rest.call(
        None, "POST", "/repos/acme/data/labels", {"name": "x"}, authorization="token ghs_actions"
    )
    assert answer.status == 403
    assert answer.body["message"] == "Resource not accessible by integration"
    assert answer.body["status"] == "403"


async def test_a_request_without_a_token_is_answered_as_recorded(server: EmulatorServer) -> None:
    """carbon-design-system/carbon-tutorial-angular#1142."""
    status, _headers, body = await _post(server.url, None)
    assert status == 401
    assert body == {
        "message": "This endpoint requires you to be authenticated.",
        "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql"
        "#authenticating-with-graphql",
    }


# GitHub's docs' example: 5,101 requests, 51 points.
COSTS_51 = """query { viewer { repositories(first: 100) { edges { node { id
  issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id } } } } } } } } } } }"""


async def test_used_may_pass_the_limit_as_github_shows_it(
    emulator: Emulator, github: HttpGitHub, rest: RestGitHub
) -> None:
    """cli/cli#8321: `"graphql": {"limit": 5000, "used": 5002, "remaining": 0, ...}`, with a
    `search` resource beside `core` and `graphql`."""
    emulator.add_user("eve", "t3", hourly_points=50)
    assert (await github.raw("eve", COSTS_51)).errors is None
    limits = await rest.ok("eve", "GET", "/rate_limit")
    graphql = limits["resources"]["graphql"]
    assert (graphql["limit"], graphql["used"], graphql["remaining"]) == (50, 51, 0)
    assert set(limits["resources"]) >= {"core", "graphql", "search"}
