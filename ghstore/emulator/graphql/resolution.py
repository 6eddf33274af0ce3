"""Field and type resolution: each GraphQL field is answered by its view's method of that name."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeGuard

from graphql import GraphQLResolveInfo

from .errors import FieldFault, NotEmulated
from .views import Payload, View

__all__ = ["resolve_field", "resolve_type", "synchronous"]

_Resolver = tuple[Callable[..., Any], set[str] | None]
_RESOLVERS: dict[tuple[type, str], _Resolver | None] = {}


def _resolver(view_type: type, field_name: str) -> _Resolver | None:
    """A view type's method for a field, and the parameter names it takes (None when it takes
    any: **args); None when the view has no such method. Found once per type and field."""
    key = (view_type, field_name)
    if key not in _RESOLVERS:
        method = None if field_name.startswith("_") else getattr(view_type, field_name, None)
        if not callable(method) or not issubclass(view_type, View):
            _RESOLVERS[key] = None
        else:
            params = inspect.signature(method).parameters.values()
            takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
            _RESOLVERS[key] = (method, None if takes_any else {p.name for p in params})
    return _RESOLVERS[key]


def resolve_field(source: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
    """Resolve a field through its view's method; a missing one is NotEmulated, never null."""
    if info.parent_type.name == "Mutation" and info.context.field_fault(info.field_name):
        raise FieldFault(info.field_name)
    if isinstance(source, Payload):
        if info.field_name in source.values:
            return source.values[info.field_name]
        raise NotEmulated(f"Field '{info.parent_type.name}.{info.field_name}'")
    found = _resolver(type(source), info.field_name)
    if found is None:
        raise NotEmulated(f"Field '{info.parent_type.name}.{info.field_name}'")
    method, accepted = found
    if accepted is not None and args:
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


def synchronous(_value: Any) -> TypeGuard[Awaitable[Any]]:
    """graphql-core's awaitable check, for resolvers that never return one (every view's):
    skips its per-value inspection."""
    return False


def resolve_type(value: Any, _info: GraphQLResolveInfo[Any], _abstract: Any) -> str:
    """The concrete GitHub type of a view."""
    return str(getattr(value, "dynamic_typename", None) or value.typename)
