"""Record types declared in the repository: a JSON Schema per collection
(`store.collections.<name>.schema` or `.schema_file`), checked with the `jsonschema` library.

The processor run by Actions knows nothing of the user's Python classes; these schemas are
what it enforces: an update whose result does not fit is refused (😕) and reported with the
field path (`$.age`), and reads fold pending updates with the same check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..exceptions import ConfigurationError, InvalidUpdate
from .verdicts import Check

__all__ = ["CollectionSchema", "parse_schema_text"]


class CollectionSchema:
    """One collection's JSON Schema, checked once when loaded."""

    def __init__(self, collection: str, schema: Mapping[str, Any], source: str) -> None:
        self.collection = collection
        self.schema = dict(schema)
        self.source = source
        # jsonschema (~0.07 s) is imported when a schema is loaded, not by `ghstore get`.
        from jsonschema import exceptions as schema_errors  # noqa: PLC0415 - see above
        from jsonschema import validators  # noqa: PLC0415 - see above

        kind = validators.validator_for(self.schema)
        try:
            kind.check_schema(self.schema)
        except schema_errors.SchemaError as exc:
            raise ConfigurationError(
                f"{source}: the schema of collection {collection!r} is not a valid JSON "
                f"Schema: {exc.message}",
                key_path=f"$.store.collections.{collection}",
            ) from exc
        self.validator = kind(self.schema, format_checker=kind.FORMAT_CHECKER)

    def problem(self, data: Any) -> tuple[str, str] | None:
        """(field path, reason) of the most relevant way `data` does not fit, or None."""
        from jsonschema import exceptions as schema_errors  # noqa: PLC0415 - loaded in __init__

        error = schema_errors.best_match(self.validator.iter_errors(data))
        if error is None:
            return None
        return error.json_path, error.message

    def check_for(self, object_id: str) -> Check:
        """A check raising InvalidUpdate (with the field path) for data that does not fit."""

        def check(data: dict[str, Any]) -> None:
            found = self.problem(data)
            if found is not None:
                path, reason = found
                raise InvalidUpdate(
                    f"object {object_id!r} does not fit the schema of collection "
                    f"{self.collection!r} at {path}: {reason}",
                    object_id=object_id,
                    path=path,
                )

        return check


def parse_schema_text(text: str, source: str) -> dict[str, Any]:
    """A schema file's mapping (JSON, or YAML, which JSON is a part of)."""
    import yaml  # noqa: PLC0415 - only where a schema file is read

    try:
        loaded = json.loads(text) if source.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"schema file {source} cannot be read: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ConfigurationError(f"schema file {source} does not hold a mapping")
    return loaded
