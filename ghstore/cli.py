"""The `ghstore` command line (also `python -m ghstore`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    from .emulator.cli import add_emulator_commands

    parser = argparse.ArgumentParser(prog="ghstore", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add_emulator_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit code (0 ok, 1 failure, 2 usage)."""
    args = build_parser().parse_args(argv)
    handler = args.handler
    return int(handler(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
