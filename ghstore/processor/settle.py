"""A processor round's write: the new body and close, the marks, and the lock's release, in
one request, and what its answer says (did it land, did comments arrive meanwhile)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from ..config import REACTION_CONTENT, StoreConfig
from ..domain.large import encode_object, stored_chunks
from ..domain.verdicts import Applied, Check, Classified, CommentRecord, Trust, apply_pending
from ..github import answers, calls
from ..github.answers import CommentPage, IssueNode
from ..github.documents import Call
from ..github.gateway import CallOutcome, Guard
from ..github.issues import Issues
from .report import ProcessReport, Rejection

__all__ = ["MAX_REFUSALS", "RoundRead", "Settlement"]

log = logging.getLogger("ghstore.processor")

PARTS_WITH_THE_WRITE = 40
"""Parts sent in the write's own request (fewer if store.rate_limit.content_per_minute is
lower); more are sent first, in requests of their own, so that no request creates more
content than GitHub's limit on a minute allows (80)."""

Fits = Callable[[dict[str, Any]], str | None]
"""Why a new state cannot be stored (None: it can)."""

MAX_REFUSALS = 100
"""Refusal marks one round sends at most (the newest): the watermark settles the older ones."""


@frozen
class RoundRead:
    """What a round read under its lock: the issue, its newest comment page, the comments
    that can still matter, whose marks count, and the object's data."""

    issue: IssueNode
    page: CommentPage
    comments: list[CommentRecord]
    trust: Trust
    body: dict[str, Any]
    earlier: int = 0
    """Comments older than those read (settled before the processor's watermark)."""


