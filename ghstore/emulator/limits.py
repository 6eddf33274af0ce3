"""GitHub's content limits, and a rate-limit window: what both faces enforce and report."""

from __future__ import annotations

from attrs import define

__all__ = ["Limits", "RateWindow"]


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
