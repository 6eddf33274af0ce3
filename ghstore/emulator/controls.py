"""Test and benchmark controls of the emulator (Python API only, never on the endpoint)."""

from __future__ import annotations

import enum
from collections import Counter, deque

from attrs import define, field, frozen

__all__ = ["Controls", "Fault", "FaultKind", "RequestRecord"]


class FaultKind(enum.Enum):
    """How an injected fault hits a request."""

    BAD_GATEWAY = "502"
    """Answer 502 before doing anything."""
    TIMEOUT = "timeout"
    """Do nothing and never answer (the connection is held, then dropped)."""
    SECONDARY_LIMIT = "secondary"
    """Answer 403 with `retry-after`, as GitHub's secondary rate limit does."""
    LOSE_RESPONSE = "lose_response"
    """Run the request (mutations land), then drop the connection instead of answering."""


@frozen
class Fault:
    """One queued fault."""

    kind: FaultKind
    retry_after: int = 60


@frozen
class RequestRecord:
    """One request as the emulator saw it.

    GraphQL: `operation` is the operation's name and `kind` query or mutation. REST (`api`
    "rest"): `operation` is the route, like "GET /repos/{owner}/{repo}/issues", `kind` is
    "rest", and `cost` is what it took from the separate REST ("core") budget.
    """

    operation: str | None
    kind: str
    fields: tuple[str, ...]
    cost: int
    status: int
    login: str | None
    error_types: tuple[str, ...]
    fault: str | None
    duration_ms: float
    api: str = "graphql"
    """Which API answered: graphql or rest."""
    sql_rows: int = 0
    """Rows the state's SQL handed back while answering (what the request read)."""
    sql_queries: int = 0
    """Reading SQL queries the state ran while answering."""


@define
class Controls:
    """Request log, counters, injected latency and faults."""

    latency: float = 0.0
    """Seconds added to every request before it is handled."""
    timeout_hold: float = 15.0
    """Seconds a TIMEOUT fault holds an HTTP connection before dropping it."""
    log: list[RequestRecord] = field(factory=list)
    _faults: deque[Fault] = field(factory=deque)
    _scheduled: dict[int, Fault] = field(factory=dict)
    _arrived: int = 0
    _field_faults: Counter[str] = field(factory=Counter)

    def fail_next(
        self,
        count: int = 1,
        kind: FaultKind | str = FaultKind.BAD_GATEWAY,
        *,
        retry_after: int = 60,
    ) -> None:
        """Make the next `count` requests fail with `kind`."""
        fault = Fault(FaultKind(kind), retry_after)
        self._faults.extend([fault] * count)

    def fail_request(
        self, nth: int, kind: FaultKind | str = FaultKind.BAD_GATEWAY, *, retry_after: int = 60
    ) -> None:
        """Make the `nth` request from now (1 is the next one) fail with `kind`."""
        self._scheduled[self._arrived + nth] = Fault(FaultKind(kind), retry_after)

    def fail_field(self, name: str, count: int = 1) -> None:
        """Make the next `count` runs of the mutation field `name` (updateIssue, addReaction,
        ...) fail alone, answering GitHub's "Something went wrong" error for that field while
        the request's other fields run (GitHub runs a request's mutations one by one; one
        failing stops none of the others)."""
        self._field_faults[name] += count

    def take_field_fault(self, name: str) -> bool:
        """Whether this run of mutation field `name` is to fail (and one fewer is left)."""
        if self._field_faults[name] <= 0:
            return False
        self._field_faults[name] -= 1
        return True

    def take_fault(self) -> Fault | None:
        """The fault for the request now arriving, if one is queued or scheduled for it."""
        self._arrived += 1
        scheduled = self._scheduled.pop(self._arrived, None)
        if scheduled is not None:
            return scheduled
        return self._faults.popleft() if self._faults else None

    def clear_faults(self) -> None:
        """Forget queued and scheduled faults."""
        self._faults.clear()
        self._scheduled.clear()
        self._field_faults.clear()

    @property
    def pending_faults(self) -> int:
        """Faults still queued."""
        return len(self._faults) + len(self._scheduled) + self._field_faults.total()

    def reset(self) -> None:
        """Clear the log (counters start again from zero)."""
        self.log.clear()

    @property
    def requests(self) -> int:
        """Requests received since the last reset."""
        return len(self.log)

    @property
    def points(self) -> int:
        """GraphQL rate-limit points charged since the last reset."""
        return sum(record.cost for record in self.log if record.api == "graphql")

    @property
    def sql_rows(self) -> int:
        """SQL rows the logged requests read from the state since the last reset."""
        return sum(record.sql_rows for record in self.log)

    @property
    def sql_queries(self) -> int:
        """Reading SQL queries the logged requests ran since the last reset."""
        return sum(record.sql_queries for record in self.log)

    def requests_of(self, api: str) -> list[RequestRecord]:
        """The logged requests one API (graphql or rest) answered."""
        return [record for record in self.log if record.api == api]

    def field_counts(self) -> Counter[str]:
        """How often each top-level field (query or mutation) was requested."""
        return Counter(name for record in self.log for name in record.fields)
