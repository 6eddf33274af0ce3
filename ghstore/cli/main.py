"""The `ghstore` command line (also `python -m ghstore`): gh-store 0.11's subcommands, plus
`list`, `site`, `demo` and `emulator serve`.

Data goes to stdout as JSON, messages to stderr. Exit codes: 0 success, 1 failure (anything
ghstore raises: not found, refused, GitHub unreachable, ...), 2 usage (bad options or a JSON
argument that is not a JSON object), 130 interrupted. An error is one line; --debug adds the
traceback. Inside GitHub Actions an error is also an `::error::` annotation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from .._version import __version__
from ..bootstrap import EMBEDDED_DIR, emulator_commands
from ..config import REPOSITORY_CONFIG_PATH, LogConfig, load_config
from ..exceptions import GitHubStoreError
from ..logs import LOGGER, LogFormatter, level_number, log_handler
from .arguments import WhereAction, json_object, positive_number, removal_path
from .canonical_commands import CANONICAL_COMMANDS, add_canonical_commands
from .commands import COMMANDS
from .connection import UsageRefused
from .deploy import SITE_WORKFLOW_PATH, WORKFLOW_PATH
from .record_commands import RECORD_COMMANDS, add_record_commands
from .site_command import SITE_COMMANDS, add_site_command
from .workflow_report import annotation, in_actions

__all__ = ["build_parser", "main", "run"]

EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130
ALL_COMMANDS = {**COMMANDS, **CANONICAL_COMMANDS, **RECORD_COMMANDS, **SITE_COMMANDS}


class _Parser(argparse.ArgumentParser):
    """argparse with a usage error on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _connection_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """The connection flags, on the main parser (default None) and on every store subcommand
    (default SUPPRESS, so a flag given before the subcommand is not reset after it)."""
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--token",
        default=default,
        help="GitHub token (default: $GITHUB_TOKEN, then $GH_TOKEN; an empty one is an error)",
    )
    group.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        default=default,
        help="default: $GITHUB_REPOSITORY; needs a token (or --local)",
    )
    group.add_argument(
        "--config", metavar="FILE", default=default, help="gh-store YAML configuration file"
    )
    group.add_argument(
        "--api-url",
        metavar="URL",
        default=default,
        help="GraphQL endpoint (default: https://api.github.com/graphql; "
        "GitHub Enterprise: https://HOST/api/graphql)",
    )
    group.add_argument(
        "--local",
        action="store_true",
        default=default,
        help=f"use the embedded local GitHub in {EMBEDDED_DIR}/ (with no token and no "
        "repository named, it is used anyway, and said so)",
    )
    group.add_argument(
        "--debug", action="store_true", default=default, help="debug logging and tracebacks"
    )


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _connection_options(common, argparse.SUPPRESS)
    return common


def _add_init_options(init: argparse.ArgumentParser) -> None:
    init.add_argument(
        "--workflow",
        action="store_true",
        help=f"in a checkout of the repository: write {WORKFLOW_PATH} and, if absent, "
        f"{REPOSITORY_CONFIG_PATH}; check what the token may do",
    )
    init.add_argument(
        "--pages",
        action="store_true",
        help=f"in a checkout of the repository: write {SITE_WORKFLOW_PATH}, which publishes "
        "`ghstore site` to GitHub Pages on a schedule and on demand",
    )
    init.add_argument(
        "--action",
        metavar="OWNER/REPO@COMMIT",
        help="the ghstore repository and commit whose actions (process-updates, build-site) "
        "the workflows run (default: the release this ghstore was built from)",
    )
    init.add_argument(
        "--dry-run", action="store_true", help="print what would be written; change nothing"
    )


def _add_list_command(listing: argparse.ArgumentParser) -> None:
    """`list`: every live object, or a collection's, kept by repeatable `--where` tests."""
    listing.add_argument("--collection", metavar="NAME", help="only the objects of this collection")
    listing.add_argument(
        "--where",
        nargs=3,
        action=WhereAction,
        default=[],
        metavar=("PATH", "OP", "VALUE"),
        help="keep objects whose value at PATH (a.b.c) compares so with VALUE (JSON, else a "
        "string); OP: = != < <= > >= in contains; repeatable, all must hold",
    )


def _add_store_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=help_text, description=help_text, parents=[common]
        )
        sub.set_defaults(command=name)
        return sub

    process = add("process-updates", "apply the pending updates of stored objects")
    which = process.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--issue", type=positive_number, metavar="N", help="the object's issue number"
    )
    which.add_argument("--all", action="store_true", help="every object with updates waiting")
    add("snapshot", "write every live object to a JSON file").add_argument(
        "--output",
        default="snapshot.json",
        metavar="FILE",
        help="snapshot file ('-' for stdout; default: snapshot.json)",
    )
    add(
        "update-snapshot", "refresh a snapshot: updated objects re-read, deleted ones removed"
    ).add_argument("--snapshot-path", required=True, metavar="FILE")
    _add_init_options(
        add(
            "init",
            "create the labels stored objects carry (--config F: and the file F, if absent); "
            "--workflow: also write the workflow and the repository's configuration",
        )
    )
    for name, help_text, payload in (
        ("create", "store a new object", "data"),
        ("get", "print an object (several IDs: each found one, and the missing IDs)", None),
        ("update", "post an update (a partial object, deep-merged)", "changes"),
        ("delete", "delete (archive) an object", None),
        ("history", "print an object's updates: applied, pending or rejected", None),
    ):
        sub = add(name, help_text)
        sub.add_argument("object_id", metavar="ID", nargs="+" if name == "get" else None)
        if payload:
            sub.add_argument(
                payload, type=json_object, metavar="JSON", help="a JSON object ('-': stdin)"
            )
        _add_object_options(sub, name)
    _add_list_command(add("list", "print every live object"))
    for register in (add_canonical_commands, add_record_commands, add_site_command):
        register(add)


