"""GitHub's GraphQL endpoint: authenticate, parse, validate and price a request, charge it,
then execute it over the views; errors in GitHub's GraphQL shapes."""

from __future__ import annotations

import functools
import json
import uuid
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from ..budgets import CONTENT_LIMIT_MESSAGE, ContentLimitedError, OverBudgetError
from ..exchange import HttpRequest, HttpResponse, token_of
from ..limits import RateWindow
from ..state import UserRow
from .context import RequestContext
from .cost import LimitError, Price, price_operation
from .errors import DOCS_URL, execution_error
from .query_views import QueryView
from .resolution import resolve_field, resolve_type, synchronous
from .ruby_words import parse_error, validation_errors
from .validated import ValidDocuments
from .views import View

if TYPE_CHECKING:
    from ..engine import Emulator

__all__ = ["GraphqlApi", "failure"]


AUTH_DOCS_URL = f"{DOCS_URL}/guides/forming-calls-with-graphql#authenticating-with-graphql"
_NO_BUDGET = {
    "x-ratelimit-limit": "0",
    "x-ratelimit-remaining": "0",
    "x-ratelimit-used": "0",
    "x-ratelimit-resource": "graphql",
}
"""The rate headers of a 401: no token, no budget (as recorded in hcengineering/platform#5104)."""


def failure(
    status: int, message: str, headers: dict[str, str] | None = None, docs: str = DOCS_URL
) -> HttpResponse:
    """An HTTP error answered before GraphQL runs: `{"message", "documentation_url"}`."""
    return HttpResponse(
        status, dict(headers or {}), {"message": message, "documentation_url": docs}
    )


def _errors(*errors: dict[str, Any], headers: dict[str, str]) -> HttpResponse:
    return HttpResponse(200, headers, {"errors": list(errors)})


@functools.lru_cache(maxsize=512)
def checked_document(
    schema: GraphQLSchema, query: str, known: ValidDocuments | None = None
) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """A request's document parsed and validated against `schema`, once per document text:
    clients send the same few documents again and again. A parse error raises GraphQLError
    (and is not kept); validation errors are kept with the document, the same objects every
    time, so an answer is identical whether it came from the cache or not. `known`: the
    documents earlier processes found valid against `schema` (not validated again)."""
    document = parse(query)
    if known is not None and query in known:
        return document, ()
    errors = tuple(validate(schema, document))
    if known is not None and not errors:
        known.add(query)
    return document, errors


