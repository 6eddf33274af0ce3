"""GitHub's limits on the local GitHub: page sizes, node cap, query cost and rate limits.

Expected numbers come from GitHub's docs ("Rate limits and query limits for the GraphQL API").
Every request goes over real HTTP (gql's AIOHTTPTransport) to the emulator on a loopback port.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from gql.graphql_request import GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportServerError

from ghstore.emulator import Emulator, EmulatorServer

SIMPLE = "query { viewer { login } }"
DOCS_COST_EXAMPLE = """
query {
  viewer {
    login
    repositories(first: 100) {
      edges { node { id
        issues(first: 50) { edges { node { id
          labels(first: 60) { edges { node { id name } } }
        } } }
      } }
    }
  }
  rateLimit { cost nodeCount }
}"""
COMMENT_REACTIONS = """
query {
  repository(owner: "acme", name: "data") {
    issues(first: 100) { nodes { comments(first: 100) { nodes {
      reactions(first: 10) { totalCount }
    } } } }
  }
  rateLimit { cost }
}"""
DOCS_SIMPLE_NODES = """
query {
  viewer {
    repositories(first: 50) {
      edges {
        repository: node {
          name
          issues(first: 10) { totalCount edges { node { title bodyHTML } } }
        }
      }
    }
  }
  rateLimit { nodeCount }
}"""
CREATE_ISSUE = """
mutation($repo: ID!) { createIssue(input: {repositoryId: $repo, title: "t"}) { issue { id } } }
"""
REPO_ID = 'query { repository(owner: "acme", name: "data") { id } }'


async def send(url: str, token: str, query: str, **variables: Any) -> tuple[Any, dict[str, str]]:
    """The ExecutionResult and the response headers (lower-cased names) of one request."""
    transport = AIOHTTPTransport(url=url, headers={"Authorization": f"bearer {token}"})
    await transport.connect()
    try:
        result = await transport.execute(GraphQLRequest(query, variable_values=variables))
        return result, {k.lower(): v for k, v in transport.response_headers.items()}
    finally:
        await transport.close()


class FakeClock:
    """A clock the test moves by hand, in epoch seconds."""

    def __init__(self) -> None:
        self.now = 1_704_067_200.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def serving(**kwargs: Any) -> AsyncIterator[str]:
    """A fresh emulator made with `kwargs`, acme (token t1) owning acme/data, on HTTP."""
    emulator = Emulator(**kwargs)
    emulator.add_user("acme", "t1")
    emulator.add_repository("acme/data")
    server = EmulatorServer(emulator)
    await server.start()
    try:
        yield server.url
    finally:
        await server.stop()
        emulator.close()


# -- pagination and node limits ------------------------------------------------------------
@pytest.mark.parametrize("argument", ["first", "last"])
async def test_asking_for_101_records_is_refused_with_excessive_pagination(
    github: Any, argument: str
) -> None:
    result = await github.raw(
        "acme",
        f'query {{ repository(owner: "acme", name: "data") {{ issues({argument}: 101) '
        "{ totalCount } } }",
    )
    assert result.data is None
    assert [e["type"] for e in result.errors] == ["EXCESSIVE_PAGINATION"]
    assert "101" in result.errors[0]["message"]


async def test_asking_for_100_records_is_allowed(github: Any) -> None:
    data = await github.data(
        "acme",
        'query { repository(owner: "acme", name: "data") { issues(first: 100) { totalCount } } }',
    )
    assert data["repository"]["issues"]["totalCount"] == 0


async def test_a_connection_without_first_or_last_is_refused(github: Any) -> None:
    result = await github.raw(
        "acme",
        'query { repository(owner: "acme", name: "data") { issues { totalCount nodes { id } } } }',
    )
    assert result.data is None
    assert [e["type"] for e in result.errors] == ["MISSING_PAGINATION_BOUNDARIES"]


async def test_a_nested_connection_without_first_or_last_is_refused(github: Any) -> None:
    result = await github.raw(
        "acme",
        'query { repository(owner: "acme", name: "data") { issues(first: 5) '
        "{ nodes { comments { nodes { id } } } } } }",
    )
    assert result.data is None
    assert [e["type"] for e in result.errors] == ["MISSING_PAGINATION_BOUNDARIES"]


async def test_a_connection_selecting_only_its_total_count_needs_no_first_or_last(
    github: Any, store: Any
) -> None:
    """The gh CLI sends `issues(states: OPEN) { totalCount }` (cli/cli api/query_builder.go)."""
    await store.create("a", {"v": 1})
    data = await github.data(
        "acme",
        'query { repository(owner: "acme", name: "data") { all: issues { totalCount } '
        "open: issues(states: OPEN) { totalCount } issues(first: 5) "
        "{ nodes { comments { totalCount __typename } } } } }",
    )
    repository = data["repository"]
    assert (repository["all"]["totalCount"], repository["open"]["totalCount"]) == (1, 0)
    assert repository["issues"]["nodes"] == [
        {"comments": {"totalCount": 1, "__typename": "IssueCommentConnection"}}  # the initial state
    ]


async def test_a_refused_request_runs_none_of_its_mutations(github: Any) -> None:
    repo = (await github.data("acme", REPO_ID))["repository"]["id"]
    result = await github.raw(
        "acme",
        'mutation($repo: ID!) { createIssue(input: {repositoryId: $repo, title: "t"}) '
        "{ issue { repository { issues(first: 101) { totalCount } } } } }",
        repo=repo,
    )
    assert result.data is None
    count = await github.data(
        "acme",
        'query { repository(owner: "acme", name: "data") { issues(first: 1) { totalCount } } }',
    )
    assert count["repository"]["issues"]["totalCount"] == 0


async def test_a_page_size_given_by_a_variable_is_checked_too(github: Any) -> None:
    result = await github.raw(
        "acme",
        'query($n: Int!) { repository(owner: "acme", name: "data") { issues(first: $n) '
        "{ totalCount } } }",
        n=101,
    )
    assert result.data is None
    assert [e["type"] for e in result.errors] == ["EXCESSIVE_PAGINATION"]


async def test_a_connection_inside_a_fragment_needs_first_or_last_too(github: Any) -> None:
    result = await github.raw(
        "acme",
        'query { repository(owner: "acme", name: "data") { issues(first: 5) { nodes { ...C } } } }'
        " fragment C on Issue { comments { nodes { id } } }",
    )
    assert result.data is None
    assert [e["type"] for e in result.errors] == ["MISSING_PAGINATION_BOUNDARIES"]


async def test_a_query_over_500000_nodes_is_refused_with_max_node_limit_exceeded(
    github: Any,
) -> None:
    # 100 + 100 x 100 + 100 x 100 x 100 = 1,010,100 nodes
    result = await github.raw(
        "acme",
        "query { viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes {"
        " comments(first: 100) { totalCount } } } } } } }",
    )
    assert result.data is None
    assert [e["type"] for e in result.errors] == ["MAX_NODE_LIMIT_EXCEEDED"]


async def test_a_query_just_under_500000_nodes_is_allowed(github: Any) -> None:
    # 49 + 49 x 100 + 49 x 100 x 100 = 494,949 nodes
    data = await github.data(
        "acme",
        "query { viewer { repositories(first: 49) { nodes { issues(first: 100) { nodes {"
        " comments(first: 100) { totalCount } } } } } } rateLimit { nodeCount } }",
    )
    assert data["rateLimit"]["nodeCount"] == 494_949


async def test_the_docs_simple_node_example_counts_550_nodes(github: Any) -> None:
    data = await github.data("acme", DOCS_SIMPLE_NODES)
    assert data["rateLimit"]["nodeCount"] == 550


# -- cost ----------------------------------------------------------------------------------
async def test_the_docs_cost_example_costs_51_points(github: Any) -> None:
    _, before = await send(github.url, "t1", SIMPLE)
    result, after = await send(github.url, "t1", DOCS_COST_EXAMPLE)
    assert result.errors is None
    assert result.data["rateLimit"]["cost"] == 51
    assert result.data["rateLimit"]["nodeCount"] == 100 + 100 * 50 + 100 * 50 * 60
    assert int(after["x-ratelimit-used"]) - int(before["x-ratelimit-used"]) == 51


async def test_reactions_of_comments_of_100_issues_cost_101_points(github: Any) -> None:
    _, before = await send(github.url, "t1", SIMPLE)
    result, after = await send(github.url, "t1", COMMENT_REACTIONS)
    assert result.data["rateLimit"]["cost"] == 101
    assert int(after["x-ratelimit-used"]) - int(before["x-ratelimit-used"]) == 101


async def test_connections_inside_fragments_are_priced_like_inline_ones(github: Any) -> None:
    result = await github.data(
        "acme",
        'query { repository(owner: "acme", name: "data") { issues(first: 100) {'
        " nodes { ...Comments } } } rateLimit { cost } }"
        " fragment Comments on Issue { comments(first: 100) { nodes {"
        " ... on IssueComment { reactions(first: 10) { totalCount } } } } }",
    )
    assert result["rateLimit"]["cost"] == 101


async def test_a_simple_query_costs_one_point(github: Any) -> None:
    _, before = await send(github.url, "t1", SIMPLE)
    result, after = await send(github.url, "t1", "query { viewer { login } rateLimit { cost } }")
    assert result.data["rateLimit"]["cost"] == 1
    assert int(after["x-ratelimit-used"]) - int(before["x-ratelimit-used"]) == 1


async def test_a_mutation_without_connections_costs_one_point(github: Any) -> None:
    repo = (await github.data("acme", REPO_ID))["repository"]["id"]
    _, before = await send(github.url, "t1", SIMPLE)
    _, after = await send(github.url, "t1", CREATE_ISSUE, repo=repo)
    assert int(after["x-ratelimit-used"]) - int(before["x-ratelimit-used"]) == 1


async def test_a_dry_run_prices_the_query_without_charging(github: Any) -> None:
    dry = DOCS_COST_EXAMPLE.replace("rateLimit {", "rateLimit(dryRun: true) {")
    _, before = await send(github.url, "t1", SIMPLE)
    result, after = await send(github.url, "t1", dry)
    assert result.data["rateLimit"]["cost"] == 51
    assert after["x-ratelimit-used"] == before["x-ratelimit-used"]


async def test_a_dry_run_asked_through_a_variable_does_not_charge_either(github: Any) -> None:
    query = "query($dry: Boolean!) { viewer { login } rateLimit(dryRun: $dry) { cost } }"
    _, before = await send(github.url, "t1", SIMPLE)
    _, after = await send(github.url, "t1", query, dry=True)
    assert after["x-ratelimit-used"] == before["x-ratelimit-used"]
    _, charged = await send(github.url, "t1", query, dry=False)
    assert int(charged["x-ratelimit-used"]) == int(after["x-ratelimit-used"]) + 1


async def test_rate_limit_reports_the_remaining_points(github: Any) -> None:
    result, headers = await send(
        github.url, "t1", "query { rateLimit { limit used remaining resetAt } }"
    )
    rate = result.data["rateLimit"]
    assert rate["limit"] == 5000
    assert rate["remaining"] == rate["limit"] - rate["used"]
    assert str(rate["remaining"]) == headers["x-ratelimit-remaining"]


# -- rate limits ---------------------------------------------------------------------------
async def test_responses_carry_githubs_rate_limit_headers(github: Any) -> None:
    _, headers = await send(github.url, "t1", SIMPLE)
    assert headers["x-ratelimit-limit"] == "5000"
    assert headers["x-ratelimit-used"] == "1"
    assert headers["x-ratelimit-remaining"] == "4999"
    assert headers["x-ratelimit-resource"] == "graphql"
    assert int(headers["x-ratelimit-reset"]) > 0


async def test_the_reset_header_is_an_epoch_within_the_next_hour(
    github: Any, emulator: Emulator
) -> None:
    clock = FakeClock()
    emulator.clock = clock
    _, headers = await send(github.url, "t1", SIMPLE)
    assert clock.now < int(headers["x-ratelimit-reset"]) <= clock.now + 3600


async def test_a_user_over_their_hourly_points_gets_rate_limited_with_http_200(
    github: Any, emulator: Emulator
) -> None:
    emulator.add_user("eve", "t3", hourly_points=3)
    for _ in range(3):
        result, _ = await send(github.url, "t3", SIMPLE)
        assert result.errors is None
    result, headers = await send(github.url, "t3", SIMPLE)  # HTTP 200: gql did not raise
    assert result.data is None
    assert [e["type"] for e in result.errors] == ["RATE_LIMIT"]
    assert headers["x-ratelimit-remaining"] == "0"
    assert headers["x-ratelimit-limit"] == "3"


async def test_one_users_spent_points_do_not_limit_another_user(
    github: Any, emulator: Emulator
) -> None:
    emulator.add_user("eve", "t3", hourly_points=1)
    await send(github.url, "t3", SIMPLE)
    assert (await send(github.url, "t3", SIMPLE))[0].errors[0]["type"] == "RATE_LIMIT"
    assert (await send(github.url, "t2", SIMPLE))[0].errors is None


async def test_a_query_costing_more_than_what_remains_runs_and_used_passes_the_limit(
    github: Any, emulator: Emulator
) -> None:
    """GitHub refuses only a spent budget: `used` may exceed `limit` (cli/cli#8321 shows
    `"used": 5002` of 5,000); the next request is then refused."""
    emulator.add_user("eve", "t3", hourly_points=50)
    result, headers = await send(github.url, "t3", DOCS_COST_EXAMPLE)  # 51 points
    assert result.errors is None
    assert (headers["x-ratelimit-used"], headers["x-ratelimit-remaining"]) == ("51", "0")
    result, _ = await send(github.url, "t3", SIMPLE)
    assert [e["type"] for e in result.errors] == ["RATE_LIMIT"]
    assert result.errors[0]["code"] == "graphql_rate_limit"
    assert result.errors[0]["message"].startswith("API rate limit already exceeded for user ID ")


async def test_the_emulators_hourly_points_apply_to_every_token() -> None:
    async with serving(hourly_points=2) as url:
        await send(url, "t1", SIMPLE)
        result, headers = await send(url, "t1", SIMPLE)
        assert result.errors is None
        assert headers["x-ratelimit-remaining"] == "0"
        result, _ = await send(url, "t1", SIMPLE)
        assert [e["type"] for e in result.errors] == ["RATE_LIMIT"]


async def test_points_come_back_when_the_hour_is_over() -> None:
    clock = FakeClock()
    async with serving(hourly_points=1, clock=clock) as url:
        await send(url, "t1", SIMPLE)
        assert (await send(url, "t1", SIMPLE))[0].errors[0]["type"] == "RATE_LIMIT"
        clock.now += 3601
        result, headers = await send(url, "t1", SIMPLE)
        assert result.errors is None
        assert headers["x-ratelimit-used"] == "1"


async def test_content_creation_over_the_per_minute_limit_gets_403_with_retry_after() -> None:
    async with serving(content_per_minute=2) as url:
        repo = (await send(url, "t1", REPO_ID))[0].data["repository"]["id"]
        for _ in range(2):
            assert (await send(url, "t1", CREATE_ISSUE, repo=repo))[0].errors is None
        transport = AIOHTTPTransport(url=url, headers={"Authorization": "bearer t1"})
        await transport.connect()
        try:
            with pytest.raises(TransportServerError) as caught:
                await transport.execute(
                    GraphQLRequest(CREATE_ISSUE, variable_values={"repo": repo})
                )
            assert caught.value.code == 403
            assert int(transport.response_headers["retry-after"]) > 0
        finally:
            await transport.close()
        count = (
            'query { repository(owner: "acme", name: "data") { issues(first: 1) { totalCount } } }'
        )
        assert (await send(url, "t1", count))[0].data["repository"]["issues"]["totalCount"] == 2


async def test_content_creation_limit_leaves_reads_alone() -> None:
    async with serving(content_per_minute=1) as url:
        repo = (await send(url, "t1", REPO_ID))[0].data["repository"]["id"]
        await send(url, "t1", CREATE_ISSUE, repo=repo)
        with pytest.raises(TransportServerError):
            await send(url, "t1", CREATE_ISSUE, repo=repo)
        assert (await send(url, "t1", SIMPLE))[0].errors is None


async def test_content_creation_is_allowed_again_a_minute_later() -> None:
    clock = FakeClock()
    async with serving(content_per_minute=1, clock=clock) as url:
        repo = (await send(url, "t1", REPO_ID))[0].data["repository"]["id"]
        await send(url, "t1", CREATE_ISSUE, repo=repo)
        with pytest.raises(TransportServerError):
            await send(url, "t1", CREATE_ISSUE, repo=repo)
        clock.now += 61
        assert (await send(url, "t1", CREATE_ISSUE, repo=repo))[0].errors is None
