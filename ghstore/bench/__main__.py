"""`make bench` / `python -m ghstore.bench [--json] [--latency S] [--quick]`: requests, points
and wall time of ghstore's operations against the local GitHub, with the ratios that matter
measured in one run."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from .ghstore_side import Measured, measure


def _table(rows: list[Measured], ratios: dict[str, float], latency: float) -> str:
    lines = [
        f"ghstore against the local GitHub, {latency * 1000:.0f} ms injected latency a request",
        "",
        f"{'operation':<28}{'requests':>9}{'points':>8}{'wall s':>9}",
        "-" * 54,
    ]
    lines += [f"{r.operation:<28}{r.requests:>9}{r.points:>8}{r.seconds:>9.3f}" for r in rows]
    lines += ["", "ratios (same run):"]
    lines += [f"  {name}: {value:.1f}x" for name, value in ratios.items()]
    return "\n".join(lines)


def _ratios(rows: list[Measured]) -> dict[str, float]:
    by = {r.operation: r for r in rows}
    single, grouped = by.get("20 single updates"), by.get("UnitOfWork of 20 updates")
    ratios: dict[str, float] = {}
    if single and grouped and grouped.seconds:
        ratios["20 single updates / UnitOfWork of 20 (wall time)"] = (
            single.seconds / grouped.seconds
        )
        ratios["20 single updates / UnitOfWork of 20 (requests)"] = single.requests / max(
            1, grouped.requests
        )
    return ratios


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(prog="python -m ghstore.bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON for tracking")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to each request")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    args = parser.parse_args(argv)
    sizes: dict[str, Any] = {"process": [1, 10, 50], "list": [100, 1000]}
    if args.quick:
        sizes = {"process": [1, 10], "list": [100]}
    rows = asyncio.run(measure(args.latency, sizes))
    ratios = _ratios(rows)
    if args.json:
        json.dump(
            {"latency": args.latency, "ghstore": [r.to_json() for r in rows], "ratios": ratios},
            sys.stdout,
            indent=2,
        )
        print()
    else:
        print(_table(rows, ratios, args.latency))
    return 0


if __name__ == "__main__":
    sys.exit(main())
