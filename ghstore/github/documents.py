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
    FragmentDefinitionNode,
    FragmentSpreadNode,
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
    """Names of every shipped operation document (files starting with "_" hold fragments)."""
    return sorted(
        p.name.removesuffix(".graphql")
        for p in _queries_dir().iterdir()
        if p.name.endswith(".graphql") and not p.name.startswith("_")
    )


@functools.cache
def shared_fragments() -> dict[str, FragmentDefinitionNode]:
    """The fragments of `queries/_*.graphql`, by name; they may use no variables."""
    found: dict[str, FragmentDefinitionNode] = {}
    for path in _queries_dir().iterdir():
        if path.name.startswith("_") and path.name.endswith(".graphql"):
            for definition in parse(path.read_text(encoding="utf-8")).definitions:
                if not isinstance(definition, FragmentDefinitionNode):
                    raise ValueError(f"queries/{path.name} may hold fragments only")
                if _variables_in(definition):
                    raise ValueError(f"fragment {definition.name.value} uses variables")
                found[definition.name.value] = definition
    return found


def _variables_in(node: Any) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_variable(self, variable: VariableNode, *_: Any) -> None:
            names.add(variable.name.value)

    visit(node, Collect())
    return names


def _spreads_in(node: Any) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
            names.add(spread.name.value)

    visit(node, Collect())
    return names


@functools.cache
def document(name: str) -> DocumentNode:
    """The parsed document `queries/{name}.graphql`, holding one operation called `name`,
    with the shared fragments it spreads appended."""
    path = _queries_dir().joinpath(f"{name}.graphql")
    parsed = parse(path.read_text(encoding="utf-8"))
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].name is None or operations[0].name.value != name:
        raise ValueError(f"queries/{name}.graphql must hold exactly one operation named {name}")
    local = {d.name.value for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    shared = shared_fragments()
    wanted: list[FragmentDefinitionNode] = []
    todo = _spreads_in(parsed) - local
    while todo:
        fragment_name = todo.pop()
        if fragment_name not in shared:
            raise ValueError(f"queries/{name}.graphql spreads unknown fragment {fragment_name}")
        if fragment_name not in {f.name.value for f in wanted}:
            wanted.append(shared[fragment_name])
            todo |= _spreads_in(shared[fragment_name]) - local
    if not wanted:
        return parsed
    return DocumentNode(
        definitions=(*parsed.definitions, *sorted(wanted, key=lambda f: f.name.value))
    )


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


def _aliased(renamed: OperationDefinitionNode, index: int) -> list[FieldNode]:
    """The top-level fields of call `index`, aliased `c{index}_{alias}`."""
    fields = []
    for selection in renamed.selection_set.selections:
        assert isinstance(selection, FieldNode)
        fields.append(
            FieldNode(
                alias=NameNode(value=f"c{index}_{(selection.alias or selection.name).value}"),
                name=selection.name,
                arguments=selection.arguments,
                directives=selection.directives,
                selection_set=selection.selection_set,
            )
        )
    return fields


def _fragments_of(name: str, doc: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    found = {}
    for definition in doc.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            if _variables_in(definition):
                raise ValueError(f"{name}: fragments with variables cannot be batched")
            found[definition.name.value] = definition
    return found


def batch_document(
    calls: Sequence[Call],
) -> tuple[DocumentNode, dict[str, Any], list[list[str]]]:
    """One document running `calls` (all mutations, or all queries) in one request, its
    variables, and each call's aliases.

    Call i's top-level fields are aliased `c{i}_{alias}` and its variables `${name}_{i}`.
    Mutations run in order, as GitHub runs aliased mutations. The document depends only on
    the calls' names in order (their shape), so it is built once per shape.
    """
    batched, aliases = _batch_of_shape(tuple(call.name for call in calls))
    variables = {
        f"{key}_{index}": value
        for index, call in enumerate(calls)
        for key, value in call.variables.items()
    }
    return batched, variables, [list(names) for names in aliases]


@functools.lru_cache(maxsize=256)
def _batch_of_shape(names: tuple[str, ...]) -> tuple[DocumentNode, tuple[tuple[str, ...], ...]]:
    """The batched document of calls with these names, in order, and each call's aliases."""
    definitions: list[VariableDefinitionNode] = []
    selections: list[FieldNode] = []
    aliases: list[tuple[str, ...]] = []
    fragments: dict[str, FragmentDefinitionNode] = {}
    kinds = set()
    for index, name in enumerate(names):
        doc = document(name)
        fragments.update(_fragments_of(name, doc))
        operation = operation_of(doc)
        kinds.add(operation.operation)
        renamed = visit(operation, _Rename(f"_{index}"))
        definitions.extend(renamed.variable_definitions or ())
        fields = _aliased(renamed, index)
        selections.extend(fields)
        aliases.append(tuple(f.alias.value for f in fields if f.alias is not None))
    if len(kinds) != 1:
        raise ValueError("a batch holds only mutations or only queries")
    operation = OperationDefinitionNode(
        operation=kinds.pop(),
        name=NameNode(value="Batch"),
        variable_definitions=tuple(definitions),
        selection_set=SelectionSetNode(selections=tuple(selections)),
        directives=(),
    )
    batched = parse(print_ast(DocumentNode(definitions=(operation, *fragments.values()))))
    return batched, tuple(aliases)
