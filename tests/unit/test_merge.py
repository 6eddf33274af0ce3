"""gh-store's update semantics: deep merge, and the minimal diff that reaches a state."""

from __future__ import annotations

from ghstore.domain.deep_merge import deep_diff, deep_merge


def test_dicts_merge_recursively_and_lists_and_scalars_replace() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": "x"}
    assert deep_merge(base, {"a": {"c": [3]}, "d": "y"}) == {"a": {"b": 1, "c": [3]}, "d": "y"}


def test_null_sets_null_and_no_key_is_deleted() -> None:
    assert deep_merge({"a": 1, "b": 2}, {"a": None}) == {"a": None, "b": 2}


def test_merge_does_not_change_its_inputs() -> None:
    base = {"a": {"b": 1}}
    deep_merge(base, {"a": {"b": 2}})
    assert base == {"a": {"b": 1}}


def test_diff_is_minimal_and_merges_back_to_the_new_state() -> None:
    old = {"a": {"b": 1, "c": 2}, "l": [1], "s": "same"}
    new = {"a": {"b": 1, "c": 3}, "l": [1, 2], "s": "same", "n": None}
    changes = deep_diff(old, new)
    assert changes == {"a": {"c": 3}, "l": [1, 2], "n": None}
    assert deep_merge(old, changes) == new


def test_diff_of_equal_states_is_empty_and_ints_differ_from_bools() -> None:
    assert deep_diff({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}) == {}
    assert deep_diff({"a": 1}, {"a": True}) == {"a": True}
