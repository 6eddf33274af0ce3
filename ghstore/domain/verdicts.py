"""Which comments of an object are applied, pending or rejected, and the state they fold to.

Shared by reads (get folds pending updates, history explains every comment) and by the
processor. Order is GitHub's: comments in creation order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from attrs import frozen

from ..config import REACTION_CONTENT, StoreConfig
from ..exceptions import InvalidUpdate
from .deep_merge import deep_merge, remove_paths
from .format import BODY_LIMIT, ParsedComment, dump_body, parse_comment

__all__ = [
    "WRITE_PERMISSIONS",
    "Applied",
    "Check",
    "Classified",
    "CommentRecord",
    "ObjectState",
    "Trust",
    "apply_pending",
    "classify",
    "fold",
    "object_state",
    "settled_version",
]

WRITE_PERMISSIONS = frozenset({"ADMIN", "MAINTAIN", "WRITE"})


@frozen
class CommentRecord:
    """A comment as read from GitHub."""

    node_id: str
    database_id: int
    body: str
    created_at: str
    author: str | None
    association: str
    marks: tuple[tuple[str, str], ...]
    """(reaction content, login) of its reactions (the first page of them)."""
    edited: bool = False
    viewer_reacted: frozenset[str] = frozenset()
    """Reaction contents the viewer (this processor) has already put on the comment."""


@frozen
class Trust:
    """Whose updates count and whose processed marks count."""

    associations: frozenset[str]
    users: frozenset[str]
    markers: frozenset[str]
    processed: str = "THUMBS_UP"
    refusals: frozenset[str] = frozenset({"THUMBS_DOWN", "CONFUSED"})
    creator: str | None = None
    """Who opened the issue: the one author besides authorized ones whose initial state counts."""
    viewer_marks: bool = False
    """The viewer may write, so its own marks (`viewerHasReacted`) count even when its login
    was not asked for (a run handed the repository id skips that request)."""

    def marked(self, comment: CommentRecord, contents: frozenset[str]) -> bool:
        """The comment carries one of these reactions from someone whose marks count."""
        if self.viewer_marks and contents & comment.viewer_reacted:
            return True
        return any(c in contents and u in self.markers for c, u in comment.marks)

    @classmethod
    def build(
        cls,
        config: StoreConfig,
        *,
        owner: str | None,
        viewer: str | None,
        viewer_permission: str | None,
        issue_authors: Iterable[tuple[str | None, str]] = (),
        creator: str | None = None,
    ) -> Trust:
        """Trust for one issue: config, the repository owner, the viewer if it can write, and
        every author on the issue whose association is authorized; `creator` opened it."""
        associations = frozenset(config.authorized.associations)
        users = frozenset(config.authorized.users) | frozenset(config.authorized.processors)
        markers = set(users)
        if owner:
            markers.add(owner)
        if viewer and viewer_permission in WRITE_PERMISSIONS:
            markers.add(viewer)
        markers.update(login for login, assoc in issue_authors if login and assoc in associations)
        reactions = config.reactions
        return cls(
            associations,
            users,
            frozenset(markers),
            REACTION_CONTENT[reactions.processed],
            frozenset({REACTION_CONTENT[reactions.rejected], REACTION_CONTENT[reactions.invalid]}),
            creator,
            viewer_permission in WRITE_PERMISSIONS,
        )

    def may_update(self, login: str | None, association: str) -> bool:
        """An author whose updates are applied."""
        return association in self.associations or (login is not None and login in self.users)


@frozen
class Classified:
    """A comment and its verdict."""

    comment: CommentRecord
    parsed: ParsedComment
    status: str
    """"applied", "pending", "rejected" or "initial_state"."""
    reason: str | None = None


def classify(comments: Sequence[CommentRecord], trust: Trust) -> list[Classified]:
    """The verdict on each comment, in GitHub's order."""
    verdicts = []
    for comment in comments:
        parsed = parse_comment(comment.body)
        authorized = trust.may_update(comment.author, comment.association)
        unauthorized = (
            f"author {comment.author or 'ghost'} ({comment.association}) is not authorized"
        )
        if parsed.kind == "initial_state":
            # Anyone can post a comment that looks like one: only the creator's or an
            # authorized author's counts (it is never applied, but history shows it as applied).
            if authorized or (comment.author is not None and comment.author == trust.creator):
                verdicts.append(Classified(comment, parsed, "initial_state"))
            else:
                reason = f"an initial state that the object's creator did not post: {unauthorized}"
                verdicts.append(Classified(comment, parsed, "rejected", reason))
            continue
        if parsed.kind == "part":
            verdicts.append(Classified(comment, parsed, "part"))
            continue
        marked = trust.marked(comment, frozenset({trust.processed}))
        refused = trust.marked(comment, trust.refusals)
        if parsed.kind == "invalid":
            verdicts.append(Classified(comment, parsed, "rejected", parsed.reason))
        elif not authorized:
            verdicts.append(Classified(comment, parsed, "rejected", unauthorized))
        elif marked:
            note = EDITED_AFTER_APPLIED if comment.edited else None
            verdicts.append(Classified(comment, parsed, "applied", note))
        elif refused:
            reason = (
                "refused by the processor (it did not fit the record type or the size limit, "
                "or was written against an older version)"
            )
            verdicts.append(Classified(comment, parsed, "rejected", reason))
        elif comment.edited:
            # GitHub does not say who edited a comment (anyone with write access can), nor
            # what it said before: an edited update is not applied.
            verdicts.append(Classified(comment, parsed, "rejected", EDITED_PENDING))
        else:
            verdicts.append(Classified(comment, parsed, "pending"))
    return verdicts


