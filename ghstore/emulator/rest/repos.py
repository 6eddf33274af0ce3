"""REST handlers for the repository, the viewer, users, rate limits and file contents."""

from __future__ import annotations

import re

from ..limits import RateWindow
from ..state import RepoRow
from .errors import not_found
from .request import Reply, RestRequest, Route

__all__ = ["ROUTES"]


# -- the repository, the viewer, users, rate limits, files ---------------------------------
def get_repo(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}, with the viewer's permissions."""
    repo = request.repo()
    return Reply(200, request.shapes().repo(repo, request.role(repo)))


def get_viewer(request: RestRequest) -> Reply:
    """GET /user: the token's owner."""
    return Reply(200, request.shapes().full_user(request.user))


def get_user(request: RestRequest) -> Reply:
    """GET /users/{username}."""
    row = request.state.user_by_login(request.params["username"])
    if row is None:
        raise not_found()
    return Reply(200, request.shapes().full_user(row))


def _rate(window: RateWindow) -> dict[str, int]:
    return {
        "limit": window.limit,
        "used": window.used,
        "remaining": window.remaining,
        "reset": window.reset_at,
    }


def get_rate_limit(request: RestRequest) -> Reply:
    """GET /rate_limit: both budgets; asking costs nothing, as on GitHub."""
    core = _rate(request.emulator.budgets.window(request.user, "core"))
    graphql = _rate(request.emulator.budgets.window(request.user, "graphql"))
    # Search is not emulated; its budget is GitHub's untouched one (30 a minute), there
    # because GitHub always lists it and typed clients require it.
    now = int(request.emulator.clock())
    search = {"limit": 30, "used": 0, "remaining": 30, "reset": now + 60}
    resources = {"core": core, "search": search, "graphql": graphql}
    return Reply(200, {"resources": resources, "rate": core})


def _contents(request: RestRequest, repo: RepoRow, path: str) -> Reply:
    out = request.shapes()
    content = request.state.file(repo.id, path)
    raw = re.search(r"application/vnd\.github(\.v3)?\.raw(?!\+)", request.accept)
    if content is not None and raw is not None:
        media = f"{raw.group(0)}; charset=utf-8"  # as asked: GitHub echoes .v3 when sent
        return Reply(200, content.decode(errors="replace"), {"Content-Type": media})
    if content is not None:
        return Reply(200, out.file(repo, path, content))
    prefix = f"{path}/" if path else ""
    entries: dict[str, tuple[str, int]] = {}
    for file_path in request.state.file_paths(repo.id):
        if not file_path.startswith(prefix):
            continue
        head, slash, _rest = file_path[len(prefix) :].partition("/")
        if slash:
            entries.setdefault(prefix + head, ("dir", 0))
        else:
            size = len(request.state.file(repo.id, file_path) or b"")
            entries[prefix + head] = ("file", size)
    if not entries:
        raise not_found()
    listing = [out.directory_entry(repo, p, kind, size) for p, (kind, size) in entries.items()]
    return Reply(200, sorted(listing, key=lambda entry: entry["name"]))


def get_contents(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/contents/{path}: a file, a directory listing, or 404."""
    repo = request.repo()
    return _contents(request, repo, request.params["path"].strip("/"))


def get_root_contents(request: RestRequest) -> Reply:
    """GET /repos/{owner}/{repo}/contents: the top directory."""
    repo = request.repo()
    return _contents(request, repo, "")


ROUTES: list[Route] = [
    Route("GET", "/rate_limit", get_rate_limit),
    Route("GET", "/user", get_viewer),
    Route("GET", "/users/{username}", get_user),
    Route("GET", "/repos/{owner}/{repo}", get_repo),
    Route("GET", "/repos/{owner}/{repo}/contents", get_root_contents),
    Route("GET", "/repos/{owner}/{repo}/contents/{path+}", get_contents),
]
