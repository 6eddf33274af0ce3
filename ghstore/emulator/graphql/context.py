"""What a resolver knows about the request it serves."""

from __future__ import annotations

from collections.abc import Callable

from attrs import define

from ..limits import Limits, RateWindow
from ..state import State, UserRow
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
