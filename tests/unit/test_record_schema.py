"""`json_schema(cls)`: the JSON Schema of an attrs record agrees with the converter: what
the converter writes fits it, and what the converter refuses does not."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any, Literal

import pytest
from attrs import define, field
from jsonschema import Draft202012Validator

from ghstore.exceptions import ConfigurationError, InvalidUpdate
from ghstore.records import json_schema, structure, unstructure


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@define
class Settings:
    theme: str
    size: int = 1


@define
class User:
    name: str
    age: int
    settings: Settings = field(factory=lambda: Settings("light"))
    tags: list[str] = field(factory=list)
    born: dt.date | None = None
    color: Color = Color.RED
    kind: Literal["a", "b"] = "a"
    scores: dict[str, float] = field(factory=dict)
    pair: tuple[int, str] = (0, "")


def fits(data: Any) -> bool:
    return Draft202012Validator(json_schema(User)).is_valid(data)


def refused_by_converter(data: Any) -> bool:
    try:
        structure(data, User)
    except InvalidUpdate:
        return True
    return False


def test_what_the_converter_writes_fits_the_schema() -> None:
    user = User(
        "A", 3, Settings("dark", 2), ["x"], dt.date(2020, 1, 2), Color.BLUE, "b", {"m": 1.5}
    )
    data = json.loads(json.dumps(unstructure(user)))  # as stored: a tuple is a JSON array
    assert fits(data)
    assert structure(data, User) == user


@pytest.mark.parametrize(
    "change",
    [
        {"age": "3"},  # no coercion
        {"age": True},  # a bool is not an int
        {"extra": 1},  # no unknown keys
        {"settings": {"theme": 7}},
        {"settings": {"theme": "x", "unknown": 1}},
        {"tags": [1]},
        {"color": "green"},
        {"kind": "c"},
        {"scores": {"m": "high"}},
        {"pair": [1, 2]},
    ],
)
def test_what_the_converter_refuses_does_not_fit_the_schema(change: dict[str, Any]) -> None:
    data = {**json.loads(json.dumps(unstructure(User("A", 3)))), **change}
    assert refused_by_converter(data)
    assert not fits(data)


def test_required_fields_are_those_without_a_default() -> None:
    schema = json_schema(User)
    assert schema["required"] == ["name", "age"]
    assert schema["$defs"]["Settings"]["required"] == ["theme"]
    assert not fits({"name": "A"})


def test_a_class_that_is_not_attrs_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="not an attrs class"):
        json_schema(dict)
