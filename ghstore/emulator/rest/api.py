"""GitHub's REST API (v3) over the same SQLite state as GraphQL: one repository, two APIs.

Served under `/api/v3/` (GitHub Enterprise Server's layout, which PyGithub's `base_url`
takes), through `Emulator.handle` like GraphQL: the same tokens, request log, latency and
injected faults. Every authenticated request but GET /rate_limit costs 1 of a per-token
"core" budget (`Emulator.hourly_requests`, 5,000 an hour), apart from GraphQL's points.

The endpoints are those PyGithub calls for gh-store 0.11: the repository, issues (list,
get, create, edit), an issue's labels, comments, reactions, repository labels, contents
(files put with `Emulator.put_file`), the viewer, users and /rate_limit. Handlers live in
rest_issues.py and rest_comments.py; the JSON shapes in rest_shapes.py.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .exchange import HttpRequest, HttpResponse, token_of
from .rest_call import (
    API_PREFIX,
    Call,
    Reply,
    RestError,
    Route,
    not_found,
    parse_query,
)
from .rest_comments import ROUTES as COMMENT_ROUTES
from .rest_issues import ROUTES as ISSUE_ROUTES
from .rest_issues import shapes
from .state import RepoRow, UserRow

if TYPE_CHECKING:
    from .context import RateWindow
    from .engine import Emulator

__all__ = ["API_PREFIX", "RestApi", "is_rest_path"]

RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def is_rest_path(path: str) -> bool:
    """Whether a request path belongs to the REST API."""
    return path == API_PREFIX or path.startswith(f"{API_PREFIX}/")


# -- the repository, the viewer, users, rate limits, files ---------------------------------
def get_repo(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}, with the viewer's permissions."""
    repo = call.repo()
    return Reply(200, shapes(call).repo(repo, call.role(repo)))


def get_viewer(call: Call) -> Reply:
    """GET /user: the token's owner."""
    return Reply(200, shapes(call).full_user(call.user))


def get_user(call: Call) -> Reply:
    """GET /users/{username}."""
    row = call.state.user_by_login(call.params["username"])
    if row is None:
        raise not_found()
    return Reply(200, shapes(call).full_user(row))


def _rate(window: RateWindow) -> dict[str, int]:
    return {
        "limit": window.limit,
        "used": window.used,
        "remaining": window.remaining,
        "reset": window.reset_at,
    }


def get_rate_limit(call: Call) -> Reply:
    """GET /rate_limit: both budgets; asking costs nothing, as on GitHub."""
    core = _rate(call.emulator.rate_window(call.user, "core"))
    graphql = _rate(call.emulator.rate_window(call.user, "graphql"))
    return Reply(200, {"resources": {"core": core, "graphql": graphql}, "rate": core})


def _contents(call: Call, repo: RepoRow, path: str) -> Reply:
    out = shapes(call)
    content = call.state.file(repo.id, path)
    if content is not None:
        return Reply(200, out.file(repo, path, content))
    prefix = f"{path}/" if path else ""
    entries: dict[str, tuple[str, int]] = {}
    for file_path in call.state.file_paths(repo.id):
        if not file_path.startswith(prefix):
            continue
        head, slash, _rest = file_path[len(prefix) :].partition("/")
        if slash:
            entries.setdefault(prefix + head, ("dir", 0))
        else:
            size = len(call.state.file(repo.id, file_path) or b"")
            entries[prefix + head] = ("file", size)
    if not entries:
        raise not_found()
    listing = [out.directory_entry(repo, p, kind, size) for p, (kind, size) in entries.items()]
    return Reply(200, sorted(listing, key=lambda entry: entry["name"]))


