"""What a resolver knows about the request it serves."""

from __future__ import annotations

from collections.abc import Callable

from attrs import define

from .cost import Price
from .state import State, UserRow

__all__ = ["Limits", "RateWindow", "RequestContext"]


@define
class Limits:
    """GitHub's content limits the emulator enforces."""

    body_chars: int = 65_536
    title_chars: int = 256
    label_name_chars: int = 50
    label_description_chars: int = 100


@define
class RateWindow:
    """The viewer's primary rate-limit window after this request's charge."""

    limit: int
    used: int
    reset_at: int

    @property
    def remaining(self) -> int:
        """Points left in the window."""
        return max(0, self.limit - self.used)


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
