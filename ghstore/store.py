"""The async store: objects as issues in gh-store 0.11's format, through the gateway.

Request budget (warm caches): get 1, update 1-2, create 3, delete 1-2, list ceil(N/100).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from attrs import define

from .canonical import ALIAS_PREFIX, RETIRED_LABEL, follow, redirect_of
from .config import REACTION_CONTENT, Config
from .documents import Call
from .exceptions import (
    ConfigurationError,
    GitHubUnavailable,
    InvalidUpdate,
    ObjectNotFound,
)
from .format import (
    ARCHIVED_LABEL,
    Labels,
    parse_body,
    validate_object_id,
)
from .gateway import Gateway, GatewayStats, RateLimitStatus
from .large import assemble, is_stub, size_check
from .model import HistoryEntry, ObjectMeta, StoredObject
from .records import structure
from .uow import UnitOfWork
from .updates import WRITE_PERMISSIONS, Check, Trust, classify, comment_from_node, fold
from .writes import Change, WriteEngine

if TYPE_CHECKING:
    from .canonicalizer import Canonicalizer

__all__ = ["Store", "split_repo"]

log = logging.getLogger("ghstore")


def split_repo(repo: str) -> tuple[str, str]:
    """OWNER/NAME -> (owner, name), or ConfigurationError."""
    owner, sep, name = repo.partition("/")
    if not sep or not owner or not name or "/" in name:
        raise ConfigurationError(f"repository {repo!r} is not OWNER/NAME")
    return owner, name


@define
class _Context:
    repository_id: str
    viewer: str
    permission: str
    labels: dict[str, str]


@define
class _Located:
    node_id: str
    number: int
    state: str
    uid_label_id: str
    can_reopen: bool = True


class Store:
    """JSON objects in a GitHub repository's issues (async)."""

    def __init__(self, repo: str, gateway: Gateway, config: Config | None = None) -> None:
        self.repo = repo
        self.owner, self.name = split_repo(repo)
        self.gateway = gateway
        self.config = config or Config()
        self.labels = Labels.from_config(self.config.store)
        self._context: _Context | None = None
        self._located: dict[str, _Located] = {}
        self._types: list[tuple[str, type[Any]]] = []
        self.embedded: Any = None
        """The embedded local GitHub (an Emulator) this store runs on, if it is one."""
        self.on_reopened: Callable[[int], Awaitable[object]] | None = None
        """Called with the issue number after an update reopens an object (the embedded local
        GitHub processes it there, as the Actions workflow does on GitHub)."""

    # -- record types ----------------------------------------------------------------------
    def register_type(self, record_type: type[Any], *, prefix: str = "") -> None:
        """Objects whose id starts with `prefix` must fit `record_type`: the processor
        refuses updates that would not, and reads fold only the ones that do."""
        self._types = [(p, t) for p, t in self._types if p != prefix]
        self._types.append((prefix, record_type))
        self._types.sort(key=lambda entry: -len(entry[0]))

    def record_type_for(self, object_id: str) -> type[Any] | None:
        """The record type registered for this id (the longest matching prefix)."""
        return next((t for p, t in self._types if object_id.startswith(p)), None)

    def check_for(self, object_id: str) -> Check | None:
        """A check that data fits the id's record type, if one is registered."""
        record_type = self.record_type_for(object_id)
        if record_type is None:
            return None

        def check(data: dict[str, Any]) -> None:
            structure(data, record_type, object_id=object_id)

        return check

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

    def _where(self) -> dict[str, Any]:
        return {"owner": self.owner, "name": self.name}

    def _content(self, reaction: str) -> str:
        return REACTION_CONTENT[reaction]

    async def _ctx(self) -> _Context:
        """The repository id and the ids of the labels every object uses (cached)."""
        if self._context is None:
            data = await self.gateway.query(
                "RepositoryContext",
                {
                    **self._where(),
                    "baseLabel": self.labels.base,
                    "namespaceLabel": self.labels.namespace,
                    "archivedLabel": ARCHIVED_LABEL,
                },
            )
            repo = data["repository"]
            found = {
                node["name"]: node["id"]
                for node in (repo.get("base"), repo.get("namespace"), repo.get("archived"))
                if node
            }
            self._context = _Context(
                repo["id"], data["viewer"]["login"], repo["viewerPermission"], found
            )
        return self._context

    async def _label_ids(self, *names: str) -> list[str]:
        """Ids of these labels, created with gh-store's colours where missing (one request)."""
        ctx = await self._ctx()
        missing = [n for n in names if n not in ctx.labels]
        if missing:
            outcomes = await self.gateway.mutate(
                [
                    Call(
                        "CreateLabel",
                        {
                            "repositoryId": ctx.repository_id,
                            "name": n,
                            "color": self.labels.color(n),
                        },
                    )
                    for n in missing
                ]
            )
            for outcome in outcomes:
                if outcome.error is not None:
                    # Someone else created it since we looked: look it up by name.
                    name = outcome.call.variables["name"]
                    found = await self.gateway.query(
                        "LabelByName", {**self._where(), "labelName": name}
                    )
                    label = found["repository"]["label"]
                    if label is None:
                        raise outcome.error
                    ctx.labels[name] = label["id"]
                else:
                    assert outcome.data is not None
                    label = outcome.data["createLabel"]["label"]
                    ctx.labels[label["name"]] = label["id"]
        return [ctx.labels[n] for n in names]

    def find_call(self, object_id: str) -> Call:
        """The FindObject lookup of an object id."""
        return Call(
            "FindObject",
            {
                **self._where(),
                "uidLabel": self.labels.uid(object_id),
                "baseLabel": self.labels.base,
                "retiredLabel": RETIRED_LABEL,
            },
        )

    def _exact(self, object_id: str, label: Any) -> Any:
        """The UID label of a lookup, unless it only matched ignoring case (GitHub matches
        label names so): UID:Alice is not the label of object 'alice'."""
        wanted = self.labels.uid(object_id)
        return None if label is not None and label.get("name", wanted) != wanted else label

    def _located_from(self, object_id: str, data: dict[str, Any]) -> _Located | str | None:
        """A FindObject answer: the live issue, or the id it redirects to, or None."""
        repo = data["repository"]
        label = self._exact(object_id, repo["label"])
        target = redirect_of(label)
        if target is not None:
            return target
        nodes = (label or {}).get("issues", {}).get("nodes") or []
        if not nodes:
            return None
        issue = nodes[0]
        can_reopen = repo.get("viewerPermission") in WRITE_PERMISSIONS
        located = _Located(issue["id"], issue["number"], issue["state"], label["id"], can_reopen)
        self._located[object_id] = located
        return located

    async def locate(
        self, object_id: str, first: dict[str, Any] | None = None
    ) -> tuple[str, _Located]:
        """(canonical id, its live issue), following aliases and merges; `first` is an
        answer to the first lookup already in hand."""
        chain = [object_id]
        data = first
        while True:
            current = chain[-1]
            if current in self._located and data is None:
                return current, self._located[current]
            if data is None:
                data = await self.gateway.query("FindObject", self.find_call(current).variables)
            found = self._located_from(current, data)
            data = None
            if found is None:
                raise ObjectNotFound(
                    f"no stored object {current!r} in {self.repo}", object_id=current
                )
            if isinstance(found, str):
                follow(chain, found)
                continue
            return current, found

    def _meta(
        self, object_id: str, issue: dict[str, Any], version: int | None, pending: int = 0
    ) -> ObjectMeta:
        return ObjectMeta(
            object_id=object_id,
            label=self.labels.uid(object_id),
            issue_number=issue["number"],
            node_id=issue["id"],
            created_at=issue["createdAt"],
            updated_at=issue["updatedAt"],
            version=version,
            state=issue["state"],
            pending_updates=pending,
        )

    def _trust(self, data: dict[str, Any], issue: dict[str, Any], comments: list[Any]) -> Trust:
        return self.trust_for(data["repository"], data["viewer"]["login"], issue, comments)

    def trust_for(
        self, repo: dict[str, Any], viewer: str, issue: dict[str, Any], comments: list[Any]
    ) -> Trust:
        """Whose updates and marks count on one issue -- the same rule for reads, the
        processor and merges: config, the repository owner (`repo["owner"]`), the viewer if
        it can write (`repo["viewerPermission"]`), and every authorized author on the issue."""
        authors = [
            ((issue.get("author") or {}).get("login"), issue.get("authorAssociation") or "NONE")
        ]
        authors += [(c.author, c.association) for c in comments]
        return Trust.build(
            self.config.store,
            owner=(repo.get("owner") or {}).get("login"),
            viewer=viewer,
            viewer_permission=repo.get("viewerPermission"),
            issue_authors=authors,
            creator=authors[0][0],
        )

    # -- reads -----------------------------------------------------------------------------
    async def _read(self, object_id: str) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
        """(whole answer, issue, comments oldest first) of an object, following aliases and
        merges; one request unless it has more than 100 comments or is an alias."""
        validate_object_id(object_id, self.labels)
        chain = [object_id]
        while True:
            variables = {**self.find_call(chain[-1]).variables}
            data = await self.gateway.query("GetObject", variables)
            label = self._exact(chain[-1], data["repository"]["label"])
            target = redirect_of(label)
            if target is None:
                break
            follow(chain, target)
        canonical = chain[-1]
        nodes = (label or {}).get("issues", {}).get("nodes") or []
        if not nodes:
            raise ObjectNotFound(
                f"no stored object {canonical!r} in {self.repo}", object_id=canonical
            )
        issue = nodes[0]
        issue["objectId"] = canonical
        can_reopen = data["repository"].get("viewerPermission") in WRITE_PERMISSIONS
        self._located[canonical] = _Located(
            issue["id"], issue["number"], issue["state"], label["id"], can_reopen
        )
        page = issue["comments"]
        comments = [comment_from_node(n) for n in page["nodes"]]
        if page["pageInfo"]["hasPreviousPage"]:
            comments = (
                await self._older_comments(issue["id"], page["totalCount"] - len(comments))
                + comments
            )
        return data, issue, comments

    async def _older_comments(self, issue_id: str, count: int) -> list[Any]:
        """The first `count` comments of an issue, oldest first."""
        older: list[Any] = []
        after = None
        while len(older) < count:
            data = await self.gateway.query("ObjectComments", {"issueId": issue_id, "after": after})
            page = data["node"]["comments"]
            older.extend(comment_from_node(n) for n in page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        return older[:count]

    async def get(
        self, object_id: str, *, include_pending: bool = True, check: Check | None = None
    ) -> StoredObject[dict[str, Any]]:
        """The object; with `include_pending` (the default) authorized updates still waiting
        for the processor are folded in as it will fold them, so a reader sees its own writes
        at once, from the same single request. `check` refuses updates as the processor would
        (by default: the record type registered for the id)."""
        data, issue, comments = await self._read(object_id)
        object_id = issue["objectId"]  # the canonical id, when `object_id` was an alias
        trust = self._trust(data, issue, comments)
        body = self._body(object_id, issue["body"], comments, trust)
        verdicts = classify(comments, trust)
        pending = [v for v in verdicts if v.status == "pending"]
        if include_pending:
            fits = size_check(object_id, self.config.store.max_parts)
            body = fold(body, pending, check or self.check_for(object_id), fits)
        settled = sum(1 for v in verdicts if v.status in ("applied", "initial_state"))
        return StoredObject(body, self._meta(object_id, issue, max(1, settled), len(pending)))

    def _body(self, object_id: str, text: str, comments: list[Any], trust: Trust) -> dict[str, Any]:
        """The object's data: the plain body, or a large object joined from its parts."""
        body = parse_body(text, object_id)
        if is_stub(body):
            body = assemble(
                body, object_id, comments, lambda c: trust.may_update(c.author, c.association)
            )
        return body

    async def history(self, object_id: str) -> list[HistoryEntry]:
        """Every comment of the object in order: applied, pending, or rejected with the reason."""
        data, issue, comments = await self._read(object_id)
        entries = []
        for verdict in classify(comments, self._trust(data, issue, comments)):
            if verdict.status == "part":
                continue  # storage of a large object, not a change
            status = "applied" if verdict.status == "initial_state" else verdict.status
            entries.append(
                HistoryEntry(
                    timestamp=verdict.comment.created_at,
                    kind=verdict.parsed.kind,
                    status=status,
                    data=verdict.parsed.changes,
                    comment_id=verdict.comment.database_id,
                    author=verdict.comment.author,
                    reason=verdict.reason,
                )
            )
        return entries

    async def raw_issues(
        self, since: str | None = None, label: str | None = None, states: list[str] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """The raw issues carrying `label` (the base label), 100 per request, oldest first;
        `states` (OPEN, CLOSED) and `since` narrow it."""
        after = None
        while True:
            data = await self.gateway.query(
                "ListObjects",
                {
                    **self._where(),
                    "baseLabel": label or self.labels.base,
                    "after": after,
                    "since": since,
                    "states": states,
                },
            )
            found = data["repository"]["label"]
            if found is None:
                return
            page = found["issues"]
            for issue in page["nodes"]:
                yield issue
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]

    async def list(
        self, *, since: str | None = None
    ) -> AsyncIterator[StoredObject[dict[str, Any]]]:
        """Every live object (settled or with updates waiting), 100 per request, oldest first.

        `since` (ISO 8601) keeps objects updated at or after it. Versions are not read (None).
        Aliases are left out (their targets are listed); a large object costs one more read.
        """
        async for issue in self.raw_issues(since):
            names = [n["name"] for n in issue["labels"]["nodes"]]
            object_id = next(
                (o for n in names if (o := self.labels.object_id(n)) is not None), None
            )
            if object_id is None:
                continue  # an issue carrying the base label but no UID label is not an object
            if any(n.startswith(ALIAS_PREFIX) for n in names):
                continue  # an alias: its target is listed under its own id
            try:
                body = parse_body(issue["body"], object_id)
                if is_stub(body):  # a large object: its parts are in its comments
                    body = (await self.get(object_id, include_pending=False)).data
            except InvalidUpdate as exc:
                log.warning("skipping object %r: %s", object_id, exc.message)
                continue
            yield StoredObject(body, self._meta(object_id, issue, None))

    # -- writes ----------------------------------------------------------------------------
    def _remember(
        self,
        object_id: str,
        node_id: str,
        number: int,
        state: str,
        uid_label_id: str,
        can_reopen: bool,
    ) -> None:
        self._located[object_id] = _Located(node_id, number, state, uid_label_id, can_reopen)

    def _forget(self, object_id: str) -> None:
        self._located.pop(object_id, None)

    def _mark_open(self, object_id: str) -> None:
        if object_id in self._located:
            self._located[object_id].state = "OPEN"

    async def _write(self, change: Change) -> Change:
        engine = WriteEngine(self)
        engine.prepare(change)
        await engine.run([change])
        if change.status != "landed":
            if change.error is not None:
                raise change.error
            raise GitHubUnavailable(f"{change.describe()}: the outcome is unknown")
        return change

    async def create(self, object_id: str, data: dict[str, Any]) -> StoredObject[dict[str, Any]]:
        """Store a new object (3 requests); DuplicateUIDError, and no object made, if the id
        exists or another writer creates it at the same moment."""
        change = await self._write(Change("create", object_id, data))
        assert change.issue is not None
        return StoredObject(data, self._meta(object_id, change.issue, 1))

    async def update(self, object_id: str, changes: dict[str, Any]) -> None:
        """Post `changes` as an update comment and reopen the object for the processor
        (1 request, 2 when the object's issue is not known yet)."""
        await self._write(Change("update", object_id, changes))

    async def delete(self, object_id: str) -> None:
        """Archive the object: labels become archived + namespace + UID, and it is closed."""
        await self._write(Change("delete", object_id))

    @property
    def canonical(self) -> Canonicalizer:
        """Aliases, merges and deduplication (ghstore.canonicalizer)."""
        from .canonicalizer import Canonicalizer

        return Canonicalizer(self)

    def unit_of_work(self) -> UnitOfWork:
        """`async with store.unit_of_work() as uow:` groups writes into one commit."""
        return UnitOfWork(self)

    async def _abandon(self, issue_id: str, uid_label_id: str | None) -> None:
        """Archive an issue that lost a create: closed, labelled archived, never an object."""
        archived, namespace = await self._label_ids(ARCHIVED_LABEL, self.labels.namespace)
        labels = [archived, namespace] + ([uid_label_id] if uid_label_id else [])
        await self.gateway.mutate_one(
            Call("UpdateIssue", {"id": issue_id, "labelIds": labels, "state": "CLOSED"}),
            idempotent=True,
        )
