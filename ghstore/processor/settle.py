"""A processor round's write: the new body and close, then the marks and the lock's release,
and what the answers say (did it land, did comments arrive meanwhile).

A mark settles a comment (the processed mark: applied; the watermark: everything up to it),
so no mark is sent before the body that holds the round's updates is known to have landed:
a round that writes a new body sends it alone first (2 requests: body, then marks and
release); a round whose body stays as it is sends everything in one. A body write that
fails, or whose answer is lost, leaves no mark: the next run applies the same updates again
to the same body, which changes nothing it already holds."""

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
        settle: Call,
        marks: list[Call],
        marked: list[int],
        report: ProcessReport,
    ) -> None:
        self.issues = issues
        self.config = config
        self.issue = issue
        self.page = page
        self.comments = comments
        self.parts = parts
        self.settle = settle
        """The body (if it changes) and the close."""
        self.marks = marks
        """Processed marks, refusals, then the watermark."""
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
        writes: list[Call] = []
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
        settle = calls.settle_object(issue.id, new_body)
        return cls(
            issues, config, issue, read.page, read.comments, parts, settle, writes, marked, report
        )

    async def send(self, lock_id: str, guard: Guard) -> bool:
        """Send the write with the lock's release (`guard` runs before each request goes
        out); True when comments were posted or deleted during the round (another round is
        due)."""
        early = await self._send_early_parts(guard)
        parts = self.parts[len(early) :]
        release = calls.delete_label(lock_id)
        gateway = self.issues.gateway
        if "body" in self.settle.variables:  # the body first; marks only once it landed
            # alone, the body's write is sent again if its answer is lost (writing the same
            # body and closing again changes nothing); with parts, the next run writes it
            outcomes = await gateway.mutate(
                [*parts, self.settle], one_request=True, idempotent=not parts, guard=guard
            )
            settle = self._landed(outcomes[-1])
            await self._repost_missing(outcomes[:-1])
            sent = [*self.marks, release]
            marks = await gateway.mutate(sent, one_request=True, idempotent=True, guard=guard)
        else:  # nothing a mark could settle is unwritten: one request
            sent = [*parts, self.settle, *self.marks, release]
            outcomes = await gateway.mutate(sent, one_request=True, guard=guard)
            settle = self._landed(outcomes[len(parts)])
            marks = outcomes[len(parts) + 1 :]
        self.released = marks[-1].ok
        for outcome in marks[:-1]:
            if outcome.error is not None:
                log.warning(
                    "a mark on issue #%s did not land: %s", self.issue.number, outcome.error.message
                )
        self.report.applied.extend(self.marked)
        return self._changed_meanwhile([*early, *outcomes[: len(parts)]], settle)

    @staticmethod
    def _landed(settle: CallOutcome) -> dict[str, Any]:
        """The settle's answer; its error if it failed (then no mark has been sent)."""
        if settle.error is not None:
            raise settle.error
        assert settle.data is not None
        return settle.data

    async def _repost_missing(self, parts: list[CallOutcome]) -> None:
        """The new stub names parts that did not land: post them again."""
        missing = [o.call for o in parts if o.error is not None]
        if missing:
            for outcome in await self.issues.gateway.mutate(missing):
                if outcome.error is not None:
                    raise outcome.error

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
