"""The emulator's Python controls (request log, latency, injected faults) seen from a client.

HTTP tests go through gql's AIOHTTPTransport to the emulator on a loopback port; the last ones
check that the in-process transport fails with the same kinds of exceptions.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from gql import Client, gql
from gql.graphql_request import GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportConnectionFailed, TransportServerError

from ghstore.emulator import Emulator, FaultKind, InProcessTransport

VIEWER = "query Who { viewer { login } }"
REPO_ID = 'query { repository(owner: "acme", name: "data") { id } }'
CREATE_ISSUE = """
mutation Open($repo: ID!) {
  createIssue(input: {repositoryId: $repo, title: "t"}) { issue { number } }
}"""
ISSUE_COUNT = (
    'query { repository(owner: "acme", name: "data") { issues(first: 1) { totalCount } } }'
)


async def send(url: str, query: str, timeout: float | None = None, **variables: Any) -> Any:
    """One request as acme through AIOHTTPTransport; the ExecutionResult."""
    transport = AIOHTTPTransport(
        url=url,
        headers={"Authorization": "bearer t1"},
        timeout=timeout,  # aiohttp takes float seconds, though gql annotates int
    )
    await transport.connect()
    try:
        return await transport.execute(GraphQLRequest(query, variable_values=variables))
    finally:
        await transport.close()


async def in_process(emulator: Emulator, query: str, token: str = "t1", **variables: Any) -> Any:
    return await InProcessTransport(emulator, token).execute(
        GraphQLRequest(query, variable_values=variables)
    )


async def issue_count(github: Any) -> int:
    return int((await github.data("acme", ISSUE_COUNT))["repository"]["issues"]["totalCount"])


# -- the request log -----------------------------------------------------------------------
async def test_the_request_log_records_operation_cost_and_status(
    github: Any, emulator: Emulator
) -> None:
    await send(github.url, VIEWER)
    record = emulator.controls.log[-1]
    assert (record.operation, record.kind, record.cost, record.status) == ("Who", "query", 1, 200)
    assert record.login == "acme"
    assert record.fields == ("viewer",)


async def test_the_request_log_records_mutations_with_their_fields(
    github: Any, emulator: Emulator
) -> None:
    repo = (await github.data("acme", REPO_ID))["repository"]["id"]
    await send(github.url, CREATE_ISSUE, repo=repo)
    record = emulator.controls.log[-1]
    assert (record.operation, record.kind, record.fields) == ("Open", "mutation", ("createIssue",))


async def test_the_request_log_records_refused_requests(github: Any, emulator: Emulator) -> None:
    with pytest.raises(TransportServerError):
        await github.raw(None, VIEWER)
    assert emulator.controls.log[-1].status == 401
    assert emulator.controls.log[-1].cost == 0


async def test_the_request_log_records_error_types(github: Any, emulator: Emulator) -> None:
    await github.raw("acme", 'query { node(id: "nope") { id } }')
    assert emulator.controls.log[-1].error_types == ("NOT_FOUND",)


async def test_requests_points_and_field_counts_add_up_the_log(
    github: Any, emulator: Emulator
) -> None:
    emulator.controls.reset()
    await send(github.url, VIEWER)
    await send(github.url, VIEWER)
    await send(github.url, 'query { repository(owner: "acme", name: "data") { id } }')
    assert emulator.controls.requests == 3
    assert emulator.controls.points == 3
    assert emulator.controls.field_counts() == {"viewer": 2, "repository": 1}
    emulator.controls.reset()
    assert emulator.controls.requests == 0


# -- latency and faults over HTTP ----------------------------------------------------------
async def test_latency_delays_every_request(github: Any, emulator: Emulator) -> None:
    emulator.controls.latency = 0.2
    started = time.perf_counter()
    result = await send(github.url, VIEWER)
    assert time.perf_counter() - started >= 0.2
    assert result.data == {"viewer": {"login": "acme"}}


async def test_a_bad_gateway_fault_answers_502(github: Any, emulator: Emulator) -> None:
    emulator.controls.fail_next(1, FaultKind.BAD_GATEWAY)
    with pytest.raises(TransportServerError) as caught:
        await send(github.url, VIEWER)
    assert caught.value.code == 502


async def test_faults_hit_only_the_next_n_requests(github: Any, emulator: Emulator) -> None:
    emulator.controls.fail_next(2, FaultKind.BAD_GATEWAY)
    for _ in range(2):
        with pytest.raises(TransportServerError):
            await send(github.url, VIEWER)
    assert emulator.controls.pending_faults == 0
    assert (await send(github.url, VIEWER)).data == {"viewer": {"login": "acme"}}


async def test_a_bad_gateway_fault_does_not_run_the_mutation(
    github: Any, emulator: Emulator
) -> None:
    repo = (await github.data("acme", REPO_ID))["repository"]["id"]
    emulator.controls.fail_next(1, FaultKind.BAD_GATEWAY)
    with pytest.raises(TransportServerError):
        await send(github.url, CREATE_ISSUE, repo=repo)
    assert await issue_count(github) == 0


async def test_a_secondary_limit_fault_answers_403_with_retry_after(
    github: Any, emulator: Emulator
) -> None:
    emulator.controls.fail_next(1, FaultKind.SECONDARY_LIMIT, retry_after=7)
    transport = AIOHTTPTransport(url=github.url, headers={"Authorization": "bearer t1"})
    await transport.connect()
    try:
        with pytest.raises(TransportServerError) as caught:
            await transport.execute(GraphQLRequest(VIEWER))
        assert caught.value.code == 403
        assert transport.response_headers["retry-after"] == "7"
    finally:
        await transport.close()


async def test_a_timeout_fault_makes_the_client_time_out(github: Any, emulator: Emulator) -> None:
    emulator.controls.timeout_hold = 0.6
    emulator.controls.fail_next(1, FaultKind.TIMEOUT)
    # gql's AIOHTTPTransport reports its own timeout as a failed connection caused by it
    # (a dropped connection at the end of the hold would have another cause).
    with pytest.raises(TransportConnectionFailed) as caught:
        await send(github.url, VIEWER, timeout=0.3)
    assert isinstance(caught.value.__cause__, TimeoutError)


async def test_a_timeout_fault_trips_the_clients_execute_timeout(
    github: Any, emulator: Emulator
) -> None:
    emulator.controls.timeout_hold = 0.6
    emulator.controls.fail_next(1, FaultKind.TIMEOUT)
    transport = AIOHTTPTransport(url=github.url, headers={"Authorization": "bearer t1"})
    with pytest.raises(TimeoutError):
        async with Client(transport=transport, execute_timeout=0.3) as session:
            await session.execute(gql(VIEWER))


async def test_a_lost_response_lands_the_mutation_but_fails_the_client(
    github: Any, emulator: Emulator
) -> None:
    repo = (await github.data("acme", REPO_ID))["repository"]["id"]
    emulator.controls.fail_next(1, FaultKind.LOSE_RESPONSE)
    with pytest.raises(TransportConnectionFailed):
        await send(github.url, CREATE_ISSUE, repo=repo)
    assert await issue_count(github) == 1


async def test_an_injected_fault_is_logged(github: Any, emulator: Emulator) -> None:
    emulator.controls.fail_next(1, FaultKind.BAD_GATEWAY)
    with pytest.raises(TransportServerError):
        await send(github.url, VIEWER)
    assert emulator.controls.log[-1].status == 502


async def test_clear_faults_forgets_queued_faults(github: Any, emulator: Emulator) -> None:
    emulator.controls.fail_next(3, FaultKind.BAD_GATEWAY)
    emulator.controls.clear_faults()
    assert (await send(github.url, VIEWER)).data == {"viewer": {"login": "acme"}}


# -- the in-process transport fails the same way -------------------------------------------
async def test_in_process_answers_what_http_answers(github: Any, emulator: Emulator) -> None:
    over_http = await send(github.url, REPO_ID)
    assert (await in_process(emulator, REPO_ID)).data == over_http.data


async def test_in_process_without_a_valid_token_raises_401(emulator: Emulator) -> None:
    for token in (None, "bad"):
        with pytest.raises(TransportServerError) as caught:
            await InProcessTransport(emulator, token).execute(GraphQLRequest(VIEWER))
        assert caught.value.code == 401


async def test_in_process_bad_gateway_raises_a_server_error_with_code_502(
    emulator: Emulator,
) -> None:
    emulator.controls.fail_next(1, FaultKind.BAD_GATEWAY)
    with pytest.raises(TransportServerError) as caught:
        await in_process(emulator, VIEWER)
    assert caught.value.code == 502


async def test_in_process_secondary_limit_raises_403_with_retry_after(emulator: Emulator) -> None:
    emulator.controls.fail_next(1, FaultKind.SECONDARY_LIMIT, retry_after=9)
    transport = InProcessTransport(emulator, "t1")
    with pytest.raises(TransportServerError) as caught:
        await transport.execute(GraphQLRequest(VIEWER))
    assert caught.value.code == 403
    assert transport.response_headers is not None
    assert transport.response_headers["Retry-After"] == "9"


async def test_in_process_timeout_raises_what_either_http_timeout_raises(
    emulator: Emulator,
) -> None:
    emulator.controls.fail_next(1, FaultKind.TIMEOUT)
    with pytest.raises(TimeoutError) as caught:
        await in_process(emulator, VIEWER)
    assert isinstance(caught.value, TransportConnectionFailed)


async def test_in_process_lost_response_lands_the_mutation_and_raises_connection_failed(
    emulator: Emulator,
) -> None:
    repo = (await in_process(emulator, REPO_ID)).data["repository"]["id"]
    emulator.controls.fail_next(1, FaultKind.LOSE_RESPONSE)
    with pytest.raises(TransportConnectionFailed):
        await in_process(emulator, CREATE_ISSUE, repo=repo)
    count = (await in_process(emulator, ISSUE_COUNT)).data
    assert count["repository"]["issues"]["totalCount"] == 1


async def test_in_process_works_behind_a_gql_client(emulator: Emulator) -> None:
    async with Client(transport=InProcessTransport(emulator, "t2")) as session:
        data = await session.execute(gql(VIEWER))
    assert data == {"viewer": {"login": "bob"}}


async def test_a_field_fault_fails_that_mutation_alone_and_the_others_of_its_request_run(
    github: Any, emulator: Emulator
) -> None:
    repo = (await github.data("acme", REPO_ID))["repository"]["id"]
    two = """mutation($repo: ID!) {
      a: createIssue(input: {repositoryId: $repo, title: "a"}) { issue { number } }
      b: createIssue(input: {repositoryId: $repo, title: "b"}) { issue { number } }
    }"""
    before = await issue_count(github)
    emulator.controls.fail_field("createIssue")
    assert emulator.controls.pending_faults == 1
    answer = await github.raw("acme", two, repo=repo)
    assert answer.data["a"] is None and answer.data["b"]["issue"]["number"] > 0
    (error,) = answer.errors
    assert error["path"] == ["a"] and "Something went wrong" in error["message"]
    assert "type" not in error  # GitHub's internal error carries none
    assert await issue_count(github) == before + 1
    assert emulator.controls.pending_faults == 0
