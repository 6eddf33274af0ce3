"""The local GitHub answers reads as GitHub does: filters, order, cursors, nodes, schema checks.

Every request goes over real HTTP (gql's AIOHTTPTransport) to the emulator on a loopback port.
"""

from __future__ import annotations

from typing import Any

import pytest

from ghstore.emulator import Emulator

REPO_ID = 'query { repository(owner: "acme", name: "data") { id } }'
CREATE_LABEL = """
mutation($repo: ID!, $name: String!) {
  createLabel(input: {repositoryId: $repo, name: $name, color: "d73a4a"}) { label { id } }
}"""
CREATE_ISSUE = """
mutation($repo: ID!, $title: String!, $labels: [ID!]) {
  createIssue(input: {repositoryId: $repo, title: $title, labelIds: $labels}) {
    issue { id number }
  }
}"""
ADD_COMMENT = """
mutation($id: ID!, $body: String!) {
  addComment(input: {subjectId: $id, body: $body}) { commentEdge { node { id } } }
}"""
CLOSE_ISSUE = "mutation($id: ID!) { closeIssue(input: {issueId: $id}) { issue { state } } }"
UPDATE_TITLE = """
mutation($id: ID!, $title: String!) {
  updateIssue(input: {id: $id, title: $title}) { issue { id } }
}"""
ISSUE_NUMBERS = """
query($labels: [String!], $states: [IssueState!], $filter: IssueFilters, $order: IssueOrder) {
  repository(owner: "acme", name: "data") {
    issues(first: 100, labels: $labels, states: $states, filterBy: $filter, orderBy: $order) {
      totalCount
      nodes { number }
    }
  }
}"""
PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $order: IssueOrder) {
  repository(owner: "acme", name: "data") {
    issues(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { number } }
    }
  }
}"""


class FakeClock:
    """A clock the test moves by hand, in epoch seconds."""

    def __init__(self, start: float = 1_704_067_200.0) -> None:  # 2024-01-01T00:00:00Z
        self.now = start

    def __call__(self) -> float:
        return self.now


async def repo_id(github: Any) -> str:
    return str((await github.data("acme", REPO_ID))["repository"]["id"])


async def create_label(github: Any, repo: str, name: str) -> str:
    data = await github.data("acme", CREATE_LABEL, repo=repo, name=name)
    return str(data["createLabel"]["label"]["id"])


async def create_issue(
    github: Any, repo: str, title: str, labels: list[str] | None = None, login: str = "acme"
) -> dict[str, Any]:
    data = await github.data(login, CREATE_ISSUE, repo=repo, title=title, labels=labels)
    issue: dict[str, Any] = data["createIssue"]["issue"]
    return issue


async def create_many(github: Any, repo: str, count: int) -> None:
    """Create issues #1..#count, fifty aliased createIssue mutations a request."""
    for start in range(1, count + 1, 50):
        fields = " ".join(
            f'i{n}: createIssue(input: {{repositoryId: $repo, title: "issue {n}"}}) '
            "{ issue { number } }"
            for n in range(start, min(count, start + 49) + 1)
        )
        await github.data("acme", f"mutation($repo: ID!) {{ {fields} }}", repo=repo)


async def numbers(github: Any, **variables: Any) -> list[int]:
    data = await github.data("acme", ISSUE_NUMBERS, **variables)
    return [node["number"] for node in data["repository"]["issues"]["nodes"]]


async def labelled_issues(github: Any) -> None:
    """#1 bug, #2 docs, #3 bug+docs, #4 none, #5 bug-report (a label whose name contains 'bug')."""
    repo = await repo_id(github)
    bug = await create_label(github, repo, "bug")
    docs = await create_label(github, repo, "docs")
    bug_report = await create_label(github, repo, "bug-report")
    await create_issue(github, repo, "one", [bug])
    await create_issue(github, repo, "two", [docs])
    await create_issue(github, repo, "three", [bug, docs])
    await create_issue(github, repo, "four")
    await create_issue(github, repo, "five", [bug_report])


