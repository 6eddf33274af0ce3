"""Views of users and repositories, node loading, the rate limit and the Query root.

One view class a GitHub type, one method a field (issues, comments and labels are in
`issue_views`, reactions in `reaction_views`, connections in `views`). A field without a
method is not emulated and answers an error naming it (see `resolution.resolve_field`),
never a silent null.
"""

from __future__ import annotations

from typing import Any

from .. import access
from ..state import RepoRow, UserRow
from ..state.ids import decode_id, encode_id
from ..state.timestamps import format_utc
from . import git_views, issue_views, reaction_views
from .context import RequestContext
from .errors import GitHubError, not_found_node
from .views import ConnectionView, View, connection

__all__ = [
    "QueryView",
    "RateLimitView",
    "RepositoryView",
    "UserView",
    "load_node",
    "node_by_id",
    "readable_repo",
    "user_view",
]


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
        return connection(
            self._ctx,
            "RepositoryConnection",
            [(i, i) for i in repos],
            lambda ids: [RepositoryView(self._ctx, repos[i]) for i in ids],
            args,
        )


def user_view(ctx: RequestContext, user_id: int) -> UserView | None:
    """The view of the user with this id, or None."""
    row = ctx.user(user_id)
    return UserView(ctx, row) if row else None


# -- repositories --------------------------------------------------------------------------
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
        return user_view(self._ctx, self._row.owner_id)

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
        return issue_views.issue_connection(self._ctx, self._row, args)

    def object(self, expression: str) -> git_views.BlobView | None:
        return git_views.object_at(self._ctx, self._row, expression)

    def issue(self, number: int) -> issue_views.IssueView | None:
        row = self._ctx.state.issue_by_number(self._row.id, number)
        if row is None:
            raise GitHubError(
                "NOT_FOUND",
                f"Could not resolve to an Issue with the number of {number}.",
            )
        return issue_views.IssueView(self._ctx, row)

    def label(self, name: str) -> issue_views.LabelView | None:
        row = self._ctx.state.label_by_name(self._row.id, name)
        return issue_views.LabelView(self._ctx, row) if row else None

    def labels(self, query: str | None = None, **args: Any) -> ConnectionView:
        labels = self._ctx.state.labels_of_repo(self._row.id)
        if query:
            labels = [lbl for lbl in labels if query.lower() in lbl.name.lower()]
        return issue_views.label_connection(self._ctx, labels, args)


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
        return user_view(ctx, db_id)
    if typename == "Repository":
        repo = readable_repo(ctx, db_id)
        return RepositoryView(ctx, repo) if repo else None
    if typename == "Issue":
        issue = state.issue(db_id)
        repo = readable_repo(ctx, issue.repo_id) if issue else None
        return issue_views.IssueView(ctx, issue, repo) if issue and repo else None
    if typename == "IssueComment":
        comment = state.comment(db_id)
        parent = state.issue(comment.issue_id) if comment else None
        repo = readable_repo(ctx, parent.repo_id) if parent else None
        return issue_views.CommentView(ctx, comment, repo) if comment and repo else None
    if typename == "Label":
        label = state.label(db_id)
        return (
            issue_views.LabelView(ctx, label)
            if label and readable_repo(ctx, label.repo_id)
            else None
        )
    if typename == "Reaction":
        reaction = state.reaction(db_id)
        return reaction_views.ReactionView(ctx, reaction) if reaction else None
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
