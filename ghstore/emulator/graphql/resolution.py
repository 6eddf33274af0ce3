"""Field and type resolution: each GraphQL field is answered by its view's method of that name."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from .errors import NotEmulated
from .views import Payload, View

__all__ = ["resolve_field", "resolve_type"]

_SIGNATURES: dict[Callable[..., Any], set[str] | None] = {}


def _accepted(method: Callable[..., Any]) -> set[str] | None:
    """Parameter names a resolver takes; None when it takes any (**args)."""
    if method not in _SIGNATURES:
        params = inspect.signature(method).parameters.values()
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            _SIGNATURES[method] = None
        else:
            _SIGNATURES[method] = {p.name for p in params}
    return _SIGNATURES[method]


def resolve_field(source: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
    """Resolve a field through its view's method; a missing one is NotEmulated, never null."""
    where = f"Field '{info.parent_type.name}.{info.field_name}'"
    if isinstance(source, Payload):
        if info.field_name in source.values:
            return source.values[info.field_name]
        raise NotEmulated(where)
    method = (
        None if info.field_name.startswith("_") else getattr(type(source), info.field_name, None)
    )
    if not callable(method) or not isinstance(source, View):
        raise NotEmulated(where)
    accepted = _accepted(method)
    if accepted is not None:
        field_args = info.parent_type.fields[info.field_name].args
        for name in list(args):
            if name not in accepted:
                if args[name] == field_args[name].default_value:
                    del args[name]
                else:
                    raise NotEmulated(
                        f"Argument '{name}' of field '{info.parent_type.name}.{info.field_name}'"
                    )
    return method(source, **args)


def resolve_type(value: Any, _info: GraphQLResolveInfo[Any], _abstract: Any) -> str:
    """The concrete GitHub type of a view."""
    return str(getattr(value, "dynamic_typename", None) or value.typename)