# -- filters -------------------------------------------------------------------------------
async def test_labels_argument_matches_issues_with_any_of_the_labels(github: Any) -> None:
    await labelled_issues(github)
    assert await numbers(github, labels=["bug", "docs"]) == [1, 2, 3]


async def test_labels_argument_with_one_name_matches_that_label_exactly(github: Any) -> None:
    await labelled_issues(github)
    assert await numbers(github, labels=["bug"]) == [1, 3]


async def test_labels_argument_naming_no_existing_label_matches_nothing(github: Any) -> None:
    await labelled_issues(github)
    assert await numbers(github, labels=["no-such-label"]) == []


async def test_label_then_issues_finds_the_issues_carrying_that_exact_label(github: Any) -> None:
    await labelled_issues(github)
    data = await github.data(
        "acme",
        'query { repository(owner: "acme", name: "data") { label(name: "bug") {'
        " name issues(first: 10) { totalCount nodes { number } } } } }",
    )
    label = data["repository"]["label"]
    assert label["name"] == "bug"
    assert label["issues"]["totalCount"] == 2
    assert [n["number"] for n in label["issues"]["nodes"]] == [1, 3]


async def test_label_that_does_not_exist_is_null(github: Any) -> None:
    data = await github.data(
        "acme", 'query { repository(owner: "acme", name: "data") { label(name: "nope") { id } } }'
    )
    assert data["repository"]["label"] is None


async def test_filter_by_labels_matches_issues_with_any_of_the_labels(github: Any) -> None:
    await labelled_issues(github)
    assert await numbers(github, filter={"labels": ["docs", "bug-report"]}) == [2, 3, 5]


async def test_states_argument_returns_only_issues_in_those_states(github: Any) -> None:
    repo = await repo_id(github)
    await create_issue(github, repo, "open")
    closed = await create_issue(github, repo, "closed")
    await create_issue(github, repo, "open too")
    await github.data("acme", CLOSE_ISSUE, id=closed["id"])
    assert await numbers(github, states=["OPEN"]) == [1, 3]
    assert await numbers(github, states=["CLOSED"]) == [2]
    assert await numbers(github, states=["OPEN", "CLOSED"]) == [1, 2, 3]


async def test_filter_by_states_returns_only_issues_in_those_states(github: Any) -> None:
    repo = await repo_id(github)
    await create_issue(github, repo, "open")
    closed = await create_issue(github, repo, "closed")
    await github.data("acme", CLOSE_ISSUE, id=closed["id"])
    assert await numbers(github, filter={"states": ["CLOSED"]}) == [2]
    assert await numbers(github, filter={"states": ["OPEN"]}) == [1]


async def test_filter_by_created_by_returns_only_that_authors_issues(github: Any) -> None:
    repo = await repo_id(github)
    await create_issue(github, repo, "by acme")
    await create_issue(github, repo, "by bob", login="bob")
    await create_issue(github, repo, "by eve", login="eve")
    await create_issue(github, repo, "by bob again", login="bob")
    assert await numbers(github, filter={"createdBy": "bob"}) == [2, 4]


async def test_filter_by_since_returns_issues_updated_at_or_after_that_time(
    github: Any, emulator: Emulator
) -> None:
    clock = FakeClock()
    emulator.clock = clock
    repo = await repo_id(github)
    old = await create_issue(github, repo, "old")  # 00:00:00
    clock.now += 100
    await create_issue(github, repo, "new")  # 00:01:40
    assert await numbers(github, filter={"since": "2024-01-01T00:01:00Z"}) == [2]
    assert await numbers(github, filter={"since": "2024-01-01T00:01:40Z"}) == [2]
    clock.now += 100
    await github.data("acme", ADD_COMMENT, id=old["id"], body="a comment updates the issue")
    assert await numbers(github, filter={"since": "2024-01-01T00:02:00Z"}) == [1]


