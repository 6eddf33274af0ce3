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

    async def _viewer(self) -> str:
        return (await self.issues.context()).viewer

    async def comment(self, call: Call) -> dict[str, Any] | None:
        """AddComment: the viewer's own comment with the same idempotency key (a part,
        which has none, by its text) among the issue's newest."""
        me = await self._viewer()
        subject = call.variables["subjectId"]
        if subject not in self.recent:
            self.recent[subject] = await self.issues.gateway.query(
                "RecentComments", {"issueId": subject}
            )
        body = call.variables["body"]
        key = _key_of(body)
        data = self.recent[subject]
        for node in ((data.get("node") or {}).get("comments") or {}).get("nodes") or []:
            if (node.get("author") or {}).get("login") != me:
                continue  # anyone can copy a key into a comment of their own
            if (_key_of(node["body"]) == key) if key is not None else node["body"] == body:
                edge = {"node": {k: node[k] for k in ("id", "databaseId", "createdAt")}}
                return {"addComment": {"commentEdge": edge}}
        return None

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


def _key_of(body: str) -> str | None:
    try:
        meta = json.loads(body).get("_meta") or {}
    except (ValueError, AttributeError):
        return None
    key = meta.get("idempotency_key")
    return key if isinstance(key, str) else None
