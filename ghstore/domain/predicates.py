"""Field predicates over JSON objects: what `find` and `count` keep.

    where("age") >= 18                    comparison: == != < <= > >=
    where("address.city") == "Paris"      a dotted path into nested objects
    where(("tags", 0)) == "x"             a tuple path: keys (and list indexes) as given
    where("status").is_in(["open", "new"])  membership: the value is one of these
    where("tags").contains("x")           the list holds it (a string: the substring)

JSON semantics: a number never equals a boolean or a string (`1 != True`, `1 == 1.0`);
comparisons order numbers with numbers and strings with strings, anything else (a string
field against a number, null, a list) is InvalidQuery naming the path and the object. A path
that is absent from an object (a missing key, a list too short, a key into a non-object)
matches nothing, whatever the operator, `!=` included.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from attrs import frozen

from ..exceptions import InvalidQuery

__all__ = [
    "OPERATORS",
    "Field",
    "Path",
    "Predicate",
    "all_of",
    "json_equal",
    "json_kind",
    "matches_all",
    "parse_path",
    "path_text",
    "predicate",
    "where",
]

Path = tuple[str | int, ...]
_ABSENT = object()
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "contains")
"""The operators by name, as the command line's `--where PATH OP VALUE` spells them."""


def parse_path(path: str | Sequence[str | int]) -> Path:
    """A path: "a.b.c" (keys), or a tuple of keys and list indexes; InvalidQuery if empty."""
    parts: Path = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
    bad = [p for p in parts if not (isinstance(p, int | str) and not isinstance(p, bool))]
    if not parts or "" in parts or bad:
        raise InvalidQuery(f"{path!r} is not a path: give 'key.key' or a tuple of keys")
    return parts


def path_text(path: Path) -> str:
    """A path as people write it: address.city, tags[0]."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def json_kind(value: Any) -> str:
    """The JSON kind of a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list | tuple) else "object"


def json_equal(left: Any, right: Any) -> bool:
    """Equality of JSON values (a number never equals a boolean; 1 equals 1.0)."""
    if json_kind(left) != json_kind(right):
        return False
    if isinstance(left, Mapping):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple):
        return len(left) == len(right) and all(map(json_equal, left, right))
    return bool(left == right)


def _at(data: Any, path: Path) -> Any:
    """The value at `path` in `data`, or _ABSENT."""
    for part in path:
        inside = (
            isinstance(data, list) and -len(data) <= part < len(data)
            if isinstance(part, int)
            else isinstance(data, Mapping) and part in data
        )
        if not inside:
            return _ABSENT
        data = data[part]
    return data


@frozen
class Predicate:
    """One test of the value at a path: `op` is one of OPERATORS."""

    path: Path
    op: str
    value: Any

    def __str__(self) -> str:
        return f"{path_text(self.path)} {self.op} {self.value!r}"

    def matches(self, data: Any, object_id: str = "") -> bool:
        """Whether the object's data passes (InvalidQuery if its value cannot be compared)."""
        found = _at(data, self.path)
        if found is _ABSENT:
            return False
        if self.op in ("=", "!="):
            return json_equal(found, self.value) == (self.op == "=")
        if self.op == "in":
            return any(json_equal(found, candidate) for candidate in self.value)
        if self.op == "contains":
            return self._contains(found, object_id)
        if json_kind(found) != json_kind(self.value) or json_kind(found) not in (
            "number",
            "string",
        ):
            raise self._error(found, object_id, f"cannot be ordered against {self.value!r}")
        return _ORDER[self.op](found, self.value)

    def _contains(self, found: Any, object_id: str) -> bool:
        if isinstance(found, list):
            return any(json_equal(item, self.value) for item in found)
        if isinstance(found, str) and isinstance(self.value, str):
            return self.value in found
        raise self._error(found, object_id, "is neither an array nor a string to look in")

    def _error(self, found: Any, object_id: str, why: str) -> InvalidQuery:
        where_ = f" of object {object_id!r}" if object_id else ""
        return InvalidQuery(
            f"{self}: the value at {path_text(self.path)!r}{where_} is a {json_kind(found)} "
            f"({found!r}), which {why}",
            path=path_text(self.path),
            object_id=object_id or None,
        )


def predicate(path: str | Sequence[str | int], op: str, value: Any) -> Predicate:
    """A checked predicate: a known operator, and a value it can work with."""
    parts = parse_path(path)
    if op not in OPERATORS:
        raise InvalidQuery(f"unknown operator {op!r}: use one of {' '.join(OPERATORS)}")
    if op in _ORDER and json_kind(value) not in ("number", "string"):
        raise InvalidQuery(f"{path_text(parts)} {op} {value!r}: order by a number or a string")
    if op == "in":
        if not isinstance(value, list | tuple | set | frozenset):
            raise InvalidQuery(f"{path_text(parts)} in {value!r}: give a list of values")
        value = list(value)
    return Predicate(parts, op, value)


class Field:
    """`where(path)`: the value at a path, with the operators that make predicates."""

    def __init__(self, path: str | Sequence[str | int]) -> None:
        self.path = parse_path(path)

    def __eq__(self, value: object) -> Predicate:  # type: ignore[override]
        return predicate(self.path, "=", value)

    def __ne__(self, value: object) -> Predicate:  # type: ignore[override]
        return predicate(self.path, "!=", value)

    def __lt__(self, value: Any) -> Predicate:
        return predicate(self.path, "<", value)

    def __le__(self, value: Any) -> Predicate:
        return predicate(self.path, "<=", value)

    def __gt__(self, value: Any) -> Predicate:
        return predicate(self.path, ">", value)

    def __ge__(self, value: Any) -> Predicate:
        return predicate(self.path, ">=", value)

    def is_in(self, values: Sequence[Any]) -> Predicate:
        """The value is one of `values`."""
        return predicate(self.path, "in", values)

    def contains(self, value: Any) -> Predicate:
        """The value is an array holding `value`, or a string holding it as a substring."""
        return predicate(self.path, "contains", value)

    __hash__ = None  # type: ignore[assignment]


def where(path: str | Sequence[str | int]) -> Field:
    """The field at `path` ("a.b" or a tuple of keys and list indexes), to compare."""
    return Field(path)


def all_of(predicates: Sequence[Predicate], equals: Mapping[str, Any]) -> list[Predicate]:
    """Positional predicates and keyword equalities (`status="open"`) as one list."""
    for given in predicates:
        if not isinstance(given, Predicate):
            raise InvalidQuery(f"{given!r} is not a predicate: build one with where(PATH)")
    return [*predicates, *(predicate((key,), "=", value) for key, value in equals.items())]


def matches_all(predicates: Sequence[Predicate], data: Any, object_id: str = "") -> bool:
    """Whether the object's data passes every predicate (none: every object does)."""
    return all(test.matches(data, object_id) for test in predicates)
