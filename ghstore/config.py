"""Configuration: gh-store 0.11's YAML keys and defaults, plus ghstore's own, loaded strictly.

Two vocabularies are accepted: gh-store 0.11's (`store.reactions.processed`) and the one its
README shows (`store.processed_reaction`); `KEY_ALIASES` maps the second onto the first before
anything else looks at the file. An unknown key is refused with one line naming it.
"""

from __future__ import annotations

import copy
import functools
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from attrs import field, frozen

from .exceptions import ConfigurationError
from .records import describe, make_converter

__all__ = [
    "KEY_ALIASES",
    "LOG_FIELDS",
    "LOG_LEVELS",
    "REACTION_CONTENT",
    "REPOSITORY_CONFIG_PATH",
    "AuthorizedConfig",
    "CollectionConfig",
    "Config",
    "LayeredConfig",
    "LogConfig",
    "RateLimitConfig",
    "ReactionsConfig",
    "RetriesConfig",
    "StoreConfig",
    "load_config",
    "parse_config",
]

# REST reaction names (gh-store's config) to GraphQL ReactionContent.
REACTION_CONTENT = {
    "+1": "THUMBS_UP",
    "-1": "THUMBS_DOWN",
    "laugh": "LAUGH",
    "hooray": "HOORAY",
    "confused": "CONFUSED",
    "heart": "HEART",
    "rocket": "ROCKET",
    "eyes": "EYES",
}
ASSOCIATIONS = (
    "OWNER",
    "MEMBER",
    "COLLABORATOR",
    "CONTRIBUTOR",
    "FIRST_TIMER",
    "FIRST_TIME_CONTRIBUTOR",
    "MANNEQUIN",
    "NONE",
)


def _reaction(_: Any, attribute: Any, value: str) -> None:
    if value not in REACTION_CONTENT:
        raise ValueError(f"{attribute.name}: {value!r} is not one of {sorted(REACTION_CONTENT)}")


def _positive(_: Any, attribute: Any, value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative, got {value!r}")


@frozen
class ReactionsConfig:
    """Reactions that mark comments (REST names, as gh-store's config has them)."""

    processed: str = field(default="+1", validator=_reaction)
    initial_state: str = field(default="rocket", validator=_reaction)
    rejected: str = field(default="-1", validator=_reaction)
    invalid: str = field(default="confused", validator=_reaction)
    settled: str = field(default="eyes", validator=_reaction)
    """The processor's watermark: every comment up to the one it marks is settled."""


@frozen
class RetriesConfig:
    """Retries of transient failures with exponential backoff."""

    max_attempts: int = field(default=3, validator=_positive)
    backoff_factor: float = field(default=2.0, validator=_positive)


@frozen
class RateLimitConfig:
    """Client-side pacing within GitHub's limits."""

    max_requests_per_hour: int = field(default=1000, validator=_positive)
    """A client-side cap (gh-store's key); 0 means none."""
    max_wait: float = field(default=60.0, validator=_positive)
    mutation_interval: float = field(default=1.0, validator=_positive)
    content_per_minute: int = field(default=80, validator=_positive)
    """Content-creating mutations (issues, comments) sent in any minute; GitHub's secondary
    limit is 80. 0: not paced."""
    content_per_hour: int = field(default=500, validator=_positive)
    """Content-creating mutations sent in any hour; GitHub's secondary limit is 500. 0: not
    paced."""

    @classmethod
    def unpaced(cls, **overrides: Any) -> RateLimitConfig:
        """No client-side pacing at all (for a local GitHub, which costs nothing to ask), but
        for `overrides`."""
        unpaced: dict[str, Any] = {
            "max_requests_per_hour": 0,
            "mutation_interval": 0.0,
            "content_per_minute": 0,
            "content_per_hour": 0,
        }
        return cls(**{**unpaced, **overrides})


# gh-store 0.11 logs through loguru; these are the level names and format fields its config
# uses, honoured by ghstore's logging (ghstore.logs).
LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL")
LOG_FIELDS = ("time", "level", "message", "name")


def _log_level(_: Any, __: Any, value: str) -> None:
    if value.upper() not in LOG_LEVELS:
        raise ValueError(f"log level {value!r} is not one of {list(LOG_LEVELS)}")


def _log_format(_: Any, __: Any, value: str) -> None:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"log format {value!r}: {exc}") from exc
    unknown = sorted(fields - set(LOG_FIELDS))
    if unknown:
        raise ValueError(
            f"log format {value!r}: unknown field(s) {unknown}; use {list(LOG_FIELDS)}"
        )


