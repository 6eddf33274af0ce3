"""Deep merge and deep diff (ghstore.domain.deep_merge) as properties over random JSON: a run
re-applied changes nothing, order matters only where the rule says, no key is ever deleted, and
the diff reaches the same state as the full new state."""

from __future__ import annotations

import copy
from functools import reduce
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support.strategies import keys, objects, scalars, strict, values

from ghstore.domain.deep_merge import deep_diff, deep_merge

FAST = settings(max_examples=60, deadline=None)


def fold(state: dict[str, Any], updates: list[dict[str, Any]]) -> dict[str, Any]:
    """Updates merged in order, as the processor applies a run."""
    return reduce(deep_merge, updates, state)


@FAST
@given(objects, st.lists(objects, max_size=4))
def test_re_applying_an_applied_run_changes_nothing(
    state: dict[str, Any], updates: list[dict[str, Any]]
) -> None:
    once = fold(state, updates)
    assert strict(fold(once, updates)) == strict(once)


@FAST
@given(objects, st.lists(objects, min_size=1, max_size=4), st.data())
def test_re_applying_the_tail_of_an_applied_run_changes_nothing(
    state: dict[str, Any], updates: list[dict[str, Any]], data: st.DataObject
) -> None:
    """A processor that crashed after writing the state and marking the first updates folds
    the rest again onto the state it wrote."""
    done = data.draw(st.integers(0, len(updates)))
    once = fold(state, updates)
    assert strict(fold(once, updates[done:])) == strict(once)


@FAST
@given(objects, objects, objects)
def test_two_updates_touching_disjoint_keys_commute(
    state: dict[str, Any], first: dict[str, Any], second: dict[str, Any]
) -> None:
    second = {k: v for k, v in second.items() if k not in first}
    assert strict(fold(state, [first, second])) == strict(fold(state, [second, first]))


@FAST
@given(objects, keys, scalars, scalars)
def test_the_later_update_wins_on_the_same_scalar_key(
    state: dict[str, Any], key: str, earlier: Any, later: Any
) -> None:
    merged = fold(state, [{key: earlier}, {key: later}])
    assert strict(merged[key]) == strict(later)


@FAST
@given(objects, objects)
def test_no_key_is_ever_deleted_and_untouched_keys_keep_their_values(
    state: dict[str, Any], changes: dict[str, Any]
) -> None:
    def check(before: dict[str, Any], change: dict[str, Any], after: dict[str, Any]) -> None:
        assert set(after) == set(before) | set(change)
        for key, value in after.items():
            if key not in change:
                assert strict(value) == strict(before[key])
            elif isinstance(change[key], dict) and isinstance(before.get(key), dict):
                check(before[key], change[key], value)  # dicts merge: recurse
            else:
                assert strict(value) == strict(change[key])  # lists and scalars replace

    check(state, changes, deep_merge(state, changes))


@FAST
@given(objects, objects)
def test_merging_changes_neither_input(state: dict[str, Any], changes: dict[str, Any]) -> None:
    before, asked = copy.deepcopy(state), copy.deepcopy(changes)
    deep_merge(state, changes)
    assert strict(state) == strict(before)
    assert strict(changes) == strict(asked)


@FAST
@given(objects, objects)
def test_the_diff_merges_to_the_same_state_as_the_new_state_itself(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    assert strict(deep_merge(old, deep_diff(old, new))) == strict(deep_merge(old, new))


@FAST
@given(objects, objects)
def test_the_diff_holds_only_keys_of_the_new_state_that_differ(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    changes = deep_diff(old, new)
    assert set(changes) <= set(new)
    for key in changes:
        assert key not in old or strict(old[key]) != strict(new[key])


@FAST
@given(objects)
def test_the_diff_of_equal_states_is_empty(state: dict[str, Any]) -> None:
    assert deep_diff(state, copy.deepcopy(state)) == {}


@FAST
@given(values)
def test_a_value_of_another_json_type_is_a_change_even_when_python_calls_it_equal(
    value: Any,
) -> None:
    for other in (True, 1, 1.0, 0, False, 0.0):
        if strict(other) != strict(value):
            assert deep_diff({"k": value}, {"k": other}) == {"k": other}