EDITED_PENDING = (
    "edited after it was posted: edits are not applied (GitHub does not say who made them); "
    "post the change as a new update"
)
EDITED_AFTER_APPLIED = "edited after it was applied: what was applied may differ from this text"


Check = Callable[[dict[str, Any]], None]


@frozen
class Applied:
    """The state pending updates fold to, which of them went in, which were refused, and
    the version reached."""

    data: dict[str, Any]
    applied: list[Classified]
    refused: list[tuple[Classified, str]]
    version: int = 1


def settled_version(verdicts: Iterable[Classified]) -> int:
    """The version of the stored body: its initial state and every applied update (at
    least 1, for an object whose initial-state comment is gone)."""
    return max(1, sum(1 for v in verdicts if v.status in ("applied", "initial_state")))


def _moved_past(verdict: Classified, version: int) -> str | None:
    expected = verdict.parsed.expected_version
    if expected is None or expected == version:
        return None
    return (
        f"a concurrent update: written against version {expected}, "
        f"and the object is at version {version}"
    )


def apply_pending(
    data: dict[str, Any],
    verdicts: Iterable[Classified],
    check: Check | None = None,
    fits: Callable[[dict[str, Any]], str | None] | None = None,
) -> Applied:
    """Apply pending updates in order (an update's removals, then its deep merge); one
    written against another version than the one reached (`expected_version`), whose result
    does not fit the record type (`check` raises InvalidUpdate) or cannot be stored (`fits`
    says why; by default, over the issue body limit) is refused, and the others still go in.
    Each applied update adds one to the version."""
    verdicts = list(verdicts)
    version = settled_version(verdicts)
    applied: list[Classified] = []
    refused: list[tuple[Classified, str]] = []
    for verdict in verdicts:
        if verdict.status != "pending" or verdict.parsed.changes is None:
            continue
        try:
            problem = _moved_past(verdict, version)
            candidate = data
            if problem is None:
                candidate = remove_paths(data, list(verdict.parsed.removals))
                candidate = deep_merge(candidate, verdict.parsed.changes)
                if check is not None:
                    check(candidate)
                problem = fits(candidate) if fits is not None else _plain_fits(candidate)
        except InvalidUpdate as exc:
            refused.append((verdict, exc.message))
            continue
        except RecursionError:
            refused.append((verdict, "the change is nested too deeply"))
            continue
        if problem is not None:
            refused.append((verdict, problem))
            continue
        data = candidate
        version += 1
        applied.append(verdict)
    return Applied(data, applied, refused, version)


@frozen
class ObjectState:
    """An object's data and the metadata every read reports (get, list, snapshot, the CLI
    and the sync API all come here)."""

    data: dict[str, Any]
    version: int
    """The initial state plus every applied update, plus the pending ones folded in."""
    pending_updates: int
    """Authorized updates the processor has not settled yet."""


def object_state(
    body: dict[str, Any],
    verdicts: Sequence[Classified],
    *,
    include_pending: bool,
    check: Check | None = None,
    fits: Callable[[dict[str, Any]], str | None] | None = None,
) -> ObjectState:
    """The one place an object's data, version and pending count are computed from its body
    and the verdicts on its comments."""
    pending = sum(1 for v in verdicts if v.status == "pending")
    if not include_pending:
        return ObjectState(body, settled_version(verdicts), pending)
    result = apply_pending(body, verdicts, check, fits)
    return ObjectState(result.data, result.version, pending)


def _plain_fits(data: dict[str, Any]) -> str | None:
    size = len(dump_body(data))
    if size > BODY_LIMIT:
        return f"the result would be {size:,} characters; an issue body holds {BODY_LIMIT:,}"
    return None


def fold(
    data: dict[str, Any],
    verdicts: Iterable[Classified],
    check: Check | None = None,
    fits: Callable[[dict[str, Any]], str | None] | None = None,
) -> dict[str, Any]:
    """Data with every pending update that fits merged in, in order."""
    return apply_pending(data, verdicts, check, fits).data
