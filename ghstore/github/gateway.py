"""The one door to GitHub's GraphQL API: sends `queries/` documents over a wire (gql over
aiohttp to GitHub, `ghstore.github.gql_wire`; or the embedded local GitHub in this process),
prices them, reads the rate-limit headers, retries what is safe to retry, batches aliased
mutations, and turns every failure into a ghstore exception. gql and aiohttp are imported
only by the gql wire, when a gateway talks to GitHub over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field, frozen
from graphql import DocumentNode

from ..config import RateLimitConfig, RetriesConfig
from ..exceptions import (
    GitHubUnavailable,
    RemoteError,
)
from .documents import Call, batch_document, document, operation_of
from .errors import (
    PartialFailure,
    Retry,
    error_for,
    is_rate_limited,
    primary_limited,
    server_error,
)
from .pacing import Pacer, Progress, batches, creations_in
from .pricing import MAX_NODES, price
from .wire import AnswerErrors, HttpStatus, NoAnswer, Wire

if TYPE_CHECKING:
    from gql.transport import AsyncTransport

__all__ = [
    "DEFAULT_API_URL",
    "CallOutcome",
    "Gateway",
    "GatewayStats",
    "RateLimitStatus",
    "Verifier",
    "error_for",
]

log = logging.getLogger("ghstore.github")

DEFAULT_API_URL = "https://api.github.com/graphql"
TRANSIENT_STATUS = frozenset({500, 502, 503, 504})


@frozen
class RateLimitStatus:
    """The primary rate-limit budget as GitHub's last answer reported it."""

    limit: int
    remaining: int
    used: int
    reset_at: dt.datetime


@define
class GatewayStats:
    """Requests sent and points they cost (GitHub's formula, computed before sending)."""

    requests: int = 0
    points: int = 0
    by_operation: Counter[str] = field(factory=Counter)
    content: int = 0
    """Content-creating mutations sent (issues and comments: GitHub's secondary limit)."""

    def snapshot(self) -> tuple[int, int]:
        """(requests, points) so far."""
        return self.requests, self.points


@frozen
class CallOutcome:
    """What one call of a batch did: its data, or the error it met."""

    call: Call
    data: dict[str, Any] | None
    error: RemoteError | None

    @property
    def ok(self) -> bool:
        """The call landed."""
        return self.error is None


Sleep = Callable[[float], Awaitable[None]]
Verifier = Callable[[list[Call]], Awaitable[dict[int, dict[str, Any]]]]
"""Given calls whose request had an unknown outcome: {position: data} of those that landed."""
Guard = Callable[[], None]
"""Called just before each attempt of a request is sent (after any wait); raising stops it."""


