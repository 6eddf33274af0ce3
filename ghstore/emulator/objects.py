"""Resolvers for GitHub's object types: one view class a type, one method a field.

A field without a method here is not emulated and answers an error naming it (see
`engine.resolve_field`), never a silent null.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from . import access
from .context import RequestContext
from .errors import GitHubError, NotEmulated, not_found_node
from .ids import decode_id, encode_id
from .pagination import Page, cursor_of, paginate
from .state import CommentRow, IssueRow, LabelRow, ReactionRow, RepoRow, UserRow
from .timestamps import format_utc, parse_datetime

__all__ = [
    "CommentView",
    "IssueView",
    "LabelView",
    "Payload",
    "QueryView",
    "ReactionView",
    "RepositoryView",
    "UserView",
    "View",
    "load_node",
]

REACTION_CONTENTS = (
    "THUMBS_UP",
    "THUMBS_DOWN",
    "LAUGH",
    "HOORAY",
    "CONFUSED",
    "HEART",
    "ROCKET",
    "EYES",
)


class View:
    """An object of one GitHub type; its public methods resolve that type's fields."""

    typename: ClassVar[str] = ""

    def __init__(self, ctx: RequestContext) -> None:
        self._ctx = ctx


class Payload(View):
    """A mutation payload or other plain object: fields are looked up by name."""

    def __init__(self, ctx: RequestContext, typename: str, **values: Any) -> None:
        super().__init__(ctx)
        self.dynamic_typename = typename
        self.values = values


# -- connections ---------------------------------------------------------------------------
class PageInfoView(View):
    typename = "PageInfo"

    def __init__(self, ctx: RequestContext, page: Page) -> None:
        super().__init__(ctx)
        self._page = page

    def hasNextPage(self) -> bool:
        return self._page.has_next

    def hasPreviousPage(self) -> bool:
        return self._page.has_previous

    def startCursor(self) -> str | None:
        return cursor_of(self._page.keys[0]) if self._page.keys else None

    def endCursor(self) -> str | None:
        return cursor_of(self._page.keys[-1]) if self._page.keys else None


class EdgeView(View):
    def __init__(
        self, ctx: RequestContext, typename: str, entry: tuple[Any, int], node: View
    ) -> None:
        super().__init__(ctx)
        self.dynamic_typename = typename
        self._entry = entry
        self._node = node

    def cursor(self) -> str:
        return cursor_of(self._entry)

    def node(self) -> View:
        return self._node


class ConnectionView(View):
    """A page of nodes with edges, pageInfo and totalCount."""

    def __init__(
        self,
        ctx: RequestContext,
        typename: str,
        page: Page,
        load: Callable[[Sequence[int]], Sequence[View]],
    ) -> None:
        super().__init__(ctx)
        self.dynamic_typename = typename
        self._page = page
        self._load = load
        self._loaded: list[View] | None = None

    def _views(self) -> list[View]:
        if self._loaded is None:
            self._loaded = list(self._load([entry[1] for entry in self._page.keys]))
        return self._loaded

    def nodes(self) -> list[View]:
        return self._views()

    def edges(self) -> list[EdgeView]:
        edge_type = self.dynamic_typename.removesuffix("Connection") + "Edge"
        return [
            EdgeView(self._ctx, edge_type, entry, view)
            for entry, view in zip(self._page.keys, self._views(), strict=True)
        ]

    def pageInfo(self) -> PageInfoView:
        return PageInfoView(self._ctx, self._page)

    def totalCount(self) -> int:
        return self._page.total


def _connection(
    ctx: RequestContext,
    typename: str,
    order: Sequence[tuple[Any, int]],
    load: Callable[[Sequence[int]], Sequence[View]],
    args: dict[str, Any],
    descending: bool = False,
) -> ConnectionView:
    page = paginate(
        order,
        first=args.get("first"),
        last=args.get("last"),
        after=args.get("after"),
        before=args.get("before"),
        descending=descending,
    )
    return ConnectionView(ctx, typename, page, load)


