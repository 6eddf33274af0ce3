"""Record types: which attrs class, and which declared JSON Schema, an object's data must fit.

A collection (`Repository(store, User, collection="users")`) registers its class for the
objects carrying its label; the repository's configuration may declare a JSON Schema per
collection (ghstore.domain.schemas), which the processor enforces too. Registration by id
prefix (`register(User, prefix="u-")`) is kept for objects in no collection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..config import StoreConfig
from ..domain.schemas import CollectionSchema
from ..domain.verdicts import Check
from ..exceptions import ConfigurationError
from ..records import structure

__all__ = ["RecordTypes"]


class RecordTypes:
    """Collection -> record type and schema; id prefix -> record type (longest prefix wins)."""

    def __init__(self, config: StoreConfig | None = None, source: str = "config") -> None:
        self._types: list[tuple[str, type[Any]]] = []
        self._collections: dict[str, type[Any]] = {}
        self.schemas: dict[str, CollectionSchema] = {}
        """The declared JSON Schema of each collection that has one."""
        self.unread: dict[str, str] = {}
        """Collection -> the schema file (a path in the repository) not read yet."""
        if config is not None:
            self.declare(config, source)

    def declare(self, config: StoreConfig, source: str = "config") -> None:
        """Take the collections' schemas of a configuration (inline ones at once; files are
        `unread` until `add_schema` is given their content)."""
        for name, declared in config.collections.items():
            if declared.schema is not None:
                self.schemas[name] = CollectionSchema(name, declared.schema, source)
            elif declared.schema_file is not None:
                self.unread[name] = declared.schema_file

    def add_schema(self, collection: str, schema: Mapping[str, Any], source: str) -> None:
        """Declare a collection's schema (one read from a file in the repository)."""
        self.schemas[collection] = CollectionSchema(collection, schema, source)
        self.unread.pop(collection, None)

    def register(self, record_type: type[Any], *, prefix: str = "") -> None:
        """Objects whose id starts with `prefix` must fit `record_type`."""
        self._types = [(p, t) for p, t in self._types if p != prefix]
        self._types.append((prefix, record_type))
        self._types.sort(key=lambda entry: -len(entry[0]))

    def register_collection(self, collection: str, record_type: type[Any]) -> None:
        """The objects of `collection` must fit `record_type`; a collection holds one type."""
        held = self._collections.get(collection)
        if held is not None and held is not record_type:
            raise ConfigurationError(
                f"collection {collection!r} holds {held.__name__} records already; "
                f"give {record_type.__name__} a collection of its own"
            )
        self._collections[collection] = record_type

    def collection_holding(self, record_type: type[Any]) -> str | None:
        """The collection registered for records of `record_type` (None: none, or several)."""
        held = [name for name, kind in self._collections.items() if kind is record_type]
        return held[0] if len(held) == 1 else None

    def type_for(self, object_id: str, collection: str | None = None) -> type[Any] | None:
        """The record type of an object: its collection's, else the longest matching prefix."""
        if collection is not None and collection in self._collections:
            return self._collections[collection]
        return next((t for p, t in self._types if p and object_id.startswith(p)), None) or next(
            (t for p, t in self._types if not p), None
        )

    def check_for(self, object_id: str, collection: str | None = None) -> Check | None:
        """A check that data fits the object's record type and its collection's schema."""
        if collection is not None and collection in self.unread:
            # Never fold or apply unchecked what a declared schema may refuse.
            raise ConfigurationError(
                f"the schema of collection {collection!r} is in the file "
                f"{self.unread[collection]!r} of the repository, which was not read: "
                "give it inline (store.collections.<name>.schema) or run where the "
                "repository's files are read"
            )
        record_type = self.type_for(object_id, collection)
        schema = self.schemas.get(collection) if collection is not None else None
        checks: list[Check] = []
        if schema is not None:
            checks.append(schema.check_for(object_id))
        if record_type is not None:

            def fits_type(data: dict[str, Any]) -> None:
                structure(data, record_type, object_id=object_id)

            checks.append(fits_type)
        if not checks:
            return None

        def check(data: dict[str, Any]) -> None:
            for each in checks:
                each(data)

        return check
