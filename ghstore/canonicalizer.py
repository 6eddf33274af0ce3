"""Aliases, merges and deduplication that work on GitHub (see ghstore.canonical for the
rules and the label vocabulary, which is gh-store 0.11's).

Every operation first makes a plan -- what it would do, step by step -- and carries it out
only when `dry_run` is false. Costs: resolve 1 request a hop; create_alias 3-4; merge 4-5;
find_duplicates and find_aliases ceil(N/100); deduplicate 2 + 1 per duplicate (+ labels).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from attrs import define, field

from .canonical import (
    ALIAS_PREFIX,
    DEPRECATED_BY_PREFIX,
    MERGED_PREFIX,
    RETIRED_LABEL,
    CanonicalizationError,
    redirect_of,
)
from .documents import Call
from .format import LABEL_NAME_LIMIT, title_for, validate_object_id
from .store import Store
from .updates import classify, fold
from .writes import Change, WriteEngine

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

    def __init__(self, store: Store) -> None:
        self.store = store

    async def resolve(self, object_id: str) -> str:
        """The canonical id behind an id (itself, or where its aliases and merges lead)."""
        validate_object_id(object_id, self.store.labels)
        canonical, _ = await self.store.locate(object_id)
        return canonical

    async def _lookup(self, object_id: str) -> dict[str, Any]:
        data = await self.store.gateway.query(
            "FindObject", self.store.find_call(object_id).variables
        )
        return data["repository"]["label"] or {}

    async def create_alias(self, alias_id: str, target_id: str, *, dry_run: bool = False) -> Plan:
        """Make `alias_id` stand for `target_id`: reads and updates of it act on the target."""
        store = self.store
        validate_object_id(alias_id, store.labels)
        canonical = await self.resolve(target_id)
        if canonical == alias_id:
            raise CanonicalizationError(
                f"{alias_id!r} cannot be an alias of itself", object_id=alias_id
            )
        alias_label = _label(ALIAS_PREFIX, canonical)
        plan = Plan("create_alias", dry_run=dry_run)
        label = await self._lookup(alias_id)
        if redirect_of(label) is not None:
            raise CanonicalizationError(
                f"{alias_id!r} already points to {redirect_of(label)!r}", object_id=alias_id
            )
        live = (label.get("issues") or {}).get("nodes") or []
        if live:
            plan.steps.append(f"label issue #{live[0]['number']} ({alias_id!r}) {alias_label}")
        else:
            plan.steps.append(f"create alias object {alias_id!r} labelled {alias_label}")
        if dry_run:
            return plan
        names = [store.labels.base, store.labels.namespace, store.labels.uid(alias_id), alias_label]
        ids = await store._label_ids(*names)
        if live:
            await store.gateway.mutate_one(
                Call("AddLabels", {"labelableId": live[0]["id"], "labelIds": [ids[-1]]})
            )
        else:
            ctx = await store._ctx()
            made = await store.gateway.mutate_one(
                Call(
                    "CreateIssue",
                    {
                        "repositoryId": ctx.repository_id,
                        "title": title_for(alias_id),
                        "body": "{}",
                        "labelIds": [],
                    },
                )
            )
            issue = made["createIssue"]["issue"]
            await store.gateway.mutate_one(
                Call("UpdateIssue", {"id": issue["id"], "labelIds": ids, "state": "CLOSED"})
            )
        store._forget(alias_id)
        plan.done = True
        return plan

    async def merge(self, source_id: str, target_id: str, *, dry_run: bool = False) -> Plan:
        """Fold `source_id` into `target_id`: its state is posted to the target as an update
        (authorized and ordered like any update), then the source is retired, pointing there."""
        store = self.store
        for object_id in (source_id, target_id):
            validate_object_id(object_id, store.labels)
        source_label = await self._lookup(source_id)
        if redirect_of(source_label) is not None or not (source_label.get("issues") or {}).get(
            "nodes"
        ):
            raise CanonicalizationError(
                f"{source_id!r} is not a live object of its own (an alias, merged, or missing)",
                object_id=source_id,
            )
        canonical, target = await store.locate(target_id)
        if canonical == source_id:
            raise CanonicalizationError(
                f"{source_id!r} cannot be merged into itself", object_id=source_id
            )
        source = await store.get(source_id)
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
        await store.update(canonical, source.data)
        await self._retire(source_id, source.meta.node_id, canonical, target.number)
        plan.done = True
        return plan

    async def _retire(self, object_id: str, issue_id: str, canonical: str, number: int) -> None:
        store = self.store
        names = [
            store.labels.namespace,
            store.labels.uid(object_id),
            RETIRED_LABEL,
            _label(MERGED_PREFIX, canonical),
            _label(DEPRECATED_BY_PREFIX, str(number)),
        ]
        ids = await store._label_ids(*names)
        await store.gateway.mutate_one(
            Call("UpdateIssue", {"id": issue_id, "labelIds": ids, "state": "CLOSED"})
        )
        store._forget(object_id)

    async def find_duplicates(self) -> dict[str, list[int]]:
        """Ids held by more than one live issue, with their issue numbers (oldest first)."""
        numbers: dict[str, list[int]] = defaultdict(list)
        async for stored in self.store.list():
            numbers[stored.meta.object_id].append(stored.meta.issue_number)
        return {k: sorted(v) for k, v in numbers.items() if len(v) > 1}

    async def find_aliases(self) -> dict[str, str]:
        """Every alias and what it points to, from the labels the listing returns."""
        found: dict[str, str] = {}
        async for issue in self.store.raw_issues():
            names = [n["name"] for n in issue["labels"]["nodes"]]
            uid = next((o for n in names if (o := self.store.labels.object_id(n))), None)
            target = next(
                (n[len(ALIAS_PREFIX) :] for n in names if n.startswith(ALIAS_PREFIX)), None
            )
            if uid is not None and target is not None:
                found[uid] = target
        return found

    async def deduplicate(self, object_id: str, *, dry_run: bool = False) -> Plan:
        """Keep the oldest live issue of `object_id`; post each newer duplicate's state to it
        as an update (in creation order) and retire the duplicate."""
        store = self.store
        validate_object_id(object_id, store.labels)
        data = await store.gateway.query(
            "ObjectIssues",
            {
                **store._where(),
                "uidLabel": store.labels.uid(object_id),
                "baseLabel": store.labels.base,
            },
        )
        label = data["repository"]["label"]
        issues = (label or {}).get("issues", {}).get("nodes") or []
        plan = Plan("deduplicate", dry_run=dry_run)
        if len(issues) < 2:
            plan.steps.append(f"{object_id!r} has {len(issues)} live issue(s): nothing to do")
            plan.done = not dry_run
            return plan
        keep, duplicates = issues[0], issues[1:]
        for duplicate in duplicates:
            plan.steps.append(
                f"post issue #{duplicate['number']}'s state to #{keep['number']}, then retire it"
            )
        if dry_run:
            return plan
        engine = WriteEngine(store)
        for duplicate in duplicates:
            state = await self._state_of(object_id, duplicate)
            change = Change("update", object_id, state)
            change.issue = {"id": keep["id"], "number": keep["number"], "can_reopen": True}
            engine.prepare(change)
            await engine.run([change])
            if change.status != "landed":
                raise change.error or CanonicalizationError(
                    f"{change.describe()}", object_id=object_id
                )
            await self._retire(object_id, duplicate["id"], object_id, keep["number"])
        plan.done = True
        return plan

    async def _state_of(self, object_id: str, issue: dict[str, Any]) -> dict[str, Any]:
        """A duplicate's body with its authorized pending updates folded in."""
        store = self.store
        comments = await store._older_comments(issue["id"], 10**6)
        ctx = await store._ctx()
        repo = {"owner": {"login": store.owner}, "viewerPermission": ctx.permission}
        trust = store.trust_for(repo, ctx.viewer, issue, comments)
        body = store._body(object_id, issue["body"], comments, trust)
        return fold(body, [v for v in classify(comments, trust) if v.status == "pending"])