# -- users ---------------------------------------------------------------------------------
class UserView(View):
    typename = "User"

    def __init__(self, ctx: RequestContext, row: UserRow) -> None:
        super().__init__(ctx)
        self._row = row

    def id(self) -> str:
        return encode_id("User", self._row.id)

    def databaseId(self) -> int:
        return self._row.id

    def login(self) -> str:
        return self._row.login

    def url(self) -> str:
        return f"{self._ctx.web_url}/{self._row.login}"

    def resourcePath(self) -> str:
        return f"/{self._row.login}"

    def avatarUrl(self, size: int | None = None) -> str:
        return f"https://avatars.githubusercontent.com/u/{self._row.id}?v=4"

    def createdAt(self) -> str:
        return self._row.created_at

    def repositories(self, **args: Any) -> ConnectionView:
        state = self._ctx.state
        repos = {r.id: r for r in state.repositories_of(self._row.id)}
        if self._row.id != self._ctx.viewer.id:
            repos = {k: r for k, r in repos.items() if not r.private}
        return _connection(
            self._ctx,
            "RepositoryConnection",
            [(i, i) for i in repos],
            lambda ids: [RepositoryView(self._ctx, repos[i]) for i in ids],
            args,
        )


def _user(ctx: RequestContext, user_id: int) -> UserView | None:
    row = ctx.state.user(user_id)
    return UserView(ctx, row) if row else None


# -- repositories --------------------------------------------------------------------------
_ISSUE_FILTERS = {"since", "labels", "states", "createdBy", "viewerSubscribed"}


