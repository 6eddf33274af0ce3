"""The timeline (ghstore.domain.timeline): `diff` between two states, and the replay of an
object's history step by step with the processor's own merge rule."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support.strategies import objects, strict

from ghstore.domain.timeline import FieldChange, build_timeline, diff
from ghstore.model import HistoryEntry

FAST = settings(max_examples=80, deadline=None)


def test_diff_lists_added_removed_and_changed_keys_sorted_by_path() -> None:
    before = {"title": "Dune", "year": 1965, "draft": True}
    after = {"title": "Dune", "year": 1966, "author": "Herbert"}
    assert diff(before, after) == (
        FieldChange("added", ("author",), None, "Herbert"),
        FieldChange("removed", ("draft",), True, None),
        FieldChange("changed", ("year",), 1965, 1966),
    )


def test_diff_recurses_into_nested_objects() -> None:
    before = {"stats": {"pages": 412, "isbn": {"ten": "x"}}}
    after = {"stats": {"pages": 412, "isbn": {"ten": "y", "thirteen": "z"}}}
    assert diff(before, after) == (
        FieldChange("changed", ("stats", "isbn", "ten"), "x", "y"),
        FieldChange("added", ("stats", "isbn", "thirteen"), None, "z"),
    )


def test_lists_of_one_length_compare_item_by_item_others_as_a_whole() -> None:
    assert diff({"tags": ["a", {"k": 1}]}, {"tags": ["a", {"k": 2}]}) == (
        FieldChange("changed", ("tags", 1, "k"), 1, 2),
    )
    assert diff({"tags": ["a"]}, {"tags": ["a", "b"]}) == (
        FieldChange("changed", ("tags",), ["a"], ["a", "b"]),
    )


def test_values_compare_as_json_so_one_is_neither_one_point_oh_nor_true() -> None:
    assert diff({"n": 1}, {"n": 1.0}) == (FieldChange("changed", ("n",), 1, 1.0),)
    assert diff({"n": 1}, {"n": True}) == (FieldChange("changed", ("n",), 1, True),)
    assert diff({"n": {"a": 1}}, {"n": [1]}) == (FieldChange("changed", ("n",), {"a": 1}, [1]),)
    assert diff({"n": None}, {"n": None}) == ()


def test_paths_read_as_code_and_quote_keys_that_are_not_plain_names() -> None:
    change = diff({"a": {"b": [0, 0, {"c": 1}]}}, {"a": {"b": [0, 0, {"c": 2}]}})[0]
    assert change.path_text() == "a.b[2].c"
    assert FieldChange("added", ("été", "clé"), None, 1).path_text() == "été.clé"
    assert FieldChange("added", ("two words", "x.y"), None, 1).path_text() == (
        '["two words"]["x.y"]'
    )
    assert FieldChange("added", ("日本", "1st"), None, 1).path_text() == '日本["1st"]'


def test_diff_of_unicode_keys_and_values() -> None:
    assert diff({"ключ": "старый"}, {"ключ": "новый", "🔑": "✓"}) == (
        FieldChange("changed", ("ключ",), "старый", "новый"),
        FieldChange("added", ("🔑",), None, "✓"),
    )


def apply_changes(state: dict[str, Any], changes: tuple[FieldChange, ...]) -> dict[str, Any]:
    """Replay a diff: the test's own reading of what each change means."""
    result = copy.deepcopy(state)
    for change in changes:
        if not change.path:
            return dict(change.after)
        parent: Any = result
        for key in change.path[:-1]:
            parent = parent[key]
        if change.op == "removed":
            del parent[change.path[-1]]
        else:
            parent[change.path[-1]] = copy.deepcopy(change.after)
    return result


