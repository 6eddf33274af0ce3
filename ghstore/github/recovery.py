"""After a request whose outcome is unknown (a timeout, a dropped connection, a 5xx): which of
its calls landed, before anything in it is sent again.

Content-creating calls are looked up: an update comment by its idempotency key among the
viewer's own newest comments (anyone can copy a key into a comment of their own), a part
comment by its text, a bare new issue by its title and body, a new object's settle by the
live objects holding its UID label (so the check for a concurrent create of the same id is
not lost with the answer). The other calls are idempotent and are simply sent again. A UID
label is never taken for ours because it exists: another object's would skip the check that
the id is free, while sent again, its "already taken" answer leads to that check.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .documents import Call
from .issues import Issues

__all__ = ["what_landed"]


async def what_landed(issues: Issues, calls: list[Call]) -> dict[int, dict[str, Any]]:
    """{position: data} of the calls that landed, as their answers would have said."""
    recovery = _Recovery(issues)
    looks = {
        "AddComment": recovery.comment,
        "SettleNewObject": recovery.settled,
        "CreateIssue": recovery.new_issue,
    }
    found: dict[int, dict[str, Any]] = {}
    for position, call in enumerate(calls):
        look = looks.get(call.name)
        data = await look(call) if look is not None else None
        if data is not None:
            found[position] = data
    return found


class _Recovery:
    """Looks up what landed, asking GitHub once per issue (and once for recent issues)."""

    def __init__(self, issues: Issues) -> None:
        self.issues = issues
        self.recent: dict[str, dict[str, Any]] = {}  # answers by issue id, and "issues"
        self.since = issues.gateway.server_time
        """GitHub's clock at its last answer before the lost one: nothing sent after it is
        older."""

    async def _viewer(self) -> str:
        return (await self.issues.context()).viewer

    async def comment(self, call: Call) -> dict[str, Any] | None:
        """AddComment: the viewer's own comment with the same idempotency key (a part,
        which has none, by its text), read from the newest back to the time it was sent,
        however many comments came after it."""
        me = await self._viewer()
        subject = call.variables["subjectId"]
        body = call.variables["body"]
        key = _key_of(body)
        for node in await self._comments_since_sent(subject):
            if (node.get("author") or {}).get("login") != me:
                continue  # anyone can copy a key into a comment of their own
            if (_key_of(node["body"]) == key) if key is not None else node["body"] == body:
                edge = {"node": {k: node[k] for k in ("id", "databaseId", "createdAt")}}
                return {"addComment": {"commentEdge": edge}}
        return None

    async def _comments_since_sent(self, subject: str) -> list[dict[str, Any]]:
        """The issue's comments from the newest back to the last answer GitHub gave before
        the lost one (its Date; all of them when no answer had one), asked once per issue."""
        if subject in self.recent:
            return list(self.recent[subject]["nodes"])
        since = self.since
        nodes: list[dict[str, Any]] = []
        before: str | None = None
        while True:
            data = await self.issues.gateway.query(
                "RecentComments", {"issueId": subject, "before": before}
            )
            page = (data.get("node") or {}).get("comments") or {}
            found = list(page.get("nodes") or ())
            nodes[:0] = found
            info = page.get("pageInfo") or {}
            older = bool(info.get("hasPreviousPage")) and info.get("startCursor") is not None
            if not older or (since is not None and found and _before(found[0], since)):
                break
            before = info["startCursor"]
        self.recent[subject] = {"nodes": nodes}
        return nodes

    async def new_issue(self, call: Call) -> dict[str, Any] | None:
        """CreateIssue: a bare issue of the viewer's with the same title and body."""
        if "issues" not in self.recent:  # one look for every create in the batch
            where = {**self.issues.where(), "author": await self._viewer()}
            self.recent["issues"] = await self.issues.gateway.query("RecentIssues", where)
        for node in self.recent["issues"]["repository"]["issues"]["nodes"]:
            if (
                node["title"] == call.variables["title"]
                and node["body"] == call.variables["body"]
                and node["labels"]["totalCount"] == 0
            ):
                issue = {k: node[k] for k in ("id", "number", "createdAt", "updatedAt")}
                return {"createIssue": {"issue": issue}}
        return None

    async def settled(self, call: Call) -> dict[str, Any] | None:
        """SettleNewObject (see `_settled`)."""
        return await _settled(self.issues, call)


async def _settled(issues: Issues, call: Call) -> dict[str, Any] | None:
    """SettleNewObject's answer, rebuilt when its issue carries its labels: the live objects
    holding the UID label (the duplicate check must not be lost with the answer)."""
    data = await issues.gateway.query(
        "ObjectIssues",
        {
            **issues.where(),
            "uidLabel": call.variables["uidLabel"],
            "baseLabel": call.variables["baseLabel"],
        },
    )
    nodes = ((data["repository"]["label"] or {}).get("issues") or {}).get("nodes") or []
    mine = next((n for n in nodes if n["id"] == call.variables["id"]), None)
    if mine is None:
        return None
    live = {
        "totalCount": len(nodes),
        "nodes": [{k: n[k] for k in ("id", "number")} for n in nodes],
    }
    issue = {"id": mine["id"], "number": mine["number"], "state": "CLOSED", "updatedAt": None}
    return {"updateIssue": {"issue": {**issue, "repository": {"label": {"issues": live}}}}}


def _before(node: dict[str, Any], since: float) -> bool:
    """A comment made before `since` (with a few seconds' slack for the Date's resolution)."""
    try:
        made = dt.datetime.fromisoformat(str(node["createdAt"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return False
    return made.timestamp() < since - 5


def _key_of(body: str) -> str | None:
    try:
        meta = json.loads(body).get("_meta") or {}
    except (ValueError, AttributeError):
        return None
    key = meta.get("idempotency_key")
    return key if isinstance(key, str) else None
