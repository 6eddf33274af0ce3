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

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any, Protocol

from ..domain.deep_merge import deep_diff, deep_removals
from ..exceptions import CommitError, DuplicateUIDError
from ..records import unstructure
from .change import Change, ChangeKind, ChangeStatus
from .context import StoreContext

__all__ = ["Saves", "UnitOfWork"]


class Saves(Protocol):
    """What `save` needs of a repository (a Repository is one): a record's checked data,
    what it last saw of an object, whether saves check versions, and to be told what landed."""

    @property
    def check_versions(self) -> bool: ...  # pragma: no cover

    @property
    def versions(self) -> dict[str, int]: ...  # pragma: no cover

    def data_of(self, obj: Any, object_id: str) -> dict[str, Any]: ...  # pragma: no cover

    async def base_of(self, object_id: str) -> dict[str, Any]: ...  # pragma: no cover

    def saw(
        self, object_id: str, data: dict[str, Any], version: int | None
    ) -> None: ...  # pragma: no cover


class UnitOfWork:
    """A batch of creates, updates and deletes across any repositories of one store."""

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx
        self.changes: list[Change] = []
        self._saves: list[tuple[Saves, str, dict[str, Any]]] = []
        self._views: list[tuple[Change, Saves, dict[str, Any]]] = []
        """Saves' changes and the state each repository sees once the change lands."""
        from .writes import WriteEngine  # noqa: PLC0415 - the write side, when first used

        self._engine = WriteEngine(ctx)
        self.committed = False

    # -- registering (no requests) ---------------------------------------------------------
    def _add(self, change: Change) -> Change:
        self._engine.prepare(change)  # bad input fails here, before anything is sent
        self.changes.append(change)
        return change

    def create(self, object_id: str, obj: Any, *, collection: str | None = None) -> None:
        """Register a new object (a dict, or an attrs record), in `collection` if given (a
        record goes by default to the one collection holding its type); one create per id a
        commit."""
        if any(c.kind == ChangeKind.CREATE and c.object_id == object_id for c in self.changes):
            # Both would be sent in one request and both made visible: a duplicate object if
            # the process dies before the loser backs out.
            raise DuplicateUIDError(
                f"object {object_id!r} is created twice in one unit of work", object_id=object_id
            )
        if collection is None and not isinstance(obj, dict):
            collection = self.ctx.types.collection_holding(type(obj))
        data = obj if isinstance(obj, dict) else unstructure(obj)
        self._add(Change(ChangeKind.CREATE, object_id, data, collection=collection))

    def update(
        self,
        object_id: str,
        changes: dict[str, Any],
        *,
        remove: Iterable[str | Sequence[str]] = (),
        expected_version: int | None = None,
    ) -> None:
        """Register an update comment of `changes` (and keys to `remove`; see Store.update)."""
        self._add(Change.update_of(object_id, changes, remove, expected_version))

    def save(self, repository: Saves, object_id: str, obj: Any) -> None:
        """Register the minimal change from what `repository` last saw of the object to `obj`."""
        self._saves.append((repository, object_id, repository.data_of(obj, object_id)))

    def delete(self, object_id: str) -> None:
        """Register an archive of the object."""
        self._add(Change(ChangeKind.DELETE, object_id))

    def rollback(self) -> None:
        """Forget everything not yet committed."""
        self.changes = [c for c in self.changes if c.status == ChangeStatus.LANDED]
        self._views = [v for v in self._views if v[0].status == ChangeStatus.LANDED]
        self._saves.clear()

    # -- committing ------------------------------------------------------------------------
    async def _register_saves(self) -> None:
        """Turn each save into the update from what its repository saw (nothing when equal)."""
        for repository, object_id, data in self._saves:
            base = await repository.base_of(object_id)
            changes, removals = deep_diff(base, data), deep_removals(base, data)
            if not changes and not removals:
                continue
            version = repository.versions.get(object_id) if repository.check_versions else None
            change = Change(
                ChangeKind.UPDATE, object_id, changes, removals=removals, expected_version=version
            )
            self._add(change)
            self._views.append((change, repository, data))
        self._saves.clear()

    def _tell_repositories(self) -> None:
        """Each repository sees the state of its saves that landed, and only those: a save
        that failed is sent again by the same `save` later."""
        for change, repository, data in self._views:
            if change.status == ChangeStatus.LANDED:
                known = repository.versions.get(change.object_id)
                repository.saw(change.object_id, data, known + 1 if known is not None else None)
        self._views = [v for v in self._views if v[0].status != ChangeStatus.LANDED]

    async def commit(self) -> list[Change]:
        """Send every registered change; return them (all landed), or raise CommitError."""
        await self._register_saves()
        try:
            await self._engine.run(self.changes)
        finally:
            self._tell_repositories()
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
