"""One processor in a loop, as a process of its own, for race tests against one local GitHub:

    python -m bench.race --url URL --token TOKEN --stop FILE [--repo OWNER/NAME]
        [--lock-seconds 3] [--issue N ...]

It prints "ready" once connected; until FILE exists it sweeps the objects with updates
waiting (and processes each --issue whether open or not), then prints one JSON line: rounds,
updates applied, runs that failed under a ghstore error. Anything else that escapes is a
crash: a traceback, exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from pathlib import Path

from support.helpers import team_config

from ghstore.config import RateLimitConfig, RetriesConfig
from ghstore.exceptions import GitHubStoreError
from ghstore.github.gateway import Gateway
from ghstore.processor import Processor
from ghstore.store import Store

__all__ = ["main", "run"]


async def run(
    url: str, token: str, repo: str, stop: Path, lock_seconds: float, issues: list[int]
) -> dict[str, int]:
    """Process until `stop` exists; what was done."""
    gateway = Gateway(
        token=token,
        api_url=url,
        rate_limit=RateLimitConfig.unpaced(),
        retries=RetriesConfig(max_attempts=3, backoff_factor=0.05),
        timeout=10.0,
    )
    store = Store(repo, gateway, team_config())
    processor = Processor(store, lock_seconds=lock_seconds, poll=0.02)
    done = {"rounds": 0, "applied": 0, "failed": 0}
    try:
        await processor.process_all()  # connected, and the repository known
        print("ready", flush=True)
        while not stop.exists():
            done["rounds"] += 1
            for number in [0, *issues]:
                try:
                    if number == 0:
                        reports = await processor.process_all()
                    else:
                        reports = [await processor.process(number)]
                except GitHubStoreError:
                    done["failed"] += 1
                    continue
                done["applied"] += sum(len(r.applied) for r in reports)
            await asyncio.sleep(random.uniform(0.0, 0.03))
    finally:
        await store.close()
    return done


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.race`."""
    parser = argparse.ArgumentParser(prog="python -m bench.race")
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--repo", default="acme/data")
    parser.add_argument("--stop", required=True, type=Path, help="stop once this file exists")
    parser.add_argument("--lock-seconds", type=float, default=3.0)
    parser.add_argument("--issue", type=int, action="append", default=[])
    args = parser.parse_args(argv)
    done = asyncio.run(
        run(args.url, args.token, args.repo, args.stop, args.lock_seconds, args.issue)
    )
    print(json.dumps(done), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
