"""`ghstore schema MODULE:CLASS`: the JSON Schema of an attrs record class, to paste into
`.github/ghstore.yml` (`store.collections.<name>.schema`) instead of writing it by hand."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from ..exceptions import ConfigurationError
from .commands import emit

__all__ = ["RECORD_COMMANDS", "add_record_commands", "load_class"]


def load_class(spec: str) -> type[Any]:
    """The class `MODULE:CLASS` names (the current folder is searched first, as `python -m`
    would)."""
    module_name, sep, class_name = spec.partition(":")
    if not sep or not module_name or not class_name:
        raise ConfigurationError(f"expected MODULE:CLASS, like models:User, got {spec!r}")
    sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(f"cannot import {module_name!r}: {exc}") from exc
    finally:
        sys.path.remove(os.getcwd())
    found: Any = module
    for part in class_name.split("."):
        found = getattr(found, part, None)
        if found is None:
            raise ConfigurationError(f"{module_name!r} has no {class_name!r}")
    if not isinstance(found, type):
        raise ConfigurationError(f"{spec} is not a class")
    return found


async def schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of an attrs class."""
    from ..records import json_schema  # noqa: PLC0415  (cattrs only for this command)

    emit(json_schema(load_class(args.record_class)))
    return 0


def add_record_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """The `schema` subcommand."""
    add("schema", "print the JSON Schema of an attrs record class").add_argument(
        "record_class", metavar="MODULE:CLASS", help="like models:User"
    )


RECORD_COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "schema": schema,
}
