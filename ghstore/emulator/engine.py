"""The request handling both faces share: auth, limits, costs, execution, errors, headers."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from . import access
from .context import Limits, RateWindow, RequestContext
from .controls import Controls, FaultKind, RequestRecord
from .cost import LimitError, Price, price_operation
from .errors import DOCS_URL, execution_error, locations, validation_error
from .exchange import HttpRequest, HttpResponse, JsonBody, token_of
from .mutations import MutationView
from .objects import QueryView
from .resolution import resolve_field, resolve_type
from .rest import RestApi, is_rest_path
from .schema import SCHEMA_VERSION, github_schema
from .state import State, UserRow
from .timestamps import format_utc
from .views import View

__all__ = ["Emulator", "HttpRequest", "HttpResponse", "JsonBody", "token_of"]

CONTENT_CREATING = frozenset({"createIssue", "addComment"})


def _failure(status: int, message: str, headers: dict[str, str] | None = None) -> HttpResponse:
    return HttpResponse(status, headers or {}, {"message": message, "documentation_url": DOCS_URL})


def _errors(*errors: dict[str, Any], headers: dict[str, str]) -> HttpResponse:
    return HttpResponse(200, headers, {"errors": list(errors)})


class _Refused(Exception):
    """A request refused before it runs; `response` is GitHub's answer."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status)
        self.response = response


