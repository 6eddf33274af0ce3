"""CLI subcommands for canonical objects: alias, merge, find-duplicates, deduplicate,
resolve, find-aliases. Every one takes --dry-run (the read-only ones change nothing anyway)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from typing import Any

from ..store import Store
from .commands import emit, open_store, say, where

__all__ = ["CANONICAL_COMMANDS", "add_canonical_commands"]


def add_canonical_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Register the subcommands through the CLI's `add(name, help)`."""
    specs: list[tuple[str, str, list[str]]] = [
        (
            "alias",
            "make ALIAS stand for TARGET (reads and updates of it act on TARGET)",
            ["alias_id", "target_id"],
        ),
        (
            "merge",
            "fold SOURCE into TARGET (as an update) and retire SOURCE",
            ["source_id", "target_id"],
        ),
        ("find-duplicates", "list ids held by more than one live issue", []),
        (
            "deduplicate",
            "keep the oldest issue of ID (or of every duplicated id), fold the rest in",
            ["object_id?"],
        ),
        ("resolve", "print the canonical id behind ID", ["object_id"]),
        ("find-aliases", "list every alias and its target", []),
    ]
    for name, help_text, positionals in specs:
        sub = add(name, help_text)
        for positional in positionals:
            optional = positional.endswith("?")
            dest = positional.rstrip("?")
            sub.add_argument(
                dest, metavar=dest.removesuffix("_id").upper(), nargs="?" if optional else None
            )
        sub.add_argument(
            "--dry-run", action="store_true", help="say what would be done; change nothing"
        )


def _report(plan: Any, store: Store) -> None:
    emit(plan.to_json())
    _say_steps(plan, store)


def _say_steps(plan: Any, store: Store) -> None:
    verb = "would" if plan.dry_run else "did"
    for step in plan.steps:
        say(f"{verb} in {where(store)}: {step}")


async def alias(args: argparse.Namespace) -> int:
    """`ghstore alias ALIAS TARGET`."""
    async with open_store(args) as store:
        _report(
            await store.canonical.create_alias(args.alias_id, args.target_id, dry_run=args.dry_run),
            store,
        )
    return 0


async def merge(args: argparse.Namespace) -> int:
    """`ghstore merge SOURCE TARGET`."""
    async with open_store(args) as store:
        _report(
            await store.canonical.merge(args.source_id, args.target_id, dry_run=args.dry_run),
            store,
        )
    return 0


async def find_duplicates(args: argparse.Namespace) -> int:
    """`ghstore find-duplicates`."""
    async with open_store(args) as store:
        emit(await store.canonical.find_duplicates())
    return 0


async def deduplicate(args: argparse.Namespace) -> int:
    """`ghstore deduplicate [ID]`: one id, or every duplicated id."""
    async with open_store(args) as store:
        ids = (
            [args.object_id] if args.object_id else sorted(await store.canonical.find_duplicates())
        )
        plans = [await store.canonical.deduplicate(i, dry_run=args.dry_run) for i in ids]
        emit([p.to_json() for p in plans])
        for plan in plans:
            _say_steps(plan, store)
        if not ids:
            say("no duplicates")
    return 0


async def resolve(args: argparse.Namespace) -> int:
    """`ghstore resolve ID`."""
    async with open_store(args) as store:
        emit(
            {
                "object_id": args.object_id,
                "canonical_id": await store.canonical.resolve(args.object_id),
            }
        )
    return 0


async def find_aliases(args: argparse.Namespace) -> int:
    """`ghstore find-aliases`."""
    async with open_store(args) as store:
        emit(await store.canonical.find_aliases())
    return 0


CANONICAL_COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "alias": alias,
    "merge": merge,
    "find-duplicates": find_duplicates,
    "deduplicate": deduplicate,
    "resolve": resolve,
    "find-aliases": find_aliases,
}
