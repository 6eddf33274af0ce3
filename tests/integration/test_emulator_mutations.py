"""The local GitHub's mutations: issues, comments, reactions, labels, sizes and batches.

Every request goes over real HTTP (gql's AIOHTTPTransport) to the emulator on a loopback port.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ghstore.emulator import Emulator

REPO_ID = 'query { repository(owner: "acme", name: "data") { id } }'
CREATE_LABEL = """
mutation($repo: ID!, $name: String!) {
  createLabel(input: {repositoryId: $repo, name: $name, color: "d73a4a"}) { label { id name } }
}"""
CREATE_ISSUE = """
mutation($repo: ID!, $title: String!, $body: String, $labels: [ID!]) {
  createIssue(input: {repositoryId: $repo, title: $title, body: $body, labelIds: $labels}) {
    issue { id number }
  }
}"""
UPDATE_ISSUE = """
mutation($id: ID!, $title: String, $body: String, $labels: [ID!], $state: IssueState) {
  updateIssue(input: {id: $id, title: $title, body: $body, labelIds: $labels, state: $state}) {
    issue { id }
  }
}"""
ADD_COMMENT = """
mutation($id: ID!, $body: String!) {
  addComment(input: {subjectId: $id, body: $body}) { commentEdge { node { id body } } }
}"""
ISSUE = """
query($number: Int!) {
  repository(owner: "acme", name: "data") {
    issue(number: $number) {
      title body state stateReason closed lastEditedAt
      labels(first: 10) { nodes { name } }
      comments(first: 100) { totalCount nodes { id body lastEditedAt } }
    }
  }
}"""
REACTIONS = """
query($id: ID!) {
  node(id: $id) {
    ... on Reactable {
      reactions(first: 10) { totalCount nodes { content user { login } } }
      reactionGroups { content viewerHasReacted reactors(first: 10) { totalCount } }
    }
  }
}"""
ADD_REACTION = """
mutation($id: ID!, $content: ReactionContent!) {
  addReaction(input: {subjectId: $id, content: $content}) { reaction { content } }
}"""
REMOVE_REACTION = """
mutation($id: ID!, $content: ReactionContent!) {
  removeReaction(input: {subjectId: $id, content: $content}) { reaction { content } }
}"""
ISSUE_COUNT = (
    'query { repository(owner: "acme", name: "data") { issues(first: 1) { totalCount } } }'
)
REACTION_CONTENTS = {
    "THUMBS_UP",
    "THUMBS_DOWN",
    "LAUGH",
    "HOORAY",
    "CONFUSED",
    "HEART",
    "ROCKET",
    "EYES",
}
MAX_BODY = 65_536


async def repo_id(github: Any) -> str:
    return str((await github.data("acme", REPO_ID))["repository"]["id"])


async def create_issue(
    github: Any, title: str = "an issue", login: str = "acme", **fields: Any
) -> dict[str, Any]:
    repo = await repo_id(github)
    data = await github.data(login, CREATE_ISSUE, repo=repo, title=title, **fields)
    issue: dict[str, Any] = data["createIssue"]["issue"]
    return issue


async def create_label(github: Any, name: str) -> str:
    data = await github.data("acme", CREATE_LABEL, repo=await repo_id(github), name=name)
    return str(data["createLabel"]["label"]["id"])


async def read_issue(github: Any, number: int) -> dict[str, Any]:
    data = await github.data("acme", ISSUE, number=number)
    issue: dict[str, Any] = data["repository"]["issue"]
    return issue


async def add_comment(github: Any, issue_id: str, body: str, login: str = "acme") -> str:
    data = await github.data(login, ADD_COMMENT, id=issue_id, body=body)
    return str(data["addComment"]["commentEdge"]["node"]["id"])


def assert_body_too_long(result: Any, field: str) -> None:
    """GitHub's refusal of an oversized body: one UNPROCESSABLE error, the field null."""
    assert result.data == {field: None}
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error["type"] == "UNPROCESSABLE"
    assert error["path"] == [field]
    # The facts quote "body is too long", the issue "Body is too long": the case is not pinned.
    assert "body is too long (maximum is 65536 characters)" in error["message"].lower()


