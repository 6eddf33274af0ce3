"""Views of issues, their comments and labels, and the issue and label connections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import issue_rules
from ..state import CommentRow, IssueRow, LabelRow, ReactionRow, RepoRow, State
from ..state.ids import encode_id
from ..state.issues import IssueFilter
from ..state.timestamps import BadTimestampError, parse_datetime
from . import query_views
from .batch import PageBatch
from .context import RequestContext
from .errors import GitHubError, NotEmulated
from .issue_batches import IssueBatches
from .pagination import Entry, Keyset
from .reaction_views import Reactable
from .views import ConnectionView, View, connection, keyset_connection, relay_args

__all__ = ["CommentView", "IssueView", "LabelView", "issue_connection", "label_connection"]


def _repository(ctx: RequestContext, repo: RepoRow) -> query_views.RepositoryView:
    # A module import: a repository lists its issues and labels, and they name it back.
    return query_views.RepositoryView(ctx, repo)


def _since(text: str | None) -> str | None:
    """`filterBy.since` as a stored timestamp; not a DateTime is GitHub's INVALID_ARGUMENTS."""
    if not text:
        return None
    try:
        return parse_datetime(text)
    except BadTimestampError as exc:
        raise GitHubError("INVALID_ARGUMENTS", str(exc)) from exc


_ISSUE_FILTERS = {"since", "labels", "states", "createdBy", "viewerSubscribed"}


def issue_connection(
    ctx: RequestContext, repo: RepoRow, args: dict[str, Any], only_label: int | None = None
) -> ConnectionView:
    """repository.issues and label.issues: filters, order and pages as GitHub applies them."""
    state = ctx.state
    filters: dict[str, Any] = dict(args.get("filterBy") or {})
    for key, value in filters.items():
        if key not in _ISSUE_FILTERS and value is not None:
            raise NotEmulated(f"Filter 'IssueFilters.{key}'")
    if filters.get("viewerSubscribed"):
        raise NotEmulated("Filter 'IssueFilters.viewerSubscribed'")
    # Each list of names matches issues with ANY of them (GitHub's OR); the lists, and the
    # label whose `issues` these are, must all match.
    groups: list[list[int]] = []
    for names in (args.get("labels"), filters.get("labels")):
        if names is not None:
            groups.append([lbl.id for n in names if (lbl := state.label_by_name(repo.id, n))])
    if only_label is not None:
        groups.append([only_label])
    states: set[str] | None = None
    for chosen in (args.get("states"), filters.get("states")):
        if chosen:
            states = set(chosen) if states is None else states & set(chosen)
    author_id: int | None = None
    if filters.get("createdBy"):
        author = state.user_by_login(filters["createdBy"])
        author_id = author.id if author else -1
    order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
    where = IssueFilter(
        repo.id,
        sorted(states) if states else None,
        groups,
        _since(filters.get("since")),
        author_id,
        order["field"],
    )
    nothing = (states is not None and not states) or any(not group for group in groups)
    return keyset_connection(
        ctx,
        "IssueConnection",
        _issue_keyset(state, where, order["direction"] == "DESC", nothing),
        lambda ids: _issue_page(ctx, repo, ids),
        args,
    )


def _issue_page(ctx: RequestContext, repo: RepoRow, ids: Sequence[int]) -> list[IssueView]:
    """A page of issues; their labels, comments and reactions read for the page at once."""
    batches = IssueBatches(ctx.state, ids)
    return [IssueView(ctx, row, repo, batches) for row in ctx.state.issues_by_ids(ids)]


def _issue_keyset(state: State, where: IssueFilter, descending: bool, nothing: bool) -> Keyset:
    """The issues `where` selects as a keyset (an empty one if nothing can match)."""
    if nothing:
        return Keyset(lambda *_: [], lambda _id: None, lambda: 0, descending)

    def window(beyond: Entry | None, backwards: bool, limit: int | None) -> list[Entry]:
        return state.filtered_keys(
            where, beyond=beyond, descending=descending != backwards, limit=limit
        )

    def locate(issue_id: int) -> Entry | None:
        found = state.filtered_keys(where, only_id=issue_id)
        return found[0] if found else None

    return Keyset(window, locate, lambda: state.count_filtered(where), descending)


def label_connection(
    ctx: RequestContext, labels: list[LabelRow], args: dict[str, Any]
) -> ConnectionView:
    order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
    if order["field"] == "NAME":
        keys: list[tuple[Any, int]] = sorted((lbl.name.lower(), lbl.id) for lbl in labels)
    else:
        keys = sorted((lbl.id, lbl.id) for lbl in labels)
    descending = order["direction"] == "DESC"
    if descending:
        keys.reverse()
    by_id = {lbl.id: lbl for lbl in labels}
    return connection(
        ctx,
        "LabelConnection",
        keys,
        lambda ids: [LabelView(ctx, by_id[i]) for i in ids],
        args,
        descending,
    )


