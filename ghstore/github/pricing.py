"""GitHub's GraphQL price of a document, computed locally before it is sent.

Docs ("Rate limits and query limits for the GraphQL API"): add up the requests needed to fill
each connection (a field taking `first`/`last`), assuming each is filled, divide by 100,
round, at least 1. The node count multiplies each connection's size by its parents'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
    ValueNode,
    value_from_ast_untyped,
)

from .documents import Call, batch_document, operation_of

__all__ = ["MAX_NODES", "Price", "batches_within", "price"]

MAX_NODES = 500_000


@frozen
class Price:
    """Points and the node count GitHub would charge and check."""

    points: int
    nodes: int


def _argument(node: FieldNode, name: str, variables: dict[str, Any]) -> Any:
    for argument in node.arguments or ():
        if argument.name.value == name:
            value: ValueNode = argument.value
            return value_from_ast_untyped(value, variables)
    return None


def price(doc: DocumentNode, variables: dict[str, Any]) -> Price:
    """The price of the document's operation with these variables."""
    fragments = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    totals = {"requests": 0, "nodes": 0}

    def walk(selection_set: SelectionSetNode | None, multiplier: int) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, multiplier)
            elif isinstance(selection, FragmentSpreadNode):
                walk(fragments[selection.name.value].selection_set, multiplier)
            elif isinstance(selection, FieldNode):
                size = max(
                    _argument(selection, "first", variables) or 0,
                    _argument(selection, "last", variables) or 0,
                )
                child = multiplier
                if size:
                    totals["requests"] += multiplier
                    totals["nodes"] += multiplier * size
                    child = multiplier * size
                elif selection.name.value == "nodes":
                    ids = _argument(selection, "ids", variables)
                    child = multiplier * max(1, len(ids)) if isinstance(ids, list) else multiplier
                walk(selection.selection_set, child)

    walk(operation_of(doc).selection_set, 1)
    points = max(1, int(totals["requests"] / 100 + 0.5))
    return Price(points=points, nodes=totals["nodes"])


def batches_within(
    calls: Sequence[Call], size: int
) -> list[tuple[DocumentNode, dict[str, Any], list[list[str]]]]:
    """`calls` batched (documents.batch_document) `size` to a document, and each batch,
    priced before anything is sent, halved until it is under GitHub's node limit (a single
    call over it is left for the gateway to refuse)."""
    batches = []
    for start in range(0, len(calls), size):
        batches += _halved(list(calls[start : start + size]))
    return batches


def _halved(calls: list[Call]) -> list[tuple[DocumentNode, dict[str, Any], list[list[str]]]]:
    doc, variables, aliases = batch_document(calls)
    if len(calls) == 1 or price(doc, variables).nodes <= MAX_NODES:
        return [(doc, variables, aliases)]
    half = (len(calls) + 1) // 2
    return _halved(calls[:half]) + _halved(calls[half:])
