"""The emulator's REST API for issues and labels, over real HTTP.

Expected values come from GitHub's REST documentation ("List repository issues", "Create an
issue", "Update an issue", "Labels"): the list holds open issues, newest first, 30 a page and
at most 100, labels comma-separated and all required; pages are linked by an RFC 5988 Link
header; creation answers 201 with a Location; labels a non-writer names are silently
dropped; validation failures answer 422 "Validation Failed" with `errors`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import RestGitHub, make_emulator

from ghstore.emulator import Emulator, EmulatorServer

ISSUES = "/repos/acme/data/issues"
LABELS = "/repos/acme/data/labels"
GRAPHQL_ISSUE = """query($n: Int!) { repository(owner: "acme", name: "data") {
  issue(number: $n) { id databaseId } } }"""


async def new_issue(rest: RestGitHub, login: str = "acme", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "t", **fields}
    issue: dict[str, Any] = await rest.ok(login, "POST", ISSUES, body)
    return issue


async def numbers(rest: RestGitHub, **params: Any) -> list[int]:
    return [issue["number"] for issue in await rest.ok("acme", "GET", ISSUES, params=params)]


def links(header: str) -> dict[str, str]:
    """rel -> URL of an RFC 5988 Link header."""
    out = {}
    for part in header.split(", "):
        url, rel = part.split("; ")
        out[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return out


# -- create ----------------------------------------------------------------------------------
async def test_creating_an_issue_answers_201_with_its_location(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "POST", ISSUES, {"title": "Stored Object: a", "body": "{}"})
    assert answer.status == 201
    assert answer.headers["Location"] == answer.body["url"]
    assert answer.body["number"] == 1


async def test_a_new_issue_is_open_and_shows_its_author(rest: RestGitHub) -> None:
    issue = await new_issue(rest, "bob")
    assert (issue["state"], issue["closed_at"], issue["state_reason"]) == ("open", None, None)
    assert issue["user"]["login"] == "bob"
    assert issue["author_association"] == "COLLABORATOR"
    assert issue["comments"] == 0


async def test_an_issue_without_a_body_has_body_null(rest: RestGitHub) -> None:
    assert (await new_issue(rest))["body"] is None


async def test_an_issue_has_the_ids_graphql_gives_it(rest: RestGitHub, github: Any) -> None:
    issue = await new_issue(rest)
    graphql = (await github.data("acme", GRAPHQL_ISSUE, n=issue["number"]))["repository"]
    assert issue["node_id"] == graphql["issue"]["id"]
    assert issue["id"] == graphql["issue"]["databaseId"]


async def test_labels_named_at_creation_that_do_not_exist_are_created(rest: RestGitHub) -> None:
    issue = await new_issue(rest, labels=["gh-store"])
    (label,) = issue["labels"]
    assert (label["name"], label["color"], label["description"]) == ("gh-store", "ededed", None)
    assert (await rest.ok("acme", "GET", f"{LABELS}/gh-store"))["id"] == label["id"]


async def test_an_outsiders_labels_at_creation_are_silently_dropped(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", LABELS, {"name": "bug", "color": "d73a4a"})
    issue = await new_issue(rest, "eve", labels=["bug"])
    assert issue["labels"] == []


async def test_an_outsider_naming_a_missing_label_is_refused_with_403(rest: RestGitHub) -> None:
    # Reported (github community discussion #197408), stricter than the docs' "dropped".
    answer = await rest.call("eve", "POST", ISSUES, {"title": "t", "labels": ["new"]})
    assert answer.status == 403


async def test_an_issue_without_a_title_is_422_missing_field(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "POST", ISSUES, {"body": "b"})
    assert answer.status == 422
    assert answer.body["message"] == "Validation Failed"
    assert answer.body["errors"][0]["field"] == "title"
    assert answer.body["errors"][0]["code"] == "missing_field"


async def test_a_body_over_65536_characters_is_422(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "POST", ISSUES, {"title": "t", "body": "x" * 65_537})
    assert answer.status == 422
    assert answer.body["errors"][0]["field"] == "body"
    assert "too long" in answer.body["errors"][0]["message"]


async def test_a_body_of_exactly_65536_characters_is_accepted(rest: RestGitHub) -> None:
    issue = await new_issue(rest, body="x" * 65_536)
    assert len(issue["body"]) == 65_536


async def test_a_body_that_is_not_json_is_400(rest: RestGitHub, server: EmulatorServer) -> None:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            server.rest_url + ISSUES, data=b"{", headers={"Authorization": "token t1"}
        ) as answer,
    ):
        assert answer.status == 400
        assert (await answer.json())["message"] == "Problems parsing JSON"


# -- get and list ----------------------------------------------------------------------------
async def test_an_issue_is_found_by_its_number(rest: RestGitHub) -> None:
    await new_issue(rest, title="first")
    await new_issue(rest, title="second")
    assert (await rest.ok("eve", "GET", f"{ISSUES}/2"))["title"] == "second"


async def test_an_unknown_issue_number_is_404(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "GET", f"{ISSUES}/7")
    assert (answer.status, answer.body["message"]) == (404, "Not Found")


async def test_the_list_holds_only_open_issues_by_default(rest: RestGitHub) -> None:
    await new_issue(rest)
    closed = await new_issue(rest)
    await rest.ok("acme", "PATCH", f"{ISSUES}/{closed['number']}", {"state": "closed"})
    assert await numbers(rest) == [1]


async def test_state_closed_lists_only_closed_issues(rest: RestGitHub) -> None:
    await new_issue(rest)
    await new_issue(rest)
    await rest.ok("acme", "PATCH", f"{ISSUES}/2", {"state": "closed"})
    assert await numbers(rest, state="closed") == [2]


async def test_state_all_lists_open_and_closed_issues(rest: RestGitHub) -> None:
    await new_issue(rest)
    await new_issue(rest)
    await rest.ok("acme", "PATCH", f"{ISSUES}/2", {"state": "closed"})
    assert sorted(await numbers(rest, state="all")) == [1, 2]


async def test_an_unknown_state_is_422(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "GET", ISSUES, params={"state": "shut"})
    assert answer.status == 422


async def test_the_list_is_newest_first_by_default(rest: RestGitHub) -> None:
    for _ in range(3):
        await new_issue(rest)
    assert await numbers(rest) == [3, 2, 1]


async def test_direction_asc_lists_oldest_first(rest: RestGitHub) -> None:
    for _ in range(3):
        await new_issue(rest)
    assert await numbers(rest, direction="asc") == [1, 2, 3]


async def test_a_labels_filter_requires_every_label_named(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["a"])
    await new_issue(rest, labels=["a", "b"])
    await new_issue(rest, labels=["b"])
    assert await numbers(rest, labels="a,b") == [2]


async def test_a_labels_filter_naming_a_missing_label_lists_nothing(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["a"])
    assert await numbers(rest, labels="a,nothing") == []


async def test_a_labels_filter_ignores_the_case_of_names(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["UID:Alice"])
    assert await numbers(rest, labels="uid:alice") == [1]


async def test_a_filter_the_emulator_lacks_is_refused_not_ignored(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "GET", ISSUES, params={"assignee": "bob"})
    assert answer.status == 422
    assert "not emulated" in answer.body["message"]


@pytest.fixture
async def clocked() -> AsyncIterator[tuple[list[float], RestGitHub]]:
    """A REST client on an emulator whose clock the test moves."""
    now = [1_700_000_000.0]
    running = EmulatorServer(make_emulator(clock=lambda: now[0]))
    await running.start()
    yield now, RestGitHub(running.rest_url)
    await running.stop()


async def test_since_keeps_issues_updated_at_or_after_it(
    clocked: tuple[list[float], RestGitHub],
) -> None:
    now, rest = clocked
    await new_issue(rest)  # 2023-11-14T22:13:20Z
    now[0] += 60
    await new_issue(rest)  # 2023-11-14T22:14:20Z
    assert await numbers(rest, since="2023-11-14T22:14:20Z") == [2]


async def test_sort_updated_lists_the_latest_change_first(
    clocked: tuple[list[float], RestGitHub],
) -> None:
    now, rest = clocked
    await new_issue(rest)
    now[0] += 60
    await new_issue(rest)
    now[0] += 60
    await rest.ok("acme", "PATCH", f"{ISSUES}/1", {"body": "changed"})
    assert await numbers(rest, sort="updated") == [1, 2]


# -- pages -----------------------------------------------------------------------------------
@pytest.fixture
async def hundred_and_one(rest: RestGitHub) -> RestGitHub:
    for _ in range(101):
        await new_issue(rest)
    return rest


async def test_a_page_holds_30_issues_by_default(hundred_and_one: RestGitHub) -> None:
    assert len(await numbers(hundred_and_one)) == 30


async def test_per_page_above_100_is_capped_at_100(hundred_and_one: RestGitHub) -> None:
    assert len(await numbers(hundred_and_one, per_page=500)) == 100


async def test_the_first_page_links_to_the_next_and_the_last(hundred_and_one: RestGitHub) -> None:
    answer = await hundred_and_one.call("acme", "GET", ISSUES, params={"per_page": 25})
    found = links(answer.headers["Link"])
    assert sorted(found) == ["last", "next"]
    assert "page=2" in found["next"]
    assert "page=5" in found["last"]
    assert "per_page=25" in found["next"]


async def test_the_last_page_links_to_the_previous_and_the_first(
    hundred_and_one: RestGitHub,
) -> None:
    answer = await hundred_and_one.call("acme", "GET", ISSUES, params={"per_page": 25, "page": 5})
    assert len(answer.body) == 1
    found = links(answer.headers["Link"])
    assert sorted(found) == ["first", "prev"]
    assert "page=4" in found["prev"]


async def test_following_next_links_visits_every_issue_once(
    hundred_and_one: RestGitHub,
) -> None:
    seen: list[int] = []
    answer = await hundred_and_one.call("acme", "GET", ISSUES, params={"per_page": 40})
    while True:
        seen += [issue["number"] for issue in answer.body]
        following = links(answer.headers.get("Link", "")) if "Link" in answer.headers else {}
        if "next" not in following:
            break
        answer = await hundred_and_one.call("acme", "GET", following["next"])
    assert sorted(seen) == list(range(1, 102))


async def test_a_single_page_has_no_link_header(rest: RestGitHub) -> None:
    await new_issue(rest)
    answer = await rest.call("acme", "GET", ISSUES)
    assert "Link" not in answer.headers


# -- edit ------------------------------------------------------------------------------------
async def test_closing_an_issue_sets_closed_at_and_reason_completed(rest: RestGitHub) -> None:
    await new_issue(rest)
    issue = await rest.ok("acme", "PATCH", f"{ISSUES}/1", {"state": "closed"})
    assert (issue["state"], issue["state_reason"]) == ("closed", "completed")
    assert issue["closed_at"] is not None


async def test_closing_as_not_planned_keeps_that_reason(rest: RestGitHub) -> None:
    await new_issue(rest)
    body = {"state": "closed", "state_reason": "not_planned"}
    issue = await rest.ok("acme", "PATCH", f"{ISSUES}/1", body)
    assert issue["state_reason"] == "not_planned"


async def test_reopening_an_issue_sets_reason_reopened(rest: RestGitHub) -> None:
    await new_issue(rest)
    await rest.ok("acme", "PATCH", f"{ISSUES}/1", {"state": "closed"})
    issue = await rest.ok("acme", "PATCH", f"{ISSUES}/1", {"state": "open"})
    assert (issue["state"], issue["state_reason"], issue["closed_at"]) == ("open", "reopened", None)


async def test_an_edit_changes_title_and_body(rest: RestGitHub) -> None:
    await new_issue(rest)
    issue = await rest.ok("acme", "PATCH", f"{ISSUES}/1", {"title": "new", "body": "{}"})
    assert (issue["title"], issue["body"]) == ("new", "{}")


async def test_an_edit_with_labels_replaces_the_issues_labels(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["a", "b"])
    issue = await rest.ok("acme", "PATCH", f"{ISSUES}/1", {"labels": ["b", "c"]})
    assert [label["name"] for label in issue["labels"]] == ["b", "c"]


async def test_an_unknown_state_in_an_edit_is_422(rest: RestGitHub) -> None:
    await new_issue(rest)
    answer = await rest.call("acme", "PATCH", f"{ISSUES}/1", {"state": "done"})
    assert answer.status == 422


async def test_an_oversized_body_in_an_edit_is_422_and_changes_nothing(rest: RestGitHub) -> None:
    await new_issue(rest, body="kept")
    answer = await rest.call("acme", "PATCH", f"{ISSUES}/1", {"body": "x" * 65_537})
    assert answer.status == 422
    assert (await rest.ok("acme", "GET", f"{ISSUES}/1"))["body"] == "kept"


async def test_an_outsider_cannot_edit_someone_elses_issue(rest: RestGitHub) -> None:
    await new_issue(rest)
    answer = await rest.call("eve", "PATCH", f"{ISSUES}/1", {"body": "mine"})
    assert answer.status == 403


async def test_an_outsider_may_close_their_own_issue(rest: RestGitHub) -> None:
    await new_issue(rest, "eve")
    issue = await rest.ok("eve", "PATCH", f"{ISSUES}/1", {"state": "closed"})
    assert issue["state"] == "closed"


async def test_labels_in_an_outsiders_edit_of_their_issue_are_dropped(rest: RestGitHub) -> None:
    await new_issue(rest, "eve")
    issue = await rest.ok("eve", "PATCH", f"{ISSUES}/1", {"title": "x", "labels": ["bug"]})
    assert (issue["title"], issue["labels"]) == ("x", [])


# -- an issue's labels -----------------------------------------------------------------------
async def test_adding_labels_answers_all_labels_of_the_issue(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["a"])
    labels = await rest.ok("acme", "POST", f"{ISSUES}/1/labels", {"labels": ["b"]})
    assert [label["name"] for label in labels] == ["a", "b"]


async def test_adding_labels_accepts_a_bare_array_of_names(rest: RestGitHub) -> None:
    await new_issue(rest)
    labels = await rest.ok("acme", "POST", f"{ISSUES}/1/labels", ["x"])
    assert [label["name"] for label in labels] == ["x"]


async def test_an_outsider_cannot_label_an_issue(rest: RestGitHub) -> None:
    await new_issue(rest, "eve")
    answer = await rest.call("eve", "POST", f"{ISSUES}/1/labels", {"labels": ["a"]})
    assert answer.status == 403


async def test_setting_labels_replaces_them(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["a", "b"])
    labels = await rest.ok("acme", "PUT", f"{ISSUES}/1/labels", {"labels": ["c"]})
    assert [label["name"] for label in labels] == ["c"]


async def test_removing_a_label_answers_the_labels_left(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["gh-store", "UID:a"])
    labels = await rest.ok("acme", "DELETE", f"{ISSUES}/1/labels/UID%3Aa")
    assert [label["name"] for label in labels] == ["gh-store"]


async def test_removing_a_label_the_issue_lacks_is_404(rest: RestGitHub) -> None:
    await new_issue(rest)
    await rest.ok("acme", "POST", LABELS, {"name": "a", "color": "ffffff"})
    answer = await rest.call("acme", "DELETE", f"{ISSUES}/1/labels/a")
    assert (answer.status, answer.body["message"]) == (404, "Label does not exist")


async def test_an_issues_labels_are_listed(rest: RestGitHub) -> None:
    await new_issue(rest, labels=["a", "b"])
    labels = await rest.ok("eve", "GET", f"{ISSUES}/1/labels")
    assert [label["name"] for label in labels] == ["a", "b"]


# -- repository labels -----------------------------------------------------------------------
async def test_creating_a_label_answers_201_with_its_fields(rest: RestGitHub, github: Any) -> None:
    body = {"name": "gh-store", "color": "6f42c1", "description": "managed"}
    answer = await rest.call("acme", "POST", LABELS, body)
    assert answer.status == 201
    label = answer.body
    assert (label["name"], label["color"], label["description"]) == (
        "gh-store",
        "6f42c1",
        "managed",
    )
    assert label["default"] is False
    assert label["node_id"].startswith("LA_")


async def test_creating_a_label_that_exists_is_422_already_exists(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", LABELS, {"name": "a", "color": "ffffff"})
    answer = await rest.call("acme", "POST", LABELS, {"name": "A", "color": "000000"})
    assert answer.status == 422
    assert answer.body["errors"][0]["code"] == "already_exists"


async def test_a_label_name_over_50_characters_is_422(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "POST", LABELS, {"name": "x" * 51, "color": "ffffff"})
    assert answer.status == 422


async def test_an_invalid_label_color_is_422(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "POST", LABELS, {"name": "a", "color": "blue"})
    assert answer.status == 422


async def test_an_outsider_cannot_create_a_label(rest: RestGitHub) -> None:
    answer = await rest.call("eve", "POST", LABELS, {"name": "a", "color": "ffffff"})
    assert answer.status == 403


async def test_the_repository_labels_are_listed_oldest_first(rest: RestGitHub) -> None:
    for name in ("b", "a"):
        await rest.ok("acme", "POST", LABELS, {"name": name, "color": "ffffff"})
    assert [label["name"] for label in await rest.ok("acme", "GET", LABELS)] == ["b", "a"]


async def test_a_label_is_found_by_name(rest: RestGitHub) -> None:
    await rest.ok("acme", "POST", LABELS, {"name": "UID:a/b", "color": "ffffff"})
    label = await rest.ok("eve", "GET", f"{LABELS}/UID%3Aa%2Fb")
    assert label["name"] == "UID:a/b"


async def test_an_absent_label_is_404(rest: RestGitHub) -> None:
    assert (await rest.call("acme", "GET", f"{LABELS}/nothing")).status == 404


async def test_a_label_made_over_rest_is_seen_by_graphql(
    rest: RestGitHub, github: Any, emulator: Emulator
) -> None:
    await rest.ok("acme", "POST", LABELS, {"name": "gh-store", "color": "6f42c1"})
    query = (
        'query { repository(owner: "acme", name: "data") { label(name: "gh-store") { color } } }'
    )
    assert (await github.data("acme", query))["repository"]["label"] == {"color": "6f42c1"}
