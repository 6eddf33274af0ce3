"""Record types by id prefix: which attrs class an object's data must fit."""

from __future__ import annotations

from typing import Any

from ..domain.verdicts import Check
from ..records import structure

__all__ = ["RecordTypes"]


class RecordTypes:
    """Prefix -> record type; the longest matching prefix decides."""

    def __init__(self) -> None:
        self._types: list[tuple[str, type[Any]]] = []

    def register(self, record_type: type[Any], *, prefix: str = "") -> None:
        """Objects whose id starts with `prefix` must fit `record_type`."""
        self._types = [(p, t) for p, t in self._types if p != prefix]
        self._types.append((prefix, record_type))
        self._types.sort(key=lambda entry: -len(entry[0]))

    def type_for(self, object_id: str) -> type[Any] | None:
        """The record type registered for this id (the longest matching prefix)."""
        return next((t for p, t in self._types if object_id.startswith(p)), None)

    def check_for(self, object_id: str) -> Check | None:
        """A check that data fits the id's record type, if one is registered."""
        record_type = self.type_for(object_id)
        if record_type is None:
            return None

        def check(data: dict[str, Any]) -> None:
            structure(data, record_type, object_id=object_id)

        return check
