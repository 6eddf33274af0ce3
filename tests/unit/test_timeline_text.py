"""The text of `ghstore history ID --diff` (ghstore.cli.timeline_text) for every kind of step:
created, applied with removals, refused, pending, pending that will be refused, an invalid
comment, long values, and the notes on a stored state the replay does not reach."""

from __future__ import annotations

from typing import Any

from ghstore.cli.timeline_text import timeline_text
from ghstore.domain.timeline import build_timeline
from ghstore.model import HistoryEntry


def entry(
    n: int,
    status: str,
    data: dict[str, Any] | None,
    *,
    kind: str = "update",
    author: str | None = "acme",
    association: str | None = "OWNER",
    reason: str | None = None,
    removals: tuple[tuple[str, ...], ...] = (),
) -> HistoryEntry:
    return HistoryEntry(
        f"2027-01-15T08:0{n}:00Z",
        kind,
        status,
        data,
        n,
        author,
        reason,
        association=association,
        removals=removals,
    )


def test_every_kind_of_step_reads_as_one_header_the_change_sent_and_what_changed() -> None:
    entries = [
        entry(0, "applied", {"n": 1, "a": {"x": 1, "y": 2}}, kind="initial_state"),
        entry(1, "applied", {"n": 2}, removals=(("a", "y"),), author="bob", association=None),
        entry(2, "rejected", {"n": 0}, author="eve", association="NONE", reason="not allowed"),
        entry(3, "rejected", None, author=None, association="NONE", reason="not JSON"),
        entry(4, "pending", {"n": "three"}),
        entry(5, "pending", {"long": "z" * 100}),
        entry(
            6,
            "rejected",
            {"n": 9},
            kind="initial_state",
            author="eve",
            association="NONE",
            reason="not hers",
        ),
    ]
    timeline = build_timeline(
        "obj", entries, stored={"n": 7, "a": {"x": 1}}, refusals={4: "n must be an int"}
    )
    assert timeline_text(timeline) == (
        "obj: 7 steps\n"
        "2027-01-15T08:00:00Z  acme (OWNER)  created\n"
        '  + a: {"x": 1, "y": 2}\n'
        "  + n: 1\n"
        "2027-01-15T08:01:00Z  bob  applied\n"
        '  sent: {"n": 2}  remove: a.y\n'
        "  - a.y: 2\n"
        "  ~ n: 1 -> 2\n"
        "2027-01-15T08:02:00Z  eve (NONE)  refused: not allowed\n"
        '  sent: {"n": 0}\n'
        "  (state unchanged)\n"
        "2027-01-15T08:03:00Z  ghost (NONE)  refused: not JSON\n"
        "  (state unchanged)\n"
        "2027-01-15T08:04:00Z  acme (OWNER)  pending, will be refused: n must be an int\n"
        '  sent: {"n": "three"}\n'
        "  (state unchanged)\n"
        "2027-01-15T08:05:00Z  acme (OWNER)  pending (not processed yet)\n"
        # 80 characters: `{"long": "` (10) and 67 z, then "..."; a string value: `"` and 76 z
        f'  sent: {{"long": "{"z" * 67}...\n'
        f'  + long: "{"z" * 76}...\n'
        "2027-01-15T08:06:00Z  eve (NONE)  refused: not hers\n"
        '  sent: {"n": 9}\n'
        "  (state unchanged)\n"
        "note: the stored state differs from the replay of the initial state and the applied "
        "updates in 1 place(s) (edited by hand, or by a writer that left no comment): n\n"
        "the stored state against the replay (replay -> stored):\n"
        "  ~ n: 2 -> 7\n"
    )
