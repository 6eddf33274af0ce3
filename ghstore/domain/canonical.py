"""Canonical objects: aliases, merges and duplicates, in gh-store 0.11's label vocabulary.

- An alias is a live object whose issue also carries `ALIAS-TO:{target}`; reads and updates
  of the alias act on the target.
- A merged (or deduplicated) object is retired: its issue loses `stored-object` and gains
  `deprecated-object`, `MERGED-INTO:{target}` and `DEPRECATED-BY:{target issue number}`; its
  last state was posted to the target as an ordinary update comment, so it goes through the
  same authorization and server ordering as any update.
- Resolution follows these labels hop by hop (one request a hop), at most MAX_HOPS hops,
  and refuses cycles. No label wildcards: aliases are found from the labels that the object
  listing already returns (ceil(N/100) requests), or one exact `ALIAS-TO:{id}` label lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..exceptions import CanonicalizationError

__all__ = [
    "ALIAS_PREFIX",
    "DEPRECATED_BY_PREFIX",
    "MAX_HOPS",
    "MERGED_PREFIX",
    "RETIRED_LABEL",
    "follow",
    "redirect",
    "target_of",
]

ALIAS_PREFIX = "ALIAS-TO:"
MERGED_PREFIX = "MERGED-INTO:"
DEPRECATED_BY_PREFIX = "DEPRECATED-BY:"
RETIRED_LABEL = "deprecated-object"
MAX_HOPS = 5


def target_of(labels: Sequence[str], prefix: str) -> str | None:
    """The id a label `{prefix}{id}` among `labels` names, if one does."""
    return next((n[len(prefix) :] for n in labels if n.startswith(prefix)), None)


def redirect(live: Sequence[str] | None, retired: Sequence[str] | None) -> str | None:
    """Where a UID label points instead, from the labels of its oldest live issue (an alias
    carries `ALIAS-TO:`) or, with none live, of its retired one (`MERGED-INTO:`)."""
    if live is not None:
        return target_of(live, ALIAS_PREFIX)
    if retired is not None:
        return target_of(retired, MERGED_PREFIX)
    return None


def follow(chain: list[str], target: str) -> None:
    """Extend a resolution chain by one hop, refusing cycles and chains over MAX_HOPS."""
    if target in chain:
        raise CanonicalizationError(
            "aliases form a cycle: " + " -> ".join([*chain, target]), object_id=chain[0]
        )
    if len(chain) > MAX_HOPS:
        raise CanonicalizationError(
            f"{chain[0]!r} resolves through more than {MAX_HOPS} aliases: " + " -> ".join(chain),
            object_id=chain[0],
        )
    chain.append(target)