@frozen
class LogConfig:
    """ghstore's log lines: the lowest level shown, and the line's format with `{time}`,
    `{level}`, `{message}` (and `{name}`, the logger's)."""

    level: str = field(default="INFO", validator=_log_level)
    format: str = field(default="{time} | {level} | {message}", validator=_log_format)


def _associations(_: Any, __: Any, value: tuple[str, ...]) -> None:
    unknown = [a for a in value if a not in ASSOCIATIONS]
    if unknown:
        raise ValueError(
            f"unknown author associations {unknown}; expected from {list(ASSOCIATIONS)}"
        )


@frozen
class AuthorizedConfig:
    """Whose updates the processor applies."""

    associations: tuple[str, ...] = field(default=("OWNER",), validator=_associations)
    users: tuple[str, ...] = ()
    processors: tuple[str, ...] = ("github-actions",)
    """Identities the processor runs as (GITHUB_TOKEN acts as github-actions[bot])."""


def _one_schema_source(instance: Any, _: Any, __: Any) -> None:
    if instance.schema is not None and instance.schema_file is not None:
        raise ValueError("give schema or schema_file, not both")


@frozen
class CollectionConfig:
    """`store.collections.<name>`: the JSON Schema every object of the collection fits."""

    schema: dict[str, Any] | None = field(default=None, validator=_one_schema_source)
    """An inline JSON Schema (a mapping)."""
    schema_file: str | None = None
    """A path in the repository (from its root) of a JSON or YAML file holding the schema."""


@frozen
class StoreConfig:
    """The `store:` section."""

    base_label: str = "stored-object"
    uid_prefix: str = "UID:"
    namespace_label: str = "gh-store"
    max_parts: int = field(default=100, validator=_positive)
    """Ceiling of a large object: part comments of 60,000 characters (ghstore.domain.large)."""
    reactions: ReactionsConfig = ReactionsConfig()
    retries: RetriesConfig = RetriesConfig()
    rate_limit: RateLimitConfig = RateLimitConfig()
    log: LogConfig = LogConfig()
    authorized: AuthorizedConfig = AuthorizedConfig()
    collections: dict[str, CollectionConfig] = field(factory=dict)
    """Collection name -> its schema (ghstore.domain.schemas enforces them)."""


@frozen
class Config:
    """A whole configuration file."""

    store: StoreConfig = StoreConfig()


_converter = functools.cache(make_converter)
REPOSITORY_CONFIG_PATH = ".github/ghstore.yml"
"""The repository's own configuration, read from its default branch by the processor."""

KEY_ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("store", "processed_reaction"): ("store", "reactions", "processed"),
}
"""The gh-store README's keys -> gh-store 0.11's (the one ghstore's classes use)."""


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _unalias(raw: dict[str, Any], source: str) -> dict[str, Any]:
    """`raw` with every aliased key moved to its canonical place; both given: an error."""
    for alias, canonical in KEY_ALIASES.items():
        *parents, key = alias
        holder = _mapping_at(raw, tuple(parents))
        if holder is None or key not in holder:
            continue
        value = holder.pop(key)
        *target_parents, target_key = canonical
        target = raw
        for part in target_parents:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                break  # a wrong type there: structuring names it
        else:
            if target_key in target and target[target_key] != value:
                raise ConfigurationError(
                    f"{source}: {_dotted(alias)} and {_dotted(canonical)} say different "
                    f"things ({value!r}, {target[target_key]!r}); keep one",
                    key_path=f"$.{_dotted(alias)}",
                )
            target[target_key] = value
    return raw


