"""The local GitHub parses and validates each document text once; its answers are the same
whether the document came from the cache or not, errors included."""

from __future__ import annotations

import json
from typing import Any

from support.helpers import make_emulator

from ghstore.emulator import HttpRequest
from ghstore.emulator.graphql.api import checked_document

VALID = 'query { repository(owner: "acme", name: "data") { name } }'
INVALID = 'query { repository(owner: "acme", name: "data") { nosuchfield } }'
UNPARSABLE = "query { repository(owner: "


async def _answer(query: str) -> tuple[int, Any]:
    """A fresh emulator's answer (status, body without the request id's headers)."""
    emulator = make_emulator()
    try:
        body = json.dumps({"query": query}).encode()
        response = await emulator.handle(HttpRequest({"Authorization": "bearer t1"}, body))
        return response.status, response.body
    finally:
        emulator.close()


async def _answers_cold_and_warm(query: str) -> tuple[tuple[int, Any], tuple[int, Any]]:
    checked_document.cache_clear()
    cold = await _answer(query)
    warm = await _answer(query)
    return cold, warm


async def test_a_valid_document_is_parsed_and_validated_once() -> None:
    cold, warm = await _answers_cold_and_warm(VALID)
    assert cold == warm == (200, {"data": {"repository": {"name": "data"}}})
    info = checked_document.cache_info()
    assert (info.misses, info.hits) == (1, 1)


async def test_an_invalid_document_answers_the_same_errors_from_the_cache() -> None:
    cold, warm = await _answers_cold_and_warm(INVALID)
    assert cold == warm
    assert "nosuchfield" in json.dumps(cold[1]["errors"])
    assert checked_document.cache_info().hits == 1


async def test_a_document_that_does_not_parse_answers_the_same_error_each_time() -> None:
    cold, warm = await _answers_cold_and_warm(UNPARSABLE)
    assert cold == warm
    assert cold[0] == 200 and cold[1]["errors"][0]["message"]
    assert checked_document.cache_info().currsize == 0  # nothing kept of a bad document
