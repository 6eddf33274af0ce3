"""The Actions workflow's job done in-process: on the embedded local GitHub, an object that an
update reopens is processed at once, as `.github/workflows/process_update.yml` does on GitHub."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .processor import ProcessReport
    from .store import Store

__all__ = ["processing_hook"]


def processing_hook(store: Store) -> Callable[[int], Awaitable[ProcessReport]]:
    """A `Store.on_reopened` hook that runs the processor on the reopened issue."""

    async def process(number: int) -> ProcessReport:
        from .processor import Processor  # the processor imports the store: import it late

        return await Processor(store).process(number)

    return process
