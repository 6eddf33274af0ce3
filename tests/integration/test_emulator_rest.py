"""The emulator's REST API (/api/v3/): auth, budgets, the request log, the repository, users,
/rate_limit and contents. Real HTTP through aiohttp to the emulator on a loopback port.

Expected values come from GitHub's REST documentation: 5,000 requests an hour for a user
token in the `core` resource, apart from GraphQL's points; 401 "Bad credentials"; 404
{"message": "Not Found"}; files base64-encoded with their git blob sha.
"""

from __future__ import annotations

import base64
from typing import Any

from support.helpers import TOKENS, RestGitHub, make_emulator

from ghstore.emulator import Emulator, EmulatorServer

REPO_ID = 'query { repository(owner: "acme", name: "data") { id databaseId } }'


# -- authentication ------------------------------------------------------------------------
async def test_a_request_without_a_token_is_refused_with_401(rest: RestGitHub) -> None:
    answer = await rest.call(None, "GET", "/repos/acme/data")
    assert answer.status == 401
    assert answer.body["message"] == "Requires authentication"


async def test_a_bad_token_is_refused_with_401_bad_credentials(rest: RestGitHub) -> None:
    answer = await rest.call(None, "GET", "/repos/acme/data", authorization="token nope")
    assert answer.status == 401
    assert answer.body["message"] == "Bad credentials"
    assert answer.body["documentation_url"].startswith("https://docs.github.com/")


async def test_the_bearer_scheme_is_accepted_as_well_as_token(rest: RestGitHub) -> None:
    answer = await rest.call(None, "GET", "/user", authorization=f"bearer {TOKENS['bob']}")
    assert answer.status == 200
    assert answer.body["login"] == "bob"


# -- the repository ------------------------------------------------------------------------
async def test_the_repository_names_its_owner_and_full_name(rest: RestGitHub) -> None:
    repo = await rest.ok("acme", "GET", "/repos/acme/data")
    assert repo["full_name"] == "acme/data"
    assert repo["name"] == "data"
    assert repo["owner"]["login"] == "acme"
    assert repo["owner"]["type"] == "User"
    assert repo["private"] is False


async def test_the_repository_ids_are_those_graphql_gives(rest: RestGitHub, github: Any) -> None:
    graphql = (await github.data("acme", REPO_ID))["repository"]
    repo = await rest.ok("acme", "GET", "/repos/acme/data")
    assert repo["node_id"] == graphql["id"]
    assert repo["id"] == graphql["databaseId"]


async def test_urls_in_answers_use_the_address_the_client_called(
    rest: RestGitHub, server: EmulatorServer
) -> None:
    repo = await rest.ok("acme", "GET", "/repos/acme/data")
    assert repo["url"] == f"{server.rest_url}/repos/acme/data"
    assert repo["html_url"] == "https://github.com/acme/data"


async def test_the_owner_has_admin_permission_on_the_repository(rest: RestGitHub) -> None:
    repo = await rest.ok("acme", "GET", "/repos/acme/data")
    assert repo["permissions"]["admin"] is True


async def test_a_collaborator_may_push_but_not_administer(rest: RestGitHub) -> None:
    permissions = (await rest.ok("bob", "GET", "/repos/acme/data"))["permissions"]
    assert (permissions["push"], permissions["admin"]) == (True, False)


async def test_an_outsider_may_only_pull_a_public_repository(rest: RestGitHub) -> None:
    permissions = (await rest.ok("eve", "GET", "/repos/acme/data"))["permissions"]
    assert (permissions["pull"], permissions["triage"], permissions["push"]) == (True, False, False)


async def test_an_unknown_repository_is_404_not_found(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "GET", "/repos/acme/nothing")
    assert answer.status == 404
    assert answer.body["message"] == "Not Found"


async def test_a_private_repository_is_404_for_an_outsider(
    rest: RestGitHub, emulator: Emulator
) -> None:
    emulator.add_repository("acme/secret", private=True)
    answer = await rest.call("eve", "GET", "/repos/acme/secret")
    assert answer.status == 404


