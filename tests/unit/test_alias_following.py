"""Alias and merge resolution rules (ghstore.domain.canonical): chains of distinct ids up to
MAX_HOPS hops are followed, cycles and longer chains are refused, and a live alias beats a
retired merge."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ghstore.domain.canonical import (
    ALIAS_PREFIX,
    MAX_HOPS,
    MERGED_PREFIX,
    follow,
    redirect,
    target_of,
)
from ghstore.exceptions import CanonicalizationError

FAST = settings(max_examples=100, deadline=None)
ids = st.text(alphabet="abcxyz019-", min_size=1, max_size=6)


@FAST
@given(st.lists(ids, min_size=1, max_size=MAX_HOPS + 1, unique=True))
def test_a_chain_of_distinct_ids_within_max_hops_is_followed(chain_ids: list[str]) -> None:
    chain = [chain_ids[0]]
    for target in chain_ids[1:]:
        follow(chain, target)
    assert chain == chain_ids


@FAST
@given(st.lists(ids, min_size=MAX_HOPS + 2, max_size=MAX_HOPS + 4, unique=True))
def test_a_chain_of_more_than_max_hops_is_refused(chain_ids: list[str]) -> None:
    chain = [chain_ids[0]]
    for target in chain_ids[1 : MAX_HOPS + 1]:
        follow(chain, target)
    with pytest.raises(CanonicalizationError, match=f"more than {MAX_HOPS} aliases"):
        follow(chain, chain_ids[MAX_HOPS + 1])
    assert chain == chain_ids[: MAX_HOPS + 1]


@FAST
@given(st.lists(ids, min_size=1, max_size=MAX_HOPS + 1, unique=True), st.data())
def test_any_repeat_in_a_chain_is_refused_as_a_cycle(
    chain_ids: list[str], data: st.DataObject
) -> None:
    chain = [chain_ids[0]]
    for target in chain_ids[1:]:
        follow(chain, target)
    again = data.draw(st.sampled_from(chain_ids))
    with pytest.raises(CanonicalizationError, match="cycle") as raised:
        follow(chain, again)
    assert raised.value.object_id == chain_ids[0]
    assert chain == chain_ids  # nothing appended


def test_an_object_aliased_to_itself_is_a_cycle() -> None:
    with pytest.raises(CanonicalizationError, match="a -> a"):
        follow(["a"], "a")


@FAST
@given(st.lists(st.sampled_from(["stored-object", "gh-store", "UID:x", "deprecated-object"])), ids)
def test_target_of_finds_the_id_after_the_prefix_among_other_labels(
    others: list[str], target: str
) -> None:
    assert target_of([*others, ALIAS_PREFIX + target], ALIAS_PREFIX) == target
    assert target_of(others, ALIAS_PREFIX) is None


def test_a_live_issues_alias_beats_a_retired_merge() -> None:
    live = ["stored-object", "UID:a", ALIAS_PREFIX + "b"]
    retired = ["deprecated-object", "UID:a", MERGED_PREFIX + "c"]
    assert redirect(live, retired) == "b"


def test_a_live_issue_without_an_alias_points_nowhere_even_beside_a_retired_merge() -> None:
    assert redirect(["stored-object", "UID:a"], [MERGED_PREFIX + "c"]) is None


def test_with_no_live_issue_the_retired_merge_is_followed() -> None:
    assert redirect(None, ["deprecated-object", MERGED_PREFIX + "c"]) == "c"
    assert redirect(None, None) is None