async def test_filter_by_since_understands_a_timestamp_with_an_offset(
    github: Any, emulator: Emulator
) -> None:
    clock = FakeClock()
    emulator.clock = clock
    repo = await repo_id(github)
    await create_issue(github, repo, "old")  # 00:00:00Z
    clock.now += 3600
    await create_issue(github, repo, "new")  # 01:00:00Z
    # 01:30+01:00 is 00:30Z: only the issue updated at 01:00Z is at or after it.
    assert await numbers(github, filter={"since": "2024-01-01T01:30:00+01:00"}) == [2]
    assert await numbers(github, filter={"since": "2024-01-01T00:59:59.500Z"}) == [2]


async def test_filters_combine_so_an_issue_must_pass_all_of_them(github: Any) -> None:
    await labelled_issues(github)
    three = await github.data(
        "acme", 'query { repository(owner: "acme", name: "data") { issue(number: 3) { id } } }'
    )
    await github.data("acme", CLOSE_ISSUE, id=three["repository"]["issue"]["id"])
    assert await numbers(github, labels=["bug"], filter={"states": ["OPEN"]}) == [1]


# -- order ---------------------------------------------------------------------------------
async def test_issues_come_oldest_first_without_an_order(github: Any) -> None:
    await create_many(github, await repo_id(github), 5)
    assert await numbers(github) == [1, 2, 3, 4, 5]


async def test_order_by_created_at_descending_lists_newest_first(github: Any) -> None:
    await create_many(github, await repo_id(github), 5)
    order = {"field": "CREATED_AT", "direction": "DESC"}
    assert await numbers(github, order=order) == [5, 4, 3, 2, 1]


async def test_order_by_updated_at_lists_the_last_updated_issue_last(
    github: Any, emulator: Emulator
) -> None:
    clock = FakeClock()
    emulator.clock = clock
    repo = await repo_id(github)
    first = await create_issue(github, repo, "first")
    clock.now += 10
    await create_issue(github, repo, "second")
    clock.now += 10
    await create_issue(github, repo, "third")
    clock.now += 10
    await github.data("acme", UPDATE_TITLE, id=first["id"], title="first, edited")
    assert await numbers(github, order={"field": "UPDATED_AT", "direction": "ASC"}) == [2, 3, 1]
    assert await numbers(github, order={"field": "UPDATED_AT", "direction": "DESC"}) == [1, 3, 2]


async def test_order_by_comments_lists_the_most_commented_issue_last(github: Any) -> None:
    repo = await repo_id(github)
    issues = [await create_issue(github, repo, f"issue {n}") for n in range(3)]
    for issue, count in zip(issues, (2, 0, 1), strict=True):
        for n in range(count):
            await github.data("acme", ADD_COMMENT, id=issue["id"], body=f"comment {n}")
    assert await numbers(github, order={"field": "COMMENTS", "direction": "ASC"}) == [2, 3, 1]


# -- cursors -------------------------------------------------------------------------------
async def test_first_and_after_walk_forward_through_150_issues(github: Any) -> None:
    await create_many(github, await repo_id(github), 150)
    seen: list[int] = []
    after = None
    pages = []
    while True:
        data = await github.data("acme", PAGE, first=100, after=after)
        issues = data["repository"]["issues"]
        pages.append(issues)
        seen.extend(edge["node"]["number"] for edge in issues["edges"])
        if not issues["pageInfo"]["hasNextPage"]:
            break
        after = issues["pageInfo"]["endCursor"]
    assert seen == list(range(1, 151))
    assert [len(page["edges"]) for page in pages] == [100, 50]
    assert pages[0]["pageInfo"]["hasPreviousPage"] is False
    assert pages[0]["pageInfo"]["endCursor"] == pages[0]["edges"][-1]["cursor"]
    assert pages[1]["pageInfo"]["startCursor"] == pages[1]["edges"][0]["cursor"]
    assert all(page["totalCount"] == 150 for page in pages)


async def test_last_and_before_walk_backward_through_150_issues(github: Any) -> None:
    await create_many(github, await repo_id(github), 150)
    seen: list[int] = []
    before = None
    pages = []
    while True:
        data = await github.data("acme", PAGE, last=100, before=before)
        issues = data["repository"]["issues"]
        pages.append(issues)
        seen[:0] = [edge["node"]["number"] for edge in issues["edges"]]
        if not issues["pageInfo"]["hasPreviousPage"]:
            break
        before = issues["pageInfo"]["startCursor"]
    assert seen == list(range(1, 151))
    assert [len(page["edges"]) for page in pages] == [100, 50]
    assert pages[0]["pageInfo"]["hasNextPage"] is False
    assert [e["node"]["number"] for e in pages[0]["edges"]] == list(range(51, 151))