class _Refused(Exception):
    """A request refused before it runs; `response` is GitHub's answer."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status)
        self.response = response


class _Prepared:
    """A request parsed, validated and priced, ready to charge and run."""

    def __init__(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
        coerced: dict[str, Any],
        price: Price,
    ) -> None:
        self.document = document
        self.operation = operation
        self.variables = variables
        self.coerced = coerced
        self.price = price


class GraphqlApi:
    """Answers GraphQL requests for an emulator; `Emulator.handle` calls it."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def _authenticate(self, request: HttpRequest) -> UserRow:
        token = token_of(request.headers)
        if token is None:
            message = "This endpoint requires you to be authenticated."
            raise _Refused(failure(401, message, _NO_BUDGET, AUTH_DOCS_URL))
        user = self.emulator.state.user_by_token(token)
        if user is None:
            raise _Refused(failure(401, "Bad credentials", _NO_BUDGET))
        return user

    def handle(self, request: HttpRequest, record: dict[str, Any]) -> HttpResponse:
        """Answer one GraphQL request; fills the request log's `record`."""
        try:
            user = self._authenticate(request)
            record["login"] = user.login
            try:
                payload = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return failure(400, "Problems parsing JSON")
            budgets = self.emulator.budgets
            window = budgets.window(user)
            headers = budgets.headers(window, request_id=uuid.uuid4().hex[:16].upper())
            prepared = self._prepare(payload, record, headers)
            window = self._charge(user, window, prepared, record, headers)
        except _Refused as refused:
            return refused.response
        headers = budgets.headers(window, headers["x-github-request-id"])
        result = self._execute(prepared, user, window)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [execution_error(e) for e in result.errors]
        body["data"] = result.data
        return HttpResponse(200, headers, body)

    def _prepare(self, payload: Any, record: dict[str, Any], headers: dict[str, str]) -> _Prepared:
        """Parse, validate and price a request body, as GitHub does before running it."""
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            message = "A query attribute must be specified and must be a string."
            raise _Refused(_errors({"message": message}, headers=headers))
        variables = payload.get("variables") or {}
        if not isinstance(variables, dict):
            raise _Refused(_errors({"message": "Variables are invalid JSON."}, headers=headers))
        schema = self.emulator.schema
        document, invalid = self._parse(payload["query"], headers)
        if invalid:
            raise _Refused(_errors(*validation_errors(invalid, document), headers=headers))
        operation = get_operation_ast(document, payload.get("operationName"))
        if operation is None:
            raise _Refused(_errors({"message": "An operation name is required"}, headers=headers))
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
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            raise _Refused(_errors(*validation_errors(coerced, document), headers=headers))
        price = self._price(document, operation, coerced.coerced, headers)
        return _Prepared(document, operation, variables, coerced.coerced, price)

    def _parse(
        self, query: str, headers: dict[str, str]
    ) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
        try:
            return checked_document(self.emulator.schema, query, self.emulator.valid_documents)
        except GraphQLError as exc:
            raise _Refused(_errors(parse_error(exc, query), headers=headers)) from exc

    def _price(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        coerced: dict[str, Any],
        headers: dict[str, str],
    ) -> Price:
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        try:
            return price_operation(self.emulator.schema, operation, fragments, coerced)
        except LimitError as exc:
            out: dict[str, Any] = {"type": exc.type}
            if exc.path:
                out["path"] = exc.path
            out["message"] = exc.message
            raise _Refused(_errors(out, headers=headers)) from exc

    def _charge(
        self,
        user: UserRow,
        window: RateWindow,
        prepared: _Prepared,
        record: dict[str, Any],
        headers: dict[str, str],
    ) -> RateWindow:
        """Charge the request to the user's budgets, or refuse it as GitHub's limits do."""
        if _is_dry_run(prepared.operation, prepared.coerced):
            return window
        cost = prepared.price.cost
        try:
            window = self.emulator.budgets.charge(user, window, cost, "graphql", record["fields"])
        except OverBudgetError as exc:
            record["cost"] = 0
            # Today's form [githubkit#271]; before 2024 GitHub answered type RATE_LIMITED.
            error = {
                "type": "RATE_LIMIT",
                "code": "graphql_rate_limit",
                "message": exc.graphql_message,
            }
            refused = self.emulator.budgets.headers(window, headers["x-github-request-id"])
            raise _Refused(_errors(error, headers=refused)) from exc
        except ContentLimitedError as exc:
            retry = {"retry-after": str(exc.retry_after)}
            raise _Refused(failure(403, CONTENT_LIMIT_MESSAGE, retry)) from exc
        record["cost"] = cost
        return window

    def _execute(self, prepared: _Prepared, user: UserRow, window: RateWindow) -> ExecutionResult:
        emulator = self.emulator
        ctx = RequestContext(
            state=emulator.state,
            viewer=user,
            now=emulator.now,
            price=prepared.price,
            rate=window,
            limits=emulator.limits,
            field_fault=emulator.controls.take_field_fault,
        )
        operation = prepared.operation
        root: View
        if operation.operation is OperationType.MUTATION:
            from .mutations import MutationView  # noqa: PLC0415 - a query never needs it

            root = MutationView(ctx)
        else:
            root = QueryView(ctx)
        result = execute(
            emulator.schema,
            prepared.document,
            root_value=root,
            context_value=ctx,
            variable_values=prepared.variables,
            operation_name=operation.name.value if operation.name else None,
            field_resolver=resolve_field,
            type_resolver=resolve_type,
            is_awaitable=synchronous,
        )
        assert isinstance(result, ExecutionResult), "emulator resolvers are synchronous"
        return result


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
