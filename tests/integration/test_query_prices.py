"""Every query document is priced locally exactly as the local GitHub charges for it."""

from __future__ import annotations

from typing import Any

import pytest

from ghstore.emulator import Emulator
from ghstore.github.documents import document, document_names, operation_of
from ghstore.github.pricing import price

SAMPLE_VARIABLES: dict[str, dict[str, Any]] = {
    "RepositoryContext": {
        "owner": "acme",
        "name": "data",
        "baseLabel": "a",
        "namespaceLabel": "b",
        "archivedLabel": "c",
    },
    "GetObject": {
        "owner": "acme",
        "name": "data",
        "uidLabel": "UID:x",
        "baseLabel": "a",
        "retiredLabel": "d",
        "recent": 100,
    },
    "FindObject": {
        "owner": "acme",
        "name": "data",
        "uidLabel": "UID:x",
        "baseLabel": "a",
        "retiredLabel": "d",
    },
    "ListObjects": {
        "owner": "acme",
        "name": "data",
        "baseLabel": "a",
        "after": None,
        "since": None,
    },
    "ListObjectStates": {
        "owner": "acme",
        "name": "data",
        "label": "stored-object",
        "after": None,
        "since": None,
        "recent": 10,
    },
    "ObjectComments": {"issueId": "I_kwDOnothing", "after": None},
    "OlderComments": {"issueId": "I_kwDOnothing", "before": "Y3Vyc29yOjE=", "last": 100},
    "CommentReactions": {"commentId": "IC_kwDOnothing", "content": "EYES", "after": None},
    "LabelByName": {"owner": "acme", "name": "data", "labelName": "ghstore-lock:1"},
    "RecentComments": {"issueId": "I_kwDOnothing", "before": None},
    "ObjectIssues": {"owner": "acme", "name": "data", "uidLabel": "UID:x", "baseLabel": "a"},
    "RecentIssues": {"owner": "acme", "name": "data", "author": "acme"},
    "RepositoryFile": {"owner": "acme", "name": "data", "expression": "HEAD:.github/ghstore.yml"},
}


@pytest.mark.parametrize("name", sorted(SAMPLE_VARIABLES))
async def test_local_price_equals_what_the_local_github_charges(
    name: str, github: Any, emulator: Emulator
) -> None:
    from graphql import print_ast

    emulator.controls.reset()
    await github.raw("acme", print_ast(document(name)), **SAMPLE_VARIABLES[name])
    (record,) = emulator.controls.log
    assert price(document(name), SAMPLE_VARIABLES[name]).points == record.cost


def test_every_query_document_has_sample_variables_for_the_price_check() -> None:
    queries = {n for n in document_names() if operation_of(document(n)).operation.value == "query"}
    assert queries == set(SAMPLE_VARIABLES)
