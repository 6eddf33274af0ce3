"""`python -m ghstore`, and the `ghstore` command (`start`)."""

from __future__ import annotations

import gc
from typing import NoReturn

__all__ = ["start"]


def start() -> NoReturn:
    """Run one command. The process runs one command and exits: while the command line's
    modules load, the garbage collector waits (everything made then lives as long as the
    process, so collecting it would be wasted work); they are then frozen out of its sight
    and it runs as usual for the command itself."""
    gc.disable()
    try:
        from .cli.main import run  # noqa: PLC0415 - after the collector is paused
    finally:
        gc.freeze()
        gc.enable()
    run()


if __name__ == "__main__":
    start()
