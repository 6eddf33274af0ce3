"""Typed records: `Repository[T]` maps stored objects to the user's attrs classes."""

from __future__ import annotations

import builtins
import copy
import typing
from collections.abc import AsyncIterator
from typing import Any, Generic, TypeVar

from ..domain.deep_merge import deep_diff, deep_merge
from ..exceptions import InvalidUpdate
from ..model import HistoryEntry, StoredObject
from ..records import structure, unstructure
from .facade import Store

__all__ = ["Repository"]

T = TypeVar("T")


def _record_type_of(cls: type[Any]) -> type[Any] | None:
    for base in getattr(cls, "__orig_bases__", ()):
        if typing.get_origin(base) is Repository:
            (arg,) = typing.get_args(base)
            if not isinstance(arg, TypeVar):
                found: type[Any] = typing.get_origin(arg) or arg  # Repository[dict[...]] -> dict
                return found
    return None


class Repository(Generic[T]):
    """Stored objects as records of one type: `Repository(store, User)` or
    `class Users(Repository[User])`. `Repository(store, dict)` keeps schemaless JSON."""

    record_type: type[T]

    def __init__(self, store: Any, record_type: type[T] | None = None, *, prefix: str = "") -> None:
        self.store: Store = getattr(store, "core", store)
        chosen = record_type or _record_type_of(type(self))
        if chosen is None:
            raise TypeError(
                "give the record type: Repository(store, User) or class Users(Repository[User])"
            )
        self.record_type = chosen
        self.seen: dict[str, dict[str, Any]] = {}
        """What this repository last saw of each object (the base of a minimal `save`)."""
        if chosen is not dict:
            self.store.register_type(chosen, prefix=prefix)

    def _typed(self, stored: StoredObject[dict[str, Any]]) -> StoredObject[T]:
        record = structure(stored.data, self.record_type, object_id=stored.meta.object_id)
        # What we saw is kept apart from what we hand out, which the caller may change.
        self.seen[stored.meta.object_id] = copy.deepcopy(stored.data)
        return StoredObject(record, stored.meta)

    def _data(self, obj: T, object_id: str) -> dict[str, Any]:
        if isinstance(obj, dict):
            data = copy.deepcopy(obj)
        else:
            if not isinstance(obj, self.record_type):
                raise InvalidUpdate(
                    f"object {object_id!r}: expected a {self.record_type.__name__}, "
                    f"got {type(obj).__name__}",
                    object_id=object_id,
                )
            data = unstructure(obj)
        structure(data, self.record_type, object_id=object_id)  # the same checks as reading back
        return data

    async def get(self, object_id: str) -> StoredObject[T]:
        """The object as a record (pending authorized updates folded in)."""
        return self._typed(await self.store.get(object_id))

    async def create(self, object_id: str, obj: T) -> StoredObject[T]:
        """Store a new object; DuplicateUIDError if the id exists."""
        return self._typed(await self.store.create(object_id, self._data(obj, object_id)))

    async def save(self, object_id: str, obj: T) -> bool:
        """Post the minimal change from the state this repository last saw to `obj` as one
        update comment; return False (and send nothing) when nothing changed."""
        data = self._data(obj, object_id)
        base = self.seen.get(object_id)
        if base is None:
            base = (await self.store.get(object_id)).data
        changes = deep_diff(base, data)
        if not changes:
            self.seen[object_id] = base
            return False
        await self.store.update(object_id, changes)
        self.seen[object_id] = deep_merge(base, changes)
        return True

    async def update(self, object_id: str, changes: dict[str, Any]) -> StoredObject[T]:
        """Apply `changes` (a partial JSON object) after checking the result still fits T."""
        current = await self.store.get(object_id)
        merged = deep_merge(current.data, changes)
        record = structure(merged, self.record_type, object_id=object_id)
        await self.store.update(object_id, changes)
        self.seen[object_id] = merged
        return StoredObject(record, current.meta)

    async def delete(self, object_id: str) -> None:
        """Archive the object."""
        await self.store.delete(object_id)
        self.seen.pop(object_id, None)

    async def list(self) -> AsyncIterator[StoredObject[T]]:
        """Every live object as a record."""
        async for stored in self.store.list():
            yield self._typed(stored)

    async def history(self, object_id: str) -> builtins.list[HistoryEntry]:
        """The object's comments: applied, pending, or rejected with the reason."""
        return await self.store.history(object_id)