# -- issues --------------------------------------------------------------------------------
async def test_create_issue_stores_title_body_and_labels(github: Any) -> None:
    label = await create_label(github, "stored")
    issue = await create_issue(github, "the title", body="the body", labels=[label])
    read = await read_issue(github, issue["number"])
    assert (read["title"], read["body"], read["state"]) == ("the title", "the body", "OPEN")
    assert read["labels"]["nodes"] == [{"name": "stored"}]


async def test_issues_are_numbered_one_after_another(github: Any) -> None:
    numbers = [(await create_issue(github, f"issue {n}"))["number"] for n in range(3)]
    assert numbers == [1, 2, 3]


async def test_update_issue_sets_title_body_labels_and_state_in_one_call(github: Any) -> None:
    old, new = await create_label(github, "old"), await create_label(github, "new")
    issue = await create_issue(github, labels=[old])
    await github.data(
        "acme",
        UPDATE_ISSUE,
        id=issue["id"],
        title="new title",
        body="new body",
        labels=[new],
        state="CLOSED",
    )
    read = await read_issue(github, issue["number"])
    assert (read["title"], read["body"], read["state"]) == ("new title", "new body", "CLOSED")
    assert read["labels"]["nodes"] == [{"name": "new"}]


async def test_editing_an_issue_body_sets_last_edited_at(github: Any) -> None:
    issue = await create_issue(github, body="first")
    assert (await read_issue(github, issue["number"]))["lastEditedAt"] is None
    await github.data("acme", UPDATE_ISSUE, id=issue["id"], body="second")
    assert (await read_issue(github, issue["number"]))["lastEditedAt"] is not None


async def test_close_issue_records_the_reason_and_reopen_opens_it(github: Any) -> None:
    issue = await create_issue(github)
    await github.data(
        "acme",
        "mutation($id: ID!) { closeIssue(input: {issueId: $id, stateReason: NOT_PLANNED}) "
        "{ issue { id } } }",
        id=issue["id"],
    )
    read = await read_issue(github, issue["number"])
    assert (read["state"], read["stateReason"], read["closed"]) == ("CLOSED", "NOT_PLANNED", True)
    await github.data(
        "acme",
        "mutation($id: ID!) { reopenIssue(input: {issueId: $id}) { issue { id } } }",
        id=issue["id"],
    )
    read = await read_issue(github, issue["number"])
    assert (read["state"], read["closed"]) == ("OPEN", False)


async def test_labels_are_added_to_and_removed_from_an_issue(github: Any) -> None:
    first, second = await create_label(github, "first"), await create_label(github, "second")
    issue = await create_issue(github)
    await github.data(
        "acme",
        "mutation($id: ID!, $labels: [ID!]!) { addLabelsToLabelable(input: "
        "{labelableId: $id, labelIds: $labels}) { clientMutationId } }",
        id=issue["id"],
        labels=[first, second],
    )
    names = {n["name"] for n in (await read_issue(github, issue["number"]))["labels"]["nodes"]}
    assert names == {"first", "second"}
    await github.data(
        "acme",
        "mutation($id: ID!, $labels: [ID!]!) { removeLabelsFromLabelable(input: "
        "{labelableId: $id, labelIds: $labels}) { clientMutationId } }",
        id=issue["id"],
        labels=[first],
    )
    assert (await read_issue(github, issue["number"]))["labels"]["nodes"] == [{"name": "second"}]


async def test_a_label_name_is_unique_regardless_of_case(github: Any) -> None:
    await create_label(github, "Bug")
    result = await github.raw("acme", CREATE_LABEL, repo=await repo_id(github), name="bug")
    assert result.data == {"createLabel": None}
    assert result.errors[0]["type"] == "UNPROCESSABLE"


