"""The public surface changes only on purpose; every error derives from one base class."""

from __future__ import annotations

import inspect

import ghstore
from ghstore import exceptions


def test_the_package_root_exports_one_sorted_list() -> None:
    assert ghstore.__all__ == sorted(ghstore.__all__)
    assert set(ghstore.__all__) == {
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
    }


def test_the_issue_names_import_from_ghstore_exceptions() -> None:
    from ghstore.exceptions import ConcurrentUpdateError, InvalidUpdate, ObjectNotFound

    assert all(
        issubclass(e, exceptions.GitHubStoreError)
        for e in (ConcurrentUpdateError, InvalidUpdate, ObjectNotFound)
    )


def test_every_exception_derives_from_github_store_error() -> None:
    classes = [
        obj
        for _, obj in inspect.getmembers(exceptions, inspect.isclass)
        if issubclass(obj, Exception)
    ]
    assert len(classes) >= 14
    assert all(issubclass(cls, exceptions.GitHubStoreError) for cls in classes)


def test_the_package_is_typed() -> None:
    from importlib import resources

    assert resources.files("ghstore").joinpath("py.typed").is_file()
