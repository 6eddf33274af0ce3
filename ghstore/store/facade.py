"""The async store: objects as issues in gh-store 0.11's format, through the gateway.

`Store` is a thin facade over its parts (`StoreContext`): typed access to the repository's
issues (ghstore.github.issues), the identity map, record types, reads and the write engine.

Request budget (warm caches): get 1, update 1-2 (one more with an expected version), create 4,
delete 1-2, list ceil(N/100), history and timeline ceil(C/100) for C comments.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from ..config import Config
from ..domain.collections import collection_label
from ..domain.format import ARCHIVED_LABEL, Labels
from ..domain.schemas import parse_schema_text
from ..domain.timeline import Timeline
from ..domain.verdicts import Check, ObjectState
from ..exceptions import ConfigurationError
from ..github.answers import IssueNode
from ..github.gateway import Gateway, GatewayStats, RateLimitStatus
from ..github.issues import Issues
from ..model import HistoryEntry, StoredObject
from .canonical import Canonicalizer
from .change import Change, ChangeKind
from .context import ReopenHook, StoreContext
from .identity import IdentityMap
from .reads import Reads
from .record_types import RecordTypes
from .timelines import list_timelines, read_timeline
from .uow import UnitOfWork

# The write engine (and its claims, plans and outcomes) is imported by the first write: a
# process that only reads (`ghstore get`) never loads it.

__all__ = ["Store", "split_repo"]


def split_repo(repo: str) -> tuple[str, str]:
    """OWNER/NAME -> (owner, name), or ConfigurationError."""
    owner, sep, name = repo.partition("/")
    if not sep or not owner or not name or "/" in name:
        raise ConfigurationError(f"repository {repo!r} is not OWNER/NAME")
    return owner, name


class Store:
    """JSON objects in a GitHub repository's issues (async)."""

    def __init__(self, repo: str, gateway: Gateway, config: Config | None = None) -> None:
        self.repo = repo
        self.owner, self.name = split_repo(repo)
        self.gateway = gateway
        config = config or Config()
        self.context = self._parts(config, IdentityMap(), RecordTypes(config.store))
        """The parts the writes, the unit of work, canonical operations and the processor use."""
        self.embedded: Any = None
        """The embedded local GitHub (an Emulator) this store runs on, if it is one."""

    def _parts(
        self,
        config: Config,
        identity: IdentityMap,
        types: RecordTypes,
        on_reopened: ReopenHook | None = None,
        known: Issues | None = None,
    ) -> StoreContext:
        self.config = config
        self.labels = Labels.from_config(config.store)
        if known is None:
            issues = Issues(self.gateway, self.owner, self.name, self.labels)
        else:
            issues = known.relabelled(self.labels)
        reads = Reads(self.repo, issues, identity, types, config)
        return StoreContext(self.repo, config, issues, identity, types, reads, on_reopened)

    def reconfigure(self, config: Config) -> None:
        """Work under `config` from now on (the repository's own configuration, read once a
        run): labels, trust and reactions follow it; record types and the hook are kept."""
        old = self.context
        old.types.declare(config.store, "the repository's configuration")
        self.context = self._parts(config, old.identity, old.types, old.on_reopened, old.issues)

    async def read_schema_files(self) -> None:
        """Read the collections' schema files (`store.collections.<name>.schema_file`, paths
        in the repository) from its default branch through GitHub: one request a file, once."""
        for collection, path in list(self.types.unread.items()):
            found = await self.issues.repository_file(f"HEAD:{path}")
            if found.text is None or found.truncated:
                what = "is not" if found.text is None else "is too large to be read"
                raise ConfigurationError(
                    f"the schema file {path!r} of collection {collection!r} {what} in the "
                    f"default branch of {self.repo}"
                )
            self.types.add_schema(collection, parse_schema_text(found.text, path), path)

    @property
    def issues(self) -> Issues:
        """Typed access to the repository's issues, labels and comments."""
        return self.context.issues

    @property
    def reads(self) -> Reads:
        """The read side: lookups, folding, history, listing."""
        return self.context.reads

    @property
    def types(self) -> RecordTypes:
        """The record types registered by id prefix."""
        return self.context.types

    @property
    def on_reopened(self) -> ReopenHook | None:
        """Called with the issue number after an update reopens an object (the embedded local
        GitHub processes it there, as the Actions workflow does on GitHub)."""
        return self.context.on_reopened

    @on_reopened.setter
    def on_reopened(self, hook: ReopenHook | None) -> None:
        self.context.on_reopened = hook

    # -- record types ----------------------------------------------------------------------
    def register_type(self, record_type: type[Any], *, prefix: str = "") -> None:
        """Objects whose id starts with `prefix` must fit `record_type`: the processor
        refuses updates that would not, and reads fold only the ones that do."""
        self.types.register(record_type, prefix=prefix)

    def record_type_for(self, object_id: str) -> type[Any] | None:
        """The record type registered for this id (the longest matching prefix)."""
        return self.types.type_for(object_id)

    def check_for(self, object_id: str) -> Check | None:
        """A check that data fits the id's record type, if one is registered."""
        return self.types.check_for(object_id)

    # -- plumbing --------------------------------------------------------------------------
    @property
    def stats(self) -> GatewayStats:
        """Requests and points spent through this store."""
        return self.gateway.stats

    @property
    def rate_limit(self) -> RateLimitStatus | None:
        """GitHub's rate-limit budget as last reported."""
        return self.gateway.rate_limit

    async def close(self) -> None:
        """Release the connection."""
        await self.gateway.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def ensure_labels(self) -> tuple[list[str], list[str]]:
        """Create the labels every object carries where missing: (created, existing before)."""
        names = [self.labels.base, self.labels.namespace, ARCHIVED_LABEL]
        await self.issues.context()
        existing = self.issues.known_labels()
        await self.issues.label_ids(*names)
        return [n for n in names if n not in existing], existing

    async def legacy_markers(self) -> dict[str, int]:
        """Identities other than the processors that marked updates processed, with how many:
        a repository gh-store 0.11 processed names its processor here (see Reads)."""
        return await self.reads.legacy_markers()

    # -- reads -----------------------------------------------------------------------------
    async def get(
        self, object_id: str, *, include_pending: bool = True, check: Check | None = None
    ) -> StoredObject[dict[str, Any]]:
        """The object; with `include_pending` (the default) authorized updates still waiting
        for the processor are folded in as it will fold them, so a reader sees its own writes
        at once, from the same single request. `check` refuses updates as the processor would
        (by default: the record type registered for the id)."""
        if include_pending:
            await self.read_schema_files()
        return await self.reads.get(object_id, include_pending=include_pending, check=check)

    async def history(self, object_id: str) -> list[HistoryEntry]:
        """Every comment of the object in order: applied, pending, or rejected with the reason."""
        return await self.reads.history(object_id)

    async def timeline(self, object_id: str) -> Timeline:
        """The object's history replayed: for each comment in GitHub's order, who, when,
        applied, pending or refused and why, the change as sent, and the state before and
        after it with what changed (see ghstore.domain.timeline). Reads every comment, as
        `history` does: ceil(C/100) requests for C comments (one more for an alias)."""
        await self.read_schema_files()
        return await read_timeline(self.reads, object_id)

    async def list(
        self,
        *,
        since: str | None = None,
        collection: str | None = None,
        include_pending: bool = True,
    ) -> AsyncIterator[StoredObject[dict[str, Any]]]:
        """Every live object (settled or with updates waiting), or those of one `collection`,
        100 per request, oldest first, with the data, version and pending count `get` gives
        (pending authorized updates folded in unless `include_pending=False`).

        `since` (ISO 8601) keeps objects updated at or after it. Aliases are left out (their
        targets are listed); an object with more than 90 comments costs one more read.
        """
        if include_pending:
            await self.read_schema_files()
        async for stored in self.reads.list(
            since=since, collection=collection, include_pending=include_pending
        ):
            yield stored

    async def timelines(
        self, *, collection: str | None = None
    ) -> AsyncIterator[tuple[StoredObject[dict[str, Any]], Timeline]]:
        """Every live object (or those of one `collection`) as `list` gives it, with its
        whole history replayed (ghstore.domain.timeline): one listing, ceil(N/100) requests
        for N objects, plus one per 100 older comments of an object with more than 90."""
        await self.read_schema_files()
        async for found in list_timelines(self.reads, collection=collection):
            yield found

    # -- writes ----------------------------------------------------------------------------
    async def create(
        self,
        object_id: str,
        data: dict[str, Any],
        *,
        collection: str | None = None,
        extra_labels: Sequence[str] = (),
    ) -> StoredObject[dict[str, Any]]:
        """Store a new object (in `collection`, if given; `extra_labels` on its issue beside
        the store's own, as gh-store 0.11's); DuplicateUIDError, and no issue made, if the id
        exists or another writer is creating it at the same moment."""
        change = Change(
            ChangeKind.CREATE,
            object_id,
            data,
            collection=collection,
            labels=tuple(extra_labels),
        )
        await self._write(change)
        assert change.issue is not None
        made = change.issue
        labels = (collection_label(collection),) if collection is not None else ()
        issue = IssueNode(
            made.id,
            made.number,
            made.state,
            created_at=made.created_at,
            updated_at=made.updated_at,
            labels=labels,
        )
        return StoredObject(data, self.reads.meta(object_id, issue, ObjectState(data, 1, 0)))

    async def update(
        self,
        object_id: str,
        changes: dict[str, Any],
        *,
        remove: Iterable[str | Sequence[str]] = (),
        expected_version: int | None = None,
    ) -> Change:
        """Post `changes` as an update comment and reopen the object for the processor
        (1 request, 2 when the object's issue is not known yet); the landed Change says where
        (its `key` is the comment's idempotency key, as `history` shows it). `remove` deletes
        keys (a key, or a path of keys into nested objects), before `changes` are merged.
        `expected_version`: the version the caller read; if the object has moved past it
        (applied or pending authorized updates), ConcurrentUpdateError and nothing is sent
        (one more request), and the processor refuses the update if it lost a race."""
        change = Change.update_of(object_id, changes, remove, expected_version)
        return await self._write(change)

    async def delete(self, object_id: str) -> None:
        """Archive the object: labels become archived + namespace + UID, and it is closed."""
        await self._write(Change(ChangeKind.DELETE, object_id))

    async def _write(self, change: Change) -> Change:
        from .writes import write  # noqa: PLC0415

        return await write(self.context, change)

    @property
    def canonical(self) -> Canonicalizer:
        """Aliases, merges and deduplication (ghstore.store.canonical)."""
        return Canonicalizer(self.context)

    def unit_of_work(self) -> UnitOfWork:
        """`async with store.unit_of_work() as uow:` groups writes into one commit."""
        return UnitOfWork(self.context)
