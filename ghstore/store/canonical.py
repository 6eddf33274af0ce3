"""Aliases, merges and deduplication that work on GitHub (see ghstore.domain.canonical for the
rules and the label vocabulary, which is gh-store 0.11's).

Every operation first makes a plan -- what it would do, step by step -- and carries it out
only when `dry_run` is false. Costs: resolve 1 request a hop; create_alias 3-4; merge 4-5;
find_duplicates and find_aliases ceil(N/100); deduplicate 2 + 1 per duplicate (+ labels).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from attrs import define, field

from ..domain.canonical import (
    ALIAS_PREFIX,
    DEPRECATED_BY_PREFIX,
    MERGED_PREFIX,
    RETIRED_LABEL,
    target_of,
)
from ..domain.format import LABEL_NAME_LIMIT, title_for, validate_object_id
from ..domain.verdicts import classify
from ..exceptions import CanonicalizationError
from ..github import calls
from ..github.answers import UidLabel
from .change import Change, ChangeKind, ChangeStatus, IssueTarget
from .context import StoreContext
from .reads import ObjectRead

__all__ = ["Canonicalizer", "Plan"]


@define
class Plan:
    """What an operation does (or, with dry_run, would do)."""

    action: str
    steps: list[str] = field(factory=list)
    dry_run: bool = False
    done: bool = False

    def to_json(self) -> dict[str, Any]:
        """JSON form (the CLI's output)."""
        return {
            "action": self.action,
            "dry_run": self.dry_run,
            "done": self.done,
            "steps": self.steps,
        }


def _label(prefix: str, value: str) -> str:
    name = f"{prefix}{value}"
    if len(name) > LABEL_NAME_LIMIT:
        raise CanonicalizationError(
            f"label {name!r} would be {len(name)} characters; GitHub allows {LABEL_NAME_LIMIT}",
            object_id=value,
        )
    return name


class Canonicalizer:
    """Canonical-object operations on one store."""

    def __init__(self, ctx: StoreContext) -> None:
        self.ctx = ctx
        self.issues = ctx.issues
        self.labels = ctx.issues.labels

    async def resolve(self, object_id: str) -> str:
        """The canonical id behind an id (itself, or where its aliases and merges lead)."""
        validate_object_id(object_id, self.labels)
        canonical, _ = await self.ctx.reads.locate(object_id)
        return canonical

    async def _lookup(self, object_id: str) -> UidLabel | None:
        return (await self.issues.find(object_id)).label

    async def create_alias(self, alias_id: str, target_id: str, *, dry_run: bool = False) -> Plan:
        """Make `alias_id` stand for `target_id`: reads and updates of it act on the target."""
        validate_object_id(alias_id, self.labels)
        canonical = await self.resolve(target_id)
        if canonical == alias_id:
            raise CanonicalizationError(
                f"{alias_id!r} cannot be an alias of itself", object_id=alias_id
            )
        alias_label = _label(ALIAS_PREFIX, canonical)
        plan = Plan("create_alias", dry_run=dry_run)
        label = await self._lookup(alias_id)
        points_to = label.redirect() if label is not None else None
        if points_to is not None:
            raise CanonicalizationError(
                f"{alias_id!r} already points to {points_to!r}", object_id=alias_id
            )
        live = label.live if label is not None else ()
        if live:
            plan.steps.append(f"label issue #{live[0].number} ({alias_id!r}) {alias_label}")
        else:
            plan.steps.append(f"create alias object {alias_id!r} labelled {alias_label}")
        if dry_run:
            return plan
        labels = self.labels
        names = [labels.base, labels.namespace, labels.uid(alias_id), alias_label]
        ids = await self.issues.label_ids(*names)
        if live:
            await self.issues.send(calls.add_labels(live[0].id, [ids[-1]]))
        else:
            issue = await self.issues.create_issue(title_for(alias_id), "{}")
            await self.issues.send(calls.set_labels_and_close(issue.id, ids))
        self.ctx.identity.forget(alias_id)
        plan.done = True
        return plan

    async def merge(self, source_id: str, target_id: str, *, dry_run: bool = False) -> Plan:
        """Fold `source_id` into `target_id`: its state is posted to the target as an update
        (authorized and ordered like any update), then the source is retired, pointing there."""
        for object_id in (source_id, target_id):
            validate_object_id(object_id, self.labels)
        source_label = await self._lookup(source_id)
        if source_label is None or source_label.redirect() is not None or not source_label.live:
            raise CanonicalizationError(
                f"{source_id!r} is not a live object of its own (an alias, merged, or missing)",
                object_id=source_id,
            )
        canonical, target = await self.ctx.reads.locate(target_id)
        if canonical == source_id:
            raise CanonicalizationError(
                f"{source_id!r} cannot be merged into itself", object_id=source_id
            )
        read = await self.ctx.reads.read(source_id)
        source = self.ctx.reads.stored(
            read.object_id, read.issue, read.comments, read.trust, earlier=read.earlier
        )
        plan = Plan("merge", dry_run=dry_run)
        plan.steps.append(
            f"post {source_id!r}'s state to {canonical!r} (issue #{target.number}) as an update"
        )
        plan.steps.append(
            f"retire issue #{source.meta.issue_number}: {RETIRED_LABEL}, "
            f"{MERGED_PREFIX}{canonical}, {DEPRECATED_BY_PREFIX}{target.number}"
        )
        if dry_run:
            return plan
        from .writes import write  # noqa: PLC0415 - the write side, when first used

        await write(self.ctx, Change(ChangeKind.UPDATE, canonical, source.data))
        await self._retire(source_id, source.meta.node_id, canonical, target.number)
        for changes in await self._landed_meanwhile(read):
            await write(self.ctx, Change(ChangeKind.UPDATE, canonical, changes))
        plan.done = True
        return plan

    async def _landed_meanwhile(self, read: ObjectRead) -> list[dict[str, Any]]:
        """Authorized updates posted to a merged source between its read and its retirement,
        in order: their writers were told they landed, so they follow the state to the
        target (a writer who posts after the retirement is sent there by its own reopen)."""
        seen = {c.node_id for c in read.comments}
        comments = await self.issues.older_comments(read.issue.id, 10**6)
        return [
            verdict.parsed.changes
            for verdict in classify(comments, read.trust)
            if verdict.status == "pending"
            and verdict.parsed.changes is not None
            and verdict.comment.node_id not in seen
        ]

    async def _retire(self, object_id: str, issue_id: str, canonical: str, number: int) -> None:
        names = [
            self.labels.namespace,
            self.labels.uid(object_id),
            RETIRED_LABEL,
            _label(MERGED_PREFIX, canonical),
            _label(DEPRECATED_BY_PREFIX, str(number)),
        ]
        ids = await self.issues.label_ids(*names)
        await self.issues.send(calls.set_labels_and_close(issue_id, ids))
        self.ctx.identity.forget(object_id)

    async def find_duplicates(self) -> dict[str, list[int]]:
        """Ids held by more than one live issue, with their issue numbers (oldest first)."""
        numbers: dict[str, list[int]] = defaultdict(list)
        async for stored in self.ctx.reads.list():
            numbers[stored.meta.object_id].append(stored.meta.issue_number)
        return {k: sorted(v) for k, v in numbers.items() if len(v) > 1}

    async def find_aliases(self) -> dict[str, str]:
        """Every alias and what it points to, from the labels the listing returns."""
        found: dict[str, str] = {}
        async for issue in self.issues.listing():
            uid = self.ctx.reads.object_id_of(issue)
            target = target_of(issue.labels, ALIAS_PREFIX)
            if uid is not None and target is not None:
                found[uid] = target
        return found

    async def deduplicate(self, object_id: str, *, dry_run: bool = False) -> Plan:
        """Keep the oldest live issue of `object_id`; post each newer duplicate's state to it
        as an update (in creation order) and retire the duplicate."""
        validate_object_id(object_id, self.labels)
        issues = await self.issues.object_issues(object_id)
        plan = Plan("deduplicate", dry_run=dry_run)
        if len(issues) < 2:
            plan.steps.append(f"{object_id!r} has {len(issues)} live issue(s): nothing to do")
            plan.done = not dry_run
            return plan
        keep, duplicates = issues[0], issues[1:]
        for duplicate in duplicates:
            plan.steps.append(
                f"post issue #{duplicate.number}'s state to #{keep.number}, then retire it"
            )
        if dry_run:
            return plan
        from .writes import WriteEngine  # noqa: PLC0415 - the write side, when first used

        engine = WriteEngine(self.ctx)
        for duplicate in duplicates:
            state = await self.ctx.reads.state_of(object_id, duplicate)
            change = Change(ChangeKind.UPDATE, object_id, state)
            change.issue = IssueTarget(keep.id, keep.number, can_reopen=True)
            engine.prepare(change)
            await engine.run([change])
            if change.status != ChangeStatus.LANDED:
                raise change.error or CanonicalizationError(
                    f"{change.describe()}", object_id=object_id
                )
            await self._retire(object_id, duplicate.id, object_id, keep.number)
        plan.done = True
        return plan
