"""gh-store's update semantics: deep merge, and the minimal change that reaches a new state."""

from __future__ import annotations

from typing import Any

__all__ = ["deep_diff", "deep_merge"]


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