class Settlement:
    """The calls of one round's write and the bookkeeping of their answers."""

    def __init__(
        self,
        issues: Issues,
        config: StoreConfig,
        issue: IssueNode,
        page: CommentPage,
        comments: Sequence[CommentRecord],
        parts: list[Call],
        writes: list[Call],
        marked: list[int],
        report: ProcessReport,
    ) -> None:
        self.issues = issues
        self.config = config
        self.issue = issue
        self.page = page
        self.comments = comments
        self.parts = parts
        self.writes = writes
        self.marked = marked
        self.report = report
        self.released = False
        """The lock's release landed with the write."""

    @classmethod
    def plan(
        cls,
        issues: Issues,
        config: StoreConfig,
        read: RoundRead,
        verdicts: list[Classified],
        check: Check | None,
        fits: Fits,
        report: ProcessReport,
    ) -> Settlement:
        """Fold the pending updates and build the write: (parts of a large new state,) the
        settle, a processed mark on each applied comment, a refusal on each refused one not
        marked yet (the newest MAX_REFUSALS), and the watermark on the newest comment read."""
        issue, trust = read.issue, read.trust
        result = apply_pending(read.body, verdicts, check, fits, read.earlier)
        parts: list[Call] = []
        new_body = None
        if result.data != read.body:
            # a large object's chunks already on the issue (its stub names them) are reused:
            # an update adds parts in proportion to the change, not to the object's size
            encoded = encode_object(
                result.data, report.object_id or "", config.max_parts, stored_chunks(issue.body)
            )
            new_body = encoded.body
            parts = [calls.add_comment(issue.id, p) for p in encoded.parts]
        writes = [calls.settle_object(issue.id, new_body)]
        marked = []
        for verdict in result.applied:
            writes.append(calls.add_reaction(verdict.comment.node_id, trust.processed))
            marked.append(verdict.comment.database_id)
        refusals = [
            (verdict, reason, REACTION_CONTENT[reaction])
            for verdict, reason, reaction in _refusals(config, verdicts, result)
            if not trust.marks_on(verdict.comment) & trust.refusals
        ]
        for verdict, reason, _ in refusals:
            report.rejected.append(
                Rejection(verdict.comment.database_id, verdict.comment.author, reason)
            )
        for verdict, _, content in refusals[-MAX_REFUSALS:]:
            writes.append(calls.add_reaction(verdict.comment.node_id, content))
        newest = read.comments[-1] if read.comments else None
        if newest is not None and trust.settled not in trust.marks_on(newest):
            writes.append(calls.add_reaction(newest.node_id, trust.settled))
        return cls(issues, config, issue, read.page, read.comments, parts, writes, marked, report)

    async def send(self, lock_id: str, guard: Guard) -> bool:
        """Send the write with the lock's release (`guard` runs before it goes out); True
        when comments were posted or deleted during the round (another round is due)."""
        early = await self._send_early_parts(guard)
        parts = self.parts[len(early) :]
        sent = [*parts, *self.writes, calls.delete_label(lock_id)]
        outcomes = await self.issues.gateway.mutate(sent, one_request=True, guard=guard)
        self.released = outcomes[-1].ok
        count = len(parts)
        settle, marks = outcomes[count], outcomes[count + 1 : -1]
        if settle.error is not None:
            await self._undo_marks(marks)
            raise settle.error
        missing = [o.call for o in outcomes[:count] if o.error is not None]
        if missing:  # the new stub names parts that did not land: post them again
            for outcome in await self.issues.gateway.mutate(missing):
                if outcome.error is not None:
                    raise outcome.error
        for outcome in marks:
            if outcome.error is not None:
                log.warning(
                    "a mark on issue #%s did not land: %s", self.issue.number, outcome.error.message
                )
        self.report.applied.extend(self.marked)
        assert settle.data is not None
        return self._changed_meanwhile([*early, *outcomes[:count]], settle.data)

    async def _send_early_parts(self, guard: Guard) -> list[CallOutcome]:
        """Parts beyond what the write's request holds, sent (paced) before it. Parts named
        by no stub yet change nothing a reader sees; should the run stop here, the next one
        writes its own."""
        gateway = self.issues.gateway
        share = min(PARTS_WITH_THE_WRITE, gateway.limits.content_per_minute or PARTS_WITH_THE_WRITE)
        early = self.parts[: max(0, len(self.parts) - share)]
        if not early:
            return []
        outcomes = await gateway.mutate(early, guard=guard)
        for outcome in outcomes:
            if outcome.error is not None:
                raise outcome.error
        return outcomes

    def _changed_meanwhile(self, parts: list[CallOutcome], settled: dict[str, Any]) -> bool:
        """Comments posted (or deleted) during the round: compare the newest comment and the
        count with what was read plus the parts written, never the count alone."""
        landed = [o.data for o in parts if o.ok and o.data is not None]
        if landed:
            expected_last: str | None = answers.added_comment(landed[-1])
        else:
            expected_last = self.comments[-1].node_id if self.comments else None
        total, newest = answers.settled(settled)
        return total != self.page.total + len(landed) or newest != expected_last

    async def _undo_marks(self, outcomes: list[CallOutcome]) -> None:
        """The body write failed: take back every mark that landed after it (a watermark
        left standing would settle updates whose changes were not written)."""
        undo = [
            calls.remove_reaction(o.call.variables["subjectId"], o.call.variables["content"])
            for o in outcomes
            if o.ok and o.call.name == "AddReaction"
        ]
        if undo:
            await self.issues.gateway.mutate(undo, idempotent=True)


def _refusals(
    config: StoreConfig, verdicts: list[Classified], result: Applied
) -> list[tuple[Classified, str, str]]:
    """(verdict, reason, reaction) of every comment refused in this round (those the
    watermark settled were decided before): rejected ones, then updates that did not fit."""
    reactions = config.reactions
    refused = [
        (v, v.reason or "", reactions.invalid if v.parsed.kind == "invalid" else reactions.rejected)
        for v in verdicts
        if v.status == "rejected" and not v.settled
    ]
    refused += [(v, reason, reactions.invalid) for v, reason in result.refused]
    return refused
