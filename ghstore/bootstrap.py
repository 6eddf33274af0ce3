"""The composition root: a Store for real GitHub (token), GitHub Enterprise (api_url), or
the embedded local GitHub in `.ghstore/`, with the processor wired to run where the Actions
workflow would. The only importer of the emulator, and only when a store runs on it (a store
for GitHub never loads the emulator); nothing here does I/O at import time."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config, RateLimitConfig, load_config
from .exceptions import ConfigurationError
from .github.gateway import DEFAULT_API_URL, Gateway
from .github.wire import AnswerErrors, HttpStatus, NoAnswer, Wire, payload
from .store import Store, split_repo

if TYPE_CHECKING:
    from graphql import DocumentNode

    from .emulator import Emulator
    from .emulator.inprocess import InProcessClient
    from .processor import ProcessReport

__all__ = [
    "EMBEDDED_DIR",
    "EMBEDDED_TOKEN",
    "EmbeddedWire",
    "close_embedded",
    "connect",
    "embedded_people",
    "embedded_store",
    "emulator_commands",
    "open_embedded",
    "processing_hook",
    "token_from_env",
]

log = logging.getLogger("ghstore")

EMBEDDED_DIR = ".ghstore"
EMBEDDED_TOKEN = "ghstore-embedded"
DEFAULT_EMBEDDED_REPO = "local/store"


def open_embedded(directory: str | Path, repo: str) -> Emulator:
    """The embedded local GitHub in `directory` (created on first use) with `repo` in it."""
    from .emulator import Emulator  # noqa: PLC0415 - loaded only for the embedded store

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
    chosen = repo or DEFAULT_EMBEDDED_REPO
    emulator = open_embedded(directory, chosen)
    config = config or Config()
    store = _embedded_as(
        emulator, chosen, embedded_token(split_repo(chosen)[0]), config, Path(directory)
    )
    store.on_reopened = processing_hook(store)  # a repository with the workflow installed
    return store


class EmbeddedWire(Wire):
    """The wire to a local GitHub in this process: each request's JSON body through the
    emulator's request handling, as over HTTP but with no socket, no gql and no aiohttp."""

    def __init__(self, emulator: Emulator, token: str, timeout: float = 30.0) -> None:
        from .emulator.inprocess import InProcessClient  # noqa: PLC0415 - the embedded store's

        self._client: InProcessClient = InProcessClient(emulator, token)
        self._timeout = timeout

    @property
    def response_headers(self) -> Mapping[str, str] | None:
        """The last answer's headers."""
        return self._client.response_headers

    async def send(self, document: DocumentNode, variables: dict[str, Any]) -> dict[str, Any]:
        """One request; the emulator's faults fail as a lost or timed-out HTTP request."""
        from .emulator.inprocess import HttpStatusError, NotGraphqlError  # noqa: PLC0415

        try:
            async with asyncio.timeout(self._timeout):
                result = await self._client.post(payload(document, variables))
        except HttpStatusError as exc:
            raise HttpStatus(exc.status, exc.message) from exc
        except (NotGraphqlError, TimeoutError, OSError) as exc:
            raise NoAnswer(exc) from exc
        data, errors = result.get("data"), result.get("errors")
        if errors:
            raise AnswerErrors(list(errors), data)
        if data is None:
            raise NoAnswer(ValueError(f"an answer with neither data nor errors: {result}"))
        return dict(data)


def _embedded_as(
    emulator: Emulator, repo: str, token: str, config: Config, directory: Path
) -> Store:
    gateway = Gateway(
        transport=EmbeddedWire(emulator, token),
        api_url=f"embedded:{directory.resolve()}",
        retries=config.store.retries,
        # The embedded local GitHub costs nothing to ask: no client-side cap, no pacing.
        rate_limit=RateLimitConfig.unpaced(max_wait=config.store.rate_limit.max_wait),
    )
    store = Store(repo, gateway, config)
    store.embedded = emulator
    return store


def embedded_people(store: Store, people: Mapping[str, tuple[str, str]]) -> list[Store]:
    """Give people (login -> (token, role: collaborator, member or none)) accounts and roles
    on the embedded local GitHub of `store`, and a Store each, acting as them."""
    emulator = _embedded_emulator(store)
    if emulator is None:
        raise ConfigurationError(f"{store.repo} is not on the embedded local GitHub")
    for login, (token, _) in people.items():
        emulator.add_user(login, token)
    emulator.add_repository(store.repo, roles={login: role for login, (_, role) in people.items()})
    folder = Path(store.gateway.api_url.removeprefix("embedded:"))
    return [
        _embedded_as(emulator, store.repo, token, store.config, folder)
        for token, _ in people.values()
    ]


def processing_hook(store: Store) -> Callable[[int], Awaitable[ProcessReport]]:
    """A `Store.on_reopened` hook that runs the processor on the reopened issue: the Actions
    workflow's job done in-process, as `.github/workflows/process_update.yml` does on GitHub."""

    async def process(number: int) -> ProcessReport:
        from .processor import Processor  # noqa: PLC0415 - when an issue is reopened

        return await Processor(store).process(number)

    return process


def emulator_commands(commands: Any) -> None:
    """Register `ghstore emulator ...` on the CLI's subcommands (argparse's subparsers)."""
    from .emulator.cli import add_emulator_commands  # noqa: PLC0415 - argparse only

    add_emulator_commands(commands)


def close_embedded(store: Store) -> None:
    """Close the embedded local GitHub a store runs on, if it runs on one."""
    emulator = _embedded_emulator(store)
    if emulator is not None:
        emulator.close()


def _embedded_emulator(store: Store) -> Emulator | None:
    """The local GitHub `store` runs on in-process, if any (without importing the emulator
    for a store that never loaded it)."""
    if store.embedded is None:
        return None
    from .emulator import Emulator  # noqa: PLC0415 - loaded only for the embedded store

    return store.embedded if isinstance(store.embedded, Emulator) else None


def connect(
    repo: str | None = None,
    token: str | None = None,
    *,
    config: Config | None = None,
    config_path: str | Path | None = None,
    api_url: str | None = None,
    embedded_dir: str | Path = EMBEDDED_DIR,
    local: bool = False,
) -> Store:
    """A Store for the arguments, falling back to GITHUB_TOKEN (then GH_TOKEN) and
    GITHUB_REPOSITORY.

    `local=True` is the embedded local GitHub in `embedded_dir`, whatever the environment
    holds. With no token at all, outside GitHub Actions, it is the embedded local GitHub too
    (with a warning); inside Actions a missing token is an error, never a silent local store.
    An empty token is an error (an unset variable passed on), never a fallback.
    """
    config = config or load_config(config_path)
    if local:
        return embedded_store(embedded_dir, repo, config)
    if token is not None and not token.strip():
        raise ConfigurationError("the token is empty (an unset variable?): pass a token or None")
    token = token or token_from_env(os.environ)
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


def token_from_env(env: Mapping[str, str]) -> str | None:
    """GITHUB_TOKEN, else GH_TOKEN (the gh CLI's), ignoring empty ones."""
    return next((env[n] for n in ("GITHUB_TOKEN", "GH_TOKEN") if env.get(n, "").strip()), None)
