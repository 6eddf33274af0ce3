"""`from ghstore.core.exceptions import ObjectNotFound, ...`: gh-store 0.11's import path of
the exceptions. They are ghstore's own (ghstore.exceptions), the same classes."""

from ..exceptions import (
    AccessDeniedError,
    ConcurrentUpdateError,
    ConfigurationError,
    DuplicateUIDError,
    GitHubStoreError,
    InvalidUpdate,
    ObjectNotFound,
)

__all__ = [
    "AccessDeniedError",
    "ConcurrentUpdateError",
    "ConfigurationError",
    "DuplicateUIDError",
    "GitHubStoreError",
    "InvalidUpdate",
    "ObjectNotFound",
]
