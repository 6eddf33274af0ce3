"""A processor round's write: the new body and close, the marks, and the lock's release, in
one request, and what its answer says (did it land, did comments arrive meanwhile)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from ..config import REACTION_CONTENT, StoreConfig
from ..domain.large import encode_object, stored_chunks
from ..domain.verdicts import Applied, Check, Classified, CommentRecord, apply_pending
from ..github import answers, calls
from ..github.answers import CommentPage, IssueNode
from ..github.documents import Call
from ..github.gateway import CallOutcome, Guard
from ..github.issues import Issues
from .report import ProcessReport, Rejection

__all__ = ["Settlement"]

log = logging.getLogger("ghstore.processor")

PARTS_WITH_THE_WRITE = 40
"""Parts sent in the write's own request (fewer if store.rate_limit.content_per_minute is
lower); more are sent first, in requests of their own, so that no request creates more
content than GitHub's limit on a minute allows (80)."""

Fits = Callable[[dict[str, Any]], str | None]
"""Why a new state cannot be stored (None: it can)."""


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
        issue: IssueNode,
        page: CommentPage,
        comments: Sequence[CommentRecord],
        body: dict[str, Any],
        verdicts: list[Classified],
        check: Check | None,
        fits: Fits,
        report: ProcessReport,
    ) -> Settlement:
        """Fold the pending updates and build the write: (parts of a large new state,) the
        settle, a processed mark on each applied comment, a refusal on each refused one."""
        result = apply_pending(body, verdicts, check, fits)
        parts: list[Call] = []
        new_body = None
        if result.data != body:
            # a large object's chunks already on the issue (its stub names them) are reused:
            # an update adds parts in proportion to the change, not to the object's size
            encoded = encode_object(
                result.data, report.object_id or "", config.max_parts, stored_chunks(issue.body)
            )
            new_body = encoded.body
            parts = [calls.add_comment(issue.id, p) for p in encoded.parts]
        processed = REACTION_CONTENT[config.reactions.processed]
        writes = [calls.settle_object(issue.id, new_body)]
        marked = []
        for verdict in result.applied:
            writes.append(calls.add_reaction(verdict.comment.node_id, processed))
            marked.append(verdict.comment.database_id)
        for verdict, reason, reaction in _refusals(config, verdicts, result):
            report.rejected.append(
                Rejection(verdict.comment.database_id, verdict.comment.author, reason)
            )
            content = REACTION_CONTENT[reaction]
            if content not in verdict.comment.viewer_reacted:
                writes.append(calls.add_reaction(verdict.comment.node_id, content))
        return cls(issues, config, issue, page, comments, parts, writes, marked, report)

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
        """The body write failed: take back the processed marks that landed after it."""
        processed = REACTION_CONTENT[self.config.reactions.processed]
        undo = [
            calls.remove_reaction(o.call.variables["subjectId"], processed)
            for o in outcomes
            if o.ok and o.call.name == "AddReaction" and o.call.variables["content"] == processed
        ]
        if undo:
            await self.issues.gateway.mutate(undo, idempotent=True)


def _refusals(
    config: StoreConfig, verdicts: list[Classified], result: Applied
) -> list[tuple[Classified, str, str]]:
    """(verdict, reason, reaction) of every refused comment: rejected ones, then updates that
    did not fit."""
    reactions = config.reactions
    refused = [
        (v, v.reason or "", reactions.invalid if v.parsed.kind == "invalid" else reactions.rejected)
        for v in verdicts
        if v.status == "rejected"
    ]
    refused += [(v, reason, reactions.invalid) for v, reason in result.refused]
    return refused
