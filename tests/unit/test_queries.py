"""Every GraphQL document ghstore sends lives in queries/, validates against GitHub's pinned
schema, and is priced locally by GitHub's rules (integration/test_query_prices.py checks the
prices against what the local GitHub charges)."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from ghstore.emulator import github_schema
from ghstore.github.documents import Call, batch_document, document, document_names, operation_of
from ghstore.github.pricing import MAX_NODES, Price, batches_within, price

NAMES = document_names()


def test_queries_holds_the_documents_ghstore_sends() -> None:
    assert {"GetObject", "ListObjects", "CreateIssue", "AddComment", "UpdateIssue"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_document_holds_one_operation_named_after_its_file(name: str) -> None:
    operation = operation_of(document(name))
    assert operation.name is not None and operation.name.value == name


@pytest.mark.parametrize("name", NAMES)
def test_each_document_validates_against_githubs_published_schema(name: str) -> None:
    assert validate(github_schema(), document(name)) == []


def test_a_document_github_would_reject_fails_the_same_check() -> None:
    wrong = parse(
        'query Wrong { repository(owner: "a", name: "b") { issues(first: 1) { nodes { colour } } } }'
    )
    errors = validate(github_schema(), wrong)
    assert [e.message.split(".")[0] for e in errors] == [
        "Cannot query field 'colour' on type 'Issue'"
    ]


def test_batching_aliases_calls_and_renames_their_variables() -> None:
    doc, variables, aliases = batch_document(
        [
            Call("AddComment", {"subjectId": "I_1", "body": "x"}),
            Call("AddComment", {"subjectId": "I_2", "body": "y"}),
        ]
    )
    assert aliases == [["c0_addComment"], ["c1_addComment"]]
    assert variables == {"subjectId_0": "I_1", "body_0": "x", "subjectId_1": "I_2", "body_1": "y"}
    assert validate(github_schema(), doc) == []


def test_the_docs_cost_example_prices_at_51_points() -> None:
    example = parse(
        """query { viewer { login repositories(first: 100) { edges { node { id
        issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }"""
    )
    priced = price(example, {})
    assert priced.points == 51
    assert priced.nodes == 100 + 100 * 50 + 100 * 50 * 60


def test_shared_fragments_are_appended_to_the_documents_that_spread_them() -> None:
    from graphql import FragmentDefinitionNode

    from ghstore.github.documents import shared_fragments

    used = {
        d.name.value
        for name in NAMES
        for d in document(name).definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    assert (
        used
        == set(shared_fragments())
        == {
            "StoredIssue",
            "IssueLabels",
            "StoredComment",
            "CommentWindow",
        }
    )


LOOKUP = {"owner": "o", "name": "n", "uidLabel": "UID:x", "baseLabel": "b", "retiredLabel": "r"}


def test_100_object_reads_of_90_comments_fit_one_request_under_githubs_node_limit() -> None:
    (only,) = batches_within([Call("GetObject", LOOKUP | {"recent": 90})] * 100, 100)
    doc, variables, aliases = only
    assert len(aliases) == 100
    assert price(doc, variables) == Price(points=95, nodes=463_200)
    assert validate(github_schema(), doc) == []


def test_a_batch_over_the_node_limit_is_split_in_halves_before_it_is_sent() -> None:
    # GetObject of 100 comments, as `get` reads: 5,142 nodes each, 514,200 for 100 copies
    one = price(document("GetObject"), LOOKUP | {"recent": 100}).nodes
    assert one * 100 > MAX_NODES
    batches = batches_within([Call("GetObject", LOOKUP | {"recent": 100})] * 100, 100)
    assert [len(aliases) for _, _, aliases in batches] == [50, 50]
    assert all(price(doc, variables).nodes <= MAX_NODES for doc, variables, _ in batches)
