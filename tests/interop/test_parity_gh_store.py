"""API parity with gh-store 0.11.3, read from the installed package itself: every public method
of its `GitHubStore` (parameters, their order, defaults and return types), the fields of its
`ObjectMeta`, its exceptions at `gh_store.core.exceptions`, and every subcommand and flag of
its command line must have a compatible counterpart in ghstore. ghstore's additions are fine;
the test lists them. What differs on purpose is named in ON_PURPOSE, each with its reason.

gh-store is introspected inside its own environment (.venv-gh-store/, built once by
bench.gh_store_harness, as the interop tests do), so nothing of it is imported here.
"""

from __future__ import annotations

import argparse
import collections.abc
import datetime as dt
import inspect
import json
import subprocess
import typing
from typing import Any

import pytest
from bench.gh_store_harness import GhStoreEnv, ensure_gh_store

import ghstore
import ghstore.core.exceptions
from ghstore import GitHubStore
from ghstore.cli import build_parser
from ghstore.model import ObjectMeta

pytestmark = pytest.mark.slow  # builds or reuses .venv-gh-store

# Runs inside gh-store's environment: its public surface as JSON.
INTROSPECT = r"""
import inspect, json, re, typing
import gh_store.core.exceptions as exceptions
from gh_store.core.store import GitHubStore
from gh_store.core.types import ObjectMeta
from gh_store.__main__ import CLI

def text(annotation):
    if annotation is inspect.Parameter.empty:
        return None
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", text)  # gh_store.core.types.X -> X

def signature(function):
    sig = inspect.signature(function)
    return {
        "parameters": [
            {"name": p.name, "kind": p.kind.name, "default": repr(p.default)
             if p.default is not inspect.Parameter.empty else None,
             "annotation": text(p.annotation)}
            for p in list(sig.parameters.values())[1:]
        ],
        "returns": text(sig.return_annotation),
    }

print(json.dumps({
    "methods": {n: signature(m) for n, m in vars(GitHubStore).items()
                if callable(m) and (not n.startswith("_") or n == "__init__")},
    "meta": {n: text(t) for n, t in typing.get_type_hints(ObjectMeta).items()},
    "exceptions": {n: [b.__name__ for b in c.__mro__[1:] if b.__module__ == c.__module__]
                   for n, c in vars(exceptions).items() if isinstance(c, type)},
    "cli": {n.replace("_", "-"): signature(m) for n, m in vars(CLI).items()
            if callable(m) and not n.startswith("_")},
}))
"""

# What differs on purpose, and why (the closing note's table repeats it).
ON_PURPOSE = {
    "GitHubStore.__init__.repo": "may be omitted: GITHUB_REPOSITORY, else the embedded local GitHub",
    "ObjectMeta.version": "None where a listing did not read the comments (gh-store says 1)",
}

# gh-store's return annotations -> what ghstore's must be.
RETURNS = {
    "StoredObject": ghstore.StoredObject,
    "Iterator[StoredObject]": collections.abc.Iterator,
    "list[dict]": list,
    "None": type(None),
}


