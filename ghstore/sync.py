"""GitHubStore: the seed's synchronous API over the async store.

It drives the async core on a private event loop in its own thread, so it also works where
a loop is already running (Jupyter, async applications).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable, Coroutine, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .bootstrap import connect
from .config import Config
from .domain.deep_merge import deep_merge, remove_paths
from .model import StoredObject
from .store import Store
from .store.canonical import Plan
from .store.change import Change, key_paths
from .store.uow import UnitOfWork

__all__ = ["GitHubStore"]

R = TypeVar("R")


class _LoopThread:
    """A private event loop running in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="ghstore-loop", daemon=True
        )
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, R]) -> R:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()


class SyncUnitOfWork:
    """The synchronous form of UnitOfWork, for GitHubStore."""

    def __init__(self, run: Callable[[Coroutine[Any, Any, Any]], Any], uow: UnitOfWork) -> None:
        self._run = run
        self.uow = uow

    def create(self, object_id: str, obj: Any) -> None:
        """Register a new object."""
        self.uow.create(object_id, obj)

    def update(self, object_id: str, changes: dict[str, Any]) -> None:
        """Register an update."""
        self.uow.update(object_id, changes)

    def delete(self, object_id: str) -> None:
        """Register an archive."""
        self.uow.delete(object_id)

    def commit(self) -> list[Change]:
        """Send everything registered (see UnitOfWork.commit)."""
        landed: list[Change] = self._run(self.uow.commit())
        return landed

    def __enter__(self) -> SyncUnitOfWork:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if not self.uow.committed or kind is not None:
            self.uow.rollback()


class GitHubStore:
    """JSON objects stored in GitHub issues (synchronous, gh-store 0.11's API)."""

    def __init__(
        self,
        repo: str | None = None,
        token: str | None = None,
        config_path: str | Path | None = None,
        api_url: str | None = None,
        *,
        config: Config | None = None,
        store: Store | None = None,
    ) -> None:
        self._loop = _LoopThread()
        try:
            self.core = store or self._loop.run(
                self._connect(repo, token, config_path, api_url, config)
            )
        except BaseException:
            self._loop.stop()
            raise

    @staticmethod
    async def _connect(
        repo: str | None,
        token: str | None,
        config_path: str | Path | None,
        api_url: str | None,
        config: Config | None,
    ) -> Store:
        return connect(repo, token, config=config, config_path=config_path, api_url=api_url)

    def _run(self, coro: Coroutine[Any, Any, R]) -> R:
        return self._loop.run(coro)

    @property
    def repo(self) -> str:
        """OWNER/NAME."""
        return self.core.repo

    @property
    def stats(self) -> Any:
        """Requests and points spent."""
        return self.core.stats

    @property
    def rate_limit(self) -> Any:
        """GitHub's rate-limit budget as last reported."""
        return self.core.rate_limit

    def create(self, object_id: str, data: dict[str, Any]) -> StoredObject[dict[str, Any]]:
        """Store a new object."""
        return self._run(self.core.create(object_id, data))

    def get(self, object_id: str, *, include_pending: bool = True) -> StoredObject[dict[str, Any]]:
        """An object (settled or not), pending authorized updates folded in by default."""
        return self._run(self.core.get(object_id, include_pending=include_pending))

    def update(
        self,
        object_id: str,
        changes: dict[str, Any],
        *,
        remove: Iterable[str | Sequence[str]] = (),
        expected_version: int | None = None,
    ) -> StoredObject[dict[str, Any]]:
        """Post an update (`remove`: keys to delete; `expected_version`: see Store.update);
        return the object as it will read once processed."""

        async def go() -> StoredObject[dict[str, Any]]:
            current = await self.core.get(object_id)
            await self.core.update(
                object_id, changes, remove=remove, expected_version=expected_version
            )
            data = deep_merge(remove_paths(current.data, key_paths(remove)), changes)
            return StoredObject(data, current.meta)

        return self._run(go())

    def delete(self, object_id: str) -> None:
        """Archive an object."""
        self._run(self.core.delete(object_id))

    def list_all(self) -> dict[str, StoredObject[dict[str, Any]]]:
        """Every live object by id (an empty store gives {})."""

        async def go() -> dict[str, StoredObject[dict[str, Any]]]:
            return {obj.meta.object_id: obj async for obj in self.core.list()}

        return self._run(go())

    def list_updated_since(
        self, timestamp: dt.datetime | str
    ) -> dict[str, StoredObject[dict[str, Any]]]:
        """Live objects updated at or after `timestamp`."""
        if isinstance(timestamp, dt.datetime):
            moment = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=dt.UTC)
            since = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            since = timestamp

        async def go() -> dict[str, StoredObject[dict[str, Any]]]:
            return {obj.meta.object_id: obj async for obj in self.core.list(since=since)}

        return self._run(go())

    def get_object_history(self, object_id: str) -> list[dict[str, Any]]:
        """The object's comments in order, each applied, pending or rejected (with why)."""
        return [entry.to_json() for entry in self._run(self.core.history(object_id))]

    # -- canonical objects (gh-store's CanonicalStore, working) ----------------------------
    def resolve(self, object_id: str) -> str:
        """The canonical id behind an alias or merged id."""
        return self._run(self.core.canonical.resolve(object_id))

    def create_alias(self, alias_id: str, target_id: str, *, dry_run: bool = False) -> Plan:
        """Make `alias_id` stand for `target_id`."""
        return self._run(self.core.canonical.create_alias(alias_id, target_id, dry_run=dry_run))

    def merge(self, source_id: str, target_id: str, *, dry_run: bool = False) -> Plan:
        """Fold `source_id` into `target_id` and retire it."""
        return self._run(self.core.canonical.merge(source_id, target_id, dry_run=dry_run))

    def find_duplicates(self) -> dict[str, list[int]]:
        """Ids held by more than one live issue."""
        return self._run(self.core.canonical.find_duplicates())

    def deduplicate(self, object_id: str, *, dry_run: bool = False) -> Plan:
        """Keep the oldest issue of `object_id`, fold the others into it."""
        return self._run(self.core.canonical.deduplicate(object_id, dry_run=dry_run))

    def unit_of_work(self) -> SyncUnitOfWork:
        """`with store.unit_of_work() as uow: ...; uow.commit()` (see UnitOfWork)."""
        return SyncUnitOfWork(self._run, self.core.unit_of_work())

    def close(self) -> None:
        """Release the connection and the private loop."""
        try:
            self._run(self.core.close())
        finally:
            self._loop.stop()

    def __enter__(self) -> GitHubStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
