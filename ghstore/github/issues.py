"""Typed access to one repository's issues, labels and comments, and its context (the
repository id, the viewer and its permission, the ids of the labels every object uses)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from attrs import evolve

from ..domain.canonical import RETIRED_LABEL
from ..domain.format import ARCHIVED_LABEL, Labels
from ..domain.verdicts import CommentRecord
from . import answers, calls, comment_answers
from .answers import IssueNode, LabelInfo, Lookup, RepoContext
from .calls import LISTING_WINDOW
from .documents import Call
from .files import RepositoryFile, repository_file_from
from .gateway import Gateway

__all__ = ["BATCHED_READS", "LISTING_FIRST_LOOK", "LISTING_WINDOW", "Issues"]

BATCHED_READS = 100
"""Objects `read_many` reads in one request (GetObject lookups aliased together)."""
LISTING_FIRST_LOOK = 10
"""Comments a listing page reads of each object; the others' 90 come in one more request."""


class Issues:
    """One repository's issues as the store and the processor need them."""

    def __init__(self, gateway: Gateway, owner: str, name: str, labels: Labels) -> None:
        self.gateway = gateway
        self.owner = owner
        self.name = name
        self.labels = labels
        self._context: RepoContext | None = None
        self._label_ids: dict[str, str] = {}
        self.first_look = LISTING_FIRST_LOOK
        """Comments a listing page reads of each object (LISTING_WINDOW: all it needs)."""

    def relabelled(self, labels: Labels) -> Issues:
        """The same repository's issues under other label names (another configuration);
        what is known already (the context, label ids by name) is kept."""
        other = Issues(self.gateway, self.owner, self.name, labels)
        other._context = self._context
        other._label_ids = dict(self._label_ids)
        other.first_look = self.first_look
        return other

    def where(self) -> dict[str, Any]:
        """The variables naming the repository."""
        return {"owner": self.owner, "name": self.name}

    # -- the repository ----------------------------------------------------------------------
    async def context(self) -> RepoContext:
        """The repository id, the viewer and the ids of the object labels (asked once)."""
        if self._context is None:
            data = await self.gateway.query(
                "RepositoryContext",
                {
                    **self.where(),
                    "baseLabel": self.labels.base,
                    "namespaceLabel": self.labels.namespace,
                    "archivedLabel": ARCHIVED_LABEL,
                },
            )
            self._context = answers.context_from(data)
            self._label_ids.update(self._context.labels)
        return self._context

    def known_viewer(self) -> str | None:
        """The viewer's login if the context was asked already (None: not asked)."""
        return self._context.viewer if self._context is not None else None

    async def repository_file(self, expression: str) -> RepositoryFile:
        """A file of the repository (`REV:PATH`, e.g. `HEAD:.github/ghstore.yml`)."""
        data = await self.gateway.query(
            "RepositoryFile", {**self.where(), "expression": expression}
        )
        return repository_file_from(data["repository"])

    def known_labels(self) -> list[str]:
        """Names of the labels whose ids are known (found or created so far)."""
        return sorted(self._label_ids)

    async def label_ids(self, *names: str) -> list[str]:
        """Ids of these labels, created with gh-store's colours where missing (one request)."""
        ctx = await self.context()
        missing = [n for n in names if n not in self._label_ids]
        if missing:
            made = [calls.create_label(ctx.repository_id, n, self.labels.color(n)) for n in missing]
            for outcome in await self.gateway.mutate(made):
                if outcome.error is None:
                    assert outcome.data is not None
                    name, label_id = answers.created_label(outcome.data)
                    self._label_ids[name] = label_id
                    continue
                # Someone else created it since we looked: look it up by name.
                name = outcome.call.variables["name"]
                found = await self.label(name)
                if found is None:
                    raise outcome.error
                self._label_ids[name] = found.id
        return [self._label_ids[n] for n in names]

    async def label(self, name: str) -> LabelInfo | None:
        """A label by name (GitHub matches names ignoring case)."""
        data = await self.gateway.query("LabelByName", {**self.where(), "labelName": name})
        return answers.label_from(data)

    # -- objects by id -----------------------------------------------------------------------
    def find_call(self, object_id: str) -> Call:
        """The FindObject lookup of an object id (GetObject takes the same variables)."""
        return Call(
            "FindObject",
            {
                **self.where(),
                "uidLabel": self.labels.uid(object_id),
                "baseLabel": self.labels.base,
                "retiredLabel": RETIRED_LABEL,
            },
        )

    async def find(self, object_id: str) -> Lookup:
        """Where an object lives: its label, live and retired issues (no comments)."""
        call = self.find_call(object_id)
        return answers.lookup_from(await self.gateway.query(call.name, call.variables))

    async def find_many(self, object_ids: Sequence[str]) -> list[Lookup]:
        """`find` of many ids, aliased into one request per batch."""
        found = await self.gateway.query_many([self.find_call(i) for i in object_ids])
        return [answers.lookup_from(data) for data in found]

    def read_call(self, object_id: str) -> Call:
        """GetObject: the object's issue with its newest LISTING_WINDOW comments, the viewer
        and the owner."""
        return Call("GetObject", self.find_call(object_id).variables | {"recent": LISTING_WINDOW})

    async def read(self, object_id: str) -> Lookup:
        """The object as `read_call` asks it."""
        call = self.read_call(object_id)
        return answers.lookup_from(await self.gateway.query(call.name, call.variables))

    async def read_many(self, object_ids: Sequence[str]) -> list[Lookup]:
        """`read` of many ids, in order: 100 lookups aliased into one request, fewer where
        GitHub's node limit demands it."""
        calls = [self.read_call(i) for i in object_ids]
        found = await self.gateway.query_many(calls, BATCHED_READS)
        return [answers.lookup_from(data) for data in found]

    async def object_issues(self, object_id: str) -> list[IssueNode]:
        """Every live issue holding the object's UID label, oldest first."""
        data = await self.gateway.query(
            "ObjectIssues",
            {
                **self.where(),
                "uidLabel": self.labels.uid(object_id),
                "baseLabel": self.labels.base,
            },
        )
        return answers.object_issues_from(data)

    # -- comments and listings ---------------------------------------------------------------
    async def older_comments(self, issue_id: str, count: int) -> list[CommentRecord]:
        """The first `count` comments of an issue, oldest first, 100 a request."""
        older: list[CommentRecord] = []
        after: str | None = None
        while len(older) < count:
            data = await self.gateway.query("ObjectComments", {"issueId": issue_id, "after": after})
            page, after = comment_answers.older_comments_from(data)
            older.extend(page)
            if after is None:
                break
        return older[:count]

    async def back_from(
        self,
        issue_id: str,
        page: answers.CommentPage,
        enough: Callable[[list[CommentRecord]], Awaitable[bool]],
    ) -> list[CommentRecord]:
        """An issue's comments from its newest `page` back, a page a request, until `enough`
        says nothing older can matter (or the first comment is reached)."""
        comments = list(page.comments)
        while page.has_older and page.cursor is not None and not await enough(comments):
            data = await self.gateway.query(
                "OlderComments", {"issueId": issue_id, "before": page.cursor, "last": 100}
            )
            page = comment_answers.older_page_from(data)
            comments[:0] = page.comments
        return comments

    async def reactors(self, comment_id: str, content: str) -> list[str]:
        """Everyone who reacted to a comment with `content` (a crowded group, read in full)."""
        logins: list[str] = []
        after: str | None = None
        while True:
            data = await self.gateway.query(
                "CommentReactions", {"commentId": comment_id, "content": content, "after": after}
            )
            page, after = comment_answers.reactors_page_from(data)
            logins += page
            if after is None:
                return logins

    async def uncrowd(self, comment: CommentRecord, contents: frozenset[str]) -> CommentRecord:
        """The comment with every reaction of these contents listed."""
        marks = [m for m in comment.marks if m[0] not in contents]
        for content in sorted(contents):
            marks += [(content, login) for login in await self.reactors(comment.node_id, content)]
        return evolve(comment, marks=tuple(marks), crowded=comment.crowded - contents)

    async def listing(
        self, since: str | None = None, label: str | None = None, states: list[str] | None = None
    ) -> AsyncIterator[IssueNode]:
        """Issues carrying `label` (the base label), 100 per request, oldest first; `states`
        (OPEN, CLOSED) and `since` narrow it."""
        after: str | None = None
        while True:
            data = await self.gateway.query(
                "ListObjects",
                {
                    **self.where(),
                    "baseLabel": label or self.labels.base,
                    "after": after,
                    "since": since,
                    "states": states,
                },
            )
            page, after = answers.issues_page_from(data)
            for issue in page:
                yield issue
            if after is None:
                return

    async def listed_states(
        self, label: str, since: str | None = None
    ) -> AsyncIterator[answers.ListedPage]:
        """Pages of the issues carrying `label`, 100 a request, oldest first, each issue with
        its newest 90 comments: the page reads 10 of each (`first_look`), and one more
        request reads 90 of those that have more (LISTING_WINDOW), 100 issues a request."""
        after: str | None = None
        while True:
            data = await self.gateway.query(
                "ListObjectStates",
                {
                    **self.where(),
                    "label": label,
                    "after": after,
                    "since": since,
                    "recent": self.first_look,
                },
            )
            page = await self._widened(answers.listed_page_from(data))
            yield page
            after = page.cursor
            if after is None:
                return

    async def _widened(self, page: answers.ListedPage) -> answers.ListedPage:
        """The page with each issue that has more comments than the page read read again, with
        its newest LISTING_WINDOW comments in the same answer (so its body and its comments
        agree): one request a 100 such issues, none when every history is short."""
        longer = [issue.id for issue, comments in page.issues if comments.has_older]
        if not longer or self.first_look >= LISTING_WINDOW:
            return page
        calls = [
            Call("OlderComments", {"issueId": i, "last": LISTING_WINDOW, "withIssue": True})
            for i in longer
        ]
        found = await self.gateway.query_many(calls, BATCHED_READS)
        wider = dict(zip(longer, map(answers.issue_with_comments, found), strict=True))
        issues = tuple(wider.get(issue.id, (issue, comments)) for issue, comments in page.issues)
        return evolve(page, issues=issues)

    # -- writes of one call --------------------------------------------------------------------
    async def send(self, call: Call, *, idempotent: bool = False) -> dict[str, Any]:
        """Send one mutation call; its answer, or its error raised."""
        return await self.gateway.mutate_one(call, idempotent=idempotent)

    async def create_issue(self, title: str, body: str) -> IssueNode:
        """Open a bare issue."""
        ctx = await self.context()
        return answers.created_issue(
            await self.send(calls.create_issue(ctx.repository_id, title, body))
        )
