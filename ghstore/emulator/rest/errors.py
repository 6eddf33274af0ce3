"""Answers other than success, in GitHub's REST error shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..issue_rules import Blank, Locked, RuleBrokenError, Taken, TooLong

__all__ = [
    "INTEGRATION_REFUSAL",
    "REST_DOCS_URL",
    "RestError",
    "forbidden",
    "invalid",
    "not_emulated_route",
    "not_found",
    "rule_error",
    "validation_failed",
]

REST_DOCS_URL = "https://docs.github.com/rest"


class RestError(Exception):
    """An answer other than success, in GitHub's REST error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        *,
        permission: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = list(errors) if errors is not None else None
        self.headers = headers or {}
        self.permission = permission
        """A refusal for want of a permission (an app's token hears INTEGRATION_REFUSAL)."""

    def body(self) -> dict[str, Any]:
        """`{"message", "errors"?, "documentation_url", "status"}` as GitHub answers."""
        out: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            out["errors"] = self.errors
        out["documentation_url"] = REST_DOCS_URL
        out["status"] = str(self.status)
        return out


def not_found(message: str = "Not Found") -> RestError:
    """404: the thing is absent, or the viewer may not see it."""
    return RestError(404, message)


def not_emulated_route(method: str, path: str) -> RestError:
    """A route the local GitHub does not implement: 501, never a 404 that a client would
    read as "this thing does not exist"."""
    return RestError(501, f"{method} {path} is not emulated by ghstore's local GitHub")


def forbidden(message: str = "Must have admin rights to Repository.") -> RestError:
    """403: the viewer sees the repository but lacks the permission the request needs."""
    return RestError(403, message, permission=True)


INTEGRATION_REFUSAL = "Resource not accessible by integration"
"""What GitHub tells an app's token (Actions' GITHUB_TOKEN) it refuses for want of a
permission [actions/create-github-app-token#258]."""


def invalid(resource: str, field_name: str, code: str = "invalid", **extra: Any) -> dict[str, Any]:
    """One entry of a 422's `errors`."""
    return {"resource": resource, "code": code, "field": field_name, **extra}


def validation_failed(*errors: dict[str, Any]) -> RestError:
    """422 Validation Failed with its `errors`."""
    return RestError(422, "Validation Failed", errors)


def rule_error(broken: RuleBrokenError) -> RestError:
    """A broken issue rule as the REST API answers it: 403 for a lock, else a 422 entry."""
    resource, field = broken.resource, broken.field
    if isinstance(broken, Locked):
        return forbidden(broken.sentence())
    if isinstance(broken, Blank):
        return validation_failed(invalid(resource, field, "missing_field"))
    if isinstance(broken, TooLong):
        message = broken.sentence(capital=False)
        return validation_failed(invalid(resource, field, "custom", message=message))
    if isinstance(broken, Taken):
        return validation_failed(invalid(resource, field, "already_exists", value=broken.value))
    return validation_failed(invalid(resource, field))  # GitHub names no value (errors scenario)
