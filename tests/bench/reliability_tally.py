"""What fault runs did and found, added up, and the one table `make reliability` prints."""

from __future__ import annotations

from collections import Counter

from attrs import define, field

from .reliability_truth import Verdict

__all__ = ["Tally", "table"]


@define
class Tally:
    """What runs did and found, added up."""

    runs: int = 0
    steps: int = 0
    faults: Counter[str] = field(factory=Counter)
    operations: Counter[str] = field(factory=Counter)
    outcomes: Counter[str] = field(factory=Counter)
    processor_runs: int = 0
    processor_failures: int = 0
    processor_crashes: int = 0
    client_crashes: int = 0
    hostile: Counter[str] = field(factory=Counter)
    token_leaks: int = 0
    verdict: Verdict = field(factory=Verdict)
    crashes: list[str] = field(factory=list)
    seconds: float = 0.0

    @property
    def injected(self) -> int:
        """Faults injected, of every kind."""
        return sum(self.faults.values())

    def merge(self, other: Tally) -> None:
        """Add another tally to this one."""
        self.runs += other.runs
        self.steps += other.steps
        self.faults.update(other.faults)
        self.operations.update(other.operations)
        self.outcomes.update(other.outcomes)
        self.processor_runs += other.processor_runs
        self.processor_failures += other.processor_failures
        self.processor_crashes += other.processor_crashes
        self.client_crashes += other.client_crashes
        self.hostile.update(other.hostile)
        self.token_leaks += other.token_leaks
        self.crashes += other.crashes
        self.seconds += other.seconds
        mine, theirs = self.verdict, other.verdict
        for name in (
            "lost",
            "twice",
            "duplicate_objects",
            "differing",
            "unprocessed",
            "stale_reads",
            "stray_issues",
            "open_archives",
            "leftovers",
        ):
            setattr(mine, name, getattr(mine, name) + getattr(theirs, name))
        mine.problems += theirs.problems

    @property
    def clean(self) -> bool:
        """Nothing lost, nothing twice, no crash, no leak."""
        return (
            self.verdict.clean
            and not self.processor_crashes
            and not self.client_crashes
            and not self.token_leaks
        )


def table(tally: Tally) -> str:
    """The one table `make reliability` prints."""
    rows: list[tuple[str, str]] = [("faults injected", str(tally.injected))]
    rows += [(f"  {kind}", str(n)) for kind, n in sorted(tally.faults.items())]
    verdict = tally.verdict
    rows += [
        ("runs (seeded)", f"{tally.runs} ({tally.steps} steps)"),
        ("operations", ", ".join(f"{k} {v}" for k, v in sorted(tally.operations.items()))),
        (
            "  returned / raised / refused",
            "{ok} / {raised} / {refused}".format_map(
                {
                    "ok": tally.outcomes["ok"],
                    "raised": tally.outcomes["raised"],
                    "refused": tally.outcomes["refused"],
                }
            ),
        ),
        (
            "processor runs (failed under faults)",
            f"{tally.processor_runs} ({tally.processor_failures})",
        ),
        ("outsider actions tried", str(sum(tally.hostile.values()))),
        *((f"  {kind}", str(n)) for kind, n in sorted(tally.hostile.items())),
        ("updates lost", str(verdict.lost)),
        ("applied twice", str(verdict.twice + verdict.duplicate_objects)),
        ("objects differing from a fault-free run", str(verdict.differing)),
        ("updates left unprocessed", str(verdict.unprocessed)),
        ("reads that missed an accepted write", str(verdict.stale_reads)),
        ("locks or outsiders' issues left", str(verdict.leftovers)),
        ("processor crashes", str(tally.processor_crashes)),
        ("client crashes", str(tally.client_crashes)),
        ("tokens in errors", str(tally.token_leaks)),
        ("bare issues left by interrupted creates", str(verdict.stray_issues)),
        ("archives reopened by a killed stale update", str(verdict.open_archives)),
        ("wall time", f"{tally.seconds:.1f} s"),
    ]
    width = max(len(name) for name, _ in rows) + 2
    lines = [f"{name:<{width}}{value}" for name, value in rows]
    return "\n".join(lines)
