"""Who may do what on the local GitHub: tokens, roles, and what an outsider can and cannot do.

acme owns acme/data, bob collaborates, mia is a member, eve is an outsider. Every request goes
over real HTTP (gql's AIOHTTPTransport) to the emulator on a loopback port.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from gql.graphql_request import GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportServerError

REPO_ID = 'query { repository(owner: "acme", name: "data") { id } }'
CREATE_LABEL = """
mutation($repo: ID!, $name: String!) {
  createLabel(input: {repositoryId: $repo, name: $name, color: "d73a4a"}) { label { id } }
}"""
CREATE_ISSUE = """
mutation($repo: ID!, $title: String!, $labels: [ID!]) {
  createIssue(input: {repositoryId: $repo, title: $title, body: "body", labelIds: $labels}) {
    issue { id number }
  }
}"""
ISSUE = """
query($number: Int!) {
  repository(owner: "acme", name: "data") {
    issue(number: $number) {
      title body state locked authorAssociation viewerCanUpdate
      labels(first: 10) { totalCount }
      comments(first: 10) { nodes { body authorAssociation } }
    }
  }
}"""
LABELS = 'query { repository(owner: "acme", name: "data") { labels(first: 10) { totalCount } } }'
VIEWER = "query { viewer { login } }"


async def repo_id(github: Any) -> str:
    return str((await github.data("acme", REPO_ID))["repository"]["id"])


async def create_issue(
    github: Any, login: str = "acme", labels: list[str] | None = None
) -> dict[str, Any]:
    repo = await repo_id(github)
    data = await github.data(login, CREATE_ISSUE, repo=repo, title=f"by {login}", labels=labels)
    issue: dict[str, Any] = data["createIssue"]["issue"]
    return issue


async def read_issue(github: Any, number: int, login: str = "acme") -> dict[str, Any]:
    data = await github.data(login, ISSUE, number=number)
    issue: dict[str, Any] = data["repository"]["issue"]
    return issue


async def post(url: str, headers: dict[str, str]) -> Any:
    transport = AIOHTTPTransport(url=url, headers=headers)
    await transport.connect()
    try:
        return await transport.execute(GraphQLRequest(VIEWER))
    finally:
        await transport.close()


def assert_forbidden(result: Any, field: str) -> None:
    assert result.data == {field: None}
    assert [(e["type"], e["path"]) for e in result.errors] == [("FORBIDDEN", [field])]


# -- tokens --------------------------------------------------------------------------------
async def test_a_request_without_a_token_is_refused_with_401(github: Any) -> None:
    with pytest.raises(TransportServerError) as caught:
        await post(github.url, {})
    assert caught.value.code == 401


async def test_a_request_without_a_token_is_told_to_authenticate(github: Any) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(github.url, json={"query": VIEWER}) as response,
    ):
        assert response.status == 401
        body = await response.json()
    assert body["message"] == "This endpoint requires you to be authenticated."


async def test_a_bad_token_is_refused_with_401_bad_credentials(github: Any) -> None:
    with pytest.raises(TransportServerError) as caught:
        await post(github.url, {"Authorization": "bearer not-a-token"})
    assert caught.value.code == 401
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            github.url, json={"query": VIEWER}, headers={"Authorization": "bearer nope"}
        ) as response,
    ):
        assert response.status == 401
        assert (await response.json())["message"] == "Bad credentials"


async def test_a_token_answers_as_its_user(github: Any) -> None:
    for login in ("acme", "bob", "mia", "eve"):
        assert (await github.data(login, VIEWER))["viewer"]["login"] == login


async def test_the_enterprise_path_answers_too(github: Any) -> None:
    url = github.url.replace("/graphql", "/api/graphql")
    result = await post(url, {"Authorization": "bearer t1"})
    assert result.data == {"viewer": {"login": "acme"}}


# -- roles ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("login", "association"),
    [("acme", "OWNER"), ("bob", "COLLABORATOR"), ("mia", "MEMBER"), ("eve", "NONE")],
)
async def test_author_association_follows_the_authors_role(
    github: Any, login: str, association: str
) -> None:
    issue = await create_issue(github, login)
    await github.data(
        login,
        'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "hi"}) '
        "{ clientMutationId } }",
        id=issue["id"],
    )
    read = await read_issue(github, issue["number"])
    assert read["authorAssociation"] == association
    assert read["comments"]["nodes"] == [{"body": "hi", "authorAssociation": association}]


@pytest.mark.parametrize(
    ("login", "can_update"), [("acme", True), ("bob", True), ("mia", True), ("eve", False)]
)
async def test_viewer_can_update_follows_the_viewers_role(
    github: Any, login: str, can_update: bool
) -> None:
    issue = await create_issue(github, "acme")
    assert (await read_issue(github, issue["number"], login))["viewerCanUpdate"] is can_update


async def test_viewer_can_update_is_true_for_the_author_of_an_issue(github: Any) -> None:
    issue = await create_issue(github, "eve")
    assert (await read_issue(github, issue["number"], "eve"))["viewerCanUpdate"] is True


# -- what an outsider may do ---------------------------------------------------------------
async def test_an_outsider_can_open_an_issue(github: Any) -> None:
    issue = await create_issue(github, "eve")
    assert (await read_issue(github, issue["number"]))["title"] == "by eve"


async def test_an_outsider_can_comment_on_someone_elses_issue(github: Any) -> None:
    issue = await create_issue(github, "acme")
    await github.data(
        "eve",
        'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "from eve"}) '
        "{ clientMutationId } }",
        id=issue["id"],
    )
    comments = (await read_issue(github, issue["number"]))["comments"]["nodes"]
    assert [c["body"] for c in comments] == ["from eve"]


async def test_an_outsider_can_react_to_someone_elses_issue(github: Any) -> None:
    issue = await create_issue(github, "acme")
    data = await github.data(
        "eve",
        "mutation($id: ID!) { addReaction(input: {subjectId: $id, content: HEART}) "
        "{ reaction { content user { login } } } }",
        id=issue["id"],
    )
    assert data["addReaction"]["reaction"] == {"content": "HEART", "user": {"login": "eve"}}


async def test_an_outsider_cannot_edit_someone_elses_issue(github: Any) -> None:
    issue = await create_issue(github, "acme")
    result = await github.raw(
        "eve",
        'mutation($id: ID!) { updateIssue(input: {id: $id, body: "defaced"}) { issue { id } } }',
        id=issue["id"],
    )
    assert_forbidden(result, "updateIssue")
    assert (await read_issue(github, issue["number"]))["body"] == "body"


async def test_an_outsider_cannot_close_someone_elses_issue(github: Any) -> None:
    issue = await create_issue(github, "acme")
    result = await github.raw(
        "eve",
        "mutation($id: ID!) { closeIssue(input: {issueId: $id}) { issue { id } } }",
        id=issue["id"],
    )
    assert_forbidden(result, "closeIssue")
    assert (await read_issue(github, issue["number"]))["state"] == "OPEN"


async def test_an_outsider_cannot_reopen_someone_elses_issue(github: Any) -> None:
    issue = await create_issue(github, "acme")
    await github.data(
        "acme",
        "mutation($id: ID!) { closeIssue(input: {issueId: $id}) { issue { id } } }",
        id=issue["id"],
    )
    result = await github.raw(
        "eve",
        "mutation($id: ID!) { reopenIssue(input: {issueId: $id}) { issue { id } } }",
        id=issue["id"],
    )
    assert_forbidden(result, "reopenIssue")
    assert (await read_issue(github, issue["number"]))["state"] == "CLOSED"


async def test_an_outsider_cannot_label_an_issue(github: Any) -> None:
    label = (await github.data("acme", CREATE_LABEL, repo=await repo_id(github), name="bug"))[
        "createLabel"
    ]["label"]["id"]
    issue = await create_issue(github, "eve")
    result = await github.raw(
        "eve",
        "mutation($id: ID!, $labels: [ID!]!) { addLabelsToLabelable(input: "
        "{labelableId: $id, labelIds: $labels}) { clientMutationId } }",
        id=issue["id"],
        labels=[label],
    )
    assert_forbidden(result, "addLabelsToLabelable")
    assert (await read_issue(github, issue["number"]))["labels"]["totalCount"] == 0


async def test_an_outsider_cannot_create_a_label(github: Any) -> None:
    result = await github.raw("eve", CREATE_LABEL, repo=await repo_id(github), name="mine")
    assert_forbidden(result, "createLabel")
    assert (await github.data("acme", LABELS))["repository"]["labels"]["totalCount"] == 0


async def test_an_outsider_cannot_lock_an_issue(github: Any) -> None:
    issue = await create_issue(github, "eve")
    result = await github.raw(
        "eve",
        "mutation($id: ID!) { lockLockable(input: {lockableId: $id}) { clientMutationId } }",
        id=issue["id"],
    )
    assert_forbidden(result, "lockLockable")
    assert (await read_issue(github, issue["number"]))["locked"] is False


async def test_an_outsider_cannot_delete_an_issue_even_their_own(github: Any) -> None:
    issue = await create_issue(github, "eve")
    result = await github.raw(
        "eve",
        "mutation($id: ID!) { deleteIssue(input: {issueId: $id}) { clientMutationId } }",
        id=issue["id"],
    )
    assert_forbidden(result, "deleteIssue")
    assert (await read_issue(github, issue["number"]))["title"] == "by eve"


async def test_an_outsider_cannot_edit_or_delete_someone_elses_comment(github: Any) -> None:
    issue = await create_issue(github, "acme")
    added = await github.data(
        "acme",
        'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "mine"}) '
        "{ commentEdge { node { id } } } }",
        id=issue["id"],
    )
    comment = added["addComment"]["commentEdge"]["node"]["id"]
    edit = await github.raw(
        "eve",
        'mutation($id: ID!) { updateIssueComment(input: {id: $id, body: "x"}) '
        "{ clientMutationId } }",
        id=comment,
    )
    delete = await github.raw(
        "eve",
        "mutation($id: ID!) { deleteIssueComment(input: {id: $id}) { clientMutationId } }",
        id=comment,
    )
    assert_forbidden(edit, "updateIssueComment")
    assert_forbidden(delete, "deleteIssueComment")
    comments = (await read_issue(github, issue["number"]))["comments"]["nodes"]
    assert [c["body"] for c in comments] == ["mine"]


async def test_labels_an_outsider_gives_at_create_issue_are_dropped(github: Any) -> None:
    label = (await github.data("acme", CREATE_LABEL, repo=await repo_id(github), name="bug"))[
        "createLabel"
    ]["label"]["id"]
    issue = await create_issue(github, "eve", labels=[label])
    assert (await read_issue(github, issue["number"]))["labels"]["totalCount"] == 0


async def test_labels_a_collaborator_gives_at_create_issue_are_applied(github: Any) -> None:
    label = (await github.data("acme", CREATE_LABEL, repo=await repo_id(github), name="bug"))[
        "createLabel"
    ]["label"]["id"]
    issue = await create_issue(github, "bob", labels=[label])
    assert (await read_issue(github, issue["number"]))["labels"]["totalCount"] == 1


async def lock(github: Any, issue_id: str) -> None:
    await github.data(
        "acme",
        "mutation($id: ID!) { lockLockable(input: {lockableId: $id}) { clientMutationId } }",
        id=issue_id,
    )


async def test_an_outsider_cannot_comment_on_a_locked_issue(github: Any) -> None:
    issue = await create_issue(github, "acme")
    await lock(github, issue["id"])
    result = await github.raw(
        "eve",
        'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "late"}) '
        "{ clientMutationId } }",
        id=issue["id"],
    )
    assert result.data == {"addComment": None}
    assert len(result.errors) == 1  # the type GitHub uses here is not documented
    assert (await read_issue(github, issue["number"]))["comments"]["nodes"] == []


async def test_a_collaborator_can_still_comment_on_a_locked_issue(github: Any) -> None:
    issue = await create_issue(github, "acme")
    await lock(github, issue["id"])
    await github.data(
        "bob",
        'mutation($id: ID!) { addComment(input: {subjectId: $id, body: "still"}) '
        "{ clientMutationId } }",
        id=issue["id"],
    )
    read = await read_issue(github, issue["number"])
    assert read["locked"] is True
    assert [c["body"] for c in read["comments"]["nodes"]] == ["still"]


# -- what an author may do -----------------------------------------------------------------
async def test_an_author_may_edit_their_own_issue(github: Any) -> None:
    issue = await create_issue(github, "eve")
    await github.data(
        "eve",
        'mutation($id: ID!) { updateIssue(input: {id: $id, title: "t2", body: "b2"}) '
        "{ issue { id } } }",
        id=issue["id"],
    )
    read = await read_issue(github, issue["number"])
    assert (read["title"], read["body"]) == ("t2", "b2")


async def test_an_author_may_close_their_own_issue(github: Any) -> None:
    issue = await create_issue(github, "eve")
    await github.data(
        "eve",
        "mutation($id: ID!) { closeIssue(input: {issueId: $id}) { issue { id } } }",
        id=issue["id"],
    )
    assert (await read_issue(github, issue["number"]))["state"] == "CLOSED"


async def test_a_collaborator_may_edit_and_close_someone_elses_issue(github: Any) -> None:
    issue = await create_issue(github, "eve")
    await github.data(
        "bob",
        'mutation($id: ID!) { updateIssue(input: {id: $id, body: "tidied", state: CLOSED}) '
        "{ issue { id } } }",
        id=issue["id"],
    )
    read = await read_issue(github, issue["number"])
    assert (read["body"], read["state"]) == ("tidied", "CLOSED")


async def test_a_private_repository_is_not_found_for_an_outsider(
    github: Any, emulator: Any
) -> None:
    emulator.add_repository("acme/secret", private=True, roles={"bob": "collaborator"})
    query = 'query { repository(owner: "acme", name: "secret") { name } }'
    assert (await github.data("bob", query))["repository"] == {"name": "secret"}
    result = await github.raw("eve", query)
    assert result.data == {"repository": None}
    assert result.errors[0]["type"] == "NOT_FOUND"
