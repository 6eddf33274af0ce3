"""Which GitHub a command talks to, from its options and the environment, refused when the
choice would surprise: a named repository with no token is never quietly the local GitHub.

    --token, else $GITHUB_TOKEN, else $GH_TOKEN (an empty --token is an error)
    --repo, else $GITHUB_REPOSITORY (else, for update-snapshot, the snapshot's)
    --api-url, else $GITHUB_GRAPHQL_URL, else beside $GITHUB_API_URL (GitHub Enterprise Server)
    --local: the embedded local GitHub in .ghstore/, whatever the environment holds
    no token and no repository named, outside Actions: the embedded local GitHub, said once
"""

from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from attrs import frozen

from ..bootstrap import EMBEDDED_DIR, close_embedded, connect, token_from_env
from ..config import load_config
from ..exceptions import ConfigurationError
from ..store import Store
from .actions_env import graphql_url

__all__ = ["Connection", "UsageRefused", "open_store", "resolve", "where"]


class UsageRefused(ConfigurationError):
    """Options that cannot mean what they say: the command exits 2 and does nothing."""


@frozen
class Connection:
    """What a command connects to: a token (None: the embedded local GitHub) and a repo."""

    token: str | None
    repo: str | None
    api_url: str | None


def _token(args: argparse.Namespace, env: Mapping[str, str]) -> str | None:
    if args.token is not None:
        if not args.token.strip():
            raise UsageRefused(
                "--token is empty (an unset variable?): pass a token, or leave --token out"
            )
        return str(args.token)
    return token_from_env(env)


def resolve(
    args: argparse.Namespace, env: Mapping[str, str], fallback_repo: str | None = None
) -> Connection:
    """The connection the options and `env` ask for, or UsageRefused saying why not."""
    if args.local:
        for flag, value in (("--token", args.token), ("--api-url", args.api_url)):
            if value is not None:
                raise UsageRefused(f"--local and {flag} contradict each other: keep one")
        return Connection(None, args.repo or fallback_repo, None)
    token = _token(args, env)
    named = args.repo or env.get("GITHUB_REPOSITORY") or None
    if token is None and env.get("GITHUB_ACTIONS") != "true":
        if args.api_url:
            raise UsageRefused(
                f"--api-url {args.api_url} needs a token: pass --token or set GITHUB_TOKEN"
            )
        if named:
            source = f"--repo {args.repo}" if args.repo else f"GITHUB_REPOSITORY={named}"
            raise UsageRefused(
                f"{source} names a GitHub repository, but there is no token: pass --token "
                "or set GITHUB_TOKEN (or GH_TOKEN); --local uses the embedded local GitHub "
                f"in {EMBEDDED_DIR}/ instead"
            )
    return Connection(token, named or fallback_repo, args.api_url or graphql_url(env))


def where(store: Store) -> str:
    """Where a store writes, for a success line: the repository, and the embedded local
    GitHub's folder when it is that."""
    url = store.gateway.api_url
    if url.startswith("embedded:"):
        return f"{store.repo} (the embedded local GitHub in {url.removeprefix('embedded:')})"
    return store.repo


@asynccontextmanager
async def open_store(args: argparse.Namespace, repo: str | None = None) -> AsyncIterator[Store]:
    """The store the options name (see the module's docstring); closed on leaving."""
    config = load_config(args.config)
    chosen = resolve(args, os.environ, repo)
    if args.local:
        store = connect(chosen.repo, None, config=config, local=True)
    else:
        store = connect(chosen.repo, chosen.token, config=config, api_url=chosen.api_url)
    try:
        yield store
    finally:
        await store.close()
        close_embedded(store)
