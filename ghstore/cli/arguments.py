"""The command line's argument types: a JSON object, an issue number, `--where PATH OP VALUE`,
`--remove PATH`. Each turns a bad value into a one-line usage error naming it."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..exceptions import GitHubStoreError

__all__ = ["WhereAction", "json_kind", "json_object", "positive_number", "removal_path"]


def json_object(text: str) -> dict[str, Any]:
    """A command-line JSON argument; `-` reads it from stdin. Must be a JSON object."""
    if text == "-":
        text = sys.stdin.read()

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    try:
        value = json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(
            f"expected a JSON object like '{{\"key\": 1}}', got a JSON {json_kind(value)}"
        )
    return value


def json_kind(value: Any) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def positive_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected an issue number (1, 2, ...), got {text!r}")
    return number


class WhereAction(argparse.Action):
    """`--where PATH OP VALUE`, appended as a predicate; a bad OP or PATH is a usage error."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        from ..domain.predicates import predicate  # noqa: PLC0415 - only when given

        path, op, text = values
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        try:
            made = predicate(path, op, value)
        except GitHubStoreError as exc:
            parser.error(f"--where {path} {op} {text}: {exc.message}")
        setattr(namespace, self.dest, [*getattr(namespace, self.dest), made])


def removal_path(text: str) -> list[str]:
    """`--remove PATH`: a key, `a.b` for a key inside an object, or a JSON list of keys
    (`'["a.b", "c"]'`) when a key holds a dot."""
    if text.startswith("["):
        try:
            keys = json.loads(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a JSON list of keys: {text!r}") from exc
    else:
        keys = text.split(".")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k for k in keys):
        raise argparse.ArgumentTypeError(
            f"expected a key, a.b, or a JSON list of non-empty keys, got {text!r}"
        )
    return keys
