"""The emulator's REST API for issue comments and reactions, over real HTTP.

Expected values come from GitHub's REST documentation ("Issue comments", "Reactions"):
anyone who can read a public repository may comment and react; comments are listed oldest
first; creating a reaction answers 201, or 200 when the user already added that reaction;
reaction contents are +1, -1, laugh, confused, heart, hooray, rocket and eyes.
"""

from __future__ import annotations

from typing import Any

from support.helpers import RestGitHub

from ghstore.emulator import Emulator

ISSUES = "/repos/acme/data/issues"
COMMENTS = f"{ISSUES}/comments"
GRAPHQL_COMMENTS = """query { repository(owner: "acme", name: "data") { issue(number: 1) {
  comments(first: 10) { nodes { id body reactions(first: 10) { nodes { content } } } } } } }"""


async def issue_with_comment(rest: RestGitHub, login: str = "acme") -> dict[str, Any]:
    """Issue #1 (by acme) and a comment on it by `login`; the comment."""
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    comment: dict[str, Any] = await rest.ok(login, "POST", f"{ISSUES}/1/comments", {"body": "c"})
    return comment


# -- comments --------------------------------------------------------------------------------
async def test_an_outsider_may_comment_and_gets_201_with_a_location(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    answer = await rest.call("eve", "POST", f"{ISSUES}/1/comments", {"body": "hi"})
    assert answer.status == 201
    assert answer.headers["Location"] == answer.body["url"]
    assert answer.body["user"]["login"] == "eve"


async def test_a_comment_shows_its_authors_association(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    seen = {}
    for login in ("acme", "bob", "mia", "eve"):
        comment = await rest.ok(login, "POST", f"{ISSUES}/1/comments", {"body": login})
        seen[login] = comment["author_association"]
    assert seen == {"acme": "OWNER", "bob": "COLLABORATOR", "mia": "MEMBER", "eve": "NONE"}


async def test_comments_are_listed_oldest_first(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    for text in ("one", "two", "three"):
        await rest.ok("acme", "POST", f"{ISSUES}/1/comments", {"body": text})
    listed = await rest.ok("eve", "GET", f"{ISSUES}/1/comments")
    assert [comment["body"] for comment in listed] == ["one", "two", "three"]


async def test_comments_are_paginated(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    for n in range(5):
        await rest.ok("acme", "POST", f"{ISSUES}/1/comments", {"body": str(n)})
    answer = await rest.call("acme", "GET", f"{ISSUES}/1/comments", params={"per_page": 2})
    assert [comment["body"] for comment in answer.body] == ["0", "1"]
    assert 'rel="next"' in answer.headers["Link"]


async def test_commenting_raises_the_issues_comment_count(rest: RestGitHub) -> None:
    await issue_with_comment(rest)
    assert (await rest.ok("acme", "GET", f"{ISSUES}/1"))["comments"] == 1


async def test_a_blank_comment_is_422(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    answer = await rest.call("acme", "POST", f"{ISSUES}/1/comments", {"body": "  "})
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body"


async def test_a_comment_over_65536_characters_is_422(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    answer = await rest.call("acme", "POST", f"{ISSUES}/1/comments", {"body": "x" * 65_537})
    assert answer.status == 422


async def test_a_comment_on_an_unknown_issue_is_404(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "POST", f"{ISSUES}/9/comments", {"body": "c"})
    assert answer.status == 404


async def test_an_outsider_cannot_comment_on_a_locked_issue(rest: RestGitHub, github: Any) -> None:
    issue = await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    lock = "mutation($id: ID!) { lockLockable(input: {lockableId: $id}) { clientMutationId } }"
    await github.data("acme", lock, id=issue["node_id"])
    answer = await rest.call("eve", "POST", f"{ISSUES}/1/comments", {"body": "c"})
    assert answer.status == 403


async def test_a_comment_is_found_by_its_id(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    found = await rest.ok("eve", "GET", f"{COMMENTS}/{comment['id']}")
    assert found["body"] == "c"
    assert found["issue_url"].endswith("/repos/acme/data/issues/1")


async def test_a_comment_of_another_repository_is_404(rest: RestGitHub, emulator: Emulator) -> None:
    comment = await issue_with_comment(rest)
    emulator.add_repository("acme/other")
    answer = await rest.call("acme", "GET", f"/repos/acme/other/issues/comments/{comment['id']}")
    assert answer.status == 404


async def test_a_comment_made_over_rest_is_read_by_graphql(rest: RestGitHub, github: Any) -> None:
    comment = await issue_with_comment(rest)
    data = await github.data("acme", GRAPHQL_COMMENTS)
    (node,) = data["repository"]["issue"]["comments"]["nodes"]
    assert (node["id"], node["body"]) == (comment["node_id"], "c")


# -- reactions -------------------------------------------------------------------------------
async def test_a_new_reaction_answers_201(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    answer = await rest.call("acme", "POST", f"{comment['url']}/reactions", {"content": "+1"})
    assert answer.status == 201
    assert (answer.body["content"], answer.body["user"]["login"]) == ("+1", "acme")


async def test_a_reaction_already_added_answers_200_and_is_kept_once(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    first = await rest.call("acme", "POST", f"{comment['url']}/reactions", {"content": "rocket"})
    again = await rest.call("acme", "POST", f"{comment['url']}/reactions", {"content": "rocket"})
    assert again.status == 200
    assert again.body["id"] == first.body["id"]
    assert len(await rest.ok("acme", "GET", f"{comment['url']}/reactions")) == 1


async def test_an_outsider_may_react(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    answer = await rest.call("eve", "POST", f"{comment['url']}/reactions", {"content": "+1"})
    assert answer.status == 201


async def test_an_unknown_reaction_content_is_422(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    answer = await rest.call("acme", "POST", f"{comment['url']}/reactions", {"content": "wow"})
    assert answer.status == 422


async def test_reactions_are_listed_with_who_reacted(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    for login, content in (("acme", "+1"), ("eve", "-1"), ("bob", "+1")):
        await rest.ok(login, "POST", f"{comment['url']}/reactions", {"content": content})
    listed = await rest.ok("acme", "GET", f"{comment['url']}/reactions")
    assert [(r["content"], r["user"]["login"]) for r in listed] == [
        ("+1", "acme"),
        ("-1", "eve"),
        ("+1", "bob"),
    ]


async def test_reactions_may_be_filtered_by_content(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    for login, content in (("acme", "+1"), ("eve", "-1")):
        await rest.ok(login, "POST", f"{comment['url']}/reactions", {"content": content})
    listed = await rest.ok("acme", "GET", f"{comment['url']}/reactions", params={"content": "-1"})
    assert [r["user"]["login"] for r in listed] == ["eve"]


async def test_a_comment_carries_a_rollup_of_its_reactions(rest: RestGitHub) -> None:
    comment = await issue_with_comment(rest)
    for login, content in (("acme", "+1"), ("eve", "+1"), ("acme", "rocket")):
        await rest.ok(login, "POST", f"{comment['url']}/reactions", {"content": content})
    rollup = (await rest.ok("acme", "GET", f"{COMMENTS}/{comment['id']}"))["reactions"]
    assert (rollup["total_count"], rollup["+1"], rollup["rocket"], rollup["-1"]) == (3, 2, 1, 0)


async def test_a_thumbs_up_made_over_rest_is_thumbs_up_in_graphql(
    rest: RestGitHub, github: Any
) -> None:
    comment = await issue_with_comment(rest)
    await rest.ok("acme", "POST", f"{comment['url']}/reactions", {"content": "+1"})
    data = await github.data("acme", GRAPHQL_COMMENTS)
    (node,) = data["repository"]["issue"]["comments"]["nodes"]
    assert node["reactions"]["nodes"] == [{"content": "THUMBS_UP"}]


async def test_an_issue_takes_reactions_too(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", ISSUES, {"title": "t"})
    answer = await rest.call("eve", "POST", f"{ISSUES}/1/reactions", {"content": "heart"})
    assert answer.status == 201
    assert (await rest.ok("acme", "GET", f"{ISSUES}/1"))["reactions"]["heart"] == 1
