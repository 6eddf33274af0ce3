"""`make bench` / `python -m bench [--json] [--latency S] [--quick] [--no-compare]`:
requests, points and wall time of ghstore's operations against the local GitHub, side by
side with gh-store 0.11.3 on the same local GitHub, every ratio measured in one run."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs

from .compare import Pair, compare
from .content import content_tables, measure_content
from .ghstore_side import Measured, measure
from .history import history_table, measure_history
from .scale import measure_scale, scale_table
from .site import measure_site, site_table
from .startup import measure_in_process, measure_startup, startup_table


def _own_table(rows: list[Measured], ratios: dict[str, float]) -> list[str]:
    lines = [f"{'ghstore operation':<28}{'requests':>9}{'points':>8}{'wall s':>9}", "-" * 54]
    lines += [f"{r.operation:<28}{r.requests:>9}{r.points:>8}{r.seconds:>9.3f}" for r in rows]
    lines += ["", "ratios (same run):"]
    lines += [f"  {name}: {value:.1f}x" for name, value in ratios.items()]
    return lines


def _pair_table(pairs: list[Pair]) -> list[str]:
    columns = [("operation", 20), ("ghstore req", 12), ("points", 7), ("gh-store REST", 14)]
    columns += [("ghstore s", 10), ("gh-store s", 11), ("ratio", 8)]
    head = "".join(
        f"{name:<{width}}" if i == 0 else f"{name:>{width}}"
        for i, (name, width) in enumerate(columns)
    )
    lines = [head, "-" * len(head)]
    for p in pairs:
        theirs_s = (
            f"{p.gh_store_seconds:>11.3f}" if p.gh_store_seconds is not None else f"{'-':>11}"
        )
        ratio = f"{p.ratio:>8.3f}" if p.ratio is not None else f"{'-':>8}"
        calls = f"{p.gh_store_calls:>14}" if p.gh_store_calls is not None else f"{'-':>14}"
        lines.append(
            f"{p.operation:<20}{p.ghstore.requests:>12}{p.ghstore.points:>7}{calls}{p.ghstore.seconds:>10.3f}{theirs_s}{ratio}"
        )
        if p.note:
            lines.append(f"    {p.note}")
    lines.append("ratio = ghstore wall time / gh-store wall time (below 1: ghstore is faster)")
    return lines


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
    """Run the benchmark and print tables (or JSON)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON for tracking")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to each request")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--no-compare", action="store_true", help="skip gh-store 0.11.3")
    parser.add_argument(
        "--rounds", type=int, default=7, help="interleaved rounds of the CLI start-up table"
    )
    parser.add_argument(
        "--no-instructions", action="store_true", help="CLI table without callgrind's counts"
    )
    args = parser.parse_args(argv)
    sizes: dict[str, Any] = {"process": [1, 10, 50], "list": [100, 1000]}
    if args.quick:
        sizes = {"process": [1, 10], "list": [100]}
    rows = asyncio.run(measure(args.latency, sizes))
    pairs = [] if args.no_compare else asyncio.run(compare(args.latency, sizes))
    ratios = _ratios(rows)
    rounds = 3 if args.quick else args.rounds
    with tempfile.TemporaryDirectory() as work:
        startup = measure_startup(rounds, Path(work), instructions=not args.no_instructions)
        startup += measure_in_process(20 if args.quick else 100, Path(work))
    content = asyncio.run(measure_content(not args.no_compare))
    scale = asyncio.run(measure_scale([100, 1000] if args.quick else [100, 1000, 10_000]))
    history = asyncio.run(measure_history((10, 100) if args.quick else (10, 100, 1000)))
    site = asyncio.run(measure_site([100] if args.quick else [100, 1000]))
    if args.json:
        report = {
            "latency": args.latency,
            "ghstore": [r.to_json() for r in rows],
            "ratios": ratios,
            "versus_gh_store_0_11_3": [p.to_json() for p in pairs],
            "cli_startup": [attrs.asdict(r) for r in startup],
            "content": {
                "per operation": [attrs.asdict(r) for r in content["per operation"]],
                "100 creates": content["100 creates"],
                "5 MB object": content["5 MB object"],
            },
            "scale": [attrs.asdict(r) for r in scale],
            "history": [{"settled": h.settled, "get": h.get, "run": h.run} for h in history],
            "site": [attrs.asdict(r) for r in site],
        }
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    lines = [f"Local GitHub with {args.latency * 1000:.0f} ms injected latency a request", ""]
    lines += _own_table(rows, ratios)
    if pairs:
        lines += ["", "Side by side with gh-store 0.11.3 (same local GitHub, same run):", ""]
        lines += _pair_table(pairs)
    lines += ["", *startup_table(startup, rounds), "", *content_tables(content)]
    lines += ["", *scale_table(scale)]
    lines += ["", "History (requests as settled comments grow; a run of 1 pending update):", ""]
    lines += history_table(history)
    lines += ["", *site_table(site)]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