async def test_a_route_that_is_not_emulated_answers_501_naming_it_not_a_plain_404(
    rest: RestGitHub,
) -> None:
    """A 404 would read as "this does not exist" to a client; the route is just not emulated."""
    answer = await rest.call("acme", "GET", "/repos/acme/data/no-such-thing")
    assert answer.status == 501
    assert answer.body["message"] == (
        "GET /repos/acme/data/no-such-thing is not emulated by ghstore's local GitHub"
    )


# -- users -----------------------------------------------------------------------------------
async def test_user_is_the_owner_of_the_token(rest: RestGitHub) -> None:
    me = await rest.ok("mia", "GET", "/user")
    assert (me["login"], me["type"], me["site_admin"]) == ("mia", "User", False)


async def test_a_user_is_found_by_login(rest: RestGitHub) -> None:
    user = await rest.ok("acme", "GET", "/users/eve")
    assert user["login"] == "eve"
    assert user["node_id"].startswith("U_")


async def test_an_unknown_user_is_404(rest: RestGitHub) -> None:
    assert (await rest.call("acme", "GET", "/users/nobody")).status == 404


# -- the core budget -------------------------------------------------------------------------
async def test_a_rest_call_costs_one_request_of_the_core_budget(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "GET", "/repos/acme/data")
    headers = answer.headers
    assert headers["x-ratelimit-resource"] == "core"
    assert headers["x-ratelimit-limit"] == "5000"
    assert (headers["x-ratelimit-used"], headers["x-ratelimit-remaining"]) == ("1", "4999")


async def test_each_token_has_its_own_core_budget(rest: RestGitHub) -> None:
    await rest.call("acme", "GET", "/repos/acme/data")
    answer = await rest.call("bob", "GET", "/repos/acme/data")
    assert answer.headers["x-ratelimit-used"] == "1"


async def test_graphql_points_do_not_come_out_of_the_core_budget(
    rest: RestGitHub, github: Any
) -> None:
    await github.data("acme", REPO_ID)
    answer = await rest.call("acme", "GET", "/repos/acme/data")
    assert answer.headers["x-ratelimit-used"] == "1"


async def test_a_spent_core_budget_answers_403_rate_limit_exceeded(
    rest: RestGitHub, emulator: Emulator
) -> None:
    emulator.hourly_requests = 2
    for _ in range(2):
        await rest.ok("acme", "GET", "/repos/acme/data")
    answer = await rest.call("acme", "GET", "/repos/acme/data")
    assert answer.status == 403
    assert answer.body["message"].startswith("API rate limit exceeded")
    assert answer.headers["x-ratelimit-remaining"] == "0"


async def test_rate_limit_reports_both_budgets(rest: RestGitHub) -> None:
    await rest.call("acme", "GET", "/repos/acme/data")
    limits = await rest.ok("acme", "GET", "/rate_limit")
    assert limits["resources"]["core"]["used"] == 1
    assert limits["resources"]["core"]["limit"] == 5000
    assert limits["rate"] == limits["resources"]["core"]
    assert limits["resources"]["graphql"]["used"] == 0


async def test_asking_for_the_rate_limit_costs_nothing(rest: RestGitHub) -> None:
    await rest.ok("acme", "GET", "/rate_limit")
    limits = await rest.ok("acme", "GET", "/rate_limit")
    assert limits["resources"]["core"]["used"] == 0


async def test_content_creation_is_limited_across_both_apis(rest: RestGitHub, github: Any) -> None:
    emulator = make_emulator(content_per_minute=1)
    running = EmulatorServer(emulator)
    await running.start()
    try:
        other = RestGitHub(running.rest_url)
        await other.ok("acme", "POST", "/repos/acme/data/issues", {"title": "first"})
        answer = await other.call("acme", "POST", "/repos/acme/data/issues", {"title": "second"})
        assert answer.status == 403
        assert "secondary rate limit" in answer.body["message"]
        assert int(answer.headers["retry-after"]) > 0
    finally:
        await running.stop()


