"""What a resolver knows about the request it serves."""

from __future__ import annotations

from collections.abc import Callable

from attrs import define, field

from ..limits import Limits, RateWindow
from ..state import RepoRow, State, UserRow
from .cost import Price

__all__ = ["RequestContext"]


@define
class RequestContext:
    """Per-request state shared by every resolver."""

    state: State
    viewer: UserRow
    now: Callable[[], str]
    price: Price
    rate: RateWindow
    limits: Limits
    web_url: str = "https://github.com"
    field_fault: Callable[[str], bool] = lambda _name: False
    """Whether this run of a mutation field fails (the emulator's injected field faults)."""
    _users: dict[int, UserRow | None] = field(factory=dict, init=False)
    _roles: dict[tuple[int, int], str | None] = field(factory=dict, init=False)

    def user(self, user_id: int) -> UserRow | None:
        """The user with this id, read once a request (no GraphQL mutation changes users)."""
        if user_id not in self._users:
            self._users[user_id] = self.state.user(user_id)
        return self._users[user_id]

    def role(self, repo: RepoRow, user_id: int) -> str | None:
        """The user's role in the repository, read once a request (no mutation changes it)."""
        key = (repo.id, user_id)
        if key not in self._roles:
            self._roles[key] = self.state.role(repo.id, user_id)
        return self._roles[key]
