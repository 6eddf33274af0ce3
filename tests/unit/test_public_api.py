"""The public surface changes only on purpose; every error derives from one base class."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing

import ghstore
from ghstore import exceptions


def test_the_package_root_exports_one_sorted_list() -> None:
    assert ghstore.__all__ == sorted(ghstore.__all__)
    assert set(ghstore.__all__) == {
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
    }


def test_the_issue_names_import_from_ghstore_exceptions() -> None:
    from ghstore.exceptions import ConcurrentUpdateError, InvalidUpdate, ObjectNotFound

    assert all(
        issubclass(e, exceptions.GitHubStoreError)
        for e in (ConcurrentUpdateError, InvalidUpdate, ObjectNotFound)
    )


def test_every_public_name_resolves_to_what_the_package_documents() -> None:
    for name in ghstore.__all__:
        assert getattr(ghstore, name) is not None, name
    assert "__version__" in dir(ghstore)


def _every_module() -> list[str]:
    found = pkgutil.walk_packages(ghstore.__path__, "ghstore.")
    return [info.name for info in found if not info.name.endswith("__main__")]


def test_every_exception_anywhere_in_the_package_derives_from_github_store_error() -> None:
    found = {}
    for name in _every_module():
        module = importlib.import_module(name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Exception) and obj.__module__.startswith("ghstore"):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    client = {k: v for k, v in found.items() if not k.startswith("ghstore.emulator.")}
    # private ones (`_Retry`, ...) are signals caught where they are raised
    public = {k: v for k, v in client.items() if not k.rsplit(".", 1)[1].startswith("_")}
    assert len(public) >= 17
    strays = [k for k, v in public.items() if not issubclass(v, exceptions.GitHubStoreError)]
    assert strays == []
    # and they are the one tree of ghstore.exceptions
    outside = [k for k in public if not k.startswith("ghstore.exceptions.")]
    # signals caught inside the gateway, the processor and the CLI, never raised out of them
    internal = {
        "ghstore.cli.connection.UsageRefused",
        "ghstore.github.errors.PartialFailure",
        "ghstore.github.errors.Retry",
        "ghstore.github.wire.AnswerErrors",
        "ghstore.github.wire.HttpStatus",
        "ghstore.github.wire.NoAnswer",
        "ghstore.processor.lock.LockRanOut",
    }
    assert set(outside) <= internal


def test_every_type_a_public_method_returns_is_exported() -> None:
    exported = {getattr(ghstore, name) for name in ghstore.__all__ if name[0].isupper()}
    for cls in (ghstore.Store, ghstore.GitHubStore, ghstore.UnitOfWork, ghstore.Processor):
        for name, member in inspect.getmembers(cls):
            if name.startswith("_") or not callable(member):
                continue
            hints = typing.get_type_hints(member) if inspect.isfunction(member) else {}
            returned = hints.get("return")
            for kind in (returned, *typing.get_args(returned)):
                if inspect.isclass(kind) and kind.__module__.startswith("ghstore"):
                    assert kind in exported, f"{cls.__name__}.{name} returns {kind.__name__}"


def test_the_package_is_typed() -> None:
    from importlib import resources

    assert resources.files("ghstore").joinpath("py.typed").is_file()
