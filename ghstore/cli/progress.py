"""A one-line progress counter on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]

_SPINNER = "|/-\\"


class Progress:
    """Counts items as they arrive (`advance`) and redraws one line at most ten times a second.

    Listings arrive 100 objects a request and GitHub gives no total up front, so this shows a
    running count and the requests spent rather than a bar with an end.
    """

    def __init__(
        self, label: str, stream: TextIO | None = None, *, enabled: bool | None = None
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.count = 0
        self._drawn = 0.0
        self._frame = 0

    def advance(self, items: int = 1, detail: str = "") -> None:
        """Count `items` more; redraw if enough time has passed."""
        self.count += items
        now = time.monotonic()
        if self.enabled and now - self._drawn >= 0.1:
            self._drawn = now
            self._frame = (self._frame + 1) % len(_SPINNER)
            extra = f" ({detail})" if detail else ""
            self.stream.write(
                f"\r{_SPINNER[self._frame]} {self.label}: {self.count:,}{extra}\x1b[K"
            )
            self.stream.flush()

    def close(self) -> None:
        """Erase the line (the command reports its result itself)."""
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
