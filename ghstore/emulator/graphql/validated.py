"""Documents known to pass validation against GitHub's schema, remembered across processes.

Validating a document costs tens of milliseconds (graphql-core visits it with every rule),
more than answering it; a client sends the same few documents in every process. A document
that passed is remembered as an empty file beside the schema's cache, named by the SHA-256 of
the schema's cache key and the document's text, so a later process parses it and skips the
rules. Validation is a function of the schema and the text alone, and the key names the
schema (the shipped schema, graphql-core and Python versions), so the answer is the one
validation gives. Only passes are kept: a document with errors is validated every time, so
its errors are graphql-core's own.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from pathlib import Path

from .schema import cache_key, cache_paths, shipped_schema

__all__ = ["ValidDocuments", "valid_documents"]

_FOLDER = "github-schema.valid"


class ValidDocuments:
    """The texts of documents that passed validation against one schema (its cache key)."""

    def __init__(self, key: bytes, folders: list[Path]) -> None:
        self.key = key
        self.folders = folders

    def _name(self, text: str) -> str:
        return hashlib.sha256(self.key + text.encode()).hexdigest()

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        name = self._name(text)
        return any((folder / name).exists() for folder in self.folders)

    def add(self, text: str) -> None:
        """Remember that `text` passed (in the first folder that can be written; a read-only
        installation just validates again next time)."""
        name = self._name(text)
        for folder in self.folders:
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).touch()
                return


@functools.cache
def valid_documents() -> ValidDocuments:
    """The documents known valid against GitHub's schema as shipped (beside its cache)."""
    folders = [path.parent / _FOLDER for path in cache_paths()]
    return ValidDocuments(cache_key(shipped_schema()), folders)