def _issue_connection(
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
    if (states is not None and not states) or any(not group for group in groups):
        keys: list[tuple[Any, int]] = []
    else:
        keys = state.issue_keys(
            repo.id,
            states=sorted(states) if states else None,
            label_groups=groups,
            since=parse_datetime(filters["since"]) if filters.get("since") else None,
            author_id=author_id,
            order_field=order["field"],
        )
    descending = order["direction"] == "DESC"
    if descending:
        keys.reverse()
    return _connection(
        ctx,
        "IssueConnection",
        keys,
        lambda ids: [IssueView(ctx, row) for row in state.issues_by_ids(ids)],
        args,
        descending,
    )


def _label_connection(
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
    return _connection(
        ctx,
        "LabelConnection",
        keys,
        lambda ids: [LabelView(ctx, by_id[i]) for i in ids],
        args,
        descending,
    )


class RepositoryView(View):
    typename = "Repository"

    def __init__(self, ctx: RequestContext, row: RepoRow) -> None:
        super().__init__(ctx)
        self._row = row

    def id(self) -> str:
        return encode_id("Repository", self._row.id)

    def databaseId(self) -> int:
        return self._row.id

    def name(self) -> str:
        return self._row.name

    def nameWithOwner(self) -> str:
        return f"{self._row.owner_login}/{self._row.name}"

    def owner(self) -> UserView | None:
        return _user(self._ctx, self._row.owner_id)

    def url(self) -> str:
        return f"{self._ctx.web_url}/{self.nameWithOwner()}"

    def isPrivate(self) -> bool:
        return self._row.private

    def hasIssuesEnabled(self) -> bool:
        return True

    def createdAt(self) -> str:
        return self._row.created_at

    def viewerPermission(self) -> str:
        role = access.role_of(self._ctx.state, self._row, self._ctx.viewer.id)
        return {"owner": "ADMIN", "collaborator": "WRITE", "member": "WRITE"}.get(role, "READ")

    def issues(self, **args: Any) -> ConnectionView:
        return _issue_connection(self._ctx, self._row, args)

    def issue(self, number: int) -> IssueView | None:
        row = self._ctx.state.issue_by_number(self._row.id, number)
        if row is None:
            raise GitHubError(
                "NOT_FOUND",
                f"Could not resolve to an Issue with the number of {number}.",
            )
        return IssueView(self._ctx, row)

    def label(self, name: str) -> LabelView | None:
        row = self._ctx.state.label_by_name(self._row.id, name)
        return LabelView(self._ctx, row) if row else None

    def labels(self, query: str | None = None, **args: Any) -> ConnectionView:
        labels = self._ctx.state.labels_of_repo(self._row.id)
        if query:
            labels = [lbl for lbl in labels if query.lower() in lbl.name.lower()]
        return _label_connection(self._ctx, labels, args)


# -- issues, comments, labels, reactions ---------------------------------------------------
class _Reactable(View):
    """Fields shared by issues and comments: reactions, reaction groups, authorship."""

    _kind: ClassVar[str]
    _subject_id: int
    _author_id: int
    _repo: RepoRow

    def _role(self, user_id: int) -> str:
        return access.role_of(self._ctx.state, self._repo, user_id)

    def author(self) -> UserView | None:
        return _user(self._ctx, self._author_id)

    def authorAssociation(self) -> str:
        return access.association(self._role(self._author_id))

    def viewerDidAuthor(self) -> bool:
        return self._author_id == self._ctx.viewer.id

    def viewerCanReact(self) -> bool:
        return True

    def reactions(self, content: str | None = None, **args: Any) -> ConnectionView:
        if args.pop("orderBy", None) is not None:
            raise NotEmulated("Argument 'orderBy' of field 'reactions'")
        rows = self._ctx.state.reactions_of(self._kind, self._subject_id)
        if content is not None:
            rows = [r for r in rows if r.content == content]
        by_id = {r.id: r for r in rows}
        return _connection(
            self._ctx,
            "ReactionConnection",
            [(r.id, r.id) for r in rows],
            lambda ids: [ReactionView(self._ctx, by_id[i]) for i in ids],
            args,
        )

    def reactionGroups(self) -> list[ReactionGroupView]:
        rows = self._ctx.state.reactions_of(self._kind, self._subject_id)
        return [
            ReactionGroupView(self._ctx, self, content, [r for r in rows if r.content == content])
            for content in REACTION_CONTENTS
        ]


class IssueView(_Reactable):
    typename = "Issue"
    _kind = "Issue"

    def __init__(self, ctx: RequestContext, row: IssueRow, repo: RepoRow | None = None) -> None:
        super().__init__(ctx)
        self._row = row
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

    def repository(self) -> RepositoryView:
        return RepositoryView(self._ctx, self._repo)

    def viewerCanUpdate(self) -> bool:
        return access.can_write(self._role(self._ctx.viewer.id)) or self.viewerDidAuthor()

    viewerCanClose = viewerCanUpdate
    viewerCanReopen = viewerCanUpdate

    def viewerCanDelete(self) -> bool:
        return self._role(self._ctx.viewer.id) == "owner"

    def labels(self, **args: Any) -> ConnectionView:
        return _label_connection(self._ctx, self._ctx.state.labels_of_issue(self._row.id), args)

    def comments(self, **args: Any) -> ConnectionView:
        if args.pop("orderBy", None) is not None:
            raise NotEmulated("Argument 'orderBy' of field 'Issue.comments'")
        state = self._ctx.state
        ids = state.comment_ids(self._row.id)
        return _connection(
            self._ctx,
            "IssueCommentConnection",
            [(i, i) for i in ids],
            lambda page: [
                CommentView(self._ctx, c, self._repo) for c in state.comments_by_ids(page)
            ],
            args,
        )


class CommentView(_Reactable):
    typename = "IssueComment"
    _kind = "IssueComment"

    def __init__(self, ctx: RequestContext, row: CommentRow, repo: RepoRow) -> None:
        super().__init__(ctx)
        self._row = row
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

    def repository(self) -> RepositoryView:
        return RepositoryView(self._ctx, self._repo)

    def url(self) -> str:
        return (
            f"{IssueView(self._ctx, self._issue(), self._repo).url()}#issuecomment-{self._row.id}"
        )

    def viewerCanUpdate(self) -> bool:
        return access.can_write(self._role(self._ctx.viewer.id)) or self.viewerDidAuthor()

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

    def repository(self) -> RepositoryView:
        return RepositoryView(self._ctx, self._repo())

    def url(self) -> str:
        repo = self._repo()
        return f"{self._ctx.web_url}/{repo.owner_login}/{repo.name}/labels/{self._row.name}"

    def issues(self, **args: Any) -> ConnectionView:
        return _issue_connection(self._ctx, self._repo(), args, only_label=self._row.id)


class ReactionView(View):
    typename = "Reaction"

    def __init__(self, ctx: RequestContext, row: ReactionRow) -> None:
        super().__init__(ctx)
        self._row = row

    def id(self) -> str:
        return encode_id("Reaction", self._row.id)

    def databaseId(self) -> int:
        return self._row.id

    def content(self) -> str:
        return self._row.content

    def createdAt(self) -> str:
        return self._row.created_at

    def user(self) -> UserView | None:
        return _user(self._ctx, self._row.user_id)

    def reactable(self) -> View | None:
        return load_node(self._ctx, self._row.subject_kind, self._row.subject_id)


class ReactionGroupView(View):
    typename = "ReactionGroup"

    def __init__(
        self, ctx: RequestContext, subject: View, content: str, rows: list[ReactionRow]
    ) -> None:
        super().__init__(ctx)
        self._subject = subject
        self._content = content
        self._rows = rows

    def content(self) -> str:
        return self._content

    def createdAt(self) -> str | None:
        return self._rows[0].created_at if self._rows else None

    def subject(self) -> View:
        return self._subject

    def viewerHasReacted(self) -> bool:
        return any(r.user_id == self._ctx.viewer.id for r in self._rows)

    def reactors(self, **args: Any) -> ConnectionView:
        by_id = {r.id: r for r in self._rows}

        def load(ids: Sequence[int]) -> list[View]:
            return [v for i in ids if (v := _user(self._ctx, by_id[i].user_id)) is not None]

        return _connection(
            self._ctx, "ReactorConnection", [(r.id, r.id) for r in self._rows], load, args
        )


class RateLimitView(View):
    typename = "RateLimit"

    def limit(self) -> int:
        return self._ctx.rate.limit

    def cost(self) -> int:
        return self._ctx.price.cost

    def remaining(self) -> int:
        return self._ctx.rate.remaining

    def used(self) -> int:
        return self._ctx.rate.used

    def nodeCount(self) -> int:
        return self._ctx.price.node_count

    def resetAt(self) -> str:
        return format_utc(self._ctx.rate.reset_at)


# -- nodes and the query root --------------------------------------------------------------
def readable_repo(ctx: RequestContext, repo_id: int) -> RepoRow | None:
    """The repository if the viewer may read it."""
    repo = ctx.state.repository(repo_id)
    if repo is None:
        return None
    role = access.role_of(ctx.state, repo, ctx.viewer.id)
    return repo if access.can_read(repo, role) else None


def load_node(ctx: RequestContext, typename: str, db_id: int) -> View | None:
    """The view of an object the viewer may see, or None."""
    state = ctx.state
    if typename == "User":
        return _user(ctx, db_id)
    if typename == "Repository":
        repo = readable_repo(ctx, db_id)
        return RepositoryView(ctx, repo) if repo else None
    if typename == "Issue":
        issue = state.issue(db_id)
        repo = readable_repo(ctx, issue.repo_id) if issue else None
        return IssueView(ctx, issue, repo) if issue and repo else None
    if typename == "IssueComment":
        comment = state.comment(db_id)
        parent = state.issue(comment.issue_id) if comment else None
        repo = readable_repo(ctx, parent.repo_id) if parent else None
        return CommentView(ctx, comment, repo) if comment and repo else None
    if typename == "Label":
        label = state.label(db_id)
        return LabelView(ctx, label) if label and readable_repo(ctx, label.repo_id) else None
    if typename == "Reaction":
        reaction = state.reaction(db_id)
        return ReactionView(ctx, reaction) if reaction else None
    return None


def node_by_id(ctx: RequestContext, global_id: str) -> View:
    """The object behind a global ID, or GitHub's NOT_FOUND error."""
    decoded = decode_id(global_id)
    view = load_node(ctx, *decoded) if decoded else None
    if view is None:
        raise not_found_node(global_id)
    return view


class QueryView(View):
    typename = "Query"

    def repository(self, owner: str, name: str, followRenames: bool = True) -> RepositoryView:
        repo = self._ctx.state.repository_by_name(owner, name)
        if repo is not None and readable_repo(self._ctx, repo.id) is not None:
            return RepositoryView(self._ctx, repo)
        raise GitHubError(
            "NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'."
        )

    def viewer(self) -> UserView:
        return UserView(self._ctx, self._ctx.viewer)

    def user(self, login: str) -> UserView:
        row = self._ctx.state.user_by_login(login)
        if row is None:
            raise GitHubError(
                "NOT_FOUND", f"Could not resolve to a User with the login of '{login}'."
            )
        return UserView(self._ctx, row)

    def node(self, id: str) -> View:  # noqa: A002 - GitHub's argument name
        return node_by_id(self._ctx, id)

    def nodes(self, ids: list[str]) -> list[View | Exception]:
        if len(ids) > 100:
            raise GitHubError(
                "EXCESSIVE_PAGINATION",
                f"You may not request more than 100 nodes at once; you requested {len(ids)}.",
            )
        found: list[View | Exception] = []
        for global_id in ids:
            try:
                found.append(node_by_id(self._ctx, global_id))
            except GitHubError as exc:
                found.append(exc)
        return found

    def rateLimit(self, dryRun: bool = False) -> RateLimitView:
        return RateLimitView(self._ctx)
