"""Canonical objects: aliases, merges and duplicates, in gh-store 0.11's label vocabulary.

- An alias is a live object whose issue also carries `ALIAS-TO:{target}`; reads and updates
  of the alias act on the target.
- A merged (or deduplicated) object is retired: its issue loses `stored-object` and gains
  `deprecated-object`, `MERGED-INTO:{target}` and `DEPRECATED-BY:{target issue number}`; its
  last state was posted to the target as an ordinary update comment, so it goes through the
  same authorization and server ordering as any update.
- Resolution follows these labels hop by hop (one request a hop), at most MAX_DEPTH hops,
  and refuses cycles. No label wildcards: aliases are found from the labels that the object
  listing already returns (ceil(N/100) requests), or one exact `ALIAS-TO:{id}` label lookup.
"""

from __future__ import annotations

from typing import Any

from .exceptions import CanonicalizationError

__all__ = [
    "ALIAS_PREFIX",
    "DEPRECATED_BY_PREFIX",
    "MAX_DEPTH",
    "MERGED_PREFIX",
    "RETIRED_LABEL",
    "CanonicalizationError",
    "follow",
    "redirect_of",
]

ALIAS_PREFIX = "ALIAS-TO:"
MERGED_PREFIX = "MERGED-INTO:"
DEPRECATED_BY_PREFIX = "DEPRECATED-BY:"
RETIRED_LABEL = "deprecated-object"
MAX_DEPTH = 5
COLORS = {
    ALIAS_PREFIX: "fbca04",
    MERGED_PREFIX: "d73a49",
    DEPRECATED_BY_PREFIX: "d73a49",
    RETIRED_LABEL: "999999",
}


def _names(issue: dict[str, Any]) -> list[str]:
    return [n["name"] for n in (issue.get("labels") or {}).get("nodes") or []]


def _target(names: list[str], prefix: str) -> str | None:
    return next((n[len(prefix) :] for n in names if n.startswith(prefix)), None)


def redirect_of(label: dict[str, Any] | None) -> str | None:
    """Where a GetObject/FindObject answer for one UID label points instead, if anywhere."""
    if label is None:
        return None
    live = (label.get("issues") or {}).get("nodes") or []
    if live:
        return _target(_names(live[0]), ALIAS_PREFIX)
    retired = (label.get("retired") or {}).get("nodes") or []
    if retired:
        return _target(_names(retired[0]), MERGED_PREFIX)
    return None


def follow(chain: list[str], target: str) -> None:
    """Extend a resolution chain by one hop, refusing cycles and chains over MAX_DEPTH."""
    if target in chain:
        raise CanonicalizationError(
            "aliases form a cycle: " + " -> ".join([*chain, target]), object_id=chain[0]
        )
    if len(chain) > MAX_DEPTH:
        raise CanonicalizationError(
            f"{chain[0]!r} resolves through more than {MAX_DEPTH} aliases: " + " -> ".join(chain),
            object_id=chain[0],
        )
    chain.append(target)
