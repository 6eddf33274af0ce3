"""What GitHub Actions tells a job through its environment: where GitHub's API is
(`GITHUB_GRAPHQL_URL`, `GITHUB_API_URL`, so GitHub Enterprise Server works unchanged) and the
event that started the run (`GITHUB_EVENT_PATH`: the repository's id, the issue's number)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ..exceptions import ConfigurationError

__all__ = ["ActionsEvent", "graphql_url"]


def graphql_url(environ: Mapping[str, str]) -> str | None:
    """The GraphQL endpoint Actions names: GITHUB_GRAPHQL_URL, else the one beside
    GITHUB_API_URL (`https://HOST/api/v3` -> `https://HOST/api/graphql`); None: neither."""
    explicit = environ.get("GITHUB_GRAPHQL_URL")
    if explicit:
        return explicit
    rest = (environ.get("GITHUB_API_URL") or "").rstrip("/")
    if not rest:
        return None
    if rest.endswith("/api/v3"):
        return rest.removesuffix("/v3") + "/graphql"
    return rest + "/graphql"


@frozen
class ActionsEvent:
    """The parts of the event payload a run uses (each None when the event lacks it)."""

    repository: str | None = None
    """OWNER/NAME of the repository the event happened in."""
    repository_id: str | None = None
    """Its GraphQL node id: a run handed it skips asking GitHub for it."""
    issue_number: int | None = None

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> ActionsEvent:
        """The event of the running job (an empty one outside Actions)."""
        path = environ.get("GITHUB_EVENT_PATH")
        if not path:
            return cls()
        try:
            with open(path, encoding="utf-8") as file:
                payload = json.load(file)
        except (OSError, ValueError) as exc:
            raise ConfigurationError(
                f"GITHUB_EVENT_PATH {path}: not a readable JSON event: {exc}"
            ) from exc
        return cls.of(payload)

    @classmethod
    def of(cls, payload: Any) -> ActionsEvent:
        """The parts of one event payload (as GitHub writes it to GITHUB_EVENT_PATH)."""
        if not isinstance(payload, dict):
            return cls()
        repo = payload.get("repository") or {}
        issue = payload.get("issue") or {}
        number = issue.get("number") if isinstance(issue, dict) else None
        return cls(
            _text(repo, "full_name"),
            _text(repo, "node_id"),
            number if isinstance(number, int) and not isinstance(number, bool) else None,
        )

    def repository_id_of(self, repo: str) -> str | None:
        """The node id of `repo` if the event happened there (names match ignoring case)."""
        if self.repository is None or self.repository.lower() != repo.lower():
            return None
        return self.repository_id


def _text(node: Any, key: str) -> str | None:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, str) and value else None
