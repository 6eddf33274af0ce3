"""Errors found before execution (parse and validation), in the words and shape GitHub's
graphql-ruby answers with rather than graphql-core's: `Parse error on ")" (RPAREN) at [25, 23]`,
`Field 'x' doesn't exist on type 'Issue'` with `path` (from the operation down to the field)
and `extensions` (`code`, `typeName`, `fieldName`, ...). Recorded answers these follow are in
tests/integration/test_github_captures.py, each with its source."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    Source,
)
from graphql.language import Lexer, TokenKind

from .errors import locations

__all__ = ["parse_error", "validation_errors"]

_RUBY_TOKENS = {
    TokenKind.PAREN_L: "LPAREN",
    TokenKind.PAREN_R: "RPAREN",
    TokenKind.BRACE_L: "LCURLY",
    TokenKind.BRACE_R: "RCURLY",
    TokenKind.BRACKET_L: "LBRACKET",
    TokenKind.BRACKET_R: "RBRACKET",
    TokenKind.COLON: "COLON",
    TokenKind.EQUALS: "EQUALS",
    TokenKind.BANG: "BANG",
    TokenKind.DOLLAR: "VAR_SIGN",
    TokenKind.AT: "DIR_SIGN",
    TokenKind.SPREAD: "ELLIPSIS",
    TokenKind.PIPE: "PIPE",
    TokenKind.AMP: "AMP",
    TokenKind.INT: "INT",
    TokenKind.FLOAT: "FLOAT",
    TokenKind.STRING: "STRING",
    TokenKind.BLOCK_STRING: "STRING",
}
_KEYWORDS = frozenset(
    {"query", "mutation", "subscription", "fragment", "on", "true", "false", "null"}
)


# -- parse errors ----------------------------------------------------------------------------
def _token_at(query: str, line: int, column: int) -> tuple[str, str] | None:
    """(text, graphql-ruby token name) of the token starting at line:column; None at the
    end of the document; `(error)` when no token can start there."""
    lexer = Lexer(Source(query))
    try:
        while True:
            token = lexer.advance()
            if token.kind is TokenKind.EOF:
                return None
            if (token.line, token.column) >= (line, column):
                break
    except GraphQLError:
        offset = sum(len(row) + 1 for row in query.split("\n")[: line - 1]) + column - 1
        char = query[offset : offset + 1]
        # graphql-ruby lexes bytes: a character outside ASCII shows as its first byte, "\xE2"
        return (char if char.isascii() else f"\\x{char.encode()[0]:02X}", "error")
    text = str(token.value) if token.value is not None else token.kind.value
    if token.kind is TokenKind.NAME:
        name = text.upper() if text in _KEYWORDS else "IDENTIFIER"
        return text, name
    return text, _RUBY_TOKENS.get(token.kind, token.kind.name)


def parse_error(error: GraphQLError, query: str) -> dict[str, Any]:
    """A syntax error as GitHub answers it: `Parse error on "}" (RCURLY) at [1, 6]`, or
    `Unexpected end of document` (no locations) when the document stops early."""
    where = error.locations[0] if error.locations else None
    found = _token_at(query, where.line, where.column) if where else None
    if found is None or where is None:
        return {"message": "Unexpected end of document", "locations": []}
    text, name = found
    message = f'Parse error on "{text}" ({name}) at [{where.line}, {where.column}]'
    return {"message": message, "locations": [{"line": where.line, "column": where.column}]}


# -- paths in a document ---------------------------------------------------------------------
def _walk(node: Node, path: list[str], out: dict[int, list[str]]) -> None:
    out[id(node)] = path
    for argument in getattr(node, "arguments", None) or ():
        out[id(argument)] = path
    selection_set = getattr(node, "selection_set", None)
    for child in selection_set.selections if selection_set else ():
        if isinstance(child, FieldNode):
            here = [*path, (child.alias or child.name).value]
        elif isinstance(child, InlineFragmentNode):
            condition = child.type_condition
            here = [*path, f"... on {condition.name.value}" if condition else "..."]
        else:
            here = path
        _walk(child, here, out)


def _root_name(definition: Node) -> str:
    if isinstance(definition, OperationDefinitionNode):
        kind = definition.operation.value
        return f"{kind} {definition.name.value}" if definition.name else kind
    if isinstance(definition, FragmentDefinitionNode):
        return f"fragment {definition.name.value}"
    return ""


def document_paths(document: DocumentNode) -> dict[int, list[str]]:
    """Each field's and fragment's path as graphql-ruby names it: `["query Name", "repository",
    "... on Issue", "title"]` (an anonymous operation is just `query`)."""
    out: dict[int, list[str]] = {}
    for definition in document.definitions:
        _walk(definition, [_root_name(definition)], out)
    return out


# -- validation errors -----------------------------------------------------------------------
_Rewrite = Callable[[re.Match[str]], tuple[str, dict[str, Any], list[str]]]


def _undefined_field(m: re.Match[str]) -> tuple[str, dict[str, Any], list[str]]:
    field, type_name = m.group(1), m.group(2)
    extensions = {"code": "undefinedField", "typeName": type_name, "fieldName": field}
    return f"Field '{field}' doesn't exist on type '{type_name}'", extensions, []


def _argument_not_accepted(m: re.Match[str]) -> tuple[str, dict[str, Any], list[str]]:
    argument, field = m.group(1), m.group(2)
    extensions = {
        "code": "argumentNotAccepted",
        "name": field,
        "typeName": "Field",
        "argumentName": argument,
    }
    return f"Field '{field}' doesn't accept argument '{argument}'", extensions, [argument]


def _missing_arguments(m: re.Match[str]) -> tuple[str, dict[str, Any], list[str]]:
    field, argument = m.group(1), m.group(2)
    extensions = {
        "code": "missingRequiredArguments",
        "className": "Field",
        "name": field,
        "arguments": argument,
    }
    return f"Field '{field}' is missing required arguments: {argument}", extensions, []


_REWRITES: list[tuple[re.Pattern[str], _Rewrite]] = [
    (re.compile(r"^Cannot query field '(\w+)' on type '(\w+)'\..*$", re.S), _undefined_field),
    (
        re.compile(r"^Unknown argument '(\w+)' on field '\w+\.(\w+)'\..*$", re.S),
        _argument_not_accepted,
    ),
    (
        re.compile(
            r"^Field '(\w+)' argument '(\w+)' of type '.*' is required, but it was not provided\.$"
        ),
        _missing_arguments,
    ),
]


def _path_of(error: GraphQLError, paths: dict[int, list[str]]) -> list[str] | None:
    for node in error.nodes or ():
        found = paths.get(id(node))
        if found is not None:
            return found
    return None


def validation_error(error: GraphQLError, paths: dict[int, list[str]]) -> dict[str, Any]:
    """One graphql-core validation error, in GitHub's words and shape where they are known
    (graphql-core's words otherwise), with the `path` of the field it concerns."""
    out: dict[str, Any] = {}
    message, extensions, tail = error.message, None, list[str]()
    for pattern, rewrite in _REWRITES:
        match = pattern.match(message)
        if match:
            message, extensions, tail = rewrite(match)
            break
    path = _path_of(error, paths)
    if path is not None:
        out["path"] = [*path, *tail]
    if extensions is not None:
        out["extensions"] = extensions
    out["locations"] = locations(error)
    out["message"] = message
    return out


def validation_errors(
    errors: Iterable[GraphQLError], document: DocumentNode | None
) -> list[dict[str, Any]]:
    """Validation errors of a document in GitHub's shape."""
    paths = document_paths(document) if document is not None else {}
    return [validation_error(error, paths) for error in errors]