async def test_delete_issue_removes_it(github: Any) -> None:
    issue = await create_issue(github)
    await github.data(
        "acme",
        "mutation($id: ID!) { deleteIssue(input: {issueId: $id}) { repository { name } } }",
        id=issue["id"],
    )
    result = await github.raw("acme", ISSUE, number=issue["number"])
    assert result.errors[0]["type"] == "NOT_FOUND"


async def test_concurrent_create_issue_requests_get_distinct_numbers(
    github: Any, emulator: Emulator
) -> None:
    emulator.controls.latency = 0.05  # every request is in flight at once
    repo = await repo_id(github)
    created = await asyncio.gather(
        *(github.data("bob", CREATE_ISSUE, repo=repo, title=f"t{n}") for n in range(10))
    )
    assert sorted(c["createIssue"]["issue"]["number"] for c in created) == list(range(1, 11))


async def test_a_deleted_issues_number_is_never_given_again(github: Any) -> None:
    await create_issue(github, "one")
    two = await create_issue(github, "two")
    await github.data(
        "acme",
        "mutation($id: ID!) { deleteIssue(input: {issueId: $id}) { clientMutationId } }",
        id=two["id"],
    )
    assert (await create_issue(github, "three"))["number"] == 3


# -- sizes ---------------------------------------------------------------------------------
async def test_an_issue_body_of_65536_characters_is_accepted(github: Any) -> None:
    issue = await create_issue(github, body="x" * MAX_BODY)
    assert len((await read_issue(github, issue["number"]))["body"]) == MAX_BODY


async def test_an_issue_body_of_65537_characters_is_refused_by_create_issue(github: Any) -> None:
    result = await github.raw(
        "acme", CREATE_ISSUE, repo=await repo_id(github), title="big", body="x" * (MAX_BODY + 1)
    )
    assert_body_too_long(result, "createIssue")
    assert (await github.data("acme", ISSUE_COUNT))["repository"]["issues"]["totalCount"] == 0


async def test_an_issue_body_of_65537_characters_is_refused_by_update_issue(github: Any) -> None:
    issue = await create_issue(github, body="small")
    result = await github.raw("acme", UPDATE_ISSUE, id=issue["id"], body="x" * (MAX_BODY + 1))
    assert_body_too_long(result, "updateIssue")
    assert (await read_issue(github, issue["number"]))["body"] == "small"


async def test_a_comment_body_of_65537_characters_is_refused_by_add_comment(github: Any) -> None:
    issue = await create_issue(github)
    result = await github.raw("acme", ADD_COMMENT, id=issue["id"], body="x" * (MAX_BODY + 1))
    assert_body_too_long(result, "addComment")
    assert (await read_issue(github, issue["number"]))["comments"]["totalCount"] == 0


async def test_a_comment_body_of_65536_characters_is_accepted(github: Any) -> None:
    issue = await create_issue(github)
    await add_comment(github, issue["id"], "y" * MAX_BODY)
    comments = (await read_issue(github, issue["number"]))["comments"]["nodes"]
    assert [len(c["body"]) for c in comments] == [MAX_BODY]


async def test_a_comment_edit_of_65537_characters_is_refused(github: Any) -> None:
    issue = await create_issue(github)
    comment = await add_comment(github, issue["id"], "short")
    result = await github.raw(
        "acme",
        "mutation($id: ID!, $body: String!) { updateIssueComment(input: {id: $id, body: $body})"
        " { clientMutationId } }",
        id=comment,
        body="x" * (MAX_BODY + 1),
    )
    assert_body_too_long(result, "updateIssueComment")
    comments = (await read_issue(github, issue["number"]))["comments"]["nodes"]
    assert [c["body"] for c in comments] == ["short"]


async def test_a_label_name_of_51_characters_is_refused(github: Any) -> None:
    result = await github.raw("acme", CREATE_LABEL, repo=await repo_id(github), name="n" * 51)
    assert result.data == {"createLabel": None}
    assert result.errors[0]["type"] == "UNPROCESSABLE"
    assert "maximum is 50 characters" in result.errors[0]["message"]