async def test_first_after_an_edge_cursor_starts_right_after_that_edge(github: Any) -> None:
    await create_many(github, await repo_id(github), 10)
    data = await github.data("acme", PAGE, first=4)
    fourth = data["repository"]["issues"]["edges"][3]["cursor"]
    data = await github.data("acme", PAGE, first=3, after=fourth)
    assert [e["node"]["number"] for e in data["repository"]["issues"]["edges"]] == [5, 6, 7]


async def test_cursors_walk_a_descending_order(github: Any) -> None:
    await create_many(github, await repo_id(github), 7)
    order = {"field": "CREATED_AT", "direction": "DESC"}
    data = await github.data("acme", PAGE, first=4, order=order)
    issues = data["repository"]["issues"]
    assert [e["node"]["number"] for e in issues["edges"]] == [7, 6, 5, 4]
    after = issues["pageInfo"]["endCursor"]
    data = await github.data("acme", PAGE, first=4, after=after, order=order)
    issues = data["repository"]["issues"]
    assert [e["node"]["number"] for e in issues["edges"]] == [3, 2, 1]
    assert issues["pageInfo"]["hasNextPage"] is False


async def test_total_count_counts_every_match_not_only_the_page(github: Any) -> None:
    await create_many(github, await repo_id(github), 30)
    data = await github.data("acme", PAGE, first=5)
    assert data["repository"]["issues"]["totalCount"] == 30
    assert len(data["repository"]["issues"]["edges"]) == 5


