"""ghstore: JSON objects stored in GitHub issues, updated through comments.

from ghstore import GitHubStore, Repository, Store, connect
"""

__version__ = "0.1.0"

from .bootstrap import connect, embedded_store
from .config import Config, load_config
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
    ObjectNotFound,
    ObjectTooLarge,
    RateLimitExceeded,
    RemoteError,
    RepositoryNotFound,
)
from .facade import GitHubStore
from .gateway import Gateway
from .model import HistoryEntry, ObjectMeta, StoredObject
from .repository import Repository
from .store import Store

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "CanonicalizationError",
    "CommitError",
    "ConcurrentUpdateError",
    "Config",
    "ConfigurationError",
    "DuplicateUIDError",
    "Gateway",
    "GitHubStore",
    "GitHubStoreError",
    "GitHubUnavailable",
    "HistoryEntry",
    "InvalidUpdate",
    "ObjectMeta",
    "ObjectNotFound",
    "ObjectTooLarge",
    "RateLimitExceeded",
    "RemoteError",
    "Repository",
    "RepositoryNotFound",
    "Store",
    "StoredObject",
    "__version__",
    "connect",
    "embedded_store",
    "load_config",
]
