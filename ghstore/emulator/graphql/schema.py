"""GitHub's published GraphQL schema (npm `@octokit/graphql-schema`, pinned), loaded once.

The schema ships inside the package as gzip-compressed introspection JSON together with its
MIT licence notice (`ghstore/emulator/data/`). Building it takes a few hundred milliseconds
and a million objects, so the built schema is cached as a pickle beside the shipped file
(or, where the package is read-only, in the user's cache folder), keyed by the SHA-256 of the
shipped schema and the graphql-core and Python versions: a refreshed schema or an upgrade
rebuilds it. The schema's objects are then frozen out of the garbage collector's sight
(`gc.freeze()`), since they live as long as the process.
`python -m ghstore.emulator.graphql.schema PACKAGE.tgz` refreshes it from an `npm pack`
tarball.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import gzip
import hashlib
import io
import json
import os
import pickle
import re
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import graphql
from graphql import (
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    build_client_schema,
    validate_schema,
)

__all__ = ["SCHEMA_PACKAGE", "SCHEMA_VERSION", "UnexpectedSchemaError", "github_schema"]

SCHEMA_PACKAGE = "@octokit/graphql-schema"
SCHEMA_VERSION = "15.26.1"
_DATA_FILE = "github-schema.json.gz"
_LICENCE_FILE = "LICENSE-octokit-graphql-schema.md"
_CACHE_FILE = "github-schema.pickle"
_PICKLE_DEPTH = 50_000  # the schema's types refer to each other deeply
_PICKLE_FORMAT = b"named types by state"  # part of the cache key: a new format rebuilds

# graphql-core refuses GitHub's published schema for exactly one kind of defect: a field that
# implements a non-deprecated interface field is itself deprecated. Validation of documents and
# execution are unaffected, so these errors, and only these, are accepted.
_KNOWN_DEFECT = re.compile(
    r"^Interface field \w+\.\w+ is not deprecated, "
    r"so implementation field \w+\.\w+ must not be deprecated\.$"
)


class UnexpectedSchemaError(RuntimeError):
    """The shipped schema has a defect other than the known, accepted one."""


def accept_published_schema(schema: GraphQLSchema) -> list[GraphQLError]:
    """Accept the schema's known defects (see `_KNOWN_DEFECT`); return what was accepted.

    This is the single place where ghstore overrides graphql-core's schema-level check. Any
    other schema error raises, and document validation still runs in full.
    """
    errors = list(validate_schema(schema))
    unexpected = [e for e in errors if not _KNOWN_DEFECT.match(e.message)]
    if unexpected:
        raise UnexpectedSchemaError("; ".join(e.message for e in unexpected[:5]))
    schema._validation_errors = []  # noqa: SLF001 - the documented cache graphql-core consults
    return errors


def shipped_schema() -> bytes:
    """The shipped introspection, gzip-compressed."""
    return resources.files("ghstore.emulator").joinpath("data", _DATA_FILE).read_bytes()


def _load_introspection(shipped: bytes | None = None) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(gzip.decompress(shipped or shipped_schema()))
    return result


def cache_key(shipped: bytes) -> bytes:
    """What a cached schema must have been built from: this shipped schema, this graphql-core,
    this Python."""
    versions = f"graphql-core {graphql.__version__}; python {sys.version}".encode()
    digest = hashlib.sha256(shipped + b"\0" + versions + b"\0" + _PICKLE_FORMAT)
    return digest.hexdigest().encode() + b"\n"


def cache_paths() -> list[Path]:
    """Where the built schema is cached, in order of preference: beside the shipped schema,
    else the user's cache folder."""
    beside = Path(str(resources.files("ghstore.emulator").joinpath("data", _CACHE_FILE)))
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [beside, Path(home) / "ghstore" / _CACHE_FILE]


