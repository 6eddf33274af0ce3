"""The emulator and the request handling both faces share: faults, latency, the request log,
and dispatch to the GraphQL or the REST face."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Mapping
from email.utils import formatdate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import access
from .budgets import Budgets
from .controls import Controls, FaultKind, RequestRecord
from .exchange import HttpRequest, HttpResponse, JsonBody, is_rest_path, token_of
from .graphql.api import GraphqlApi, failure
from .graphql.schema import SCHEMA_VERSION, github_schema
from .graphql.validated import valid_documents
from .limits import Limits
from .state import State
from .state.timestamps import format_utc

if TYPE_CHECKING:
    from .rest.api import RestApi

__all__ = ["Emulator", "HttpRequest", "HttpResponse", "JsonBody", "token_of"]


class Emulator:
    """A local GitHub: GitHub's published GraphQL schema executed over SQLite."""

    def __init__(
        self,
        db: str | Path = ":memory:",
        *,
        hourly_points: int = 5_000,
        content_per_minute: int | None = None,
        content_per_hour: int | None = None,
        clock: Callable[[], float] = time.time,
        limits: Limits | None = None,
    ) -> None:
        self.state = State(db)
        self.schema = github_schema()
        self.valid_documents = valid_documents()
        self.schema_version = SCHEMA_VERSION
        self.clock = clock
        self.limits = limits or Limits()
        self.controls = Controls()
        self.budgets = Budgets(
            self.state,
            self._seconds,
            hourly_points=hourly_points,
            hourly_requests=5_000,
            content_per_minute=content_per_minute,
            content_per_hour=content_per_hour,
        )
        self.graphql = GraphqlApi(self)

    @functools.cached_property
    def rest(self) -> RestApi:
        """The REST face, built when a REST request first comes (a GraphQL-only client, like
        ghstore's own, never loads it)."""
        from .rest.api import RestApi  # noqa: PLC0415

        return RestApi(self)

    # -- budgets (settable, as before they moved to `budgets`) -----------------------------
    @property
    def hourly_points(self) -> int:
        """GraphQL points per hour and token, unless the user has its own."""
        return self.budgets.hourly_points

    @hourly_points.setter
    def hourly_points(self, value: int) -> None:
        self.budgets.hourly_points = value

    @property
    def hourly_requests(self) -> int:
        """REST requests per hour and token: GitHub's "core" budget, apart from GraphQL's."""
        return self.budgets.hourly_requests

    @hourly_requests.setter
    def hourly_requests(self, value: int) -> None:
        self.budgets.hourly_requests = value

    @property
    def content_per_minute(self) -> int | None:
        """Content-creating requests a minute before a secondary-limit 403 (None: no limit)."""
        return self.budgets.content_per_minute

    @content_per_minute.setter
    def content_per_minute(self, value: int | None) -> None:
        self.budgets.content_per_minute = value

    @property
    def content_per_hour(self) -> int | None:
        """Content-creating requests an hour before a secondary-limit 403 (None: no limit)."""
        return self.budgets.content_per_hour

    @content_per_hour.setter
    def content_per_hour(self, value: int | None) -> None:
        self.budgets.content_per_hour = value

    def _seconds(self) -> float:
        # The budgets' clock: whatever `self.clock` is now (tests replace it).
        return self.clock()

    # -- setup (Python API) ----------------------------------------------------------------
    def now(self) -> str:
        """The emulator's clock as GitHub prints timestamps."""
        return format_utc(self.clock())

    def add_user(
        self, login: str, token: str | None = None, *, hourly_points: int | None = None
    ) -> None:
        """Create (or update) a user whose API token is `token`."""
        with self.state.atomic():
            self.state.upsert_user(login, token, self.now(), hourly_points)

    def add_repository(
        self, full_name: str, *, roles: Mapping[str, str] | None = None, private: bool = False
    ) -> None:
        """Create OWNER/NAME (the owner must exist) and give other users roles in it."""
        owner_login, _, name = full_name.partition("/")
        owner = self.state.user_by_login(owner_login)
        if owner is None or not name:
            raise ValueError(f"{full_name!r}: add the owner {owner_login!r} as a user first")
        with self.state.atomic():
            repo_id = self.state.ensure_repository(owner.id, name, self.now(), private)
            for login, role in (roles or {}).items():
                if role not in access.ROLES:
                    raise ValueError(f"role {role!r} of {login!r}: expected one of {access.ROLES}")
                user = self.state.user_by_login(login)
                if user is None:
                    raise ValueError(f"{login!r}: add this user before giving it a role")
                self.state.set_role(repo_id, user.id, None if role == "none" else role)

    def put_file(self, full_name: str, path: str, content: str | bytes) -> None:
        """Put a file on OWNER/NAME's default branch (REST serves it, e.g. a CODEOWNERS)."""
        owner, _, name = full_name.partition("/")
        repo = self.state.repository_by_name(owner, name)
        if repo is None:
            raise ValueError(f"{full_name!r}: add the repository first")
        data = content.encode() if isinstance(content, str) else content
        with self.state.atomic():
            self.state.put_file(repo.id, path.strip("/"), data)

    def close(self) -> None:
        """Release the database."""
        self.state.close()

    # -- the request path ------------------------------------------------------------------
    async def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one GraphQL or REST request as GitHub would (or as an injected fault dictates)."""
        started, rows_before = time.perf_counter(), self.state.rows_read
        queries_before = self.state.queries_run
        if self.controls.latency:
            await asyncio.sleep(self.controls.latency)
        fault = self.controls.take_fault()
        rest = is_rest_path(request.path)
        record: dict[str, Any] = {
            "operation": None,
            "kind": "rest" if rest else "-",
            "fields": (),
            "cost": 0,
            "login": None,
            "api": "rest" if rest else "graphql",
        }
        if fault is not None and fault.kind is not FaultKind.LOSE_RESPONSE:
            response = self._fault_response(fault.kind, fault.retry_after)
        else:
            answer = self.rest.handle if rest else self.graphql.handle
            response = answer(request, record)
            if fault is not None:
                response = HttpResponse(
                    response.status, response.headers, response.body, fault.kind
                )
        # GitHub's clock, as every answer carries it (processors time their leases by it).
        response.headers.setdefault("Date", formatdate(self.clock(), usegmt=True))
        errors = response.body.get("errors", ()) if isinstance(response.body, dict) else ()
        self.controls.log.append(
            RequestRecord(
                operation=record["operation"],
                kind=record["kind"],
                fields=tuple(record["fields"]),
                cost=record["cost"],
                status=response.status,
                login=record["login"],
                error_types=(
                    tuple(str(e.get("type", "")) for e in errors)
                    if record["api"] == "graphql"
                    else ()
                ),
                fault=response.fault.value if response.fault else None,
                duration_ms=(time.perf_counter() - started) * 1000,
                api=record["api"],
                sql_rows=self.state.rows_read - rows_before,
                sql_queries=self.state.queries_run - queries_before,
            )
        )
        return response

    @staticmethod
    def _fault_response(kind: FaultKind, retry_after: int) -> HttpResponse:
        if kind is FaultKind.BAD_GATEWAY:
            return HttpResponse(502, {}, {"message": "Server Error"})
        if kind is FaultKind.SECONDARY_LIMIT:
            return failure(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you "
                "try again.",
                {"retry-after": str(retry_after)},
            )
        return HttpResponse(0, {}, None, kind)
