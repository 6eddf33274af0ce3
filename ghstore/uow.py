"""UnitOfWork: register many writes, send them in one commit, in as few requests as possible.

    async with store.unit_of_work() as uow:
        uow.create("alice", {"name": "Alice"})
        uow.update("bob", {"age": 31})
        uow.save(users, "carol", carol)        # the minimal change of a typed record
        uow.delete("dave")
        await uow.commit()

Nothing is sent before commit; leaving the block without commit (or with an exception) sends
nothing. GitHub has no transactions: if part of a commit fails, CommitError says exactly which
changes landed and which did not, and committing again sends only the rest.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from .exceptions import CommitError, DuplicateUIDError
from .merge import deep_diff, deep_merge
from .records import structure, unstructure
from .writes import Change, WriteEngine

if TYPE_CHECKING:
    from .repository import Repository
    from .store import Store

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """A batch of creates, updates and deletes across any repositories of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.changes: list[Change] = []
        self._saves: list[tuple[Repository[Any], str, Any]] = []
        self._engine = WriteEngine(store)
        self.committed = False

    # -- registering (no requests) ---------------------------------------------------------
    def _add(self, change: Change) -> Change:
        self._engine.prepare(change)  # bad input fails here, before anything is sent
        self.changes.append(change)
        return change

    def create(self, object_id: str, obj: Any) -> None:
        """Register a new object (a dict, or an attrs record); one create per id a commit."""
        if any(c.kind == "create" and c.object_id == object_id for c in self.changes):
            # Both would be sent in one request and both made visible: a duplicate object if
            # the process dies before the loser backs out.
            raise DuplicateUIDError(
                f"object {object_id!r} is created twice in one unit of work", object_id=object_id
            )
        data = obj if isinstance(obj, dict) else unstructure(obj)
        self._add(Change("create", object_id, data))

    def update(self, object_id: str, changes: dict[str, Any]) -> None:
        """Register an update comment of `changes`."""
        self._add(Change("update", object_id, changes))

    def save(self, repository: Repository[Any], object_id: str, obj: Any) -> None:
        """Register the minimal change from what `repository` last saw of the object to `obj`."""
        data = obj if isinstance(obj, dict) else unstructure(obj)
        structure(data, repository.record_type, object_id=object_id)
        self._saves.append((repository, object_id, data))

    def delete(self, object_id: str) -> None:
        """Register an archive of the object."""
        self._add(Change("delete", object_id))

    def rollback(self) -> None:
        """Forget everything not yet committed."""
        self.changes = [c for c in self.changes if c.status == "landed"]
        self._saves.clear()

    # -- committing ------------------------------------------------------------------------
    async def commit(self) -> list[Change]:
        """Send every registered change; return them (all landed), or raise CommitError."""
        for repository, object_id, data in self._saves:
            base = repository._seen.get(object_id)
            if base is None:
                base = (await self.store.get(object_id)).data
            changes = deep_diff(base, data)
            if changes:
                self._add(Change("update", object_id, changes))
                repository._seen[object_id] = deep_merge(base, changes)
        self._saves.clear()
        await self._engine.run(self.changes)
        self.committed = True
        landed = [c for c in self.changes if c.status == "landed"]
        failed = [c for c in self.changes if c.status != "landed"]
        if failed:
            lines = "; ".join(c.describe() for c in failed)
            raise CommitError(
                f"{len(landed)} of {len(self.changes)} changes landed; not landed: {lines}",
                landed=landed,
                failed=failed,
            )
        return landed

    async def __aenter__(self) -> UnitOfWork:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed or kind is not None:
            self.rollback()
