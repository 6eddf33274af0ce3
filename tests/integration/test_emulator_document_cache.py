"""The local GitHub parses and validates each document text once; its answers are the same
whether the document came from the cache or not, errors included. A document that passed is
remembered across processes (beside the schema's cache), and only one that passed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from graphql import print_ast
from support.helpers import make_emulator

from ghstore.emulator import HttpRequest, github_schema
from ghstore.emulator.graphql import api as api_module
from ghstore.emulator.graphql.api import checked_document
from ghstore.emulator.graphql.validated import ValidDocuments

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


@pytest.fixture
def known(tmp_path: Path) -> ValidDocuments:
    """Documents known valid, kept in a folder of this test's own."""
    checked_document.cache_clear()
    return ValidDocuments(b"this schema's key\n", [tmp_path / "valid"])


def test_a_document_valid_in_an_earlier_process_is_not_validated_again(
    known: ValidDocuments, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = github_schema()
    document, errors = checked_document(schema, VALID, known)
    assert errors == () and VALID in known
    checked_document.cache_clear()  # a new process: only the folder remembers

    def validate_again(*_: Any) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(api_module, "validate", validate_again)
    again, errors = checked_document(schema, VALID, known)
    assert errors == () and print_ast(again) == print_ast(document)


def test_an_invalid_document_is_not_remembered_and_is_validated_each_time(
    known: ValidDocuments,
) -> None:
    _, first = checked_document(github_schema(), INVALID, known)
    checked_document.cache_clear()
    _, second = checked_document(github_schema(), INVALID, known)
    assert first and [e.message for e in first] == [e.message for e in second]
    assert INVALID not in known


def test_documents_known_valid_under_another_schema_are_validated_again(tmp_path: Path) -> None:
    folder = tmp_path / "valid"
    ValidDocuments(b"an older schema's key\n", [folder]).add(INVALID)
    checked_document.cache_clear()
    _, errors = checked_document(
        github_schema(), INVALID, ValidDocuments(b"this schema's key\n", [folder])
    )
    assert errors


def test_an_unwritable_folder_only_means_validating_again(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where the folder would be")
    known = ValidDocuments(b"key\n", [tmp_path / "file" / "valid", tmp_path / "home"])
    known.add(VALID)
    assert VALID in known and (tmp_path / "home").is_dir()
    unwritable = ValidDocuments(b"key\n", [tmp_path / "file" / "valid"])
    unwritable.add(VALID)
    assert VALID not in unwritable
