"""Typed records: `Repository[T]` owns one collection of objects and maps them to the user's
attrs classes.

`Repository(store, User, collection="users")` holds the objects labelled `collection:users`;
without `collection=` the name is the class name in snake case (`User` -> `user`). It reads,
lists, saves and deletes only its own objects, and registers `User` for that collection only,
so other objects (and other repositories' types) are untouched. `Repository(store, dict)`
without a collection keeps the schemaless whole store.
"""

from __future__ import annotations

import builtins
import copy
import typing
from collections.abc import AsyncIterator
from typing import Any, Generic, TypeVar

from ..domain.collections import default_collection_name, validate_collection_name
from ..domain.deep_merge import deep_diff, deep_merge, deep_removals
from ..domain.timeline import Timeline
from ..exceptions import InvalidUpdate, ObjectNotFound
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
    """Stored objects of one collection as records of one type: `Repository(store, User)`,
    `Repository(store, User, collection="users")` or `class Users(Repository[User])`.
    `check_versions=True`: every save is made against the version last read, and refused
    (ConcurrentUpdateError) if another writer changed the object since."""

    record_type: type[T]

    def __init__(
        self,
        store: Any,
        record_type: type[T] | None = None,
        *,
        collection: str | None = None,
        check_versions: bool = False,
    ) -> None:
        self.store: Store = getattr(store, "core", store)
        chosen = record_type or _record_type_of(type(self))
        if chosen is None:
            raise TypeError(
                "give the record type: Repository(store, User) or class Users(Repository[User])"
            )
        self.record_type = chosen
        if collection is not None:
            self.collection: str | None = validate_collection_name(collection)
        else:
            self.collection = None if chosen is dict else default_collection_name(chosen)
        self.check_versions = check_versions
        self.seen: dict[str, dict[str, Any]] = {}
        """What this repository last saw of each object (the base of a minimal `save`)."""
        self.versions: dict[str, int] = {}
        """The version of each object when this repository last saw it."""
        if self.collection is not None and chosen is not dict:
            self.store.types.register_collection(self.collection, chosen)

    def _typed(self, stored: StoredObject[dict[str, Any]]) -> StoredObject[T]:
        meta = stored.meta
        if self.collection is not None and meta.collection != self.collection:
            raise ObjectNotFound(
                f"object {meta.object_id!r} is not in collection {self.collection!r}",
                object_id=meta.object_id,
            )
        record = structure(stored.data, self.record_type, object_id=meta.object_id)
        # What we saw is kept apart from what we hand out, which the caller may change.
        self.saw(meta.object_id, copy.deepcopy(stored.data), meta.version)
        return StoredObject(record, meta)

    def saw(self, object_id: str, data: dict[str, Any], version: int | None) -> None:
        """Remember the state (and version) of an object as last read or written."""
        self.seen[object_id] = data
        if version is not None:
            self.versions[object_id] = version

    def data_of(self, obj: T, object_id: str) -> dict[str, Any]:
        """The JSON data of a record, checked as reading it back would check it."""
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
        check = self.store.types.check_for(object_id, self.collection)
        if check is not None:
            check(data)  # and the collection's declared schema, before anything is sent
        return data

    async def base_of(self, object_id: str) -> dict[str, Any]:
        """What this repository last saw of the object (read now if never)."""
        if object_id not in self.seen:
            await self.get(object_id)
        return self.seen[object_id]

    async def get(self, object_id: str) -> StoredObject[T]:
        """The object as a record (pending authorized updates folded in); ObjectNotFound if
        it is not in this repository's collection."""
        return self._typed(await self.store.get(object_id))

    async def create(self, object_id: str, obj: T) -> StoredObject[T]:
        """Store a new object in the collection; DuplicateUIDError if the id exists."""
        data = self.data_of(obj, object_id)
        return self._typed(await self.store.create(object_id, data, collection=self.collection))

    async def save(self, object_id: str, obj: T, *, expected_version: int | None = None) -> bool:
        """Post the minimal change from the state this repository last saw to `obj` as one
        update comment (set keys, removed keys); return False (and send nothing) when
        nothing changed. `expected_version` (by default, with `check_versions`, the version
        last read): ConcurrentUpdateError if the object moved past it."""
        data = self.data_of(obj, object_id)
        base = await self.base_of(object_id)
        changes, removals = deep_diff(base, data), deep_removals(base, data)
        if not changes and not removals:
            return False
        if expected_version is None and self.check_versions:
            expected_version = self.versions.get(object_id)
        await self.store.update(
            object_id, changes, remove=removals, expected_version=expected_version
        )
        known = self.versions.get(object_id)
        self.saw(object_id, data, known + 1 if known is not None else None)
        return True

    async def update(self, object_id: str, changes: dict[str, Any]) -> StoredObject[T]:
        """Apply `changes` (a partial JSON object) after checking the result still fits T."""
        current = await self.store.get(object_id)
        self._typed(current)  # in this collection, and a record of T
        merged = deep_merge(current.data, changes)
        record = structure(merged, self.record_type, object_id=object_id)
        expected = current.meta.version if self.check_versions else None
        await self.store.update(object_id, changes, expected_version=expected)
        self.saw(object_id, merged, (current.meta.version or 0) + 1)
        return StoredObject(record, current.meta)

    async def delete(self, object_id: str) -> None:
        """Archive the object (one of this collection's)."""
        if self.collection is not None:
            await self.get(object_id)
        await self.store.delete(object_id)
        self.seen.pop(object_id, None)
        self.versions.pop(object_id, None)

    async def list(self) -> AsyncIterator[StoredObject[T]]:
        """Every live object of the collection as a record: ceil(M/100) requests for its M
        objects, whatever else the repository holds."""
        async for stored in self.store.list(collection=self.collection):
            yield self._typed(stored)

    async def history(self, object_id: str) -> builtins.list[HistoryEntry]:
        """The object's comments: applied, pending, or rejected with the reason."""
        return await self.store.history(object_id)

    async def timeline(self, object_id: str) -> Timeline:
        """The object's history replayed with the state after each step (see Store.timeline)."""
        return await self.store.timeline(object_id)