async def test_a_label_name_of_50_characters_is_accepted(github: Any) -> None:
    data = await github.data("acme", CREATE_LABEL, repo=await repo_id(github), name="n" * 50)
    assert data["createLabel"]["label"]["name"] == "n" * 50


async def test_a_label_description_of_101_characters_is_refused(github: Any) -> None:
    result = await github.raw(
        "acme",
        "mutation($repo: ID!, $text: String!) { createLabel(input: {repositoryId: $repo,"
        ' name: "described", color: "ffffff", description: $text}) { label { id } } }',
        repo=await repo_id(github),
        text="d" * 101,
    )
    assert result.data == {"createLabel": None}
    assert result.errors[0]["type"] == "UNPROCESSABLE"


async def test_a_title_of_257_characters_is_refused(github: Any) -> None:
    result = await github.raw("acme", CREATE_ISSUE, repo=await repo_id(github), title="t" * 257)
    assert result.data == {"createIssue": None}
    assert result.errors[0]["type"] == "UNPROCESSABLE"


# -- several mutations in one request ------------------------------------------------------
async def test_a_forbidden_mutation_between_two_others_fails_alone(github: Any) -> None:
    issue = await create_issue(github)
    result = await github.raw(
        "eve",
        """mutation($id: ID!) {
          first: addComment(input: {subjectId: $id, body: "one"}) { clientMutationId }
          second: closeIssue(input: {issueId: $id}) { issue { state } }
          third: addComment(input: {subjectId: $id, body: "three"}) { clientMutationId }
        }""",
        id=issue["id"],
    )
    assert result.data == {
        "first": {"clientMutationId": None},
        "second": None,
        "third": {"clientMutationId": None},
    }
    assert [(e["type"], e["path"]) for e in result.errors] == [("FORBIDDEN", ["second"])]
    read = await read_issue(github, issue["number"])
    assert read["state"] == "OPEN"
    assert [c["body"] for c in read["comments"]["nodes"]] == ["one", "three"]


async def test_an_unprocessable_mutation_between_two_others_fails_alone(github: Any) -> None:
    issue = await create_issue(github)
    result = await github.raw(
        "acme",
        """mutation($id: ID!, $big: String!) {
          a1: addComment(input: {subjectId: $id, body: "before"}) { clientMutationId }
          a2: addComment(input: {subjectId: $id, body: $big}) { clientMutationId }
          a3: addComment(input: {subjectId: $id, body: "after"}) { clientMutationId }
        }""",
        id=issue["id"],
        big="x" * (MAX_BODY + 1),
    )
    assert result.data["a1"] is not None
    assert result.data["a2"] is None
    assert result.data["a3"] is not None
    assert [(e["type"], e["path"]) for e in result.errors] == [("UNPROCESSABLE", ["a2"])]
    comments = (await read_issue(github, issue["number"]))["comments"]["nodes"]
    assert [c["body"] for c in comments] == ["before", "after"]


async def test_aliased_mutations_run_in_document_order(github: Any) -> None:
    issue = await create_issue(github)
    await github.data(
        "acme",
        """mutation($id: ID!) {
          z: addComment(input: {subjectId: $id, body: "1st"}) { clientMutationId }
          a: addComment(input: {subjectId: $id, body: "2nd"}) { clientMutationId }
          m: addComment(input: {subjectId: $id, body: "3rd"}) { clientMutationId }
        }""",
        id=issue["id"],
    )
    comments = (await read_issue(github, issue["number"]))["comments"]["nodes"]
    assert [c["body"] for c in comments] == ["1st", "2nd", "3rd"]


