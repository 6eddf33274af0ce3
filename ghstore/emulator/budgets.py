"""GitHub's rate limits, for both faces: each token's hourly GraphQL points, its hourly REST
("core") requests apart from them, and the secondary limit on creating content that both
APIs share. Each face answers a refusal in its own shape; the accounting is here."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable

from .limits import RateWindow
from .state import State, UserRow

__all__ = [
    "CONTENT_CREATING",
    "CONTENT_LIMIT_MESSAGE",
    "Budgets",
    "ContentLimitedError",
    "OverBudgetError",
]

CONTENT_CREATING = frozenset({"createIssue", "addComment"})
"""The mutations (and the REST routes counted as them) the secondary limit counts."""
CONTENT_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit and have been temporarily blocked from "
    "content creation. Please retry your request again later."
)
WINDOW_SECONDS = 3600


class OverBudgetError(Exception):
    """The request costs more than is left of the window; nothing was charged."""

    def __init__(self, user: UserRow) -> None:
        self.message = f"API rate limit exceeded for user ID {user.id}."
        """REST's words; GraphQL answers `graphql_message`."""
        self.graphql_message = f"API rate limit already exceeded for user ID {user.id}."
        super().__init__(self.message)


class ContentLimitedError(Exception):
    """The secondary content-creation limit is hit; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class Budgets:
    """Each token's budgets: `graphql` (points) and `core` (REST requests)."""

    def __init__(
        self,
        state: State,
        clock: Callable[[], float],
        *,
        hourly_points: int,
        hourly_requests: int,
        content_per_minute: int | None,
        content_per_hour: int | None = None,
    ) -> None:
        self.state = state
        self.clock = clock
        self.hourly_points = hourly_points
        """GraphQL points per hour and token, unless the user has its own."""
        self.hourly_requests = hourly_requests
        """REST requests per hour and token: GitHub's "core" budget, apart from GraphQL's."""
        self.content_per_minute = content_per_minute
        """Content-creating requests a minute before the secondary limit (None: no limit)."""
        self.content_per_hour = content_per_hour
        """Content-creating requests an hour before the secondary limit (None: no limit)."""
        self._content_times: dict[int, deque[float]] = defaultdict(deque)

    def window(self, user: UserRow, resource: str = "graphql") -> RateWindow:
        """The user's current window of one budget: graphql (points) or core (REST requests)."""
        if resource == "core":
            limit = self.hourly_requests
        else:
            limit = user.hourly_points or self.hourly_points
        now = int(self.clock())
        usage = self.state.rate_usage(user.id, resource)
        if usage is None or usage[0] <= now:
            return RateWindow(limit, 0, now + WINDOW_SECONDS)
        return RateWindow(limit, usage[1], usage[0])

    @staticmethod
    def headers(window: RateWindow, request_id: str, resource: str = "graphql") -> dict[str, str]:
        """GitHub's x-ratelimit-* headers for a window, and the request id."""
        return {
            "x-ratelimit-limit": str(window.limit),
            "x-ratelimit-remaining": str(window.remaining),
            "x-ratelimit-used": str(window.used),
            "x-ratelimit-reset": str(window.reset_at),
            "x-ratelimit-resource": resource,
            "x-github-request-id": request_id,
        }

    def charge(
        self,
        user: UserRow,
        window: RateWindow,
        cost: int,
        resource: str,
        fields: Iterable[str] = (),
    ) -> RateWindow:
        """Take `cost` from the window, counting the content-creating `fields` towards the
        secondary limit; the window after the charge. Raises OverBudgetError or
        ContentLimitedError (then nothing is charged).

        Only a spent budget refuses: a request that costs more than is left still runs and
        `used` passes `limit`, as GitHub's own /rate_limit shows (`"used": 5002` of 5,000,
        cli/cli#8321) and its message says ("rate limit *already* exceeded")."""
        if window.used >= window.limit:
            raise OverBudgetError(user)
        self._count_content(user, fields)
        charged = RateWindow(window.limit, window.used + cost, window.reset_at)
        self.state.set_rate_usage(user.id, charged.reset_at, charged.used, resource)
        return charged

    def _count_content(self, user: UserRow, fields: Iterable[str]) -> None:
        creating = sum(1 for name in fields if name in CONTENT_CREATING)
        windows = [
            (limit, span)
            for limit, span in ((self.content_per_minute, 60), (self.content_per_hour, 3600))
            if limit is not None
        ]
        if not creating or not windows:
            return
        now = self.clock()
        times = self._content_times[user.id]
        while times and times[0] <= now - max(span for _, span in windows):
            times.popleft()
        for limit, span in windows:
            recent = [t for t in times if t > now - span]
            if len(recent) + creating > limit:
                raise ContentLimitedError(int(recent[0] + span - now) + 1 if recent else span)
        times.extend([now] * creating)
