"""GitHub Actions expressions, for the subset ghstore's workflow uses, evaluated as Actions
evaluates them (docs: "Evaluate expressions in workflows and actions").

The subset: literals ('string' with '' for a quote, numbers, true, false, null); context paths
(`github.event.issue.number`, `inputs.issue`) with `.*` object filters
(`labels.*.name`); `==` and `!=` with Actions' loose equality (strings ignore case; values of
different types are compared as numbers: null 0, booleans 0/1, strings parsed, objects and
arrays NaN); `!`, `&&` and `||` returning an operand as Actions does; parentheses; and the
functions `contains(search, item)` and `fromJSON(text)`. Anything else -- other operators,
other functions, index syntax -- raises UnsupportedExpression: the harness never guesses.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["UnsupportedExpression", "evaluate", "interpolate", "truthy"]

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<op>==|!=|&&|\|\||!|\(|\)|,|\.|\*)|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)


class UnsupportedExpression(Exception):
    """Syntax outside the subset this evaluator knows."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, at = [], 0
    text = text.strip()
    while at < len(text):
        found = _TOKEN.match(text, at)
        if found is None or found.end() == at:
            raise UnsupportedExpression(f"cannot read {text[at:]!r} in {text!r}")
        kind = found.lastgroup
        assert kind is not None
        out.append((kind, found.group(kind)))
        at = found.end()
        while at < len(text) and text[at].isspace():
            at += 1
    return out


class _Parser:
    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.text, self.tokens, self.at, self.context = text, _tokens(text), 0, context

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise UnsupportedExpression(f"expected {value or 'more'} in {self.text!r}")
        self.at += 1
        return token

    def whole(self) -> Any:
        value = self.either()
        if self.peek() is not None:
            raise UnsupportedExpression(f"unexpected {self.peek()} in {self.text!r}")
        return value

    def either(self) -> Any:
        value = self.both()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.both()
            value = value if truthy(value) else right
        return value

    def both(self) -> Any:
        value = self.negation()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.negation()
            value = right if truthy(value) else value
        return value

    def negation(self) -> Any:
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.negation())
        return self.comparison()

    def comparison(self) -> Any:
        left = self.primary()
        token = self.peek()
        if token in (("op", "=="), ("op", "!=")):
            self.take()
            same = loose_equal(left, self.primary())
            return same if token == ("op", "==") else not same
        return left

    def primary(self) -> Any:
        kind, value = self.take()
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "number":
            return float(value) if "." in value else int(value)
        if (kind, value) == ("op", "("):
            inner = self.either()
            self.take(")")
            return inner
        if kind != "name":
            raise UnsupportedExpression(f"unexpected {value!r} in {self.text!r}")
        if value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value]
        if self.peek() == ("op", "("):
            return self.call(value)
        return self.path(self.context.get(value))

    def call(self, name: str) -> Any:
        self.take("(")
        args = [self.either()]
        while self.peek() == ("op", ","):
            self.take()
            args.append(self.either())
        self.take(")")
        if name == "contains" and len(args) == 2:
            return contains(*args)
        if name == "fromJSON" and len(args) == 1:
            return json.loads(str(args[0]))
        raise UnsupportedExpression(f"function {name}/{len(args)} in {self.text!r}")

    def path(self, value: Any) -> Any:
        filtered = False
        while self.peek() == ("op", "."):
            self.take()
            kind, key = self.take()
            if (kind, key) == ("op", "*"):
                items = value if isinstance(value, list) else list((value or {}).values())
                value, filtered = items, True
            elif kind == "name" and filtered:
                value = [item.get(key) for item in value if isinstance(item, dict)]
            elif kind == "name":
                value = value.get(key) if isinstance(value, dict) else None
            else:
                raise UnsupportedExpression(f"property {key!r} in {self.text!r}")
        return value


def truthy(value: Any) -> bool:
    """Actions' truthiness: false, 0, -0, '', null and NaN are false."""
    if isinstance(value, float) and math.isnan(value):
        return False
    return value not in (False, 0, "", None) or isinstance(value, (list, dict))


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() else 0.0
        except ValueError:
            return math.nan
    return math.nan


def loose_equal(left: Any, right: Any) -> bool:
    """Actions' `==`: strings ignoring case; other mixes compared as numbers."""
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    if isinstance(left, list | dict) or isinstance(right, list | dict):
        return left is right
    return _number(left) == _number(right)


def contains(search: Any, item: Any) -> bool:
    """`contains(array, item)` by loose equality; `contains(string, text)` ignoring case."""
    if isinstance(search, list):
        return any(loose_equal(element, item) for element in search)
    return _text(item).casefold() in _text(search).casefold()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """The value of an expression (`${{ }}` around it, if any, is dropped)."""
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    return _Parser(text, context).whole()


def interpolate(text: str, context: Mapping[str, Any]) -> str:
    """A string value with each `${{ expr }}` replaced by its value as text."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _text(evaluate(m[1], context)), str(text))
