"""An issue page's comment pages, read for every issue at once (one SQL window per issue), are
the pages `paginate` cuts from each issue's whole comment list: same comments, same page info,
same reactions, for every first/last and cursor -- and a page's SQL queries do not grow with
its number of issues."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ghstore.emulator.graphql.issue_batches import CommentPages
from ghstore.emulator.graphql.pagination import encode_cursor, paginate
from ghstore.emulator.state import State

NOW = "2026-01-01T00:00:00Z"


def _state(comment_counts: list[int]) -> tuple[State, list[int]]:
    """Issues with these numbers of comments (interleaved in time), a reaction on each third."""
    state = State()
    user = state.upsert_user("octo", "t", NOW, None)
    repo = state.ensure_repository(user, "repo", NOW, False)
    issues = [state.create_issue(repo, f"#{n}", "", user, NOW).id for n in comment_counts]
    made = 0
    for round_ in range(max(comment_counts, default=0)):
        for issue_id, count in zip(issues, comment_counts, strict=True):
            if round_ < count:
                comment = state.create_comment(issue_id, user, f"c{round_}", NOW)
                made += 1
                if made % 3 == 0:
                    state.add_reaction("IssueComment", comment.id, user, "EYES", NOW)
    return state, issues


def _expected(state: State, issue_id: int, relay: dict[str, Any]) -> tuple[Any, ...]:
    page = paginate([(i, i) for i in state.comment_ids(issue_id)], **relay)
    ids = [k[1] for k in page.keys]
    marks = [[r.content for r in state.reactions_of("IssueComment", i)] for i in ids]
    rows = state.comments_by_ids(ids)
    return page.keys, page.has_next, page.has_previous, page.total(), rows, marks


def _read(pages: CommentPages, issue_id: int, relay: dict[str, Any]) -> tuple[Any, ...]:
    found = pages.of(issue_id, relay)
    ids = [k[1] for k in found.page.keys]
    marks = [[r.content for r in found.reactions.of(i)] for i in ids]
    rows = [found.comments[i] for i in ids]
    page = found.page
    return page.keys, page.has_next, page.has_previous, page.total(), rows, marks


counts = st.lists(st.integers(0, 6), min_size=1, max_size=5)
sizes = st.none() | st.integers(0, 7)
cursors = st.none() | st.integers(1, 30)


@settings(max_examples=200, deadline=None)
@given(counts, sizes, sizes, cursors, cursors)
def test_each_issues_comment_page_is_the_page_of_its_whole_comment_list(
    comment_counts: list[int],
    first: int | None,
    last: int | None,
    after: int | None,
    before: int | None,
) -> None:
    state, issues = _state(comment_counts)
    relay = {
        "first": first,
        "last": last,
        "after": encode_cursor(after, after) if after else None,
        "before": encode_cursor(before, before) if before else None,
    }
    pages = CommentPages(state, issues)
    for issue_id in issues:
        assert _read(pages, issue_id, relay) == _expected(state, issue_id, relay)


def test_a_page_of_issues_reads_its_comment_pages_in_two_queries_whatever_its_size() -> None:
    for size in (1, 5, 40):
        state, issues = _state([3] * size)
        pages = CommentPages(state, issues)
        before = state.queries_run
        for issue_id in issues:
            found = pages.of(issue_id, {"first": None, "last": 2})
            for comment_id in found.comments:
                found.reactions.of(comment_id)
        assert state.queries_run - before == 2, size