# -- the request log and injected faults -----------------------------------------------------
async def test_the_request_log_names_the_rest_route(rest: RestGitHub, emulator: Emulator) -> None:
    await rest.ok("bob", "GET", "/repos/acme/data/issues", params={"state": "all"})
    record = emulator.controls.log[-1]
    assert (record.api, record.kind) == ("rest", "rest")
    assert record.operation == "GET /repos/{owner}/{repo}/issues"
    assert (record.cost, record.status, record.login) == (1, 200, "bob")


async def test_rest_calls_add_no_graphql_points_to_the_log(
    rest: RestGitHub, emulator: Emulator
) -> None:
    await rest.ok("acme", "GET", "/repos/acme/data")
    assert emulator.controls.points == 0
    assert len(emulator.controls.requests_of("rest")) == 1


async def test_an_injected_bad_gateway_hits_a_rest_call(
    rest: RestGitHub, emulator: Emulator
) -> None:
    emulator.controls.fail_next(1, "502")
    assert (await rest.call("acme", "GET", "/repos/acme/data")).status == 502
    assert (await rest.call("acme", "GET", "/repos/acme/data")).status == 200


async def test_a_rest_call_hit_by_a_fault_is_logged_as_rest(
    rest: RestGitHub, emulator: Emulator
) -> None:
    emulator.controls.fail_next(1, "502")
    await rest.call("acme", "GET", "/repos/acme/data")
    record = emulator.controls.log[-1]
    assert (record.api, record.kind, record.status) == ("rest", "rest", 502)


async def test_an_injected_secondary_limit_answers_403_with_retry_after(
    rest: RestGitHub, emulator: Emulator
) -> None:
    emulator.controls.fail_next(1, "secondary", retry_after=7)
    answer = await rest.call("acme", "GET", "/repos/acme/data")
    assert answer.status == 403
    assert answer.headers["retry-after"] == "7"


# -- contents --------------------------------------------------------------------------------
async def test_contents_of_an_absent_file_is_404_not_found(rest: RestGitHub) -> None:
    answer = await rest.call("acme", "GET", "/repos/acme/data/contents/.github/CODEOWNERS")
    assert answer.status == 404
    assert answer.body["message"] == "Not Found"


async def test_a_put_file_is_served_base64_encoded(rest: RestGitHub, emulator: Emulator) -> None:
    emulator.put_file("acme/data", ".github/CODEOWNERS", "* @bob\n")
    got = await rest.ok("acme", "GET", "/repos/acme/data/contents/.github/CODEOWNERS")
    assert (got["type"], got["encoding"], got["path"]) == ("file", "base64", ".github/CODEOWNERS")
    assert base64.b64decode(got["content"]) == b"* @bob\n"
    assert got["size"] == 7


async def test_a_file_carries_its_git_blob_sha(rest: RestGitHub, emulator: Emulator) -> None:
    emulator.put_file("acme/data", "hello.txt", "hello\n")
    got = await rest.ok("acme", "GET", "/repos/acme/data/contents/hello.txt")
    # `echo hello | git hash-object --stdin`
    assert got["sha"] == "ce013625030ba8dba906f756967f9e9ca394464a"


async def test_contents_of_a_directory_lists_its_entries(
    rest: RestGitHub, emulator: Emulator
) -> None:
    emulator.put_file("acme/data", "docs/CODEOWNERS", "* @acme\n")
    emulator.put_file("acme/data", "docs/api/index.md", "# API\n")
    listing = await rest.ok("acme", "GET", "/repos/acme/data/contents/docs")
    assert [(entry["name"], entry["type"]) for entry in listing] == [
        ("CODEOWNERS", "file"),
        ("api", "dir"),
    ]
