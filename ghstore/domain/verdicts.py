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
from .deep_merge import apply_update
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
    """(reaction content, login) of the reactions listed (every one, unless `crowded`)."""
    edited: bool = False
    viewer_reacted: frozenset[str] = frozenset()
    """Reaction contents the viewer has put on the comment (known however many others)."""
    crowded: frozenset[str] = frozenset()
    """Reaction contents with more reactions than were listed."""


@frozen
class Trust:
    """Whose updates count, and whose marks: only the processor's identities mark."""

    associations: frozenset[str]
    users: frozenset[str]
    processors: frozenset[str]
    """Identities whose marks count: the configured processors, and the viewer if it can write."""
    processed: str = "THUMBS_UP"
    refusals: frozenset[str] = frozenset({"THUMBS_DOWN", "CONFUSED"})
    settled: str = "EYES"
    """The watermark: on the newest comment a processor round read and settled."""
    creator: str | None = None
    """Who opened the issue: the one author besides authorized ones whose initial state counts."""
    viewer_marks: bool = False
    """The viewer may write, so its own marks (`viewerHasReacted`) count even when its login
    was not asked for (a run handed the repository id skips that request)."""

    @classmethod
    def build(
        cls,
        config: StoreConfig,
        *,
        viewer: str | None,
        viewer_permission: str | None,
        creator: str | None = None,
    ) -> Trust:
        """Trust for one issue: the config's associations, users and processors, and the
        viewer as a processor if it can write; `creator` opened it."""
        authorized = config.authorized
        processors = set(authorized.processors)
        if viewer and viewer_permission in WRITE_PERMISSIONS:
            processors.add(viewer)
        reactions = config.reactions
        return cls(
            frozenset(authorized.associations),
            frozenset(authorized.users) | frozenset(authorized.processors),
            frozenset(processors),
            REACTION_CONTENT[reactions.processed],
            frozenset({REACTION_CONTENT[reactions.rejected], REACTION_CONTENT[reactions.invalid]}),
            REACTION_CONTENT[reactions.settled],
            creator,
            viewer_permission in WRITE_PERMISSIONS,
        )

    def may_update(self, login: str | None, association: str) -> bool:
        """An author whose updates are applied."""
        return association in self.associations or (login is not None and login in self.users)

    def wrote_part(self, comment: CommentRecord) -> bool:
        """A large object's part counts: by an authorized author, a processor, or the issue's
        creator (the stub's hash vouches for the data; this keeps others' junk out)."""
        author = comment.author
        return self.may_update(author, comment.association) or (
            author is not None and (author in self.processors or author == self.creator)
        )

    def marks_on(self, comment: CommentRecord) -> frozenset[str]:
        """The reaction contents a processor identity put on a comment (other people's
        reactions, of any kind and number, never count)."""
        mine = comment.viewer_reacted if self.viewer_marks else frozenset()
        return mine | {c for c, u in comment.marks if u in self.processors}

    def mark_contents(self) -> frozenset[str]:
        """Every reaction content that is a processor's mark."""
        return self.refusals | {self.processed, self.settled}

    def hidden(self, comment: CommentRecord) -> frozenset[str]:
        """Mark contents too crowded on this comment to tell whether a processor made them."""
        return (comment.crowded & self.mark_contents()) - self.marks_on(comment)

    def boundary(self, comments: Sequence[CommentRecord]) -> int:
        """Index of the newest comment carrying the processor's settled mark (-1: none):
        every comment up to it was settled by a processor round whose write landed."""
        for index in range(len(comments) - 1, -1, -1):
            if self.settled in self.marks_on(comments[index]):
                return index
        return -1


@frozen
class Classified:
    """A comment and its verdict."""

    comment: CommentRecord
    parsed: ParsedComment
    status: str
    """"applied", "pending", "rejected", "part" or "initial_state"."""
    reason: str | None = None
    settled: bool = False
    """At or before the processor's watermark: decided by an earlier round."""


def classify(comments: Sequence[CommentRecord], trust: Trust) -> list[Classified]:
    """The verdict on each comment, in GitHub's order. Comments up to the processor's
    watermark are settled: each is applied only if a processor marked it so."""
    boundary = trust.boundary(comments)
    return [_verdict(c, trust, index <= boundary) for index, c in enumerate(comments)]


def _verdict(comment: CommentRecord, trust: Trust, settled: bool) -> Classified:
    parsed = parse_comment(comment.body)
    authorized = trust.may_update(comment.author, comment.association)
    unauthorized = f"author {comment.author or 'ghost'} ({comment.association}) is not authorized"

    def verdict(status: str, reason: str | None = None) -> Classified:
        return Classified(comment, parsed, status, reason, settled)

    if parsed.kind == "initial_state":
        # Anyone can post a comment that looks like one: only the creator's or an
        # authorized author's counts (it is never applied, but history shows it as applied).
        if authorized or (comment.author is not None and comment.author == trust.creator):
            return verdict("initial_state")
        return verdict(
            "rejected", f"an initial state that the object's creator did not post: {unauthorized}"
        )
    if parsed.kind == "part":
        return verdict("part")
    marks = trust.marks_on(comment)
    if parsed.kind == "invalid":
        return verdict("rejected", parsed.reason)
    if trust.processed in marks:
        # Trust is decided once: what a processor applied stays applied, whoever wrote it.
        return verdict("applied", EDITED_AFTER_APPLIED if comment.edited else None)
    if not authorized:
        return verdict("rejected", unauthorized)
    if marks & trust.refusals:
        return verdict(
            "rejected",
            "refused by the processor (it did not fit the record type or the size limit, "
            "or was written against an older version)",
        )
    if settled:
        return verdict("rejected", SETTLED_UNMARKED)
    if comment.edited:
        # GitHub does not say who edited a comment (anyone with write access can), nor
        # what it said before: an edited update is not applied.
        return verdict("rejected", EDITED_PENDING)
    return verdict("pending")


SETTLED_UNMARKED = (
    "settled by a processor run that left no mark of applying it (a mark that did not land)"
)
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


def settled_version(verdicts: Iterable[Classified], earlier: int = 0) -> int:
    """The version of the stored body: its initial state and every applied update (at
    least 1, for an object whose initial-state comment is gone); `earlier` comments that
    were not read (settled before the processor's watermark) count one each."""
    return max(1, earlier + sum(1 for v in verdicts if v.status in ("applied", "initial_state")))


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
    earlier: int = 0,
) -> Applied:
    """Apply pending updates in order (an update's removals, then its deep merge); one
    written against another version than the one reached (`expected_version`), whose result
    does not fit the record type (`check` raises InvalidUpdate) or cannot be stored (`fits`
    says why; by default, over the issue body limit) is refused, and the others still go in.
    Each applied update adds one to the version."""
    verdicts = list(verdicts)
    version = settled_version(verdicts, earlier)
    applied: list[Classified] = []
    refused: list[tuple[Classified, str]] = []
    for verdict in verdicts:
        if verdict.status != "pending" or verdict.parsed.changes is None:
            continue
        try:
            problem = _moved_past(verdict, version)
            candidate = data
            if problem is None:
                candidate = apply_update(data, verdict.parsed.changes, verdict.parsed.removals)
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
    earlier: int = 0,
) -> ObjectState:
    """The one place an object's data, version and pending count are computed from its body
    and the verdicts on its comments (`earlier`: comments older than those read)."""
    pending = sum(1 for v in verdicts if v.status == "pending")
    if not include_pending:
        return ObjectState(body, settled_version(verdicts, earlier), pending)
    result = apply_pending(body, verdicts, check, fits, earlier)
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
