"""Verdicts and folding (ghstore.domain.verdicts) over random runs of update comments: who may
update, whose processed marks count, GitHub's order, edits, refusals by a check, and the
processor's crash-safety argument (a rerun after marking reaches the same state)."""

from __future__ import annotations

from functools import reduce
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st
from support.helpers import team_config
from support.strategies import objects, strict

from ghstore.domain.deep_merge import deep_merge
from ghstore.domain.format import update_comment
from ghstore.domain.verdicts import CommentRecord, Trust, apply_pending, classify, fold
from ghstore.exceptions import InvalidUpdate

FAST = settings(max_examples=50, deadline=None)

# (login, association): acme owns the repository, bob collaborates, mia is a member; eve is an
# outsider and None a deleted account (ghost).
AUTHORIZED = [("acme", "OWNER"), ("bob", "COLLABORATOR"), ("mia", "MEMBER")]
OUTSIDERS = [("eve", "NONE"), (None, "NONE"), ("zed", "CONTRIBUTOR")]
MARKERS = ["github-actions"]  # the processor's own identity (config): the only one that marks


def trust() -> Trust:
    """Trust as the processor builds it, running as github-actions with write access."""
    return Trust.build(team_config().store, viewer="github-actions", viewer_permission="WRITE")


def record(
    n: int,
    author: tuple[str | None, str],
    changes: dict[str, Any],
    marks: tuple[tuple[str, str], ...] = (),
    edited: bool = False,
) -> CommentRecord:
    return CommentRecord(
        node_id=f"IC_{n}",
        database_id=n,
        body=update_comment(changes, 1, "obj"),
        created_at=f"2026-01-01T00:00:{n:02d}Z",
        author=author[0],
        association=author[1],
        marks=marks,
        edited=edited,
    )


@st.composite
def runs(draw: st.DrawFn) -> tuple[list[CommentRecord], list[str]]:
    """Comments by random authors, some marked processed (by a marker or by an outsider),
    some edited; and the verdict each must get."""
    comments, expected = [], []
    for n in range(draw(st.integers(0, 7))):
        authorized = draw(st.booleans())
        author = draw(st.sampled_from(AUTHORIZED if authorized else OUTSIDERS))
        marker = draw(st.sampled_from([None, None, "acme", "github-actions", "eve", "zed"]))
        edited = draw(st.integers(0, 4)) == 0
        marks = (("THUMBS_UP", marker),) if marker else ()
        changes = draw(objects)
        if draw(st.integers(0, 3)) == 0:
            changes["forbidden"] = n  # for the check that refuses it
        comments.append(record(n, author, changes, marks, edited))
        if marker in MARKERS:
            expected.append("applied")  # what a processor applied stays applied
        elif not authorized or edited:
            expected.append("rejected")
        else:
            expected.append("pending")
    return comments, expected


def changes_of(comment: CommentRecord) -> dict[str, Any]:
    (verdict,) = classify([comment], trust())
    assert verdict.parsed.changes is not None
    return verdict.parsed.changes


@FAST
@given(runs())
def test_each_comment_gets_the_verdict_its_author_marks_and_edits_call_for(
    run: tuple[list[CommentRecord], list[str]],
) -> None:
    comments, expected = run
    verdicts = classify(comments, trust())
    assert [v.comment for v in verdicts] == comments  # GitHub's order, nothing dropped
    assert [v.status for v in verdicts] == expected


@FAST
@given(objects, runs())
def test_pending_updates_fold_in_githubs_order_and_nothing_else_goes_in(
    data: dict[str, Any], run: tuple[list[CommentRecord], list[str]]
) -> None:
    comments, expected = run
    pending = [c for c, status in zip(comments, expected, strict=True) if status == "pending"]
    result = apply_pending(data, classify(comments, trust()))
    assert [v.comment for v in result.applied] == pending
    assert result.refused == []
    assert strict(result.data) == strict(reduce(deep_merge, map(changes_of, pending), data))


@FAST
@given(objects, runs())
def test_re_running_after_marking_the_applied_updates_reaches_the_same_state(
    data: dict[str, Any], run: tuple[list[CommentRecord], list[str]]
) -> None:
    comments, _ = run
    first = apply_pending(data, classify(comments, trust()))
    applied = {v.comment.node_id for v in first.applied}
    marked = [
        evolve(c, marks=(*c.marks, ("THUMBS_UP", "github-actions"))) if c.node_id in applied else c
        for c in comments
    ]
    verdicts = classify(marked, trust())
    assert not [v for v in verdicts if v.status == "pending"]
    assert strict(fold(first.data, verdicts)) == strict(first.data)


@FAST
@given(objects, runs())
def test_re_running_before_any_mark_landed_reaches_the_same_state(
    data: dict[str, Any], run: tuple[list[CommentRecord], list[str]]
) -> None:
    """The processor wrote the new state and crashed before marking: the rerun folds the same
    updates again onto the state it wrote."""
    comments, _ = run
    state = fold(data, classify(comments, trust()))
    assert strict(fold(state, classify(comments, trust()))) == strict(state)