class Emulator:
    """A local GitHub: GitHub's published GraphQL schema executed over SQLite."""

    def __init__(
        self,
        db: str | Path = ":memory:",
        *,
        hourly_points: int = 5_000,
        content_per_minute: int | None = None,
        clock: Callable[[], float] = time.time,
        limits: Limits | None = None,
    ) -> None:
        self.state = State(db)
        self.schema = github_schema()
        self.schema_version = SCHEMA_VERSION
        self.hourly_points = hourly_points
        self.content_per_minute = content_per_minute
        self.clock = clock
        self.limits = limits or Limits()
        self.controls = Controls()
        self.hourly_requests = 5_000
        """REST requests per hour and token: GitHub's "core" budget, apart from GraphQL's."""
        self.rest = RestApi(self)
        self._content_times: dict[int, deque[float]] = defaultdict(deque)

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
        started = time.perf_counter()
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
            answer = self.rest.handle if rest else self._handle
            response = answer(request, record)
            if fault is not None:
                response = HttpResponse(
                    response.status, response.headers, response.body, fault.kind
                )
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
            )
        )
        return response

    @staticmethod
    def _fault_response(kind: FaultKind, retry_after: int) -> HttpResponse:
        if kind is FaultKind.BAD_GATEWAY:
            return HttpResponse(502, {}, {"message": "Server Error"})
        if kind is FaultKind.SECONDARY_LIMIT:
            return _failure(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you "
                "try again.",
                {"retry-after": str(retry_after)},
            )
        return HttpResponse(0, {}, None, kind)

    def _authenticate(self, headers: Mapping[str, str]) -> UserRow | HttpResponse:
        token = token_of(headers)
        if token is None:
            return _failure(401, "This endpoint requires you to be authenticated.")
        user = self.state.user_by_token(token)
        if user is None:
            return _failure(401, "Bad credentials")
        return user

    def _handle(self, request: HttpRequest, record: dict[str, Any]) -> HttpResponse:
        user = self._authenticate(request.headers)
        if isinstance(user, HttpResponse):
            return user
        record["login"] = user.login
        try:
            payload = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return _failure(400, "Problems parsing JSON")
        window = self.rate_window(user)
        headers = self.rate_headers(window, request_id=uuid.uuid4().hex[:16].upper())
        try:
            document, operation, variables, coerced, price = self._prepare(payload, record, headers)
            window = self._charge(user, window, price, operation, coerced, record, headers)
        except _Refused as refused:
            return refused.response
        headers = self.rate_headers(window, headers["x-github-request-id"])
        result = self._execute(document, operation, user, price, window, variables)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [execution_error(e) for e in result.errors]
        body["data"] = result.data
        return HttpResponse(200, headers, body)

    def _prepare(
        self, payload: Any, record: dict[str, Any], headers: dict[str, str]
    ) -> tuple[DocumentNode, OperationDefinitionNode, dict[str, Any], dict[str, Any], Price]:
        """Parse, validate and price a request body, as GitHub does before running it."""
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            message = "A query attribute must be specified and must be a string."
            raise _Refused(_errors({"message": message}, headers=headers))
        variables = payload.get("variables") or {}
        if not isinstance(variables, dict):
            raise _Refused(_errors({"message": "Variables are invalid JSON."}, headers=headers))
        try:
            document = parse(payload["query"])
        except GraphQLError as exc:
            error = {"message": f"Parse error: {exc.message}", "locations": locations(exc)}
            raise _Refused(_errors(error, headers=headers)) from exc
        invalid = validate(self.schema, document)
        if invalid:
            raise _Refused(_errors(*(validation_error(e) for e in invalid), headers=headers))
        operation = get_operation_ast(document, payload.get("operationName"))
        if operation is None:
            message = "An operation name is required"
            raise _Refused(_errors({"message": message}, headers=headers))
        record["operation"] = (
            operation.name.value if operation.name else payload.get("operationName")
        )
        record["kind"] = operation.operation.value
        record["fields"] = [
            s.name.value for s in operation.selection_set.selections if hasattr(s, "name")
        ]
        if operation.operation is OperationType.SUBSCRIPTION:
            message = "Subscriptions are not supported by GitHub's GraphQL API"
            raise _Refused(_errors({"message": message}, headers=headers))
        coerced = get_variable_values(self.schema, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            raise _Refused(_errors(*(validation_error(e) for e in coerced), headers=headers))
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        try:
            price = price_operation(self.schema, operation, fragments, coerced.coerced)
        except LimitError as exc:
            out: dict[str, Any] = {"type": exc.type}
            if exc.path:
                out["path"] = exc.path
            out["message"] = exc.message
            raise _Refused(_errors(out, headers=headers)) from exc
        return document, operation, variables, coerced.coerced, price

    def _charge(
        self,
        user: UserRow,
        window: RateWindow,
        price: Price,
        operation: OperationDefinitionNode,
        coerced: dict[str, Any],
        record: dict[str, Any],
        headers: dict[str, str],
    ) -> RateWindow:
        """Charge the request to the user's budgets, or refuse it as GitHub's limits do."""
        if self._is_dry_run(operation, coerced):
            return window
        if window.used + price.cost > window.limit:
            record["cost"] = 0
            error = {
                "type": "RATE_LIMITED",
                "message": f"API rate limit exceeded for user ID {user.id}.",
            }
            refused = self.rate_headers(window, headers["x-github-request-id"])
            raise _Refused(_errors(error, headers=refused))
        limited = self.content_limited(user, record["fields"])
        if limited is not None:
            raise _Refused(limited)
        window = RateWindow(window.limit, window.used + price.cost, window.reset_at)
        self.state.set_rate_usage(user.id, window.reset_at, window.used)
        record["cost"] = price.cost
        return window

    @staticmethod
    def _is_dry_run(operation: OperationDefinitionNode, variables: dict[str, Any]) -> bool:
        if operation.operation is not OperationType.QUERY:
            return False
        for selection in operation.selection_set.selections:
            if getattr(selection, "name", None) and selection.name.value == "rateLimit":  # type: ignore[attr-defined]
                for argument in selection.arguments or ():  # type: ignore[attr-defined]
                    if argument.name.value == "dryRun":
                        value = argument.value
                        if hasattr(value, "name") and value.kind == "variable":
                            return bool(variables.get(value.name.value))
                        return getattr(value, "value", False) is True
        return False

    def _execute(
        self,
        document: Any,
        operation: OperationDefinitionNode,
        user: UserRow,
        price: Price,
        window: RateWindow,
        variables: dict[str, Any],
    ) -> ExecutionResult:
        ctx = RequestContext(
            state=self.state,
            viewer=user,
            now=self.now,
            price=price,
            rate=window,
            limits=self.limits,
        )
        root: View = (
            MutationView(ctx) if operation.operation is OperationType.MUTATION else QueryView(ctx)
        )
        result = execute(
            self.schema,
            document,
            root_value=root,
            context_value=ctx,
            variable_values=variables,
            operation_name=operation.name.value if operation.name else None,
            field_resolver=resolve_field,
            type_resolver=resolve_type,
        )
        assert isinstance(result, ExecutionResult), "emulator resolvers are synchronous"
        return result

    # -- limits ----------------------------------------------------------------------------
    def rate_window(self, user: UserRow, resource: str = "graphql") -> RateWindow:
        """The user's current window of one budget: graphql (points) or core (REST requests)."""
        if resource == "core":
            limit = self.hourly_requests
        else:
            limit = user.hourly_points or self.hourly_points
        now = int(self.clock())
        usage = self.state.rate_usage(user.id, resource)
        if usage is None or usage[0] <= now:
            return RateWindow(limit, 0, now + 3600)
        return RateWindow(limit, usage[1], usage[0])

    @staticmethod
    def rate_headers(
        window: RateWindow, request_id: str, resource: str = "graphql"
    ) -> dict[str, str]:
        """GitHub's x-ratelimit-* headers for a window, and the request id."""
        return {
            "x-ratelimit-limit": str(window.limit),
            "x-ratelimit-remaining": str(window.remaining),
            "x-ratelimit-used": str(window.used),
            "x-ratelimit-reset": str(window.reset_at),
            "x-ratelimit-resource": resource,
            "x-github-request-id": request_id,
        }

    def content_limited(self, user: UserRow, fields: list[str]) -> HttpResponse | None:
        """The secondary limit on content creation (shared by both APIs), if it is hit."""
        creating = sum(1 for name in fields if name in CONTENT_CREATING)
        if not creating or self.content_per_minute is None:
            return None
        now = self.clock()
        times = self._content_times[user.id]
        while times and times[0] <= now - 60:
            times.popleft()
        if len(times) + creating > self.content_per_minute:
            wait = int(times[0] + 60 - now) + 1 if times else 60
            return _failure(
                403,
                "You have exceeded a secondary rate limit and have been temporarily blocked from "
                "content creation. Please retry your request again later.",
                {"retry-after": str(wait)},
            )
        times.extend([now] * creating)
        return None
