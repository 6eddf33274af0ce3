"""The one cattrs converter: user records (attrs classes) to JSON and back, strictly."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from cattrs import Converter
from cattrs.errors import BaseValidationError, ClassValidationError
from cattrs.v import format_exception, transform_error

from .exceptions import InvalidUpdate

__all__ = ["converter", "make_converter", "structure", "unstructure"]

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
    conv = Converter(forbid_extra_keys=True)
    for kind in (int, float, str, bool):
        conv.register_structure_hook(kind, _strict(kind))
    conv.register_unstructure_hook(dt.datetime, lambda value: value.isoformat())
    conv.register_structure_hook(dt.datetime, lambda value, _: dt.datetime.fromisoformat(value))
    conv.register_unstructure_hook(dt.date, lambda value: value.isoformat())
    conv.register_structure_hook(dt.date, lambda value, _: dt.date.fromisoformat(value))
    return conv


converter = make_converter()


def _format(exc: BaseException, kind: type | None) -> str:
    """cattrs' wording, with the reason kept where a validator or hook explained itself."""
    base = format_exception(exc, kind)
    if isinstance(exc, ValueError | TypeError) and str(exc) and kind is None:
        return f"invalid value ({exc})"
    if isinstance(exc, TypeError) and str(exc).startswith("expected "):
        return f"invalid value ({exc})"
    return base


def describe(exc: Exception, root: str = "$") -> tuple[str, str | None]:
    """A one-line reason and the first field path (like `$.profile.theme`) of a cattrs error."""
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
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, BaseValidationError, TypeError, ValueError, KeyError) as exc:
        reason, path = describe(exc)
        where = f"object {object_id!r}: " if object_id else ""
        raise InvalidUpdate(
            f"{where}data does not fit {cls.__name__}: {reason}", object_id=object_id, path=path
        ) from exc


def unstructure(record: Any) -> Any:
    """JSON data of a record (a dict passes through)."""
    return converter.unstructure(record)