class Gateway:
    """Sends named documents to GitHub's GraphQL API (or GHES, or ghstore's local GitHub)."""

    def __init__(
        self,
        *,
        token: str | None = None,
        api_url: str = DEFAULT_API_URL,
        transport: AsyncTransport | Wire | None = None,
        retries: RetriesConfig | None = None,
        rate_limit: RateLimitConfig | None = None,
        timeout: float = 30.0,
        batch_size: int = 50,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if isinstance(transport, Wire):
            self._wire = transport
        else:  # gql (and aiohttp, without a transport) only for a gateway that uses them
            from .gql_wire import GqlWire  # noqa: PLC0415

            self._wire = GqlWire(transport, token=token, api_url=api_url, timeout=timeout)
        self.api_url = api_url
        self._retries = retries or RetriesConfig()
        self._limits = rate_limit or RateLimitConfig()
        self._sleep = sleep
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC).timestamp())
        self.batch_size = batch_size
        self.stats = GatewayStats()
        self.rate_limit: RateLimitStatus | None = None
        self.server_time: float | None = None
        """GitHub's clock (epoch seconds) as the last answer's Date header gave it."""
        self._pacer = Pacer(self._limits, self._clock, sleep)

    @property
    def on_wait(self) -> Progress | None:
        """Told the seconds left, about once a second, while a long pacing wait runs (the
        CLI counts down on a terminal)."""
        return self._pacer.progress

    @on_wait.setter
    def on_wait(self, progress: Progress | None) -> None:
        self._pacer.progress = progress

    def check_content(self, requests: Sequence[int]) -> None:
        """Raise RateLimitExceeded now, before anything is sent, if requests creating these
        numbers of issues and comments would meet a pacing wait longer than `max_wait`."""
        self._pacer.check_content(requests)

    @property
    def limits(self) -> RateLimitConfig:
        """The client-side pacing this gateway keeps to."""
        return self._limits

    async def close(self) -> None:
        """Close the HTTP session."""
        await self._wire.close()

    # -- public calls ----------------------------------------------------------------------
    async def query(self, name: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """Run the query `queries/{name}.graphql`; transient failures are retried."""
        data = await self._send(document(name), dict(variables), name, idempotent=True)
        return data

    async def query_many(self, calls: Sequence[Call]) -> list[dict[str, Any]]:
        """Run several queries aliased into one request (per batch size); their data in order."""
        results: list[dict[str, Any]] = []
        for start in range(0, len(calls), self.batch_size):
            chunk = list(calls[start : start + self.batch_size])
            doc, variables, aliases = batch_document(chunk)
            data = await self._send(
                doc, variables, f"Batch[{chunk[0].name}]x{len(chunk)}", idempotent=True
            )
            results.extend({n.split("_", 1)[1]: data.get(n) for n in names} for names in aliases)
        return results

    async def mutate(
        self,
        calls: Sequence[Call],
        *,
        one_request: bool = False,
        verify: Verifier | None = None,
        guard: Guard | None = None,
        idempotent: bool = False,
    ) -> list[CallOutcome]:
        """Run mutation calls in order, aliased into as few requests as the batch size allows.

        `one_request` sends them all in one request whatever their number (the processor's
        write). Nothing is posted twice: when a request's outcome is unknown (timeout, dropped
        connection, 5xx), `verify` is asked which of its calls landed, and only the others are
        sent again; without `verify` the request is not sent again and GitHubUnavailable says
        which calls landed before it (`landed`) and which are unknown (`unknown`). `guard` runs
        before every attempt, after any wait: what it raises stops the request unsent.
        `idempotent` calls (close, label, react, delete a label) are simply sent again.
        """
        if idempotent and verify is None:
            verify = _nothing_to_look_up
        outcomes: list[CallOutcome] = []
        chunks = (
            [list(calls)]
            if one_request
            else batches(calls, self.batch_size, self._limits.content_per_minute)
        )
        for index, chunk in enumerate(chunks):
            try:
                outcomes.extend(await self._mutate_verified(chunk, verify, guard))
            except GitHubUnavailable as exc:
                exc.landed = [*outcomes, *exc.landed]
                exc.unknown = [*exc.unknown, *(c for rest in chunks[index + 1 :] for c in rest)]
                raise
        return outcomes

    async def _mutate_verified(
        self, chunk: list[Call], verify: Verifier | None, guard: Guard | None = None
    ) -> list[CallOutcome]:
        done: dict[int, CallOutcome] = {}
        todo = list(range(len(chunk)))
        attempts = max(1, self._retries.max_attempts)
        for attempt in range(1, attempts + 1):
            calls = [chunk[i] for i in todo]
            try:
                for index, outcome in zip(
                    todo, await self._mutate_chunk(calls, guard), strict=True
                ):
                    done[index] = outcome
                break
            except GitHubUnavailable as exc:
                if verify is None or attempt == attempts:
                    exc.landed = [done[i] for i in sorted(done)]
                    exc.unknown = calls
                    raise
                await self._sleep(self._backoff(attempt, None))
                found = await verify(calls)
                for position, data in found.items():
                    done[todo[position]] = CallOutcome(calls[position], data, None)
                todo = [i for position, i in enumerate(todo) if position not in found]
                if not todo:
                    break
        return [done[i] for i in range(len(chunk))]

    async def mutate_one(self, call: Call, *, idempotent: bool = False) -> dict[str, Any]:
        """Run one mutation call and return its data, raising its error."""
        outcome = (await self.mutate([call], idempotent=idempotent))[0]
        if outcome.error is not None:
            raise outcome.error
        assert outcome.data is not None
        return outcome.data

    # -- machinery -------------------------------------------------------------------------
    async def _mutate_chunk(
        self, chunk: list[Call], guard: Guard | None = None
    ) -> list[CallOutcome]:
        doc, variables, aliases = batch_document(chunk)
        label = "+".join(sorted({c.name for c in chunk}))
        try:
            data = await self._send(
                doc, variables, f"Batch[{label}]x{len(chunk)}", idempotent=False, guard=guard
            )
            errors: list[dict[str, Any]] = []
        except PartialFailure as partial:
            data, errors = partial.data or {}, partial.errors
        outcomes = []
        for call, names in zip(chunk, aliases, strict=True):
            mine = [e for e in errors if next(iter(e.get("path") or [""])) in names]
            if mine:
                outcomes.append(CallOutcome(call, None, error_for(mine, data)))
            else:
                outcomes.append(
                    CallOutcome(call, {n.split("_", 1)[1]: data.get(n) for n in names}, None)
                )
        stray = [
            e
            for e in errors
            if next(iter(e.get("path") or [""])) not in {n for ns in aliases for n in ns}
        ]
        if stray:
            raise error_for(stray, data)
        return outcomes

    async def _send(
        self,
        doc: DocumentNode,
        variables: dict[str, Any],
        name: str,
        *,
        idempotent: bool,
        guard: Guard | None = None,
    ) -> dict[str, Any]:
        cost = price(doc, variables)
        if cost.nodes > MAX_NODES:
            raise RemoteError(
                f"{name} would touch {cost.nodes:,} nodes; GitHub allows {MAX_NODES:,}"
            )
        attempts = max(1, self._retries.max_attempts)
        operation = operation_of(doc)
        mutation = operation.operation.value == "mutation"
        creations = creations_in(operation)
        for attempt in range(1, attempts + 1):
            await self._pacer.wait(mutation, creations)
            if guard is not None:
                guard()
            self.stats.requests += 1
            self.stats.points += cost.points
            self.stats.by_operation[name] += 1
            self.stats.content += creations
            started = time.monotonic()
            try:
                try:
                    answer = await self._send_once(doc, variables, idempotent)
                finally:
                    self._pacer.created(creations)  # whether or not GitHub counted them
            except Retry as retry:
                log.debug("%s: attempt %d of %d failed: %s", name, attempt, attempts, retry.error)
                if attempt == attempts:
                    raise retry.error from None
                await self._sleep(self._backoff(attempt, retry.wait))
                continue
            took = (time.monotonic() - started) * 1000
            log.debug("%s: %d point(s), %.0f ms", name, cost.points, took)
            return answer
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, wait: float | None) -> float:
        if wait is not None:
            return wait
        base = self._retries.backoff_factor ** (attempt - 1)
        return float(base * (0.5 + random.random()))

    async def _send_once(
        self, doc: DocumentNode, variables: dict[str, Any], idempotent: bool
    ) -> dict[str, Any]:
        try:
            result = await self._wire.send(doc, variables)
            self._read_headers()
            return result
        except AnswerErrors as exc:
            self._read_headers()
            errors = exc.errors
            if is_rate_limited(errors):
                raise self._primary_limited(errors) from exc
            if exc.data is not None and not idempotent:
                raise PartialFailure(exc.data, errors) from exc
            raise error_for(errors, exc.data) from exc
        except HttpStatus as exc:
            self._read_headers()
            raise self._server_error(exc, idempotent) from exc
        except NoAnswer as exc:
            failure = GitHubUnavailable(f"GitHub did not answer: {exc.cause!r}")
            if idempotent:
                raise Retry(failure, None) from exc.cause
            raise failure from exc.cause

    def _server_error(self, exc: HttpStatus, idempotent: bool) -> Exception:
        return server_error(
            exc.code, exc.message, self._headers(), self._limits.max_wait, idempotent
        )

    def _primary_limited(self, errors: list[dict[str, Any]]) -> Exception:
        reset = self.rate_limit.reset_at if self.rate_limit else None
        return primary_limited(errors, reset, self._clock(), self._limits.max_wait)

    def _headers(self) -> dict[str, str]:
        raw = self._wire.response_headers or {}
        return {str(k).lower(): str(v) for k, v in raw.items()}

    def _read_headers(self) -> None:
        headers = self._headers()
        with contextlib.suppress(KeyError, TypeError, ValueError):
            self.server_time = parsedate_to_datetime(headers["date"]).timestamp()
        with contextlib.suppress(KeyError, ValueError):
            self.rate_limit = RateLimitStatus(
                limit=int(headers["x-ratelimit-limit"]),
                remaining=int(headers["x-ratelimit-remaining"]),
                used=int(headers["x-ratelimit-used"]),
                reset_at=dt.datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), tz=dt.UTC),
            )


async def _nothing_to_look_up(calls: list[Call]) -> dict[int, dict[str, Any]]:
    """The verifier of idempotent calls: sending one again changes nothing."""
    return {}
