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
from typing import Any, Protocol

from ..domain.deep_merge import deep_diff, deep_merge
from ..exceptions import CommitError, DuplicateUIDError
from ..records import structure, unstructure
from .change import Change, ChangeKind, ChangeStatus
from .context import StoreContext
from .writes import WriteEngine

__all__ = ["Saves", "UnitOfWork"]


class Saves(Protocol):
    """What `save` needs of a repository: its record type and what it last saw of each
    object (a Repository is one)."""

    @property
    def record_type(self) -> type[Any]: ...  # pragma: no cover

    @property
    def seen(self) -> dict[str, dict[str, Any]]: ...  # pragma: no cover


class UnitOfWork:
    """A batch of creates, updates and deletes across any repositories of one store."""

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx
        self.changes: list[Change] = []
        self._saves: list[tuple[Saves, str, Any]] = []
        self._engine = WriteEngine(ctx)
        self.committed = False

    # -- registering (no requests) ---------------------------------------------------------
    def _add(self, change: Change) -> Change:
        self._engine.prepare(change)  # bad input fails here, before anything is sent
        self.changes.append(change)
        return change

    def create(self, object_id: str, obj: Any) -> None:
        """Register a new object (a dict, or an attrs record); one create per id a commit."""
        if any(c.kind == ChangeKind.CREATE and c.object_id == object_id for c in self.changes):
            # Both would be sent in one request and both made visible: a duplicate object if
            # the process dies before the loser backs out.
            raise DuplicateUIDError(
                f"object {object_id!r} is created twice in one unit of work", object_id=object_id
            )
        data = obj if isinstance(obj, dict) else unstructure(obj)
        self._add(Change(ChangeKind.CREATE, object_id, data))

    def update(self, object_id: str, changes: dict[str, Any]) -> None:
        """Register an update comment of `changes`."""
        self._add(Change(ChangeKind.UPDATE, object_id, changes))

    def save(self, repository: Saves, object_id: str, obj: Any) -> None:
        """Register the minimal change from what `repository` last saw of the object to `obj`."""
        data = obj if isinstance(obj, dict) else unstructure(obj)
        structure(data, repository.record_type, object_id=object_id)
        self._saves.append((repository, object_id, data))

    def delete(self, object_id: str) -> None:
        """Register an archive of the object."""
        self._add(Change(ChangeKind.DELETE, object_id))

    def rollback(self) -> None:
        """Forget everything not yet committed."""
        self.changes = [c for c in self.changes if c.status == ChangeStatus.LANDED]
        self._saves.clear()

    # -- committing ------------------------------------------------------------------------
    async def commit(self) -> list[Change]:
        """Send every registered change; return them (all landed), or raise CommitError."""
        for repository, object_id, data in self._saves:
            base = repository.seen.get(object_id)
            if base is None:
                base = (await self.ctx.reads.get(object_id)).data
            changes = deep_diff(base, data)
            if changes:
                self._add(Change(ChangeKind.UPDATE, object_id, changes))
                repository.seen[object_id] = deep_merge(base, changes)
        self._saves.clear()
        await self._engine.run(self.changes)
        self.committed = True
        landed = [c for c in self.changes if c.status == ChangeStatus.LANDED]
        failed = [c for c in self.changes if c.status != ChangeStatus.LANDED]
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