async def test_an_empty_connection_has_no_cursors_and_no_pages(github: Any) -> None:
    data = await github.data("acme", PAGE, first=10)
    issues = data["repository"]["issues"]
    assert issues["totalCount"] == 0
    assert issues["edges"] == []
    assert issues["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_a_malformed_cursor_is_refused(github: Any) -> None:
    result = await github.raw("acme", PAGE, first=10, after="not a cursor")
    assert result.data["repository"] is None
    assert [e["type"] for e in result.errors] == ["INVALID_CURSOR_ARGUMENTS"]


# -- nodes and global ids ------------------------------------------------------------------
async def test_global_ids_carry_githubs_prefixes(github: Any) -> None:
    repo = await repo_id(github)
    label = await create_label(github, repo, "bug")
    issue = await create_issue(github, repo, "an issue", [label])
    data = await github.data("acme", ADD_COMMENT, id=issue["id"], body="hello")
    comment = data["addComment"]["commentEdge"]["node"]["id"]
    assert issue["id"].startswith("I_kwDO")
    assert comment.startswith("IC_kwDO")
    assert label.startswith("LA_kwDO")


async def test_node_fetches_an_issue_by_its_global_id(github: Any) -> None:
    issue = await create_issue(github, await repo_id(github), "found by id")
    data = await github.data(
        "acme",
        "query($id: ID!) { node(id: $id) { __typename id ... on Issue { number title } } }",
        id=issue["id"],
    )
    assert data["node"] == {
        "__typename": "Issue",
        "id": issue["id"],
        "number": issue["number"],
        "title": "found by id",
    }


async def test_node_fetches_a_comment_by_its_global_id(github: Any) -> None:
    issue = await create_issue(github, await repo_id(github), "with a comment")
    added = await github.data("acme", ADD_COMMENT, id=issue["id"], body="the comment")
    comment_id = added["addComment"]["commentEdge"]["node"]["id"]
    data = await github.data(
        "acme",
        "query($id: ID!) { node(id: $id) { __typename"
        " ... on IssueComment { body issue { number } } } }",
        id=comment_id,
    )
    assert data["node"] == {
        "__typename": "IssueComment",
        "body": "the comment",
        "issue": {"number": issue["number"]},
    }


async def test_nodes_fetches_many_objects_in_the_order_given(github: Any) -> None:
    repo = await repo_id(github)
    one = await create_issue(github, repo, "one")
    two = await create_issue(github, repo, "two")
    added = await github.data("acme", ADD_COMMENT, id=one["id"], body="note")
    comment_id = added["addComment"]["commentEdge"]["node"]["id"]
    data = await github.data(
        "acme",
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        ids=[two["id"], comment_id, one["id"]],
    )
    assert [node["id"] for node in data["nodes"]] == [two["id"], comment_id, one["id"]]


async def test_nodes_answers_null_and_not_found_in_place_of_an_unknown_id(github: Any) -> None:
    issue = await create_issue(github, await repo_id(github), "known")
    unknown = "I_kwDOthisIsNotAnIssue"
    result = await github.raw(
        "acme", "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=[issue["id"], unknown]
    )
    assert result.data == {"nodes": [{"id": issue["id"]}, None]}
    assert len(result.errors) == 1
    assert result.errors[0]["type"] == "NOT_FOUND"
    assert result.errors[0]["path"] == ["nodes", 1]
    assert unknown in result.errors[0]["message"]


async def test_node_with_an_unknown_id_is_null_with_not_found(github: Any) -> None:
    result = await github.raw("acme", 'query { node(id: "IC_kwDOnope") { id } }')
    assert result.data == {"node": None}
    assert [(e["type"], e["path"]) for e in result.errors] == [("NOT_FOUND", ["node"])]


async def test_an_issue_number_that_does_not_exist_is_not_found(github: Any) -> None:
    result = await github.raw(
        "acme", 'query { repository(owner: "acme", name: "data") { issue(number: 7) { id } } }'
    )
    assert result.data == {"repository": {"issue": None}}
    assert result.errors[0]["type"] == "NOT_FOUND"
    assert result.errors[0]["path"] == ["repository", "issue"]


async def test_a_repository_that_does_not_exist_is_not_found(github: Any) -> None:
    result = await github.raw("acme", 'query { repository(owner: "acme", name: "nope") { id } }')
    assert result.data == {"repository": None}
    assert result.errors[0]["type"] == "NOT_FOUND"


# -- the schema: unemulated fields and validation ------------------------------------------
@pytest.mark.parametrize(
    ("name", "field"),
    [("milestone", "milestone { id }"), ("assignees", "assignees(first: 5) { totalCount }")],
)
async def test_a_field_that_is_not_emulated_answers_an_error_naming_it(
    github: Any, name: str, field: str
) -> None:
    await create_issue(github, await repo_id(github), "plain")
    result = await github.raw(
        "acme",
        'query { repository(owner: "acme", name: "data") { issue(number: 1) {'
        f" title {field} }} }} }}",
    )
    assert len(result.errors) == 1
    assert name in result.errors[0]["message"]
    assert "is not emulated" in result.errors[0]["message"]
    assert result.errors[0]["path"][-1] == name


async def test_an_unknown_field_is_rejected_by_validation_in_githubs_words(github: Any) -> None:
    result = await github.raw(
        "acme",
        'query { repository(owner: "acme", name: "data") { issues(first: 1) {'
        " nodes { title x } } } }",
    )
    assert result.data is None
    assert [e["message"] for e in result.errors] == ["Field 'x' doesn't exist on type 'Issue'"]


async def test_an_invalid_document_runs_none_of_its_fields(github: Any) -> None:
    repo = await repo_id(github)
    result = await github.raw(
        "acme",
        "mutation($repo: ID!) {"
        ' createIssue(input: {repositoryId: $repo, title: "t"}) { issue { number nope } } }',
        repo=repo,
    )
    assert result.data is None
    assert result.errors[0]["message"] == "Field 'nope' doesn't exist on type 'Issue'"
    assert await numbers(github) == []


async def test_an_unknown_argument_is_rejected_by_validation(github: Any) -> None:
    result = await github.raw(
        "acme", 'query { repository(owner: "acme", name: "data", colour: "red") { id } }'
    )
    assert result.data is None
    assert result.errors[0]["message"] == "Field 'repository' doesn't accept argument 'colour'"