def _read_cache(key: bytes) -> GraphQLSchema | None:
    for path in cache_paths():
        with contextlib.suppress(OSError), path.open("rb") as file:
            if file.read(len(key)) != key:
                continue
            # A cache written by this user's own ghstore from the shipped schema; a file
            # that does not unpickle to a schema is rebuilt over.
            with contextlib.suppress(Exception):
                schema = pickle.load(file)
                if isinstance(schema, GraphQLSchema):
                    return schema
    return None


def _write_cache(key: bytes, schema: GraphQLSchema) -> None:
    import tempfile  # noqa: PLC0415 - once per schema version

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _PICKLE_DEPTH))
    try:
        buffer = io.BytesIO()
        _SchemaPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(schema)
        data = key + buffer.getvalue()
    finally:
        sys.setrecursionlimit(limit)
    for path in cache_paths():
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".schema-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)  # whole or not at all, whoever else writes it
            return


class _SchemaPickler(pickle.Pickler):
    """Pickles each named type as its attributes, not as graphql-core's constructor call:
    reading the cache then sets attributes instead of running ~2,000 constructors that check
    every name character by character (most of the time a load took). The attributes are the
    built types' own, their thunks (field maps, interfaces, union members) resolved; the
    standard scalars and introspection types stay the reading process's own."""

    def reducer_override(self, obj: Any) -> Any:
        if not isinstance(obj, GraphQLNamedType):
            return NotImplemented
        if GraphQLNamedType.reserved_types.get(obj.name) is obj:
            return _reserved_type, (obj.name,)
        state = dict(vars(obj))
        for thunk, resolved in (("_fields", "fields"), ("_interfaces", "interfaces")):
            if callable(state.get(thunk)):
                state[thunk] = getattr(obj, resolved)
        if callable(state.get("_types")):
            state["_types"] = obj.types  # type: ignore[attr-defined]
        return _named_type, (type(obj),), state


def _named_type(kind: type[GraphQLNamedType]) -> GraphQLNamedType:
    """An empty named type, its attributes set by the unpickler."""
    return object.__new__(kind)


def _reserved_type(name: str) -> GraphQLNamedType:
    """graphql-core's own instance of a standard scalar or introspection type."""
    return GraphQLNamedType.reserved_types[name]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No collections while a million long-lived objects are made, then frozen out of reach."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@functools.cache
def github_schema() -> GraphQLSchema:
    """Return GitHub's schema: once per process, from the cache when it matches the shipped
    schema, else built from the shipped introspection (and cached)."""
    shipped = shipped_schema()
    key = cache_key(shipped)
    with _collector_paused():
        schema = _read_cache(key)
        if schema is None:
            schema = build_client_schema(_load_introspection(shipped))  # type: ignore[arg-type]
            accept_published_schema(schema)
            _write_cache(key, schema)
    return schema


def refresh_from_tarball(tarball: Path, data_dir: Path) -> None:
    """Replace the shipped schema and licence with those inside an `npm pack` tarball."""
    import tarfile  # noqa: PLC0415 - `make schema` only

    with tarfile.open(tarball) as tar:
        schema_member = tar.extractfile("package/schema.json")
        licence_member = tar.extractfile("package/LICENSE.md")
        if schema_member is None or licence_member is None:
            raise SystemExit(f"{tarball}: no package/schema.json or package/LICENSE.md")
        introspection = json.load(schema_member)
        licence = licence_member.read()
    build_client_schema(introspection)  # refuse a tarball that does not hold a schema
    compact = json.dumps(introspection, separators=(",", ":")).encode()
    (data_dir / _DATA_FILE).write_bytes(gzip.compress(compact, compresslevel=9, mtime=0))
    (data_dir / _LICENCE_FILE).write_bytes(licence)


if __name__ == "__main__":  # pragma: no cover - used by `make schema`
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m ghstore.emulator.graphql.schema PACKAGE.tgz")
    refresh_from_tarball(Path(sys.argv[1]), Path(__file__).parent.parent / "data")
    print(f"schema refreshed from {sys.argv[1]}")