@FAST
@given(objects, runs())
def test_a_check_that_refuses_one_update_leaves_the_others_in(
    data: dict[str, Any], run: tuple[list[CommentRecord], list[str]]
) -> None:
    comments, expected = run
    data = {k: v for k, v in data.items() if k != "forbidden"}

    def check(candidate: dict[str, Any]) -> None:
        if "forbidden" in candidate:
            raise InvalidUpdate("no forbidden key")

    pending = [c for c, status in zip(comments, expected, strict=True) if status == "pending"]
    bad = [c for c in pending if "forbidden" in changes_of(c)]
    good = [c for c in pending if "forbidden" not in changes_of(c)]
    result = apply_pending(data, classify(comments, trust()), check=check)
    assert [v.comment for v in result.applied] == good
    assert [(v.comment, reason) for v, reason in result.refused] == [
        (c, "no forbidden key") for c in bad
    ]
    assert strict(result.data) == strict(reduce(deep_merge, map(changes_of, good), data))


def test_the_later_of_two_updates_to_one_key_wins() -> None:
    comments = [record(1, AUTHORIZED[1], {"n": 1}), record(2, AUTHORIZED[2], {"n": 2})]
    assert fold({}, classify(comments, trust())) == {"n": 2}
    assert fold({}, classify(comments[::-1], trust())) == {"n": 1}


def test_an_outsiders_update_is_rejected_naming_the_author() -> None:
    (verdict,) = classify([record(1, ("eve", "NONE"), {"x": 1})], trust())
    assert verdict.status == "rejected"
    assert verdict.reason == "author eve (NONE) is not authorized"
    assert fold({"x": 0}, [verdict]) == {"x": 0}


@pytest.mark.parametrize("marker", ["eve", "zed", "bob-fan", "acme", "bob"])
def test_a_processed_mark_by_someone_who_cannot_mark_does_not_count(marker: str) -> None:
    comment = record(1, AUTHORIZED[1], {"x": 1}, marks=(("THUMBS_UP", marker),))
    (verdict,) = classify([comment], trust())
    assert verdict.status == "pending"
    assert fold({}, [verdict]) == {"x": 1}


def test_an_update_the_processor_marked_is_applied_and_not_folded_again() -> None:
    comment = record(1, AUTHORIZED[1], {"x": 1}, marks=(("THUMBS_UP", "github-actions"),))
    (verdict,) = classify([comment], trust())
    assert verdict.status == "applied"
    assert fold({"x": 5}, [verdict]) == {"x": 5}


def test_an_edited_pending_update_is_rejected_and_an_edited_applied_one_stays_applied() -> None:
    pending = record(1, AUTHORIZED[0], {"x": 1}, edited=True)
    applied = record(
        2, AUTHORIZED[0], {"x": 2}, marks=(("THUMBS_UP", "github-actions"),), edited=True
    )
    first, second = classify([pending, applied], trust())
    assert first.status == "rejected" and first.reason is not None and "edited" in first.reason
    assert second.status == "applied" and second.reason is not None
    assert fold({}, [first, second]) == {}


WATERMARK = (("EYES", "github-actions"),)


@FAST
@given(runs(), st.integers(0, 7))
def test_comments_up_to_the_processors_watermark_are_settled_and_never_pending(
    run: tuple[list[CommentRecord], list[str]], at: int
) -> None:
    comments, expected = run
    if not comments:
        return
    at = min(at, len(comments) - 1)
    marked = [*comments[:at], evolve(comments[at], marks=(*comments[at].marks, *WATERMARK))]
    marked += comments[at + 1 :]
    verdicts = classify(marked, trust())
    assert [v.settled for v in verdicts] == [i <= at for i in range(len(comments))]
    assert [v.status for v in verdicts[at + 1 :]] == expected[at + 1 :]
    for verdict, status in zip(verdicts[: at + 1], expected, strict=False):
        assert verdict.status == ("applied" if status == "applied" else "rejected")


@pytest.mark.parametrize("watcher", ["eve", "acme", "bob"])
def test_a_watermark_by_anyone_but_a_processor_settles_nothing(watcher: str) -> None:
    comment = record(1, AUTHORIZED[1], {"x": 1}, marks=(("EYES", watcher),))
    (verdict,) = classify([comment], trust())
    assert (verdict.status, verdict.settled) == ("pending", False)


def test_the_viewers_own_marks_count_however_many_others_crowd_the_comment() -> None:
    crowded = evolve(
        record(1, AUTHORIZED[1], {"x": 1}),
        viewer_reacted=frozenset({"THUMBS_UP"}),
        crowded=frozenset({"THUMBS_UP"}),
    )
    (verdict,) = classify([crowded], trust())
    assert verdict.status == "applied"
    reader = Trust.build(team_config().store, viewer="eve", viewer_permission="READ")
    assert reader.marks_on(crowded) == frozenset()  # a reader's reactions are no marks
    assert reader.hidden(crowded) == {"THUMBS_UP"}  # so the crowded group must be read in full
