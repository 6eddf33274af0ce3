"""GitHub's published GraphQL schema (npm `@octokit/graphql-schema`, pinned), loaded once.

The schema ships inside the package as gzip-compressed introspection JSON together with its
MIT licence notice (`ghstore/emulator/data/`).
`python -m ghstore.emulator.graphql.schema PACKAGE.tgz` refreshes it from an `npm pack`
tarball.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import sys
import tarfile
from importlib import resources
from pathlib import Path
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_client_schema, validate_schema

__all__ = ["SCHEMA_PACKAGE", "SCHEMA_VERSION", "UnexpectedSchemaError", "github_schema"]

SCHEMA_PACKAGE = "@octokit/graphql-schema"
SCHEMA_VERSION = "15.26.1"
_DATA_FILE = "github-schema.json.gz"
_LICENCE_FILE = "LICENSE-octokit-graphql-schema.md"

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


def _load_introspection() -> dict[str, Any]:
    data = resources.files("ghstore.emulator").joinpath("data", _DATA_FILE).read_bytes()
    result: dict[str, Any] = json.loads(gzip.decompress(data))
    return result


@functools.cache
def github_schema() -> GraphQLSchema:
    """Return GitHub's schema, built once per process from the shipped introspection."""
    schema = build_client_schema(_load_introspection())  # type: ignore[arg-type]
    accept_published_schema(schema)
    return schema


def refresh_from_tarball(tarball: Path, data_dir: Path) -> None:
    """Replace the shipped schema and licence with those inside an `npm pack` tarball."""
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
