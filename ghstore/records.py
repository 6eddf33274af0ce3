"""The one cattrs converter: user records (attrs classes) to JSON and back, strictly."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections import abc
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .exceptions import ConfigurationError, InvalidUpdate

if TYPE_CHECKING:
    from cattrs import Converter

    converter: Converter

# cattrs is imported when a record is first converted (a store of plain JSON objects, and
# commands like `ghstore get`, never load it).

__all__ = ["converter", "json_schema", "make_converter", "structure", "unstructure"]

T = TypeVar("T")


def _strict(kind: type[Any]) -> Any:
    def check(value: Any, _: type[Any]) -> Any:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__} {value!r}")
        return value

    return check


def make_converter() -> Converter:
    """A converter that refuses unknown keys and never coerces types (no "3" -> 3)."""
    from cattrs import Converter  # noqa: PLC0415

    conv = Converter(forbid_extra_keys=True)
    for kind in (int, float, str, bool):
        conv.register_structure_hook(kind, _strict(kind))
    conv.register_unstructure_hook(dt.datetime, lambda value: value.isoformat())
    conv.register_structure_hook(dt.datetime, lambda value, _: dt.datetime.fromisoformat(value))
    conv.register_unstructure_hook(dt.date, lambda value: value.isoformat())
    conv.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))
    return conv


@functools.cache
def _converter() -> Converter:
    return make_converter()


def __getattr__(name: str) -> Any:
    """`converter`, the shared converter, made on first use (PEP 562)."""
    if name == "converter":
        return _converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _format(exc: BaseException, kind: type | None) -> str:
    """cattrs' wording, with the reason kept where a validator or hook explained itself."""
    from cattrs.v import format_exception  # noqa: PLC0415

    base = format_exception(exc, kind)
    if isinstance(exc, ValueError | TypeError) and str(exc) and kind is None:
        return f"invalid value ({exc})"
    if isinstance(exc, TypeError) and str(exc).startswith("expected "):
        return f"invalid value ({exc})"
    return base


def describe(exc: Exception, root: str = "$") -> tuple[str, str | None]:
    """A one-line reason and the first field path (like `$.profile.theme`) of a cattrs error."""
    from cattrs.errors import BaseValidationError  # noqa: PLC0415
    from cattrs.v import transform_error  # noqa: PLC0415

    if isinstance(exc, BaseValidationError):
        messages = transform_error(exc, path=root, format_exception=_format)
        first = messages[0] if messages else str(exc)
        path = first.rsplit(" @ ", 1)[1] if " @ " in first else None
        return "; ".join(messages), path
    return str(exc), None


def structure(data: Any, cls: type[T], *, object_id: str | None = None) -> T:
    """Build a record of `cls` from JSON data, or raise InvalidUpdate naming the field path."""
    if cls is dict or cls is Any:
        if not isinstance(data, dict):
            raise InvalidUpdate(
                f"expected a JSON object, got {type(data).__name__}", object_id=object_id
            )
        return data  # type: ignore[return-value]
    from cattrs.errors import BaseValidationError, ClassValidationError  # noqa: PLC0415

    try:
        return _converter().structure(data, cls)
    except (ClassValidationError, BaseValidationError, TypeError, ValueError, KeyError) as exc:
        reason, path = describe(exc)
        where = f"object {object_id!r}: " if object_id else ""
        raise InvalidUpdate(
            f"{where}data does not fit {cls.__name__}: {reason}", object_id=object_id, path=path
        ) from exc


def unstructure(record: Any) -> Any:
    """JSON data of a record (a dict passes through)."""
    return _converter().unstructure(record)


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SCALARS: dict[Any, dict[str, Any]] = {
    int: {"type": "integer"},
    float: {"type": "number"},
    str: {"type": "string"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    dt.datetime: {"type": "string", "format": "date-time"},
    dt.date: {"type": "string", "format": "date"},
    Any: {},
}


def json_schema(record_type: type[Any]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON an attrs class is stored as, with the
    converter's rules: no unknown keys, no coercion; nested classes go under `$defs`."""
    if not attrs.has(record_type):
        raise ConfigurationError(f"{record_type.__name__} is not an attrs class")
    defs: dict[str, Any] = {}
    schema = {"$schema": JSON_SCHEMA_DIALECT, **_class_schema(record_type, defs)}
    if defs:
        schema["$defs"] = defs
    return schema


def _class_schema(cls: type[Any], defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties = {}
    required = []
    for attribute in attrs.fields(cls):
        properties[attribute.name] = _type_schema(hints.get(attribute.name, Any), defs)
        if attribute.default is attrs.NOTHING:
            required.append(attribute.name)
    return {
        "title": cls.__name__,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _type_schema(kind: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if kind in _SCALARS:
        return dict(_SCALARS[kind])
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"enum": [member.value for member in kind]}
    if isinstance(kind, type) and attrs.has(kind):
        if kind.__name__ not in defs:
            defs[kind.__name__] = {}  # a class that holds itself refers to its own entry
            defs[kind.__name__] = _class_schema(kind, defs)
        return {"$ref": f"#/$defs/{kind.__name__}"}
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_type_schema(arg, defs) for arg in args]}
    if origin in (list, set, frozenset, abc.Sequence, abc.MutableSequence, abc.Set):
        return {"type": "array", "items": _type_schema(args[0] if args else Any, defs)}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _type_schema(args[0], defs)}
        items = [_type_schema(arg, defs) for arg in args]
        size = len(items)
        return {"type": "array", "prefixItems": items, "minItems": size, "maxItems": size}
    if origin in (dict, abc.Mapping, abc.MutableMapping):
        value = args[1] if len(args) == 2 else Any
        return {"type": "object", "additionalProperties": _type_schema(value, defs)}
    if kind in (dict, list):
        return {"type": "object"} if kind is dict else {"type": "array"}
    raise ConfigurationError(f"no JSON Schema for the type {kind!r}")