@FAST
@given(objects, objects)
def test_applying_the_changes_to_before_gives_after(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    changes = diff(before, after)
    assert strict(apply_changes(before, changes)) == strict(after)
    assert (changes == ()) == (strict(before) == strict(after))


@FAST
@given(objects, objects)
def test_every_change_says_what_was_there_and_what_is_there_now(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    for change in diff(before, after):
        assert change.op in ("added", "removed", "changed")
        assert (change.op == "added") == (change.before is None and not _has(before, change))
        assert (change.op == "removed") == (not _has(after, change))


def _has(state: Any, change: FieldChange) -> bool:
    for key in change.path:
        if isinstance(key, str) and not (isinstance(state, dict) and key in state):
            return False
        state = state[key]
    return True


def entry(
    status: str,
    data: dict[str, Any] | None,
    n: int,
    *,
    kind: str = "update",
    reason: str | None = None,
    removals: tuple[tuple[str, ...], ...] = (),
) -> HistoryEntry:
    return HistoryEntry(
        timestamp=f"2026-01-0{n}T00:00:00Z",
        kind=kind,
        status=status,
        data=data,
        comment_id=n,
        author="alice",
        reason=reason,
        association="OWNER",
        removals=removals,
    )


def test_the_replay_merges_applied_updates_skips_refused_ones_and_folds_pending_ones() -> None:
    entries = [
        entry(
            "applied",
            {"title": "Dune", "meta": {"year": 1965, "draft": True}},
            1,
            kind="initial_state",
        ),
        entry("applied", {"meta": {"year": 1966}}, 2, removals=(("meta", "draft"),)),
        entry("rejected", {"title": "Spam"}, 3, reason="author eve (NONE) is not authorized"),
        entry("pending", {"pages": 412}, 4),
    ]
    stored = {"title": "Dune", "meta": {"year": 1966}}
    timeline = build_timeline("dune", entries, stored=stored)
    first, applied, refused, pending = timeline.steps
    assert first.before == {} and first.after == entries[0].data
    assert applied.after == stored
    assert applied.changes == (
        FieldChange("removed", ("meta", "draft"), True, None),
        FieldChange("changed", ("meta", "year"), 1965, 1966),
    )
    assert refused.after == refused.before == stored and refused.changes == ()
    assert refused.reason == "author eve (NONE) is not authorized"
    assert pending.after == {**stored, "pages": 412}
    assert timeline.current == pending.after
    assert timeline.mismatch == () and timeline.notes == ()


def test_a_pending_update_the_fold_leaves_out_changes_nothing_and_says_why() -> None:
    entries = [
        entry("applied", {"n": 1}, 1, kind="initial_state"),
        entry("pending", {"n": "two"}, 2),
    ]
    why = "n must be an int"
    timeline = build_timeline("c", entries, stored={"n": 1}, refusals={2: why})
    assert timeline.steps[1].after == {"n": 1}
    assert timeline.steps[1].reason == why
    assert timeline.steps[1].entry.status == "pending"


def test_a_stored_state_the_replay_does_not_reach_is_said_not_hidden() -> None:
    entries = [entry("applied", {"n": 1}, 1, kind="initial_state")]
    timeline = build_timeline("c", entries, stored={"n": 5}, current={"n": 5})
    assert timeline.mismatch == (FieldChange("changed", ("n",), 1, 5),)
    assert timeline.steps[-1].after == {"n": 1}
    assert timeline.current == {"n": 5}
    assert "differs from the replay" in timeline.notes[0] and "n" in timeline.notes[0]


def test_without_an_initial_state_the_replay_starts_from_nothing_and_says_so() -> None:
    timeline = build_timeline("old", [entry("applied", {"b": 2}, 1)], stored={"a": 1, "b": 2})
    assert not timeline.initial_known
    assert timeline.steps[0].after == {"b": 2}
    assert timeline.mismatch == (FieldChange("added", ("a",), None, 1),)
    assert "no initial-state comment" in timeline.notes[0]


def test_unified_diff_of_the_pretty_printed_states() -> None:
    entries = [
        entry("applied", {"a": 1, "é": "x"}, 1, kind="initial_state"),
        entry("applied", {"é": "y"}, 2),
    ]
    step = build_timeline("u", entries).steps[1]
    assert step.unified() == "\n".join(
        [
            "--- before",
            "+++ after",
            "@@ -1,4 +1,4 @@",
            " {",
            '   "a": 1,',
            '-  "é": "x"',
            '+  "é": "y"',
            " }",
        ]
    )


@FAST
@given(objects, st.lists(objects, max_size=4))
def test_each_step_starts_where_the_last_ended_and_its_changes_lead_to_its_state(
    initial: dict[str, Any], updates: list[dict[str, Any]]
) -> None:
    entries = [entry("applied", initial, 1, kind="initial_state")]
    entries += [entry("applied", u, n + 2) for n, u in enumerate(updates)]
    steps = build_timeline("p", entries).steps
    for earlier, later in itertools.pairwise(steps):
        assert later.before is earlier.after
    for step in steps:
        assert strict(apply_changes(step.before, step.changes)) == strict(step.after)
