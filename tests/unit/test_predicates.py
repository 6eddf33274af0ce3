"""Field predicates (ghstore.domain.predicates): JSON semantics, absent paths match nothing,
and values that cannot be compared are an error naming the path and the object."""

from __future__ import annotations

from typing import Any

import pytest

from ghstore import InvalidQuery, where
from ghstore.domain.predicates import all_of, matches_all, predicate

ANN: dict[str, Any] = {
    "name": "Ann",
    "age": 31,
    "ratio": 0.5,
    "active": True,
    "address": {"city": "Paris", "zip": "75001"},
    "tags": ["admin", "x"],
    "a.b": "dotted key",
    "nothing": None,
}


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (where("age") == 31, True),
        (where("age") == 31.0, True),
        (where("age") != 31, False),
        (where("age") >= 31, True),
        (where("age") > 31, False),
        (where("age") < 40, True),
        (where("age") <= 30, False),
        (where("ratio") < 1, True),
        (where("name") < "Bob", True),
        (where("address.city") == "Paris", True),
        (where(("address", "zip")) == "75001", True),
        (where(("a.b",)) == "dotted key", True),
        (where(("tags", 0)) == "admin", True),
        (where(("tags", -1)) == "x", True),
        (where("tags").contains("x"), True),
        (where("tags").contains("y"), False),
        (where("name").contains("nn"), True),
        (where("name").is_in(["Ann", "Bob"]), True),
        (where("age").is_in(["31", True]), False),
        (where("address") == {"zip": "75001", "city": "Paris"}, True),
        (where("nothing") == None, True),  # noqa: E711 - a predicate, not a comparison
    ],
    ids=str,
)
def test_a_predicate_tests_the_value_at_its_path(made: Any, expected: bool) -> None:
    assert made.matches(ANN, "ann") is expected


def test_a_number_never_equals_a_boolean_or_a_string() -> None:
    assert not (where("active") == 1).matches(ANN)
    assert not (where("age") == "31").matches(ANN)
    assert (where("active") == True).matches(ANN)  # noqa: E712


@pytest.mark.parametrize(
    "made",
    [
        where("nobody") == 1,
        where("nobody") != 1,
        where("address.street") == "x",
        where("name.first") == "Ann",
        where(("tags", 5)) == "x",
        where("nobody") > 3,
        where("nobody").contains("x"),
        where("nobody").is_in([1]),
    ],
    ids=str,
)
def test_an_absent_path_matches_nothing_whatever_the_operator(made: Any) -> None:
    assert made.matches(ANN, "ann") is False


def test_ordering_a_string_field_against_a_number_is_an_error_naming_path_and_object() -> None:
    with pytest.raises(InvalidQuery) as raised:
        (where("address.city") > 5).matches(ANN, "ann")
    assert raised.value.path == "address.city"
    assert raised.value.object_id == "ann"
    assert "'address.city' of object 'ann' is a string ('Paris')" in raised.value.message


@pytest.mark.parametrize(
    "made", [where("nothing") < 1, where("tags") >= "a", where("active") > 0], ids=str
)
def test_null_arrays_and_booleans_cannot_be_ordered(made: Any) -> None:
    with pytest.raises(InvalidQuery, match="cannot be ordered"):
        made.matches(ANN, "ann")


def test_contains_on_a_number_is_an_error() -> None:
    with pytest.raises(InvalidQuery, match="neither an array nor a string"):
        where("age").contains(3).matches(ANN, "ann")


@pytest.mark.parametrize(
    ("build", "says"),
    [
        (lambda: where(""), "not a path"),
        (lambda: where("a..b"), "not a path"),
        (lambda: where(()), "not a path"),
        (lambda: where("age") < None, "order by a number or a string"),
        (lambda: where("age") > [1], "order by a number or a string"),
        (lambda: where("age").is_in(3), "give a list"),
        (lambda: predicate("age", "~", 3), "unknown operator '~'"),
        (lambda: all_of(["age"], {}), "not a predicate"),  # type: ignore[list-item]
    ],
)
def test_a_predicate_that_cannot_work_is_refused_when_it_is_made(build: Any, says: str) -> None:
    with pytest.raises(InvalidQuery, match=says):
        build()


def test_keyword_equalities_join_the_predicates_and_all_must_hold() -> None:
    tests = all_of([where("age") >= 18], {"name": "Ann"})
    assert matches_all(tests, ANN, "ann")
    assert not matches_all(all_of([where("age") >= 18], {"name": "Bob"}), ANN, "ann")
    assert matches_all([], ANN, "ann")
