"""gh-store 0.11's comment envelope and ids (ghstore.domain.format): what ghstore writes parses
back to what it meant, the initial state is told from an update, ids that cannot be labels are
refused, and bodies refuse what is not JSON or nests too deeply."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.strategies import objects, strict

from ghstore.config import StoreConfig
from ghstore.domain.format import (
    MAX_JSON_DEPTH,
    Labels,
    dump_body,
    parse_comment,
    update_comment,
    validate_object_id,
)
from ghstore.exceptions import InvalidUpdate

FAST = settings(max_examples=100, deadline=None)
LABELS = Labels.from_config(StoreConfig())
LIMIT = 50 - len("UID:")  # a label name holds 50 characters
good_ids = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd", "Pd", "Lo"), whitelist_characters="_.:/#@"
    ),
    min_size=1,
    max_size=LIMIT,
)
issue_numbers = st.integers(1, 10**6)


@FAST
@given(objects, issue_numbers, good_ids, st.none() | st.text(min_size=1, max_size=32))
def test_an_update_comment_parses_back_to_its_changes(
    changes: dict[str, Any], number: int, object_id: str, key: str | None
) -> None:
    parsed = parse_comment(update_comment(changes, number, object_id, idempotency_key=key))
    assert parsed.kind == "update"
    assert parsed.changes is not None and strict(parsed.changes) == strict(changes)
    assert parsed.meta is not None and parsed.meta["issue_number"] == number
    assert parsed.meta.get("idempotency_key") == key


@FAST
@given(objects, issue_numbers)
def test_an_initial_state_comment_is_recognised_and_is_no_update(
    data: dict[str, Any], number: int
) -> None:
    parsed = parse_comment(update_comment(data, number, "obj", initial=True))
    assert parsed.kind == "initial_state"
    assert parsed.changes is not None and strict(parsed.changes) == strict(data)


@FAST
@given(good_ids)
def test_an_id_that_can_be_a_label_is_accepted_unchanged(object_id: str) -> None:
    assert validate_object_id(object_id, LABELS) == object_id


@FAST
@given(good_ids, st.data())
def test_an_id_with_a_comma_anywhere_is_refused(object_id: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(object_id)))
    with pytest.raises(InvalidUpdate, match="comma"):
        validate_object_id(object_id[:at] + "," + object_id[at:], LABELS)


@FAST
@given(good_ids, st.data())
def test_an_id_with_a_control_character_anywhere_is_refused(
    object_id: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(object_id)))
    control = data.draw(st.sampled_from(["\x00", "\n", "\t", "\x1b", "\x7f", "\u2028", "\u202e"]))
    with pytest.raises(InvalidUpdate, match="cannot be stored"):
        validate_object_id(object_id[:at] + control + object_id[at:], LABELS)


@FAST
@given(good_ids, st.sampled_from([" ", "  ", "\u00a0", "\u3000"]), st.booleans())
def test_an_id_with_surrounding_space_is_refused(object_id: str, space: str, before: bool) -> None:
    padded = space + object_id if before else object_id + space
    with pytest.raises(InvalidUpdate, match="white space"):
        validate_object_id(padded, LABELS)


@FAST
@given(st.integers(LIMIT + 1, 200))
def test_an_id_over_the_length_limit_is_refused_and_one_at_it_is_not(length: int) -> None:
    assert validate_object_id("x" * LIMIT, LABELS) == "x" * LIMIT
    with pytest.raises(InvalidUpdate, match=f"longer than {LIMIT}"):
        validate_object_id("x" * length, LABELS)


@pytest.mark.parametrize("bad", ["", None, 5, ["a"]])
def test_an_id_that_is_not_a_non_empty_string_is_refused(bad: Any) -> None:
    with pytest.raises(InvalidUpdate, match="non-empty string"):
        validate_object_id(bad, LABELS)


def nested(depth: int) -> Any:
    value: Any = 0
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


@FAST
@given(objects, st.sampled_from([math.nan, math.inf, -math.inf]), st.data())
def test_a_body_refuses_nan_and_infinity_wherever_they_hide(
    data: dict[str, Any], bad: float, draw: st.DataObject
) -> None:
    path = draw.draw(st.lists(st.sampled_from(["k", 0]), max_size=4))
    hidden: Any = bad
    for step in reversed(path):
        hidden = {"k": hidden} if step == "k" else [hidden]
    with pytest.raises(InvalidUpdate, match="not valid JSON"):
        dump_body({**data, "hidden": hidden})


def test_a_body_refuses_nesting_deeper_than_the_limit_and_takes_it_at_the_limit() -> None:
    assert json.loads(dump_body(nested(MAX_JSON_DEPTH))) == nested(MAX_JSON_DEPTH)
    with pytest.raises(InvalidUpdate, match="deeper than"):
        dump_body(nested(MAX_JSON_DEPTH + 1))
    with pytest.raises(InvalidUpdate, match="deeper than"):
        dump_body(nested(10_000))  # no RecursionError


def test_a_comment_nested_deeper_than_the_limit_is_invalid_not_a_crash() -> None:
    body = "[" * 10_000 + "]" * 10_000
    assert parse_comment('{"a": ' + body + "}").kind == "invalid"


@FAST
@given(objects)
def test_a_body_reads_back_as_the_data(data: dict[str, Any]) -> None:
    assert strict(json.loads(dump_body(data))) == strict(data)
