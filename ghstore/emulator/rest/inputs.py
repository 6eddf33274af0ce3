"""What a REST request's JSON and query must hold: texts, label names, `since`. Their JSON
types are checked here; GitHub's rules for them are `issue_rules`, shared with GraphQL."""

from __future__ import annotations

from typing import Any

from .. import issue_rules
from ..state.timestamps import BadTimestampError, parse_datetime
from .errors import RestError, invalid, validation_failed
from .request import RestRequest

__all__ = ["body_text", "label_names", "not_emulated", "reject_unemulated", "since", "title_text"]


def not_emulated(request: RestRequest, what: str) -> RestError:
    """A request this emulator does not implement: a 422 naming it, never a silent answer."""
    route = f"{request.method} {request.path}"
    return RestError(422, f"{what} of {route} is not emulated by ghstore's local GitHub")


def reject_unemulated(request: RestRequest, data: dict[str, Any], names: tuple[str, ...]) -> None:
    """Refuse any of these inputs the emulator does not implement, when given."""
    for name in names:
        if data.get(name) not in (None, [], ""):
            raise not_emulated(request, f"Input '{name}'")


def since(request: RestRequest, resource: str) -> str | None:
    """The `since` query parameter as a stored timestamp."""
    text = request.query.get("since")
    if not text:
        return None
    try:
        return parse_datetime(text)
    except BadTimestampError as exc:
        raise validation_failed(invalid(resource, "since", value=text)) from exc


def body_text(request: RestRequest, resource: str, body: Any) -> str:
    """A body must be text (none is empty) within GitHub's size limit."""
    if body is None:
        return ""
    if not isinstance(body, str):
        raise validation_failed(invalid(resource, "body"))
    issue_rules.check_body(resource, body, request.emulator.limits)
    return body


def title_text(request: RestRequest, title: Any) -> str:
    """An issue title: text (a number is taken as its digits), present, not too long."""
    if isinstance(title, int) and not isinstance(title, bool):
        title = str(title)
    if title is None:
        title = ""  # missing, as blank is
    if not isinstance(title, str):
        raise validation_failed(invalid("Issue", "title"))
    issue_rules.check_title(title, request.emulator.limits)
    return title


def label_names(value: Any) -> list[str]:
    """Label names from `["a", ...]`, `[{"name": "a"}, ...]` or `{"labels": [...]}`."""
    if isinstance(value, dict):
        value = value.get("labels", [])
    if not isinstance(value, list):
        raise validation_failed(invalid("Label", "labels"))
    names = []
    for item in value:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str):
            raise validation_failed(invalid("Label", "labels"))
        names.append(name)
    return names
