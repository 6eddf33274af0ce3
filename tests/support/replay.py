"""Replaying @octokit/fixtures' recordings of api.github.com against the local GitHub: the
scenarios the local GitHub claims, what each needs to exist first, and how an answer is
compared with the recorded one (status, the headers that matter, the JSON's shape and types).

Used by tests/interop/test_replay_octokit_fixtures.py.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ghstore.domain.predicates import json_kind
from ghstore.emulator import Emulator

__all__ = [
    "CLAIMED",
    "NEWER_FIELDS",
    "NOT_CLAIMED",
    "NOT_EMULATED_FIELDS",
    "RECORDED_TOKEN",
    "compare_answer",
    "load_scenario",
    "prepare",
]

ORG = "octokit-fixture-org"
USER = "octokit-fixture-user-a"
RECORDED_TOKEN = "0000000000000000000000000000000000000001"

NOT_CLAIMED = {
    "add-and-remove-repository-collaborator": "collaborators and invitations",
    "branch-protection": "branches",
    "create-file": "writing contents (files are read only)",
    "create-status": "commit statuses",
    "get-archive": "archives",
    "get-organization": "organizations",
    "get-root": "the API root's URL templates",
    "git-refs": "git references",
    "mark-notifications-as-read": "notifications",
    "markdown": "rendering markdown",
    "project-cards": "projects (classic)",
    "release-assets": "releases",
    "release-assets-conflict": "releases",
    "rename-repository": "renaming repositories",
    "search-issues": "search (never used for lookups: it lags and is fuzzy)",
}
"""Scenarios of parts of GitHub the local GitHub does not emulate, and what they are about."""

NEWER_FIELDS = {
    "user_view_type": "added to simple-user in 2024, after these scenarios were recorded",
    "has_discussions": "added to repositories late in 2022, after get-repository was recorded",
    "archived_at": "required of a label by GitHub's OpenAPI 2026-03-10 (githubkit's models); "
    "the scenarios were recorded before labels could be archived",
    "archived_by": "as archived_at",
    "status": 'REST error bodies carry it since 2024: `"status": "403"` in '
    "https://github.com/actions/create-github-app-token/issues/258 (2025)",
}
"""Fields the local GitHub sends that a recording lacks because GitHub added them later."""

NOT_EMULATED_FIELDS = {
    "organization": "the local GitHub has no organizations: its repositories belong to users, "
    "and GitHub sends `organization` only for an organization's repository",
}
"""Fields of a recording the local GitHub leaves out on purpose."""


def load_scenario(folder: Path, name: str) -> list[dict[str, Any]]:
    """The recorded exchanges of one scenario, in order."""
    exchanges: list[dict[str, Any]] = json.loads(
        (folder / name / "normalized-fixture.json").read_text()
    )
    return exchanges


# -- what each claimed scenario needs before its first request --------------------------------
def _repository(emulator: Emulator, name: str) -> int:
    emulator.add_user(ORG)
    emulator.add_user(USER, RECORDED_TOKEN)
    emulator.add_repository(f"{ORG}/{name}", roles={USER: "member"})
    repo = emulator.state.repository_by_name(ORG, name)
    assert repo is not None
    return repo.id


def _issues(emulator: Emulator, repo_id: int, count: int) -> None:
    user = emulator.state.user_by_login(USER)
    assert user is not None
    with emulator.state.atomic():
        for number in range(1, count + 1):
            emulator.state.create_issue(
                repo_id, f"Test issue {number}", "", user.id, emulator.now()
            )


def _labels(emulator: Emulator, repo_id: int, recorded: list[dict[str, Any]]) -> None:
    with emulator.state.atomic():
        for label in recorded:
            emulator.state.create_label(
                repo_id, label["name"], label["color"], label["description"], emulator.now()
            )


def _files(emulator: Emulator, name: str, recorded: list[dict[str, Any]]) -> None:
    for entry in recorded:
        text = base64.b64decode(entry.get("content", "")) if "content" in entry else b""
        emulator.put_file(f"{ORG}/{name}", entry["path"], text or b"# hello-world")


Prepare = Callable[[Emulator, list[dict[str, Any]]], dict[str, str]]


def _plain(name: str) -> Prepare:
    def prepare(emulator: Emulator, _exchanges: list[dict[str, Any]]) -> dict[str, str]:
        _repository(emulator, name)
        return {}

    return prepare


def _labels_scenario(emulator: Emulator, exchanges: list[dict[str, Any]]) -> dict[str, str]:
    _labels(emulator, _repository(emulator, "labels"), exchanges[0]["response"])
    return {}


def _lock_scenario(emulator: Emulator, _exchanges: list[dict[str, Any]]) -> dict[str, str]:
    _issues(emulator, _repository(emulator, "lock-issue"), 1)
    return {}


def _paging_scenario(emulator: Emulator, exchanges: list[dict[str, Any]]) -> dict[str, str]:
    repo_id = _repository(emulator, "paginate-issues")
    _issues(emulator, repo_id, sum(len(e["response"]) for e in exchanges))
    return {"/repositories/1000/": f"/repositories/{repo_id}/"}


def _content_scenario(emulator: Emulator, exchanges: list[dict[str, Any]]) -> dict[str, str]:
    _repository(emulator, "hello-world")
    _files(emulator, "hello-world", exchanges[0]["response"])
    return {}


CLAIMED: dict[str, Prepare] = {
    "add-labels-to-issue": _plain("add-labels-to-issue"),
    "errors": _plain("errors"),
    "get-content": _content_scenario,
    "get-repository": _plain("hello-world"),
    "labels": _labels_scenario,
    "lock-issue": _lock_scenario,
    "paginate-issues": _paging_scenario,
}
"""Scenarios of what the local GitHub emulates, each with what it needs to exist first; the
returned mapping rewrites recorded paths (GitHub's ids) to the local GitHub's."""


def prepare(emulator: Emulator, name: str, exchanges: list[dict[str, Any]]) -> dict[str, str]:
    """Create what scenario `name` expects; the path rewrites it needs."""
    return CLAIMED[name](emulator, exchanges)


# -- comparing an answer with the recording --------------------------------------------------
_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
)


def _link_rels(header: str | None) -> set[str]:
    if not header:
        return set()
    return {part.split('rel="')[1].rstrip('"') for part in header.split(",") if 'rel="' in part}


def _shape(recorded: Any, ours: Any, where: str, out: list[str]) -> None:
    """Every recorded key is there with the same JSON type (null fits any: a value that may
    be absent); no key the recording lacks unless GitHub added it later."""
    if recorded is None or ours is None:
        return
    if json_kind(recorded) != json_kind(ours):
        out.append(f"{where}: {json_kind(ours)} where GitHub sent {json_kind(recorded)}")
        return
    if isinstance(recorded, dict):
        for key in recorded.keys() - ours.keys() - NOT_EMULATED_FIELDS.keys():
            out.append(f"{where}.{key}: missing")
        for key in ours.keys() - recorded.keys() - NEWER_FIELDS.keys():
            out.append(f"{where}.{key}: not in GitHub's answer")
        for key in recorded.keys() & ours.keys():
            _shape(recorded[key], ours[key], f"{where}.{key}", out)
    elif isinstance(recorded, list) and recorded and ours:
        for index in range(min(len(recorded), len(ours))):
            _shape(recorded[index], ours[index], f"{where}[{index}]", out)


def compare_answer(
    recorded: dict[str, Any], status: int, headers: dict[str, str], body: Any
) -> list[str]:
    """What differs between a recorded exchange's answer and ours (empty: they agree)."""
    out: list[str] = []
    if status != recorded["status"]:
        out.append(f"status {status}, GitHub answered {recorded['status']}")
    wanted = recorded["headers"]
    for name in _HEADERS:
        if name in wanted and name not in headers:
            out.append(f"header {name} missing")
    if "content-type" in wanted and headers.get("content-type") != wanted["content-type"]:
        out.append(f"content-type {headers.get('content-type')!r}, not {wanted['content-type']!r}")
    if _link_rels(wanted.get("link")) != _link_rels(headers.get("link")):
        out.append(
            f"Link rels {_link_rels(headers.get('link'))}, not {_link_rels(wanted.get('link'))}"
        )
    if "location" in wanted and "location" not in headers:
        out.append("header location missing")
    if recorded["response"] == "" and body is not None:
        out.append("a body where GitHub sent none")
    _shape(recorded["response"] if recorded["response"] != "" else None, body, "$", out)
    return out
