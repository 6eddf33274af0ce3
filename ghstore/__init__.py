"""ghstore: JSON objects stored in GitHub issues, updated through comments.

    from ghstore import GitHubStore, Repository, Store, connect

The face is lazy: a name is imported when it is first used, so importing a subpackage
(`ghstore.domain`, `ghstore.emulator`) loads nothing of the client it does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .bootstrap import connect, embedded_store
    from .config import Config, load_config
    from .domain.timeline import FieldChange, Step, Timeline
    from .exceptions import (
        AccessDeniedError,
        AuthenticationError,
        CanonicalizationError,
        CommitError,
        ConcurrentUpdateError,
        ConfigurationError,
        DuplicateUIDError,
        GitHubStoreError,
        GitHubUnavailable,
        InvalidUpdate,
        LockTimeout,
        ObjectNotFound,
        ObjectTooLarge,
        RateLimitExceeded,
        RemoteError,
        RepositoryNotFound,
        SnapshotError,
    )
    from .github.gateway import Gateway, GatewayStats, RateLimitStatus
    from .model import HistoryEntry, ObjectMeta, StoredObject
    from .processor import Processor, ProcessReport, Rejection
    from .store import Store
    from .store.canonical import Canonicalizer, Plan
    from .store.change import Change, ChangeKind, ChangeStatus
    from .store.repository import Repository
    from .store.snapshot import Refresh
    from .store.uow import UnitOfWork
    from .sync import GitHubStore, SyncUnitOfWork

# name -> the module that defines it
_EXPORTS = {
    **dict.fromkeys(("connect", "embedded_store"), "bootstrap"),
    **dict.fromkeys(("Config", "load_config"), "config"),
    **dict.fromkeys(("FieldChange", "Step", "Timeline"), "domain.timeline"),
    **dict.fromkeys(
        (
            "AccessDeniedError",
            "AuthenticationError",
            "CanonicalizationError",
            "CommitError",
            "ConcurrentUpdateError",
            "ConfigurationError",
            "DuplicateUIDError",
            "GitHubStoreError",
            "GitHubUnavailable",
            "InvalidUpdate",
            "LockTimeout",
            "ObjectNotFound",
            "ObjectTooLarge",
            "RateLimitExceeded",
            "RemoteError",
            "RepositoryNotFound",
            "SnapshotError",
        ),
        "exceptions",
    ),
    **dict.fromkeys(("Gateway", "GatewayStats", "RateLimitStatus"), "github.gateway"),
    **dict.fromkeys(("HistoryEntry", "ObjectMeta", "StoredObject"), "model"),
    **dict.fromkeys(("ProcessReport", "Processor", "Rejection"), "processor"),
    "Store": "store",
    **dict.fromkeys(("Canonicalizer", "Plan"), "store.canonical"),
    **dict.fromkeys(("Change", "ChangeKind", "ChangeStatus"), "store.change"),
    "Repository": "store.repository",
    "Refresh": "store.snapshot",
    "UnitOfWork": "store.uow",
    **dict.fromkeys(("GitHubStore", "SyncUnitOfWork"), "sync"),
}

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "CanonicalizationError",
    "Canonicalizer",
    "Change",
    "ChangeKind",
    "ChangeStatus",
    "CommitError",
    "ConcurrentUpdateError",
    "Config",
    "ConfigurationError",
    "DuplicateUIDError",
    "FieldChange",
    "Gateway",
    "GatewayStats",
    "GitHubStore",
    "GitHubStoreError",
    "GitHubUnavailable",
    "HistoryEntry",
    "InvalidUpdate",
    "LockTimeout",
    "ObjectMeta",
    "ObjectNotFound",
    "ObjectTooLarge",
    "Plan",
    "ProcessReport",
    "Processor",
    "RateLimitExceeded",
    "RateLimitStatus",
    "Refresh",
    "Rejection",
    "RemoteError",
    "Repository",
    "RepositoryNotFound",
    "SnapshotError",
    "Step",
    "Store",
    "StoredObject",
    "SyncUnitOfWork",
    "Timeline",
    "UnitOfWork",
    "__version__",
    "connect",
    "embedded_store",
    "load_config",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ghstore' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
