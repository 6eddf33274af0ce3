"""GitHub's own answers, recorded from api.github.com by npm's @octokit/fixtures (pinned in
support.foreign), replayed against the local GitHub over HTTP: every scenario that touches
what the local GitHub emulates (issues, labels, pagination, errors, locking, the repository,
contents) sends its recorded requests in order, and each answer must agree with the recorded
one in status, the headers that matter and the JSON's shape and types. The other scenarios
are listed by name with what they are about, and a new scenario in a new version of the
package fails the test until it is sorted into one list or the other.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from support.foreign import fixture_scenarios
from support.replay import (
    CLAIMED,
    NOT_CLAIMED,
    RECORDED_TOKEN,
    compare_answer,
    load_scenario,
    prepare,
)

from ghstore.emulator import Emulator, EmulatorServer

pytestmark = pytest.mark.slow  # npm packages in .cache/npm-clients (installed once)


def test_every_recorded_scenario_is_either_replayed_or_listed_as_not_claimed() -> None:
    recorded = {path.name for path in fixture_scenarios().iterdir() if path.is_dir()}
    assert recorded == CLAIMED.keys() | NOT_CLAIMED.keys()
    assert not CLAIMED.keys() & NOT_CLAIMED.keys()


def _request_body(exchange: dict[str, Any]) -> bytes | None:
    body = exchange.get("body")
    if body in (None, ""):
        return None
    return (body if isinstance(body, str) else json.dumps(body)).encode()


async def _send(
    session: aiohttp.ClientSession, root: str, exchange: dict[str, Any], rewrites: dict[str, str]
) -> tuple[int, dict[str, str], Any]:
    path = exchange["path"]
    for old, new in rewrites.items():
        path = path.replace(old, new)
    headers = {
        name: str(value)
        for name, value in exchange["reqheaders"].items()
        if name in ("accept", "content-type", "authorization")
    }
    async with session.request(
        exchange["method"].upper(), root + path, data=_request_body(exchange), headers=headers
    ) as response:
        text = await response.text()
        got = {name.lower(): value for name, value in response.headers.items()}
        if not text:
            return response.status, got, None
        is_json = got.get("content-type", "").startswith("application/json")
        return response.status, got, json.loads(text) if is_json else text


@pytest.mark.parametrize("scenario", sorted(CLAIMED))
async def test_the_local_github_answers_each_recorded_request_as_github_did(
    scenario: str, emulator: Emulator, server: EmulatorServer
) -> None:
    exchanges = load_scenario(fixture_scenarios(), scenario)
    rewrites = prepare(emulator, scenario, exchanges)
    assert all(e["reqheaders"]["authorization"] == f"token {RECORDED_TOKEN}" for e in exchanges)
    differences: list[str] = []
    async with aiohttp.ClientSession() as session:
        for index, exchange in enumerate(exchanges):
            status, headers, body = await _send(session, server.rest_url, exchange, rewrites)
            where = f"#{index} {exchange['method'].upper()} {exchange['path']}"
            differences += [
                f"{where}: {d}" for d in compare_answer(exchange, status, headers, body)
            ]
    assert differences == []