async def test_a_later_mutation_sees_what_an_earlier_one_in_the_document_did(
    github: Any,
) -> None:
    repo = await repo_id(github)
    data = await github.data(
        "acme",
        """mutation($repo: ID!) {
          one: createIssue(input: {repositoryId: $repo, title: "one"}) { issue { number } }
          two: createIssue(input: {repositoryId: $repo, title: "two"}) { issue { number } }
        }""",
        repo=repo,
    )
    assert (data["one"]["issue"]["number"], data["two"]["issue"]["number"]) == (1, 2)


# -- comments ------------------------------------------------------------------------------
async def test_comments_come_back_in_creation_order(github: Any) -> None:
    issue = await create_issue(github)
    bodies = [f"comment {n}" for n in range(12)]
    for n, body in enumerate(bodies):
        await add_comment(github, issue["id"], body, login=("acme", "bob", "eve")[n % 3])
    comments = (await read_issue(github, issue["number"]))["comments"]["nodes"]
    assert [c["body"] for c in comments] == bodies


async def add_comments(github: Any, issue_id: str, count: int) -> None:
    """Comments "1".."count", sixty aliased addComment mutations a request."""
    for start in range(1, count + 1, 60):
        fields = " ".join(
            f'c{n}: addComment(input: {{subjectId: $id, body: "{n}"}}) {{ clientMutationId }}'
            for n in range(start, min(count, start + 59) + 1)
        )
        await github.data("acme", f"mutation($id: ID!) {{ {fields} }}", id=issue_id)


COMMENT_PAGE = """
query($number: Int!, $first: Int, $after: String, $last: Int) {
  repository(owner: "acme", name: "data") {
    issue(number: $number) {
      comments(first: $first, after: $after, last: $last) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        nodes { body }
      }
    }
  }
}"""


async def test_comments_of_an_issue_page_past_100_in_creation_order(github: Any) -> None:
    issue = await create_issue(github)
    await add_comments(github, issue["id"], 130)
    first = (await github.data("acme", COMMENT_PAGE, number=1, first=100))["repository"]
    page = first["issue"]["comments"]
    assert (page["totalCount"], page["pageInfo"]["hasNextPage"]) == (130, True)
    after = page["pageInfo"]["endCursor"]
    second = await github.data("acme", COMMENT_PAGE, number=1, first=100, after=after)
    rest = second["repository"]["issue"]["comments"]
    assert rest["pageInfo"]["hasNextPage"] is False
    bodies = [c["body"] for c in page["nodes"] + rest["nodes"]]
    assert bodies == [str(n) for n in range(1, 131)]


async def test_last_comments_are_the_newest_still_in_creation_order(github: Any) -> None:
    issue = await create_issue(github)
    await add_comments(github, issue["id"], 12)
    data = await github.data("acme", COMMENT_PAGE, number=1, last=3)
    page = data["repository"]["issue"]["comments"]
    assert [c["body"] for c in page["nodes"]] == ["10", "11", "12"]
    assert page["pageInfo"]["hasPreviousPage"] is True


async def test_update_issue_comment_changes_the_body_and_sets_last_edited_at(
    github: Any,
) -> None:
    issue = await create_issue(github)
    comment_id = await add_comment(github, issue["id"], "draft")
    assert (await read_issue(github, issue["number"]))["comments"]["nodes"][0][
        "lastEditedAt"
    ] is None
    await github.data(
        "acme",
        'mutation($id: ID!) { updateIssueComment(input: {id: $id, body: "final"}) '
        "{ issueComment { id } } }",
        id=comment_id,
    )
    comment = (await read_issue(github, issue["number"]))["comments"]["nodes"][0]
    assert comment["body"] == "final"
    assert comment["lastEditedAt"] is not None


async def test_delete_issue_comment_removes_the_comment(github: Any) -> None:
    issue = await create_issue(github)
    keep = await add_comment(github, issue["id"], "keep")
    drop = await add_comment(github, issue["id"], "drop")
    await github.data(
        "acme",
        "mutation($id: ID!) { deleteIssueComment(input: {id: $id}) { clientMutationId } }",
        id=drop,
    )
    comments = (await read_issue(github, issue["number"]))["comments"]
    assert comments["totalCount"] == 1
    assert [c["id"] for c in comments["nodes"]] == [keep]
    result = await github.raw("acme", "query($id: ID!) { node(id: $id) { id } }", id=drop)
    assert result.errors[0]["type"] == "NOT_FOUND"


