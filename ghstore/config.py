"""Configuration: gh-store 0.11's YAML keys and defaults, plus ghstore's own, loaded strictly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from attrs import field, frozen

from .exceptions import ConfigurationError
from .records import describe, make_converter

__all__ = [
    "REACTION_CONTENT",
    "AuthorizedConfig",
    "Config",
    "LogConfig",
    "RateLimitConfig",
    "ReactionsConfig",
    "RetriesConfig",
    "StoreConfig",
    "load_config",
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


@frozen
class LogConfig:
    """Logging of the CLI."""

    level: str = "INFO"
    format: str = "{time} | {level} | {message}"


def _associations(_: Any, __: Any, value: tuple[str, ...]) -> None:
    unknown = [a for a in value if a not in ASSOCIATIONS]
    if unknown:
        raise ValueError(
            f"unknown author associations {unknown}; expected from {list(ASSOCIATIONS)}"
        )


@frozen
class AuthorizedConfig:
    """Whose updates the processor applies."""

    associations: tuple[str, ...] = field(
        default=("OWNER", "MEMBER", "COLLABORATOR"), validator=_associations
    )
    users: tuple[str, ...] = ()
    processors: tuple[str, ...] = ("github-actions",)
    """Identities the processor runs as (GITHUB_TOKEN acts as github-actions[bot])."""


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


@frozen
class Config:
    """A whole configuration file."""

    store: StoreConfig = StoreConfig()


_converter = make_converter()


def parse_config(raw: Any, source: str = "config") -> Config:
    """Build a Config from parsed YAML; unknown keys and wrong types name their key path."""
    if raw is None:
        return Config()
    if not isinstance(raw, dict):
        raise ConfigurationError(
            f"{source}: expected a mapping at the top, got {type(raw).__name__}"
        )
    try:
        return _converter.structure(raw, Config)
    except Exception as exc:  # cattrs raises validation groups of many kinds
        reason, path = describe(exc)
        raise ConfigurationError(f"{source}: {reason}", key_path=path) from exc


def load_config(path: str | Path | None = None) -> Config:
    """Load a YAML config file (gh-store 0.11's format); no path means all defaults."""
    if path is None:
        return Config()
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigurationError(f"config file {file} does not exist") from exc
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"config file {file} is not valid YAML: {exc}") from exc
    return parse_config(raw, str(file))