def _mapping_at(raw: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    here: Any = raw
    for part in path:
        here = here.get(part) if isinstance(here, dict) else None
    return here if isinstance(here, dict) else None


def _unknown_key(raw: Mapping[str, Any], cls: type[Any], path: tuple[str, ...]) -> str | None:
    """The first key of `raw` (dotted) that `cls` (an attrs class) and its sections lack."""
    known = {f.name: f for f in attrs.fields(attrs.resolve_types(cls))}
    for key, value in raw.items():
        if key not in known:
            return _dotted((*path, str(key)))
        kind = known[key].type
        if isinstance(value, Mapping) and attrs.has(kind):
            found = _unknown_key(value, kind, (*path, key))
            if found:
                return found
    return None


def _refuse_unknown(raw: dict[str, Any], source: str) -> None:
    found = _unknown_key(raw, Config, ())
    if found is None:
        return
    parents = found.split(".")[:-1]
    section: Any = attrs.resolve_types(Config)
    for part in parents:
        section = {f.name: f.type for f in attrs.fields(section)}[part]
    known = ", ".join(f.name for f in attrs.fields(section))
    where = f"under {'.'.join(parents)}" if parents else "at the top"
    aliases = [_dotted(a) for a in KEY_ALIASES if a[:-1] == tuple(parents)]
    also = f" (also {', '.join(aliases)})" if aliases else ""
    raise ConfigurationError(
        f"{source}: unknown key {found!r}; known {where}: {known}{also}",
        key_path=f"$.{found}",
    )


def parse_config(raw: Any, source: str = "config") -> Config:
    """Build a Config from parsed YAML (either vocabulary); an unknown key or a wrong type is
    one line naming its key path."""
    if raw is None:
        return Config()
    if not isinstance(raw, dict):
        raise ConfigurationError(
            f"{source}: expected a mapping at the top, got {type(raw).__name__}"
        )
    raw = _unalias(copy.deepcopy(raw), source)
    _refuse_unknown(raw, source)
    try:
        return _converter().structure(raw, Config)
    except Exception as exc:  # cattrs raises validation groups of many kinds
        reason, path = describe(exc)
        raise ConfigurationError(f"{source}: {reason}", key_path=path) from exc


def load_config(path: str | Path | None = None) -> Config:
    """Load a YAML config file (gh-store 0.11's format); no path means all defaults."""
    if path is None:
        return Config()
    return parse_config(load_raw(path), str(path))


def load_raw(path: str | Path) -> Any:
    """A config file's parsed YAML, unchecked (ConfigurationError if absent or not YAML)."""
    file = Path(path)
    try:
        return _yaml(file.read_text(encoding="utf-8"), f"config file {file}")
    except FileNotFoundError as exc:
        raise ConfigurationError(f"config file {file} does not exist") from exc


def _yaml(text: str, source: str) -> Any:
    import yaml  # noqa: PLC0415 - only where a file is read

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{source} is not valid YAML: {exc}") from exc


def _layered(under: Any, over: Any) -> Any:
    """`over`'s keys win; mappings present in both are layered key by key."""
    if not isinstance(under, dict) or not isinstance(over, dict):
        return over
    merged = dict(under)
    for key, value in over.items():
        merged[key] = _layered(under.get(key), value) if key in under else value
    return merged


@frozen
class LayeredConfig:
    """A run's configuration: the repository's own file (`.github/ghstore.yml` on its default
    branch, read through GitHub) under an explicit `--config` file, whose keys win."""

    explicit: Any = None
    """The explicit file's parsed YAML (None: no explicit file)."""
    explicit_source: str = "config"
    path: str = REPOSITORY_CONFIG_PATH
    """Where the repository keeps its configuration."""

    @classmethod
    def from_file(cls, path: str | Path | None) -> LayeredConfig:
        """The layers with `path` (if any) as the explicit file; checked at once."""
        if path is None:
            return cls()
        layers = cls(load_raw(path), str(path))
        parse_config(layers.explicit, layers.explicit_source)
        return layers

    @property
    def expression(self) -> str:
        """The repository file's git expression: its default branch (HEAD), `path`."""
        return f"HEAD:{self.path}"

    def explicit_config(self) -> Config:
        """The configuration without the repository's file."""
        return parse_config(self.explicit, self.explicit_source)

    def over(self, repository_text: str | None) -> Config:
        """The configuration with the repository's file (None: it has none) under it."""
        if repository_text is None:
            return self.explicit_config()
        where = f"{self.path} (the repository's default branch)"
        repository = _yaml(repository_text, where)
        parse_config(repository, where)  # checked alone first, so its errors name the file
        merged = _layered(repository or {}, self.explicit or {})
        return parse_config(merged, f"{where} under {self.explicit_source}")
