"""An object's timeline as the store reads it: every comment in one read (ceil(C/100)
requests for C comments, as history), replayed by ghstore.domain.timeline against the state
the store holds and the state `get` gives."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from attrs import evolve

from ..domain.large import assemble, is_stub, size_check
from ..domain.timeline import Timeline, build_timeline, history_entries
from ..domain.verdicts import apply_pending, classify
from ..exceptions import InvalidUpdate
from ..model import HistoryEntry, StoredObject
from .reads import ObjectRead, Reads

__all__ = ["list_timelines", "read_timeline", "timeline_of"]

log = logging.getLogger("ghstore")


async def read_timeline(reads: Reads, object_id: str) -> Timeline:
    """The object's timeline (following aliases and merges to the canonical object)."""
    return timeline_of(reads, await reads.read(object_id, everything=True))


async def list_timelines(
    reads: Reads, *, collection: str | None = None
) -> AsyncIterator[tuple[StoredObject[dict[str, Any]], Timeline]]:
    """Every live object (of one collection) as `list` gives it, with its timeline, from one
    listing (Reads.whole_reads); an object whose body cannot be read is skipped, as `list`
    skips it, and said in a warning."""
    async for read in reads.whole_reads(collection=collection):
        try:
            stored = reads.stored(read.object_id, read.issue, read.comments, read.trust)
            yield stored, timeline_of(reads, read)
        except InvalidUpdate as exc:
            log.warning("skipping object %r: %s", read.object_id, exc.message)


def timeline_of(reads: Reads, read: ObjectRead) -> Timeline:
    """The timeline of an object read with every comment: each step's state, the pending
    updates folded as `get` folds them (same record type check and size limit), and the
    replay checked against the stored state."""
    verdicts = classify(read.comments, read.trust)
    stored = reads.body(read.object_id, read.issue.body, read.comments, read.trust)
    check = reads.check_for(read.object_id, read.issue)
    fits = size_check(read.object_id, reads.config.store.max_parts)
    folded = apply_pending(stored, verdicts, check, fits)
    entries = [_joined(entry, read) for entry in history_entries(verdicts)]
    return build_timeline(
        read.object_id,
        entries,
        stored=stored,
        current=folded.data,
        refusals={verdict.comment.database_id: why for verdict, why in folded.refused},
    )


def _joined(entry: HistoryEntry, read: ObjectRead) -> HistoryEntry:
    """A large object's initial state records its stub: the timeline shows the data the stub
    names, joined from its parts (kept as the stub if they are gone: the mismatch says so)."""
    if entry.kind != "initial_state" or entry.data is None or not is_stub(entry.data):
        return entry
    try:
        data = assemble(entry.data, read.object_id, read.comments, read.trust.wrote_part)
    except InvalidUpdate:
        return entry
    return evolve(entry, data=data)