class IssueView(Reactable):
    typename = "Issue"
    _kind = "Issue"

    def __init__(
        self,
        ctx: RequestContext,
        row: IssueRow,
        repo: RepoRow | None = None,
        batches: IssueBatches | None = None,
    ) -> None:
        super().__init__(ctx)
        self._row = row
        # Alone (a node, a mutation's payload), an issue is a page of one.
        self._batches = batches or IssueBatches(ctx.state, [row.id])
        self._batch = self._batches.reactions
        self._subject_id = row.id
        self._author_id = row.author_id
        found = repo or ctx.state.repository(row.repo_id)
        assert found is not None
        self._repo = found

    def id(self) -> str:
        return encode_id("Issue", self._row.id)

    def databaseId(self) -> int:
        return self._row.id

    def number(self) -> int:
        return self._row.number

    def title(self) -> str:
        return self._row.title

    def body(self) -> str:
        return self._row.body

    def state(self) -> str:
        return self._row.state

    def stateReason(self) -> str | None:
        return self._row.state_reason

    def closed(self) -> bool:
        return self._row.state == "CLOSED"

    def closedAt(self) -> str | None:
        return self._row.closed_at

    def createdAt(self) -> str:
        return self._row.created_at

    def updatedAt(self) -> str:
        return self._row.updated_at

    def lastEditedAt(self) -> str | None:
        return self._row.last_edited_at

    def locked(self) -> bool:
        return self._row.locked

    def activeLockReason(self) -> str | None:
        return self._row.lock_reason

    def url(self) -> str:
        return f"{self._ctx.web_url}{self.resourcePath()}"

    def resourcePath(self) -> str:
        return f"/{self._repo.owner_login}/{self._repo.name}/issues/{self._row.number}"

    def repository(self) -> query_views.RepositoryView:
        return _repository(self._ctx, self._repo)

    def viewerCanUpdate(self) -> bool:
        viewer = self._ctx.viewer.id
        return issue_rules.may_edit_issue(self._role(viewer), self._row, viewer)

    viewerCanClose = viewerCanUpdate
    viewerCanReopen = viewerCanUpdate

    def viewerCanDelete(self) -> bool:
        return issue_rules.may_delete_issue(self._role(self._ctx.viewer.id))

    def labels(self, **args: Any) -> ConnectionView:
        return label_connection(self._ctx, self._batches.labels.of(self._row.id), args)

    def comments(self, **args: Any) -> ConnectionView:
        if args.pop("orderBy", None) is not None:
            raise NotEmulated("Argument 'orderBy' of field 'Issue.comments'")
        found = self._batches.comments.of(self._row.id, relay_args(args))

        def load(ids: Sequence[int]) -> list[CommentView]:
            return [
                CommentView(self._ctx, found.comments[i], self._repo, found.reactions) for i in ids
            ]

        return ConnectionView(self._ctx, "IssueCommentConnection", found.page, load)


class CommentView(Reactable):
    typename = "IssueComment"
    _kind = "IssueComment"

    def __init__(
        self,
        ctx: RequestContext,
        row: CommentRow,
        repo: RepoRow,
        reactions: PageBatch[ReactionRow] | None = None,
    ) -> None:
        super().__init__(ctx)
        self._row = row
        self._batch = reactions
        self._subject_id = row.id
        self._author_id = row.author_id
        self._repo = repo

    def _issue(self) -> IssueRow:
        issue = self._ctx.state.issue(self._row.issue_id)
        assert issue is not None
        return issue

    def id(self) -> str:
        return encode_id("IssueComment", self._row.id)

    def databaseId(self) -> int:
        return self._row.id

    def body(self) -> str:
        return self._row.body

    def createdAt(self) -> str:
        return self._row.created_at

    def publishedAt(self) -> str:
        return self._row.created_at

    def updatedAt(self) -> str:
        return self._row.updated_at

    def lastEditedAt(self) -> str | None:
        return self._row.last_edited_at

    def includesCreatedEdit(self) -> bool:
        return self._row.last_edited_at is not None

    def issue(self) -> IssueView:
        return IssueView(self._ctx, self._issue(), self._repo)

    def repository(self) -> query_views.RepositoryView:
        return _repository(self._ctx, self._repo)

    def url(self) -> str:
        return (
            f"{IssueView(self._ctx, self._issue(), self._repo).url()}#issuecomment-{self._row.id}"
        )

    def viewerCanUpdate(self) -> bool:
        viewer = self._ctx.viewer.id
        return issue_rules.may_edit_comment(self._role(viewer), self._row, viewer)

    viewerCanDelete = viewerCanUpdate


class LabelView(View):
    typename = "Label"

    def __init__(self, ctx: RequestContext, row: LabelRow) -> None:
        super().__init__(ctx)
        self._row = row

    def _repo(self) -> RepoRow:
        repo = self._ctx.state.repository(self._row.repo_id)
        assert repo is not None
        return repo

    def id(self) -> str:
        return encode_id("Label", self._row.id)

    def name(self) -> str:
        return self._row.name

    def color(self) -> str:
        return self._row.color

    def description(self) -> str | None:
        return self._row.description

    def createdAt(self) -> str:
        return self._row.created_at

    def isDefault(self) -> bool:
        return False

    def repository(self) -> query_views.RepositoryView:
        return _repository(self._ctx, self._repo())

    def url(self) -> str:
        repo = self._repo()
        return f"{self._ctx.web_url}/{repo.owner_login}/{repo.name}/labels/{self._row.name}"

    def issues(self, **args: Any) -> ConnectionView:
        return issue_connection(self._ctx, self._repo(), args, only_label=self._row.id)
