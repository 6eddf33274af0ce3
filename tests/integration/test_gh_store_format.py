"""Repositories that gh-store 0.11 filled open unchanged: data built by hand from its format."""

from __future__ import annotations

import json
from typing import Any

from ghstore import Store

REPO = 'repository(owner: "acme", name: "data")'


async def gh_store_object(
    github: Any, object_id: str, body: dict[str, Any], comments: list[tuple[str, bool]]
) -> int:
    """An object exactly as gh-store 0.11 writes it; comments are (body, processed)."""
    data = await github.data("acme", f"query {{ {REPO} {{ id }} }}")
    repo_id = data["repository"]["id"]
    label_ids = []
    for name, color in (
        ("gh-store", "6f42c1"),
        ("stored-object", "0366d6"),
        (f"UID:{object_id}", "0366d6"),
    ):
        found = await github.data(
            "acme", f"query($n: String!) {{ {REPO} {{ label(name: $n) {{ id }} }} }}", n=name
        )
        if found["repository"]["label"]:
            label_ids.append(found["repository"]["label"]["id"])
            continue
        made = await github.data(
            "acme",
            "mutation($r: ID!, $n: String!, $c: String!) { createLabel(input: {repositoryId: $r, name: $n, color: $c}) { label { id } } }",
            r=repo_id,
            n=name,
            c=color,
        )
        label_ids.append(made["createLabel"]["label"]["id"])
    made = await github.data(
        "acme",
        "mutation($r: ID!, $t: String!, $b: String!, $l: [ID!]) { createIssue(input: {repositoryId: $r, title: $t, body: $b, labelIds: $l}) { issue { id number } } }",
        r=repo_id,
        t=f"Stored Object: {object_id}",
        b=json.dumps(body, indent=2),
        l=label_ids,
    )
    issue = made["createIssue"]["issue"]
    for text, processed in comments:
        posted = await github.data(
            "acme",
            "mutation($s: ID!, $b: String!) { addComment(input: {subjectId: $s, body: $b}) { commentEdge { node { id } } } }",
            s=issue["id"],
            b=text,
        )
        comment_id = posted["addComment"]["commentEdge"]["node"]["id"]
        if processed:
            await github.data(
                "acme",
                "mutation($s: ID!) { addReaction(input: {subjectId: $s, content: THUMBS_UP}) { reaction { id } } }",
                s=comment_id,
            )
    await github.data(
        "acme",
        "mutation($i: ID!) { closeIssue(input: {issueId: $i}) { issue { id } } }",
        i=issue["id"],
    )
    return int(issue["number"])


def envelope(data: dict[str, Any], number: int, *, initial: bool = False) -> str:
    meta: dict[str, Any] = {
        "client_version": "0.11.3",
        "timestamp": "2025-01-02T03:04:05.000000+00:00",
        "update_mode": "append",
        "issue_number": number,
    }
    payload: dict[str, Any] = {"_data": data, "_meta": meta}
    if initial:
        payload["type"] = "initial_state"  # gh-store 0.11.3 puts it at the top level
    return json.dumps(payload, indent=2)


async def test_an_object_written_by_gh_store_reads_with_its_processed_history(
    store: Store, github: Any
) -> None:
    await gh_store_object(
        github,
        "legacy",
        {"name": "Old", "count": 2},
        [
            (envelope({"name": "Old", "count": 1}, 1, initial=True), True),
            (envelope({"count": 2}, 1), True),
        ],
    )
    got = await store.get("legacy")
    assert got.data == {"name": "Old", "count": 2}
    assert got.meta.state == "CLOSED"
    assert got.meta.pending_updates == 0
    history = await store.history("legacy")
    assert [(h.kind, h.status, h.data) for h in history] == [
        ("initial_state", "applied", {"name": "Old", "count": 1}),
        ("update", "applied", {"count": 2}),
    ]


async def test_pending_enveloped_and_legacy_comments_of_gh_store_fold_in_order(
    store: Store, github: Any
) -> None:
    await gh_store_object(
        github,
        "mixed",
        {"a": 1},
        [
            (envelope({"a": 1}, 1, initial=True), True),
            (envelope({"b": {"c": 1}}, 1), False),
            (json.dumps({"b": {"d": 2}}), False),  # legacy: the object is the change itself
        ],
    )
    got = await store.get("mixed")
    assert got.data == {"a": 1, "b": {"c": 1, "d": 2}}
    assert got.meta.pending_updates == 2


async def test_an_object_written_by_gh_store_can_be_updated(store: Store, github: Any) -> None:
    number = await gh_store_object(
        github, "upd", {"v": 1}, [(envelope({"v": 1}, 1, initial=True), True)]
    )
    await store.update("upd", {"v": 2})
    data = await github.data(
        "acme",
        f"query($n: Int!) {{ {REPO} {{ issue(number: $n) {{ state comments(last: 1) {{ nodes {{ body }} }} }} }} }}",
        n=number,
    )
    issue = data["repository"]["issue"]
    assert issue["state"] == "OPEN"
    posted = json.loads(issue["comments"]["nodes"][0]["body"])
    assert posted["_data"] == {"v": 2}
    assert set(posted["_meta"]) >= {"client_version", "timestamp", "update_mode", "issue_number"}
    assert (await store.get("upd")).data == {"v": 2}


async def test_duplicates_left_by_gh_store_resolve_to_the_oldest_issue(
    store: Store, github: Any
) -> None:
    await gh_store_object(github, "twice", {"copy": "first"}, [])
    await gh_store_object(github, "twice", {"copy": "second"}, [])
    assert (await store.get("twice")).data == {"copy": "first"}
