"""Objects as issues: `Store` (the async facade) over reads, the identity map, record types,
the write plan and the writes; `UnitOfWork`, `Repository[T]`, canonical objects, snapshots."""

from .facade import Store, split_repo

__all__ = ["Store", "split_repo"]
