"""GitHubStore: the seed's synchronous API over the async store.

It drives the async core on a private event loop in its own thread, so it also works where
a loop is already running (Jupyter, async applications).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .bootstrap import close_embedded, connect
from .config import Config
from .domain.deep_merge import deep_merge, remove_paths
from .domain.timeline import Timeline
from .exceptions import ConcurrentUpdateError, ConfigurationError, InvalidUpdate, ObjectNotFound
from .logs import use_log_config
from .model import StoredObject, github_time
from .processor import Processor
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

    @property
    def stopped(self) -> bool:
        """The loop is closed: nothing more runs on it."""
        return self.loop.is_closed()

    def on_loop_thread(self) -> bool:
        """The caller is the loop's own thread (it must not wait for the loop)."""
        return threading.current_thread() is self._thread

    def run(self, coro: Coroutine[Any, Any, R]) -> R:
        if self.stopped:
            coro.close()
            raise ConfigurationError("this GitHubStore is closed")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        if self.stopped:
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()


async def _next(items: AsyncIterator[R]) -> R:
    return await anext(items)


async def aclose(items: AsyncIterator[Any]) -> None:
    """Close an async generator (a no-op for other async iterators)."""
    close = getattr(items, "aclose", None)
    if close is not None:
        await close()


def _release(loop: _LoopThread, core: Store) -> None:
    """Close a GitHubStore's connection and loop: on close(), at garbage collection or at
    interpreter exit (weakref.finalize), so no session is left unclosed."""
    if loop.stopped:
        return
    if loop.on_loop_thread():  # collected on its own loop: close there, without waiting
        loop.loop.create_task(core.close())
        return
    try:
        loop.run(core.close())
    finally:
        loop.stop()
        close_embedded(core)


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
    """JSON objects stored in GitHub issues (synchronous): gh-store 0.11's API, parameter for
    parameter, plus ghstore's (canonical objects, units of work, `close`).

    Its connection is released by `close()`, by leaving `with GitHubStore(...) as store:`, or
    at the latest when the store is garbage-collected or the interpreter exits.
    """

    def __init__(
        self,
        repo: str | None = None,
        token: str | None = None,
        config_path: str | Path | None = None,
        max_concurrent_updates: int = 2,
        *,
        api_url: str | None = None,
        config: Config | None = None,
        store: Store | None = None,
    ) -> None:
        self.max_concurrent_updates = max_concurrent_updates
        """`update` refuses (ConcurrentUpdateError) an object with more updates waiting."""
        self._loop = _LoopThread()
        try:
            self.core = store or self._loop.run(
                self._connect(repo, token, config_path, api_url, config)
            )
        except BaseException:
            self._loop.stop()
            raise
        self._release = weakref.finalize(self, _release, self._loop, self.core)
        if config_path is not None:
            use_log_config(self.core.config.store.log)

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

    def create(
        self,
        object_id: str,
        data: dict[str, Any],
        extra_labels: str | Sequence[str] | None = None,
    ) -> StoredObject[dict[str, Any]]:
        """Store a new object; `extra_labels` (one label, or several) go on its issue too."""
        labels = [extra_labels] if isinstance(extra_labels, str) else list(extra_labels or ())
        return self._run(self.core.create(object_id, data, extra_labels=labels))

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
        return the object as it will read once processed. ConcurrentUpdateError when more
        than `max_concurrent_updates` are waiting already (gh-store 0.11's rule)."""
        if not isinstance(changes, dict):
            raise InvalidUpdate(
                f"changes to {object_id!r} must be a JSON object, got {type(changes).__name__}",
                object_id=object_id,
            )

        async def go() -> StoredObject[dict[str, Any]]:
            current = await self.core.get(object_id)
            waiting = current.meta.pending_updates
            if waiting > self.max_concurrent_updates:
                raise ConcurrentUpdateError(
                    f"object {object_id!r} has {waiting} updates waiting for the processor "
                    f"already (max_concurrent_updates={self.max_concurrent_updates})",
                    object_id=object_id,
                )
            await self.core.update(
                object_id, changes, remove=remove, expected_version=expected_version
            )
            data = deep_merge(remove_paths(current.data, key_paths(remove)), changes)
            return StoredObject(data, current.meta)

        return self._run(go())

    def delete(self, object_id: str) -> None:
        """Archive an object."""
        self._run(self.core.delete(object_id))

    def process_updates(self, issue_number: int) -> StoredObject[dict[str, Any]]:
        """Apply the pending updates of the object on issue `issue_number` (what the Actions
        workflow runs); return the object as settled."""

        async def go() -> StoredObject[dict[str, Any]]:
            report = await Processor(self.core).process(issue_number)
            if report.object_id is None:
                raise ObjectNotFound(
                    f"issue #{issue_number} holds no stored object ({report.skipped})"
                )
            return await self.core.get(report.object_id, include_pending=False)

        return self._run(go())

    def list_all(self) -> Iterator[StoredObject[dict[str, Any]]]:
        """Every live object, read 100 at a time as the iteration goes."""
        return self._iterate(self.core.list())

    def list_updated_since(
        self, timestamp: dt.datetime | str
    ) -> Iterator[StoredObject[dict[str, Any]]]:
        """Live objects updated at or after `timestamp` (naive means UTC)."""
        if isinstance(timestamp, dt.datetime):
            moment = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=dt.UTC)
            since = github_time(moment)
        else:
            since = timestamp
        return self._iterate(self.core.list(since=since))

    def _iterate(self, items: AsyncIterator[R]) -> Iterator[R]:
        """An async iterator driven on the private loop, one item at a time."""
        try:
            while True:
                try:
                    yield self._run(_next(items))
                except StopAsyncIteration:
                    return
        finally:
            if not self._loop.stopped:
                self._run(aclose(items))

    def get_object_history(self, object_id: str) -> list[dict[str, Any]]:
        """The object's comments in order, each applied, pending or rejected (with why)."""
        return [entry.to_json() for entry in self._run(self.core.history(object_id))]

    def timeline(self, object_id: str) -> Timeline:
        """The object's history replayed with the state after each step (see Store.timeline)."""
        return self._run(self.core.timeline(object_id))

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
        """Release the connection and the private loop (again: nothing)."""
        self._release()

    def __enter__(self) -> GitHubStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
