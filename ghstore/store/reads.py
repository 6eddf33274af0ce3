"""Reads: finding an object (following aliases and merges), its data with pending updates
folded in, its history, and the listing of every live object."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from typing import Any

from attrs import frozen

from ..config import Config
from ..domain.canonical import ALIAS_PREFIX, follow
from ..domain.collections import collection_label, collection_of
from ..domain.format import parse_body, parse_comment, validate_object_id
from ..domain.large import assemble, has_parts, is_stub, size_check
from ..domain.timeline import history_entries
from ..domain.verdicts import (
    WRITE_PERMISSIONS,
    Check,
    CommentRecord,
    ObjectState,
    Trust,
    classify,
    fold,
    object_state,
)
from ..exceptions import InvalidUpdate, ObjectNotFound
from ..github.answers import CommentPage, IssueNode, Lookup, UidLabel
from ..github.issues import Issues
from ..model import FoundObjects, HistoryEntry, ObjectMeta, StoredObject, parse_github_time
from .identity import IdentityMap, Located
from .record_types import RecordTypes

__all__ = ["ObjectRead", "Reads"]

log = logging.getLogger("ghstore")


@frozen
class ObjectRead:
    """An object as one read found it: its canonical id, issue, every comment, and whose
    updates and marks count there."""

    object_id: str
    issue: IssueNode
    comments: list[CommentRecord]
    trust: Trust
    earlier: int = 0
    """Comments older than those read (settled before the processor's watermark)."""


class Reads:
    """The read side of a Store."""

    def __init__(
        self,
        repo: str,
        issues: Issues,
        identity: IdentityMap,
        types: RecordTypes,
        config: Config,
    ) -> None:
        self.repo = repo
        self.issues = issues
        self.identity = identity
        self.types = types
        self.config = config
        self.labels = issues.labels

    # -- rules shared with the processor and the canonical operations ---------------------
    def trust_for(self, viewer: str | None, permission: str | None, issue: IssueNode) -> Trust:
        """Whose updates and marks count on one issue -- the same rule for reads, the
        processor and merges (see Trust.build)."""
        return Trust.build(
            self.config.store, viewer=viewer, viewer_permission=permission, creator=issue.author
        )

    def body(
        self, object_id: str, text: str, comments: Sequence[CommentRecord], trust: Trust
    ) -> dict[str, Any]:
        """The object's data: the plain body, or a large object joined from its parts."""
        body = parse_body(text, object_id)
        if is_stub(body):
            body = assemble(body, object_id, comments, trust.wrote_part)
        return body

    async def window(
        self, object_id: str, issue: IssueNode, page: CommentPage, trust: Trust
    ) -> list[CommentRecord]:
        """The comments that can still matter, read from the newest `page` back to the
        processor's watermark, and far enough to hold every part of a large object."""
        try:
            stub = parse_body(issue.body, object_id)
        except InvalidUpdate:
            stub = {}  # reported when the body is read

        async def enough(comments: list[CommentRecord]) -> bool:
            await self._reveal(comments, trust)
            if trust.boundary(comments) < 0:
                return False
            return not is_stub(stub) or has_parts(stub, comments, trust.wrote_part)

        comments = await self.issues.back_from(issue.id, page, enough)
        await self._reveal(comments, trust)
        return comments

    async def _reveal(self, comments: list[CommentRecord], trust: Trust) -> None:
        """Read in full the reactions of any kind crowded enough to hide a processor's mark."""
        for index, comment in enumerate(comments):
            hidden = trust.hidden(comment)
            if hidden:
                comments[index] = await self.issues.uncrowd(comment, hidden)

    def meta(self, object_id: str, issue: IssueNode, state: ObjectState) -> ObjectMeta:
        """The metadata of an object stored on `issue`, in the state a read found it."""
        return ObjectMeta(
            object_id=object_id,
            label=self.labels.uid(object_id),
            issue_number=issue.number,
            node_id=issue.id,
            created_at=parse_github_time(issue.created_at),
            updated_at=parse_github_time(issue.updated_at),
            version=state.version,
            state=issue.state,
            pending_updates=state.pending_updates,
            collection=collection_of(issue.labels),
        )

    def check_for(self, object_id: str, issue: IssueNode) -> Check | None:
        """What the object's data must fit: its collection's record type and schema, else
        the type registered for its id."""
        return self.types.check_for(object_id, collection_of(issue.labels))

    def stored(
        self,
        object_id: str,
        issue: IssueNode,
        comments: Sequence[CommentRecord],
        trust: Trust,
        *,
        include_pending: bool = True,
        check: Check | None = None,
        earlier: int = 0,
    ) -> StoredObject[dict[str, Any]]:
        """The object on `issue` as every read hands it out: data and metadata computed in
        one place (ghstore.domain.verdicts.object_state); `earlier` comments were not read."""
        body = self.body(object_id, issue.body, comments, trust)
        if include_pending and check is None:
            check = self.check_for(object_id, issue)  # the settled body needs no check
        state = object_state(
            body,
            classify(comments, trust),
            include_pending=include_pending,
            check=check,
            fits=size_check(object_id, self.config.store.max_parts),
            earlier=earlier,
        )
        return StoredObject(state.data, self.meta(object_id, issue, state))

    def _remember(self, object_id: str, label: UidLabel, permission: str | None) -> Located:
        issue = label.live[0]
        located = Located(
            issue.id, issue.number, issue.state, label.id, permission in WRITE_PERMISSIONS
        )
        self.identity.remember(object_id, located)
        return located

    def _missing(self, object_id: str) -> ObjectNotFound:
        return ObjectNotFound(f"no stored object {object_id!r} in {self.repo}", object_id=object_id)

    def not_found(self, object_ids: Sequence[str]) -> ObjectNotFound:
        """The error naming every id of `object_ids` as not found."""
        if len(object_ids) == 1:
            return self._missing(object_ids[0])
        named = ", ".join(repr(i) for i in object_ids)
        return ObjectNotFound(
            f"no stored objects {named} in {self.repo} ({len(object_ids)} ids)",
            object_ids=object_ids,
        )

    # -- finding -------------------------------------------------------------------------------
    async def locate(self, object_id: str, first: Lookup | None = None) -> tuple[str, Located]:
        """(canonical id, its live issue), following aliases and merges; `first` is the
        answer to the first lookup, if already in hand."""
        chain = [object_id]
        found = first
        while True:
            current = chain[-1]
            known = self.identity.get(current)
            if known is not None and found is None:
                return current, known
            if found is None:
                found = await self.issues.find(current)
            label = found.exact(self.labels.uid(current))
            permission, found = found.viewer_permission, None
            target = label.redirect() if label is not None else None
            if target is not None:
                follow(chain, target)
                continue
            if label is None or not label.live:
                raise self._missing(current)
            return current, self._remember(current, label, permission)

    async def read(self, object_id: str, *, everything: bool = False) -> ObjectRead:
        """The object with the comments that can still matter (`everything`: all of them),
        following aliases and merges; one request unless its newest 90 comments do not
        reach back to the processor's watermark (`everything`: 1 + ceil((C - 90)/100) for C
        comments), or it is an alias (one more a hop)."""
        validate_object_id(object_id, self.labels)
        chain = [object_id]
        found = await self.issues.read(object_id)
        while self._redirected(chain, found):
            found = await self.issues.read(chain[-1])
        return await self._opened(chain[-1], found, everything=everything)

    async def read_many(self, object_ids: Sequence[str]) -> dict[str, ObjectRead | None]:
        """Each distinct id's read as `read` makes it (None: no such object), 100 lookups a
        request (Issues.read_many) and one more round a hop of aliases. Each lookup reads the
        newest 90 comments, as `read` does, then back to the processor's watermark where
        that is older, so its version is the one `get` reports."""
        for object_id in object_ids:
            validate_object_id(object_id, self.labels)
        chains = {object_id: [object_id] for object_id in object_ids}
        answers: dict[str, Lookup] = {}
        todo = list(chains)
        while todo:
            heads = list(dict.fromkeys(chains[i][-1] for i in todo if chains[i][-1] not in answers))
            answers.update(zip(heads, await self.issues.read_many(heads), strict=True))
            todo = [i for i in todo if self._redirected(chains[i], answers[chains[i][-1]])]
        opened: dict[str, ObjectRead | None] = {}
        for canonical in dict.fromkeys(chain[-1] for chain in chains.values()):
            found = answers[canonical]
            try:
                opened[canonical] = await self._opened(canonical, found)
            except ObjectNotFound:
                opened[canonical] = None
        return {asked: opened[chain[-1]] for asked, chain in chains.items()}

    def _redirected(self, chain: list[str], found: Lookup) -> bool:
        """Whether `found`, the lookup of the chain's last id, sends it on (an alias or a
        merged id): then the chain is one hop longer."""
        label = found.exact(self.labels.uid(chain[-1]))
        target = label.redirect() if label is not None else None
        if target is None:
            return False
        follow(chain, target)
        return True

    async def _opened(
        self, canonical: str, found: Lookup, *, everything: bool = False
    ) -> ObjectRead:
        """The read of the object `found` holds: its trust, and its comments back to what can
        still matter (`everything`: all of them); ObjectNotFound if it holds none."""
        label = found.exact(self.labels.uid(canonical))
        if label is None or not label.live or found.comments is None:
            raise self._missing(canonical)
        self._remember(canonical, label, found.viewer_permission)
        issue = label.live[0]
        trust = self.trust_for(found.viewer, found.viewer_permission, issue)
        if everything:  # the newest page in hand, then back to the first comment
            comments = await self.issues.back_from(issue.id, found.comments, _to_the_first)
            await self._reveal(comments, trust)
        else:
            comments = await self.window(canonical, issue, found.comments, trust)
        earlier = found.comments.total - len(comments)
        return ObjectRead(canonical, issue, comments, trust, earlier)

    # -- what readers get --------------------------------------------------------------------
    async def get(
        self, object_id: str, *, include_pending: bool = True, check: Check | None = None
    ) -> StoredObject[dict[str, Any]]:
        """The object, with the authorized updates still waiting folded in (see Store.get)."""
        read = await self.read(object_id)
        return self.stored_of(read, include_pending=include_pending, check=check)

    async def get_many(
        self, object_ids: Sequence[str], *, include_pending: bool = True
    ) -> FoundObjects[dict[str, Any]]:
        """Many objects as `get` gives each, and the ids of none (see Store.get_many)."""
        reads = await self.read_many(object_ids)
        found = {
            asked: self.stored_of(read, include_pending=include_pending)
            for asked, read in reads.items()
            if read is not None
        }
        return FoundObjects.of(list(reads), found)

    def stored_of(
        self, read: ObjectRead, *, include_pending: bool = True, check: Check | None = None
    ) -> StoredObject[dict[str, Any]]:
        """The object a read found, as `get` hands it out."""
        return self.stored(
            read.object_id,  # the canonical id, when an alias was asked
            read.issue,
            read.comments,
            read.trust,
            include_pending=include_pending,
            check=check,
            earlier=read.earlier,
        )

    async def history(self, object_id: str) -> list[HistoryEntry]:
        """Every comment of the object in order: applied, pending, or rejected with the reason."""
        read = await self.read(object_id, everything=True)
        return history_entries(classify(read.comments, read.trust))

    def object_id_of(self, issue: IssueNode) -> str | None:
        """The object id an issue's UID label names (None: the issue is no object)."""
        return next((o for n in issue.labels if (o := self.labels.object_id(n)) is not None), None)

    async def _listed(
        self, collection: str | None, since: str | None
    ) -> AsyncIterator[tuple[str, IssueNode, CommentPage, Trust]]:
        """Every live object's issue of one listing (of one collection), 100 per request,
        oldest first, with its newest comments and the trust that applies to it."""
        label = collection_label(collection) if collection is not None else self.labels.base
        async for page in self.issues.listed_states(label, since):
            for issue, comments in page.issues:
                object_id = self.object_id_of(issue)
                if object_id is None or self.labels.base not in issue.labels:
                    continue  # no object: no UID label, or archived (no base label)
                if any(n.startswith(ALIAS_PREFIX) for n in issue.labels):
                    continue  # an alias: its target is listed under its own id
                trust = self.trust_for(page.viewer, page.viewer_permission, issue)
                yield object_id, issue, comments, trust

    async def list(
        self,
        *,
        since: str | None = None,
        collection: str | None = None,
        include_pending: bool = True,
    ) -> AsyncIterator[StoredObject[dict[str, Any]]]:
        """Every live object (of one collection), 100 per request, oldest first, with the
        same data and metadata `get` gives (see Store.list)."""
        async for object_id, issue, comments, trust in self._listed(collection, since):
            try:
                every = await self.window(object_id, issue, comments, trust)
                yield self.stored(
                    object_id,
                    issue,
                    every,
                    trust,
                    include_pending=include_pending,
                    earlier=comments.total - len(every),
                )
            except InvalidUpdate as exc:
                log.warning("skipping object %r: %s", object_id, exc.message)

    async def whole_reads(self, *, collection: str | None = None) -> AsyncIterator[ObjectRead]:
        """Every live object (of one collection) with every comment, from one listing:
        ceil(N/100) requests for N objects, and one more per 100 older comments of an object
        with more than the listing's 90."""
        async for object_id, issue, comments, trust in self._listed(collection, None):
            every = await self.issues.back_from(issue.id, comments, _to_the_first)
            await self._reveal(every, trust)
            yield ObjectRead(object_id, issue, every, trust)

    async def legacy_markers(self) -> dict[str, int]:
        """Who, apart from the processors, put the processed reaction on update comments, and
        on how many (the newest of each object): gh-store 0.11 marked its updates with the
        identity it ran as, which `init` offers for `store.authorized.processors`."""
        counts: Counter[str] = Counter()
        async for page in self.issues.listed_states(self.labels.base):
            trust = self.trust_for(page.viewer, page.viewer_permission, IssueNode("", 0))
            for _, comments in page.issues:
                for comment in comments.comments:
                    if parse_comment(comment.body).kind != "update":
                        continue
                    counts.update(
                        login
                        for content, login in comment.marks
                        if content == trust.processed and login not in trust.processors
                    )
        return dict(counts.most_common())

    async def state_of(self, object_id: str, issue: IssueNode) -> dict[str, Any]:
        """The data of one of the object's issues with its authorized pending updates folded
        in (a duplicate about to be folded into the object it duplicates)."""
        comments = await self.issues.older_comments(issue.id, 10**6)
        ctx = await self.issues.context()
        trust = self.trust_for(ctx.viewer, ctx.permission, issue)
        await self._reveal(comments, trust)
        body = self.body(object_id, issue.body, comments, trust)
        return fold(body, classify(comments, trust))


async def _to_the_first(_: list[CommentRecord]) -> bool:
    """`back_from` reads on to the first comment."""
    return False
