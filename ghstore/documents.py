"""The GraphQL documents in `queries/` (one operation a file, named after it) and batching.

Python never writes query text by hand; the one exception is here: `batch_document` aliases
copies of documents into one request, renaming their variables, by rewriting the AST.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from typing import Any

from attrs import frozen
from graphql import (
    DocumentNode,
    FieldNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    parse,
    print_ast,
)
from graphql.language import Visitor, visit

__all__ = ["Call", "batch_document", "document", "document_names", "operation_of"]


def _queries_dir() -> Any:
    return resources.files("ghstore").joinpath("queries")


def document_names() -> list[str]:
    """Names of every shipped document."""
    return sorted(
        p.name.removesuffix(".graphql")
        for p in _queries_dir().iterdir()
        if p.name.endswith(".graphql")
    )


@functools.cache
def document(name: str) -> DocumentNode:
    """The parsed document `queries/{name}.graphql`; it must hold one operation called `name`."""
    path = _queries_dir().joinpath(f"{name}.graphql")
    parsed = parse(path.read_text(encoding="utf-8"))
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].name is None or operations[0].name.value != name:
        raise ValueError(f"queries/{name}.graphql must hold exactly one operation named {name}")
    return parsed


def operation_of(doc: DocumentNode) -> OperationDefinitionNode:
    """The single operation of a document."""
    return next(d for d in doc.definitions if isinstance(d, OperationDefinitionNode))


@frozen
class Call:
    """One use of a mutation document with its variables."""

    name: str
    variables: dict[str, Any]


class _Rename(Visitor):
    def __init__(self, suffix: str) -> None:
        super().__init__()
        self.suffix = suffix

    def enter_variable(self, node: VariableNode, *_: Any) -> VariableNode:
        return VariableNode(name=NameNode(value=f"{node.name.value}{self.suffix}"))


def batch_document(
    calls: Sequence[Call],
) -> tuple[DocumentNode, dict[str, Any], list[list[str]]]:
    """One document running `calls` (all mutations, or all queries) in one request, its
    variables, and each call's aliases.

    Call i's top-level fields are aliased `c{i}_{alias}` and its variables `${name}_{i}`.
    Mutations run in order, as GitHub runs aliased mutations.
    """
    definitions: list[VariableDefinitionNode] = []
    selections: list[FieldNode] = []
    variables: dict[str, Any] = {}
    aliases: list[list[str]] = []
    kinds = set()
    for index, call in enumerate(calls):
        doc = document(call.name)
        if len(doc.definitions) != 1:
            raise ValueError(f"{call.name} uses fragments; it cannot be batched")
        operation = operation_of(doc)
        kinds.add(operation.operation)
        renamed = visit(operation, _Rename(f"_{index}"))
        definitions.extend(renamed.variable_definitions or ())
        mine = []
        for selection in renamed.selection_set.selections:
            assert isinstance(selection, FieldNode)
            alias = f"c{index}_{(selection.alias or selection.name).value}"
            selections.append(
                FieldNode(
                    alias=NameNode(value=alias),
                    name=selection.name,
                    arguments=selection.arguments,
                    directives=selection.directives,
                    selection_set=selection.selection_set,
                )
            )
            mine.append(alias)
        aliases.append(mine)
        for key, value in call.variables.items():
            variables[f"{key}_{index}"] = value
    if len(kinds) != 1:
        raise ValueError("a batch holds only mutations or only queries")
    batched = parse(
        print_ast(
            DocumentNode(
                definitions=(
                    OperationDefinitionNode(
                        operation=kinds.pop(),
                        name=NameNode(value="Batch"),
                        variable_definitions=tuple(definitions),
                        selection_set=SelectionSetNode(selections=tuple(selections)),
                        directives=(),
                    ),
                )
            )
        )
    )
    return batched, variables, aliases
