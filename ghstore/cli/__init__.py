"""The `ghstore` command line: the parser and `main` (`main`), the store's subcommands
(`commands`), the canonical-object subcommands, the tour (`demo`), progress on a terminal and
what a run tells GitHub Actions (`workflow_report`)."""

from .main import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
