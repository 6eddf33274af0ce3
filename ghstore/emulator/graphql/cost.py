"""GitHub's static limits and price of a GraphQL operation, computed before it runs.

Rules (docs: "Rate limits and query limits for the GraphQL API"): every connection needs
`first` or `last` between 1 and 100; a call may touch at most 500,000 nodes; its cost is the
number of requests needed to fill every connection, assuming each is filled, divided by 100
and rounded, at least 1.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    get_named_type,
    value_from_ast,
)

from .errors import GitHubError

__all__ = ["MAX_NODES", "MAX_PAGE", "LimitError", "Price", "price_operation"]

MAX_PAGE = 100
MAX_NODES = 500_000


@frozen
class Price:
    """What an operation costs and may touch."""

    cost: int
    node_count: int
    requests: int


class LimitError(GitHubError):
    """A static limit the operation breaks; the whole request is refused."""

    def __init__(self, error_type: str, message: str, path: list[str]) -> None:
        super().__init__(error_type, message)
        self.path = path


def _is_connection(field: GraphQLField) -> bool:
    return get_named_type(field.type).name.endswith("Connection") and (
        "first" in field.args or "last" in field.args
    )


_COUNT_FIELDS = frozenset({"totalCount", "__typename"})


def _counts_only(node: FieldNode) -> bool:
    """Whether a connection selects nothing but its `totalCount` (and `__typename`): GitHub
    needs no `first`/`last` then, and the gh CLI relies on it."""
    selections = node.selection_set.selections if node.selection_set else ()
    return bool(selections) and all(
        isinstance(s, FieldNode) and s.name.value in _COUNT_FIELDS for s in selections
    )


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.requests = 0
        self.nodes = 0

    def _arg(self, field: GraphQLField, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = value_from_ast(argument.value, field.args[name].type, self.variables)
                # An omitted variable is Undefined: the argument was not given.
                return None if value is Undefined else value
        return None

    def _page_size(self, field: GraphQLField, node: FieldNode, path: list[str]) -> int:
        name = node.name.value
        first, last = self._arg(field, node, "first"), self._arg(field, node, "last")
        if first is None and last is None:
            if _counts_only(node):
                return 0  # GitHub answers `issues(states: OPEN) { totalCount }` as is
            raise LimitError(
                "MISSING_PAGINATION_BOUNDARIES",
                f"You must provide a `first` or `last` value to properly paginate the `{name}` "
                "connection.",
                path,
            )
        for arg_name, value in (("first", first), ("last", last)):
            if value is None:
                continue
            if value > MAX_PAGE:
                raise LimitError(
                    "EXCESSIVE_PAGINATION",
                    f"Requesting {value} records on the `{name}` connection exceeds the "
                    f"`{arg_name}` limit of {MAX_PAGE} records.",
                    path,
                )
            if value < 1:
                raise LimitError(
                    "INVALID_PAGINATION",
                    f"`{arg_name}` on the `{name}` connection must be between 1 and {MAX_PAGE}.",
                    path,
                )
        return int(max(first or 0, last or 0))

    def walk(
        self, selection_set: SelectionSetNode | None, parent: Any, multiplier: int, path: list[str]
    ) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._field(selection, parent, multiplier, path)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.schema.get_type(selection.type_condition.name.value)
                self.walk(selection.selection_set, target, multiplier, path)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                target = self.schema.get_type(fragment.type_condition.name.value)
                self.walk(fragment.selection_set, target, multiplier, path)

    def _field(self, node: FieldNode, parent: Any, multiplier: int, path: list[str]) -> None:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return
        field = parent.fields.get(name)
        if field is None:
            return
        here = [*path, (node.alias.value if node.alias else name)]
        child = get_named_type(field.type)
        if _is_connection(field):
            size = self._page_size(field, node, here)
            self.requests += multiplier
            self.nodes += multiplier * size
            multiplier *= size
        elif name == "nodes" and "ids" in field.args:
            multiplier *= max(1, len(self._arg(field, node, "ids") or ()))
        self.walk(node.selection_set, child, multiplier, here)


def price_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> Price:
    """Price a validated operation with coerced variables; raise on a limit it breaks."""
    root = schema.get_root_type(operation.operation)
    walker = _Walker(schema, fragments, variables)
    walker.walk(operation.selection_set, root, 1, [])
    if walker.nodes > MAX_NODES:
        raise LimitError(
            "MAX_NODE_LIMIT_EXCEEDED",
            f"This query requests up to {walker.nodes:,} possible nodes which exceeds the "
            f"maximum limit of {MAX_NODES:,}.",
            [],
        )
    cost = max(1, int(walker.requests / 100 + 0.5))
    return Price(cost=cost, node_count=walker.nodes, requests=walker.requests)
