"""GitHub's REST API (v3) over the same SQLite state as GraphQL: one repository, two APIs.

Served under `/api/v3/` (GitHub Enterprise Server's layout, which PyGithub's `base_url`
takes), through `Emulator.handle` like GraphQL: the same tokens, request log, latency and
injected faults. Every authenticated request but GET /rate_limit costs 1 of a per-token
"core" budget (`Emulator.hourly_requests`, 5,000 an hour), apart from GraphQL's points.

The endpoints are those PyGithub calls for gh-store 0.11: the repository, issues (list,
get, create, edit), an issue's labels, comments, reactions, repository labels, contents
(files put with `Emulator.put_file`), the viewer, users and /rate_limit. Handlers live in
repos.py, issues.py, labels.py and comments.py; the JSON shapes in shapes.py.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..budgets import CONTENT_LIMIT_MESSAGE, ContentLimitedError, OverBudgetError
from ..exchange import HttpRequest, HttpResponse, is_rest_path, token_of
from ..issue_rules import RuleBrokenError
from ..state import UserRow
from .comments import ROUTES as COMMENT_ROUTES
from .errors import INTEGRATION_REFUSAL, RestError, not_emulated_route, rule_error
from .issues import ROUTES as ISSUE_ROUTES
from .labels import ROUTES as LABEL_ROUTES
from .repos import ROUTES as REPO_ROUTES
from .request import API_PREFIX, Reply, RestRequest, Route, parse_query

if TYPE_CHECKING:
    from ..engine import Emulator

__all__ = ["API_PREFIX", "RestApi", "is_rest_path"]

RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


ROUTES: list[Route] = [*REPO_ROUTES, *COMMENT_ROUTES, *ISSUE_ROUTES, *LABEL_ROUTES]
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
        parts = self._by_repository_id([unquote(p) for p in raw_path.strip("/").split("/")])
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
            return self._error(not_emulated_route(method, raw_path), headers)
        refused = self._charge(user, route, headers, record)
        if refused is not None:
            return refused
        rest_request = RestRequest(
            emulator=self.emulator,
            user=user,
            method=method,
            path=request.path,
            params=params,
            query=parse_query(request.query),
            raw_body=request.body,
            origin=request.origin,
            accept=next((v for k, v in request.headers.items() if k.lower() == "accept"), ""),
        )
        return self._run(route, rest_request, headers)

    def _run(self, route: Route, request: RestRequest, headers: dict[str, str]) -> HttpResponse:
        """Run the handler (a write as one transaction); its errors in REST's shape."""
        try:
            if request.method in _WRITES:
                with self.emulator.state.atomic():
                    reply = route.handler(request)
            else:
                reply = route.handler(request)
        except RestError as error:
            if error.permission and request.user.login.endswith("[bot]"):  # an app's token
                error = RestError(403, INTEGRATION_REFUSAL)
            return self._error(error, headers)
        except RuleBrokenError as broken:
            return self._error(rule_error(broken), headers)
        return self._success(reply, headers)

    def _by_repository_id(self, parts: list[str]) -> list[str]:
        """`/repositories/{id}/...` (where GitHub's Link headers point) as `/repos/{o}/{r}/...`."""
        if len(parts) < 2 or parts[0] != "repositories" or not parts[1].isdigit():
            return parts
        repo = self.emulator.state.repository(int(parts[1]))
        if repo is None:
            return parts
        return ["repos", repo.owner_login, repo.name, *parts[2:]]

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
        budgets = self.emulator.budgets
        request_id = headers["x-github-request-id"]
        window = budgets.window(user, "core")
        if route.operation not in FREE:
            fields = [route.content_field] if route.content_field is not None else []
            try:
                window = budgets.charge(user, window, 1, "core", fields)
            except OverBudgetError as exc:
                headers.update(budgets.headers(window, request_id, "core"))
                body = {**RestError(403, exc.message).body(), "documentation_url": RATE_LIMIT_DOCS}
                return HttpResponse(403, headers, body)
            except ContentLimitedError as exc:
                limited = {"message": CONTENT_LIMIT_MESSAGE, "documentation_url": RATE_LIMIT_DOCS}
                return HttpResponse(403, {"retry-after": str(exc.retry_after), **headers}, limited)
            record["cost"] = 1
        headers.update(budgets.headers(window, request_id, "core"))
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
