"""Reactions, and the fields every reactable shares: reactions, reaction groups, authorship."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from .. import access
from ..state import ReactionRow, RepoRow
from ..state.ids import encode_id
from . import query_views
from .batch import PageBatch
from .context import RequestContext
from .errors import NotEmulated
from .views import ConnectionView, View, connection

__all__ = ["REACTION_CONTENTS", "Reactable", "ReactionGroupView", "ReactionView"]

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


def _user(ctx: RequestContext, user_id: int) -> query_views.UserView | None:
    # A module import: query_views loads issues and comments, which carry reactions.
    return query_views.user_view(ctx, user_id)


class Reactable(View):
    """Fields shared by issues and comments: reactions, reaction groups, authorship."""

    _kind: ClassVar[str]
    _subject_id: int
    _author_id: int
    _repo: RepoRow

    _batch: PageBatch[ReactionRow] | None = None
    """The reactions of this subject's page, read for the whole page when first asked."""

    def _role(self, user_id: int) -> str:
        if self._repo.owner_id == user_id:
            return "owner"
        return self._ctx.role(self._repo, user_id) or "none"

    def _reaction_rows(self) -> list[ReactionRow]:
        if self._batch is not None:
            return self._batch.of(self._subject_id)
        return self._ctx.state.reactions_of(self._kind, self._subject_id)

    def author(self) -> query_views.UserView | None:
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
        rows = self._reaction_rows()
        if content is not None:
            rows = [r for r in rows if r.content == content]
        by_id = {r.id: r for r in rows}
        return connection(
            self._ctx,
            "ReactionConnection",
            [(r.id, r.id) for r in rows],
            lambda ids: [ReactionView(self._ctx, by_id[i]) for i in ids],
            args,
        )

    def reactionGroups(self) -> list[ReactionGroupView]:
        rows = self._reaction_rows()
        return [
            ReactionGroupView(self._ctx, self, content, [r for r in rows if r.content == content])
            for content in REACTION_CONTENTS
        ]


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

    def user(self) -> query_views.UserView | None:
        return _user(self._ctx, self._row.user_id)

    def reactable(self) -> View | None:
        return query_views.load_node(self._ctx, self._row.subject_kind, self._row.subject_id)


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

    def _people(self, typename: str, args: dict[str, Any]) -> ConnectionView:
        by_id = {r.id: r for r in self._rows}

        def load(ids: Sequence[int]) -> list[View]:
            return [v for i in ids if (v := _user(self._ctx, by_id[i].user_id)) is not None]

        return connection(self._ctx, typename, [(r.id, r.id) for r in self._rows], load, args)

    def users(self, **args: Any) -> ConnectionView:
        """Deprecated in the schema (`reactors` replaces it) but still sent by common clients:
        the gh CLI asks `reactionGroups { content users { totalCount } }`."""
        return self._people("ReactingUserConnection", args)

    def reactors(self, **args: Any) -> ConnectionView:
        return self._people("ReactorConnection", args)