@pytest.fixture(scope="module")
def gh_store_surface() -> dict[str, Any]:
    env: GhStoreEnv = ensure_gh_store()
    done = subprocess.run(
        [str(env.python), "-c", INTROSPECT], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _origin(annotation: Any) -> Any:
    return typing.get_origin(annotation) or annotation


def test_every_gh_store_method_has_a_compatible_ghstore_method(
    gh_store_surface: dict[str, Any],
) -> None:
    problems = []
    for name, theirs in gh_store_surface["methods"].items():
        ours = getattr(GitHubStore, name, None)
        if ours is None:
            problems.append(f"GitHubStore.{name} is missing")
            continue
        problems += _parameter_problems(name, theirs["parameters"], inspect.signature(ours))
        if name != "__init__":
            problems += _return_problems(name, theirs["returns"], ours)
    assert problems == []


def _parameter_problems(
    method: str, theirs: list[dict[str, Any]], ours: inspect.Signature
) -> list[str]:
    mine = list(ours.parameters.values())[1:]
    problems = []
    for position, param in enumerate(theirs):
        where = f"GitHubStore.{method}.{param['name']}"
        if position >= len(mine) or mine[position].name != param["name"]:
            problems.append(f"{where}: not parameter {position + 1} here")
            continue
        counterpart = mine[position]
        if counterpart.kind.name != param["kind"]:
            problems.append(f"{where}: {counterpart.kind.name}, gh-store has {param['kind']}")
        default = (
            None if counterpart.default is inspect.Parameter.empty else repr(counterpart.default)
        )
        if param["default"] is not None and default != param["default"] and where not in ON_PURPOSE:
            problems.append(f"{where}: default {default}, gh-store's is {param['default']}")
        if param["default"] is None and default is not None and where not in ON_PURPOSE:
            problems.append(f"{where}: has a default here ({default}); say why in ON_PURPOSE")
    for extra in mine[len(theirs) :]:
        if extra.default is inspect.Parameter.empty and extra.kind.name != "VAR_KEYWORD":
            problems.append(f"GitHubStore.{method}.{extra.name}: an addition without a default")
    return problems


def _return_problems(method: str, theirs: str, ours: Any) -> list[str]:
    expected = RETURNS[theirs]
    hints = typing.get_type_hints(ours)
    got = _origin(hints.get("return"))
    if got is None or not (
        got is expected or (isinstance(got, type) and issubclass(got, expected))
    ):
        return [f"GitHubStore.{method} returns {hints.get('return')}, gh-store's {theirs}"]
    return []


def test_object_meta_has_gh_store_s_fields_with_its_types(
    gh_store_surface: dict[str, Any],
) -> None:
    kinds = {"datetime": dt.datetime, "int": int, "str": str}
    hints = typing.get_type_hints(ObjectMeta)
    problems = []
    for field, kind in gh_store_surface["meta"].items():
        ours = hints.get(field)
        if ours is None:
            problems.append(f"ObjectMeta.{field} is missing")
        elif ours is not kinds[kind]:
            allowed = f"ObjectMeta.{field}" in ON_PURPOSE and kinds[kind] in typing.get_args(ours)
            if not allowed:
                problems.append(f"ObjectMeta.{field} is {ours}, gh-store's is {kind}")
    assert problems == []


def test_gh_store_s_exceptions_import_from_ghstore_core_exceptions_in_one_tree(
    gh_store_surface: dict[str, Any],
) -> None:
    for name, bases in gh_store_surface["exceptions"].items():
        ours = getattr(ghstore.core.exceptions, name)
        assert ours is getattr(ghstore, name)
        for base in bases:
            assert issubclass(ours, getattr(ghstore.core.exceptions, base)), (name, base)


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_every_gh_store_subcommand_and_flag_is_there(gh_store_surface: dict[str, Any]) -> None:
    commands = _subcommands()
    problems = []
    for name, theirs in gh_store_surface["cli"].items():
        sub = commands.get(name)
        if sub is None:
            problems.append(f"ghstore {name} is missing")
            continue
        actions = {a.dest: a for a in sub._actions}
        flags = {s for a in sub._actions for s in a.option_strings}
        for param in theirs["parameters"]:
            flag = "--" + param["name"].replace("_", "-")
            if param["default"] is None:
                # fire takes a required argument positionally or as a flag; ghstore takes it
                # the way gh-store's README writes it: ids and JSON positional, the rest flags
                if param["name"] not in actions and flag not in flags:
                    problems.append(f"ghstore {name}: no {param['name']} (nor {flag})")
            elif flag not in flags:
                problems.append(f"ghstore {name}: no {flag}")
            elif param["default"] not in (None, "None"):
                default = repr(actions[param["name"]].default)
                if default != param["default"]:
                    problems.append(
                        f"ghstore {name} {flag}: default {default}, not {param['default']}"
                    )
    assert problems == []


def test_ghstore_s_additions_are_listed(gh_store_surface: dict[str, Any], capsys: Any) -> None:
    """Not a constraint: what ghstore adds to gh-store 0.11.3's surface, printed (pytest -s)."""
    theirs = gh_store_surface["methods"]
    methods = sorted(
        n
        for n, m in vars(GitHubStore).items()
        if not n.startswith("_") and n not in theirs and (callable(m) or isinstance(m, property))
    )
    parameters = sorted(
        f"{n}({p})"
        for n, spec in theirs.items()
        for p in list(inspect.signature(getattr(GitHubStore, n)).parameters)[1:]
        if p not in {q["name"] for q in spec["parameters"]}
    )
    commands = sorted(set(_subcommands()) - set(gh_store_surface["cli"]))
    meta = sorted(set(typing.get_type_hints(ObjectMeta)) - set(gh_store_surface["meta"]))
    additions = {
        "methods": methods,
        "parameters": parameters,
        "subcommands": commands,
        "meta": meta,
    }
    with capsys.disabled():
        print("\nghstore's additions to gh-store 0.11.3:", json.dumps(additions, indent=2))
    assert {"unit_of_work", "close"} <= set(methods)
    assert {"list", "demo", "emulator"} <= set(commands)