def _add_object_options(sub: argparse.ArgumentParser, name: str) -> None:
    """The options of one object command: create's --collection, update's, get's and
    history's."""
    _add_output_options(sub, name)
    if name == "create":
        sub.add_argument("--collection", metavar="NAME", help="put it in this collection")
    if name == "update":
        _add_update_options(sub)


def _add_update_options(sub: argparse.ArgumentParser) -> None:
    """update's --remove (repeatable) and --expected-version."""
    sub.add_argument(
        "--remove",
        type=removal_path,
        action="append",
        default=[],
        metavar="PATH",
        help="delete this key before the merge (a.b: inside a; '[\"a.b\"]': a key with a dot)",
    )
    sub.add_argument(
        "--expected-version",
        type=int,
        metavar="N",
        help="refuse the update if the object has moved past version N",
    )


def _add_output_options(sub: argparse.ArgumentParser, name: str) -> None:
    """get's and history's --output; history's --diff and --json."""
    if name not in {"get", "history"}:
        return
    sub.add_argument("--output", metavar="FILE", help="write the JSON there, not stdout")
    if name == "history":
        sub.add_argument(
            "--diff", action="store_true", help="the state after each update and what changed"
        )
        sub.add_argument(
            "--json", action="store_true", help="with --diff: JSON (before, after, changes)"
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(
        prog="ghstore",
        description=__doc__.split("\n\n")[0],
        epilog="Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"ghstore {__version__}")
    _connection_options(parser, None)
    commands = parser.add_subparsers(dest="subcommand", metavar="COMMAND", required=True)
    _add_store_commands(commands, _common())
    demo = commands.add_parser(
        "demo", help="a tour on a throwaway local GitHub", description="a tour of ghstore"
    )
    demo.add_argument("--dir", help="keep the local GitHub here (default: a temporary folder)")
    demo.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="debug logging and tracebacks",
    )
    demo.set_defaults(command="demo")
    emulator_commands(commands)
    return parser


class _ActionsFormatter(LogFormatter):
    """The config's log lines; inside GitHub Actions warnings and errors as annotations."""

    def format(self, record: logging.LogRecord) -> str:
        if in_actions() and record.levelno >= logging.WARNING:
            kind = "error" if record.levelno >= logging.ERROR else "warning"
            return annotation(kind, record.getMessage())
        return super().format(record)


def _log_config(args: argparse.Namespace) -> LogConfig:
    """`store.log` of the config file the command names (defaults when it names none, or one
    that `init` is about to create)."""
    path = getattr(args, "config", None)
    if path is None or (args.command == "init" and not Path(path).exists()):
        return LogConfig()
    return load_config(path).store.log


@contextmanager
def _logging(args: argparse.Namespace) -> Iterator[None]:
    """ghstore's log lines on stderr for one command, as the config's `store.log` says
    (--debug: DEBUG); the logger is restored afterwards, so main() can run in-process (tests,
    notebooks) without leaving handlers behind."""
    config = _log_config(args)
    handler = log_handler(config, sys.stderr)
    handler.setFormatter(_ActionsFormatter(config.format))
    level = logging.DEBUG if args.debug else level_number(config.level)
    handler.setLevel(level)
    logger = logging.getLogger(LOGGER)
    saved = logger.handlers[:], logger.level, logger.propagate
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    try:
        yield
    finally:
        handlers, level, propagate = saved
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def _fail(args: argparse.Namespace, message: str, code: int = EXIT_FAILURE) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
    command = getattr(args, "command", None) or "ghstore"
    message = " ".join(message.split())  # one line, whatever GitHub's text held
    if in_actions():
        print(annotation("error", message, title=f"ghstore {command} failed"), file=sys.stderr)
    else:
        print(f"ghstore {command}: error: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the process exit code (0 ok, 1 failure, 2 usage)."""
    args = build_parser().parse_args(argv)
    if not hasattr(args, "command"):  # `emulator serve`: its own handler
        return int(args.handler(args))
    try:
        with _logging(args):
            return asyncio.run(ALL_COMMANDS[args.command](args))
    except KeyboardInterrupt:
        print("ghstore: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `ghstore list | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except UsageRefused as exc:
        return _fail(args, exc.message, EXIT_USAGE)
    except GitHubStoreError as exc:
        return _fail(args, exc.message)
    except OSError as exc:
        return _fail(args, f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
    except Exception as exc:  # a bug: say so in one line; --debug shows where
        hint = "" if args.debug else " (--debug shows the traceback)"
        return _fail(args, f"unexpected {type(exc).__name__}: {exc}{hint}")


def run() -> NoReturn:
    """The `ghstore` command: `main()`, then exit without tearing down the heap (GitHub's
    schema alone is about a million objects, a noticeable pause to free at exit). Output is
    flushed first; the embedded local GitHub commits each request, so nothing is left over."""
    code = main()
    with contextlib.suppress(OSError, ValueError):
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
