"""`ghstore emulator serve`: the local GitHub on an HTTP port."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Emulator

__all__ = ["add_emulator_commands", "parse_file", "parse_user", "serve"]


def parse_user(spec: str) -> tuple[str, str, str]:
    """LOGIN:TOKEN[:ROLE] -> (login, token, role); role is collaborator, member or none."""
    parts = spec.split(":")
    if len(parts) not in (2, 3) or not all(parts):
        raise argparse.ArgumentTypeError(f"--user {spec!r}: expected LOGIN:TOKEN[:ROLE]")
    role = parts[2] if len(parts) == 3 else "none"
    if role not in ("collaborator", "member", "none"):
        raise argparse.ArgumentTypeError(
            f"--user {spec!r}: role {role!r} is not one of collaborator, member, none"
        )
    return parts[0], parts[1], role


def _repo(spec: str) -> str:
    owner, sep, name = spec.partition("/")
    if not sep or not owner or not name or "/" in name:
        raise argparse.ArgumentTypeError(f"--repo {spec!r}: expected OWNER/NAME")
    return spec


def parse_file(spec: str) -> tuple[str, bytes]:
    """REPO_PATH=LOCAL_PATH -> (path in the repository, the local file's bytes)."""
    repo_path, sep, local_path = spec.partition("=")
    if not sep or not repo_path.strip("/") or not local_path:
        raise argparse.ArgumentTypeError(f"--file {spec!r}: expected REPO_PATH=LOCAL_PATH")
    try:
        with open(local_path, "rb") as local:
            return repo_path.strip("/"), local.read()
    except OSError as exc:
        raise argparse.ArgumentTypeError(
            f"--file {spec!r}: cannot read {local_path}: {exc.strerror or exc}"
        ) from exc


def add_emulator_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `emulator serve` on a CLI's subcommands."""
    emulator = subparsers.add_parser("emulator", help="ghstore's local GitHub")
    commands = emulator.add_subparsers(dest="emulator_command", required=True)
    serve_parser = commands.add_parser("serve", help="serve the local GitHub over HTTP")
    serve_parser.add_argument("--port", type=int, default=0, help="port (0 picks a free one)")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--db", default=":memory:", help="SQLite file that keeps the state")
    serve_parser.add_argument(
        "--repo", action="append", type=_repo, default=[], metavar="OWNER/NAME"
    )
    serve_parser.add_argument(
        "--user", action="append", type=parse_user, default=[], metavar="LOGIN:TOKEN[:ROLE]"
    )
    serve_parser.add_argument(
        "--file",
        action="append",
        type=parse_file,
        default=[],
        metavar="REPO_PATH=LOCAL_PATH",
        help="put a local file at REPO_PATH on the default branch of every --repo (repeatable)",
    )
    serve_parser.add_argument("--points", type=int, default=5000, help="points per token per hour")
    serve_parser.add_argument(
        "--content-limit",
        type=int,
        default=None,
        metavar="N",
        help="content-creating requests a minute before a secondary-limit 403 (GitHub: 80)",
    )
    serve_parser.add_argument(
        "--content-limit-hourly",
        type=int,
        default=None,
        metavar="N",
        help="content-creating requests an hour before a secondary-limit 403 (GitHub: 500)",
    )
    serve_parser.set_defaults(handler=serve)


def build_emulator(args: argparse.Namespace) -> Emulator:
    """The emulator the serve flags describe."""
    from .engine import Emulator  # noqa: PLC0415 - the CLI's parser is built without it

    emulator = Emulator(
        args.db,
        hourly_points=args.points,
        content_per_minute=args.content_limit,
        content_per_hour=args.content_limit_hourly,
    )
    users: list[tuple[str, str, str]] = args.user
    files: list[tuple[str, bytes]] = args.file
    if files and not args.repo:
        raise SystemExit("ghstore emulator serve: error: --file needs a --repo to put it in")
    for login, token, _role in users:
        emulator.add_user(login, token)
    for full_name in args.repo:
        owner = full_name.split("/")[0]
        if emulator.state.user_by_login(owner) is None:
            emulator.add_user(owner)
        roles = {login: role for login, _token, role in users if login != owner}
        emulator.add_repository(full_name, roles=roles)
        for repo_path, content in files:
            emulator.put_file(full_name, repo_path, content)
    return emulator


async def _serve_forever(emulator: Emulator, host: str, port: int) -> None:
    from .server import EmulatorServer  # noqa: PLC0415 - aiohttp only when serving

    server = EmulatorServer(emulator, host, port)
    url = await server.start()
    print(url, flush=True)
    print(
        f"serving GitHub's GraphQL API (schema {emulator.schema_version}) on {url} and its "
        f"REST API on {server.rest_url}; Ctrl-C stops",
        file=sys.stderr,
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()
    emulator.close()


def serve(args: argparse.Namespace) -> int:
    """Run the server until interrupted."""
    emulator = build_emulator(args)
    asyncio.run(_serve_forever(emulator, args.host, args.port))
    return 0