async def test_add_comment_answers_the_new_comment(github: Any) -> None:
    issue = await create_issue(github)
    data = await github.data("bob", ADD_COMMENT, id=issue["id"], body="hello")
    node = data["addComment"]["commentEdge"]["node"]
    assert node["body"] == "hello"
    assert node["id"].startswith("IC_kwDO")


# -- reactions -----------------------------------------------------------------------------
async def reactions(github: Any, subject: str, login: str = "acme") -> dict[str, Any]:
    data = await github.data(login, REACTIONS, id=subject)
    node: dict[str, Any] = data["node"]
    return node


async def test_a_users_same_reaction_twice_is_kept_once(github: Any) -> None:
    issue = await create_issue(github)
    for _ in range(2):
        await github.data("bob", ADD_REACTION, id=issue["id"], content="THUMBS_UP")
    found = await reactions(github, issue["id"])
    assert found["reactions"]["totalCount"] == 1
    assert found["reactions"]["nodes"] == [{"content": "THUMBS_UP", "user": {"login": "bob"}}]


async def test_different_users_and_contents_each_count(github: Any) -> None:
    issue = await create_issue(github)
    await github.data("bob", ADD_REACTION, id=issue["id"], content="THUMBS_UP")
    await github.data("eve", ADD_REACTION, id=issue["id"], content="THUMBS_UP")
    await github.data("eve", ADD_REACTION, id=issue["id"], content="ROCKET")
    found = await reactions(github, issue["id"])
    assert found["reactions"]["totalCount"] == 3
    counts = {g["content"]: g["reactors"]["totalCount"] for g in found["reactionGroups"]}
    assert (counts["THUMBS_UP"], counts["ROCKET"], counts["HEART"]) == (2, 1, 0)


async def test_reaction_groups_list_all_eight_contents(github: Any) -> None:
    issue = await create_issue(github)
    groups = (await reactions(github, issue["id"]))["reactionGroups"]
    assert len(groups) == 8
    assert {g["content"] for g in groups} == REACTION_CONTENTS


async def test_viewer_has_reacted_is_true_only_for_the_user_who_reacted(github: Any) -> None:
    issue = await create_issue(github)
    await github.data("bob", ADD_REACTION, id=issue["id"], content="HEART")

    def reacted(found: dict[str, Any]) -> set[str]:
        return {g["content"] for g in found["reactionGroups"] if g["viewerHasReacted"]}

    assert reacted(await reactions(github, issue["id"], login="bob")) == {"HEART"}
    assert reacted(await reactions(github, issue["id"], login="eve")) == set()


async def test_remove_reaction_takes_the_users_reaction_away(github: Any) -> None:
    issue = await create_issue(github)
    await github.data("bob", ADD_REACTION, id=issue["id"], content="EYES")
    await github.data("eve", ADD_REACTION, id=issue["id"], content="EYES")
    data = await github.data("bob", REMOVE_REACTION, id=issue["id"], content="EYES")
    assert data["removeReaction"]["reaction"]["content"] == "EYES"
    found = await reactions(github, issue["id"])
    assert found["reactions"]["nodes"] == [{"content": "EYES", "user": {"login": "eve"}}]


async def test_a_comment_takes_reactions_too(github: Any) -> None:
    issue = await create_issue(github)
    comment = await add_comment(github, issue["id"], "react to me")
    await github.data("eve", ADD_REACTION, id=comment, content="HOORAY")
    assert (await reactions(github, comment))["reactions"]["nodes"] == [
        {"content": "HOORAY", "user": {"login": "eve"}}
    ]
    assert (await reactions(github, issue["id"]))["reactions"]["totalCount"] == 0
