"""Wiring: a Store for real GitHub (token), GitHub Enterprise (api_url), or the embedded
local GitHub in `.ghstore/`. The only place the store reaches into the emulator."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .config import Config, RateLimitConfig, load_config
from .exceptions import ConfigurationError
from .gateway import DEFAULT_API_URL, Gateway
from .local_workflow import processing_hook
from .store import Store, split_repo

__all__ = ["EMBEDDED_DIR", "EMBEDDED_TOKEN", "connect", "embedded_store", "open_embedded"]

log = logging.getLogger("ghstore")

EMBEDDED_DIR = ".ghstore"
EMBEDDED_TOKEN = "ghstore-embedded"
DEFAULT_EMBEDDED_REPO = "local/store"


def open_embedded(directory: str | Path, repo: str) -> object:
    """The embedded local GitHub in `directory` (created on first use) with `repo` in it."""
    from .emulator import Emulator

    owner, _ = split_repo(repo)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(folder / "github.db")
    emulator.add_user(owner, embedded_token(owner))
    emulator.add_repository(repo)
    return emulator


def embedded_token(owner: str) -> str:
    """The token of `owner` on the embedded local GitHub (one per owner: tokens are unique)."""
    return f"{EMBEDDED_TOKEN}:{owner}"


def embedded_store(
    directory: str | Path = EMBEDDED_DIR, repo: str | None = None, config: Config | None = None
) -> Store:
    """A Store on the embedded local GitHub (no network, no token)."""
    from .emulator import Emulator, InProcessTransport

    chosen = repo or DEFAULT_EMBEDDED_REPO
    emulator = open_embedded(directory, chosen)
    assert isinstance(emulator, Emulator)
    config = config or Config()
    gateway = Gateway(
        transport=InProcessTransport(emulator, embedded_token(split_repo(chosen)[0])),
        api_url=f"embedded:{Path(directory).resolve()}",
        retries=config.store.retries,
        # The embedded local GitHub costs nothing to ask: no client-side cap, no pacing.
        rate_limit=RateLimitConfig(
            max_requests_per_hour=0,
            max_wait=config.store.rate_limit.max_wait,
            mutation_interval=0.0,
        ),
    )
    store = Store(chosen, gateway, config)
    store.embedded = emulator
    store.on_reopened = processing_hook(store)  # a repository with the workflow installed
    return store


def connect(
    repo: str | None = None,
    token: str | None = None,
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    api_url: str | None = None,
    embedded_dir: str | Path = EMBEDDED_DIR,
) -> Store:
    """A Store for the arguments, falling back to GITHUB_TOKEN and GITHUB_REPOSITORY.

    With no token at all, outside GitHub Actions, the store is the embedded local GitHub in
    `embedded_dir`; inside Actions a missing token is an error, never a silent local store.
    """
    config = config or load_config(config_path)
    token = token or os.environ.get("GITHUB_TOKEN") or None
    repo = repo or os.environ.get("GITHUB_REPOSITORY") or None
    if token is None:
        if os.environ.get("GITHUB_ACTIONS") == "true":
            raise ConfigurationError(
                "no token: set GITHUB_TOKEN (in GitHub Actions a token is required)"
            )
        log.warning("no GitHub token: using the embedded local GitHub in %s", embedded_dir)
        return embedded_store(embedded_dir, repo, config)
    if repo is None:
        raise ConfigurationError("no repository: pass OWNER/NAME or set GITHUB_REPOSITORY")
    split_repo(repo)
    gateway = Gateway(
        token=token,
        api_url=api_url or DEFAULT_API_URL,
        retries=config.store.retries,
        rate_limit=config.store.rate_limit,
    )
    return Store(repo, gateway, config)