def get_contents(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/contents/{path}: a file, a directory listing, or 404."""
    repo = call.repo()
    return _contents(call, repo, call.params["path"].strip("/"))


def get_root_contents(call: Call) -> Reply:
    """GET /repos/{owner}/{repo}/contents: the top directory."""
    repo = call.repo()
    return _contents(call, repo, "")


ROUTES: list[Route] = [
    Route("GET", "/rate_limit", get_rate_limit),
    Route("GET", "/user", get_viewer),
    Route("GET", "/users/{username}", get_user),
    Route("GET", "/repos/{owner}/{repo}", get_repo),
    Route("GET", "/repos/{owner}/{repo}/contents", get_root_contents),
    Route("GET", "/repos/{owner}/{repo}/contents/{path+}", get_contents),
    *COMMENT_ROUTES,
    *ISSUE_ROUTES,
]
FREE = frozenset({"GET /rate_limit"})


# -- the request path ----------------------------------------------------------------------
class RestApi:
    """Answers REST requests for an emulator; `Emulator.handle` calls it."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    @staticmethod
    def _error(error: RestError, headers: dict[str, str]) -> HttpResponse:
        return HttpResponse(error.status, {**headers, **error.headers}, error.body())

    def handle(self, request: HttpRequest, record: dict[str, Any]) -> HttpResponse:
        """Answer one REST request; fills the request log's `record`."""
        record.update(api="rest", kind="rest")
        method = request.method.upper()
        raw_path = request.path[len(API_PREFIX) :] or "/"
        parts = [unquote(part) for part in raw_path.strip("/").split("/")]
        route, params = self._route(method, parts)
        record["operation"] = route.operation if route else f"{method} {raw_path}"
        headers = {"x-github-request-id": uuid.uuid4().hex[:16].upper()}
        token = token_of(request.headers)
        user = self.emulator.state.user_by_token(token) if token else None
        if user is None:
            message = "Requires authentication" if token is None else "Bad credentials"
            return self._error(RestError(401, message), headers)
        record["login"] = user.login
        if route is None or params is None:
            return self._error(not_found(), headers)
        charged = self._charge(user, route, headers, record)
        if charged is not None:
            return charged
        call = Call(
            emulator=self.emulator,
            user=user,
            method=method,
            path=request.path,
            params=params,
            query=parse_query(request.query),
            raw_body=request.body,
            origin=request.origin,
        )
        try:
            if method in _WRITES:
                with self.emulator.state.atomic():
                    reply = route.handler(call)
            else:
                reply = route.handler(call)
        except RestError as error:
            return self._error(error, headers)
        return self._success(reply, headers)

    @staticmethod
    def _route(method: str, parts: list[str]) -> tuple[Route | None, dict[str, str] | None]:
        for route in ROUTES:
            params = route.match(method, parts)
            if params is not None:
                return route, params
        return None, None

    def _charge(
        self, user: UserRow, route: Route, headers: dict[str, str], record: dict[str, Any]
    ) -> HttpResponse | None:
        """Take 1 from the core budget (refusing when it is spent) and apply the
        content-creation limit; None when the request may go on. Fills rate headers."""
        emulator = self.emulator
        window = emulator.rate_window(user, "core")
        if route.operation not in FREE:
            if window.used + 1 > window.limit:
                headers.update(
                    emulator.rate_headers(window, headers["x-github-request-id"], "core")
                )
                message = f"API rate limit exceeded for user ID {user.id}."
                error = RestError(403, message)
                response = self._error(error, headers)
                assert isinstance(response.body, dict)
                response.body["documentation_url"] = RATE_LIMIT_DOCS
                return response
            if route.content_field is not None:
                limited = emulator.content_limited(user, [route.content_field])
                if limited is not None:
                    assert isinstance(limited.body, dict)
                    limited.body["documentation_url"] = RATE_LIMIT_DOCS
                    limited.headers.update(headers)
                    return limited
            window.used += 1
            emulator.state.set_rate_usage(user.id, window.reset_at, window.used, "core")
            record["cost"] = 1
        headers.update(emulator.rate_headers(window, headers["x-github-request-id"], "core"))
        return None

    @staticmethod
    def _success(reply: Reply, headers: dict[str, str]) -> HttpResponse:
        merged = {
            **headers,
            "x-github-api-version-selected": "2022-11-28",
            "x-github-media-type": "github.v3; format=json",
            **reply.headers,
        }
        return HttpResponse(reply.status, merged, reply.body)
