"""gh-store's update semantics: deep merge, and the minimal change that reaches a new state."""

from __future__ import annotations

from typing import Any

__all__ = [
    "KeyPath",
    "apply_update",
    "deep_diff",
    "deep_merge",
    "deep_removals",
    "remove_paths",
]

KeyPath = tuple[str, ...]
"""A key inside nested JSON objects: ("members", "bob") is data["members"]["bob"]."""


def deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Merge `changes` into a copy of `base`: dicts merge, lists and scalars replace,
    null sets null, and no key is ever deleted (gh-store 0.11's rule)."""
    merged = dict(base)
    for key, value in changes.items():
        current = merged.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def deep_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The smallest changes with deep_merge(old, changes) == deep_merge(old, new).

    Keys absent from `new` are left as they are: an update can set null but cannot delete.
    """
    changes: dict[str, Any] = {}
    for key, value in new.items():
        if key not in old:
            changes[key] = value
            continue
        current = old[key]
        if isinstance(value, dict) and isinstance(current, dict):
            nested = deep_diff(current, value)
            if nested:
                changes[key] = nested
        elif value != current or type(value) is not type(current):
            changes[key] = value
    return changes


def deep_removals(old: dict[str, Any], new: dict[str, Any]) -> list[KeyPath]:
    """The keys of `old` that `new` no longer has, as paths, where both are objects down to
    the key: with deep_diff, remove_paths(deep_merge(...)) reaches `new` from `old`."""
    removed: list[KeyPath] = []
    stack: list[tuple[KeyPath, dict[str, Any], dict[str, Any]]] = [((), old, new)]
    while stack:
        path, before, after = stack.pop()
        for key, value in before.items():
            if key not in after:
                removed.append((*path, key))
            elif isinstance(value, dict) and isinstance(after[key], dict):
                stack.append(((*path, key), value, after[key]))
    return sorted(removed)


def remove_paths(data: dict[str, Any], paths: list[KeyPath]) -> dict[str, Any]:
    """A copy of `data` without the keys at `paths`; a path that is not there is skipped
    (removing a removed key changes nothing)."""
    result = dict(data)
    for path in paths:
        if not path:
            continue
        parents = [result]
        for key in path[:-1]:
            child = parents[-1].get(key)
            if not isinstance(child, dict):
                break
            parents.append(dict(child))
        else:
            parents[-1].pop(path[-1], None)
            for depth in range(len(parents) - 1, 0, -1):  # write the copied parents back
                parents[depth - 1][path[depth - 1]] = parents[depth]
    return result


def apply_update(
    data: dict[str, Any], changes: dict[str, Any], removals: list[KeyPath] | tuple[KeyPath, ...]
) -> dict[str, Any]:
    """One update applied as the processor applies it: its removals (`_meta.remove`), then
    the deep merge of its changes."""
    return deep_merge(remove_paths(data, list(removals)), changes)
