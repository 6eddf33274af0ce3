"""The processor over real HTTP: who may update, bad updates, order, and what a run costs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from attrs import define
from support.helpers import NO_PACING, TOKENS, store_for

from ghstore import AccessDeniedError, Gateway, Repository, Store
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.processor import Processor

MARKS = """query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) {
  state body comments(first: 100) { nodes { databaseId body
    reactions(first: 20) { nodes { content user { login } } } } } } } }"""


async def marks(github: Any, number: int) -> tuple[str, dict[str, Any], list[set[tuple[str, str]]]]:
    """(state, body, per comment the set of (reaction, login))."""
    data = await github.data("acme", MARKS, n=number)
    issue = data["repository"]["issue"]
    reactions = [
        {(r["content"], r["user"]["login"]) for r in c["reactions"]["nodes"]}
        for c in issue["comments"]["nodes"]
    ]
    return issue["state"], json.loads(issue["body"]), reactions


async def post_as(
    server: EmulatorServer, login: str, object_id: str, changes: dict[str, Any]
) -> None:
    other = store_for(server, login)
    try:
        await other.update(object_id, changes)
    finally:
        await other.close()


async def comment_as(github: Any, login: str, number: int, body: str) -> None:
    data = await github.data(
        "acme",
        'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { id } } }',
        n=number,
    )
    await github.data(
        login,
        "mutation($s: ID!, $b: String!) { addComment(input: {subjectId: $s, body: $b}) { clientMutationId } }",
        s=data["repository"]["issue"]["id"],
        b=body,
    )


async def test_pending_updates_are_applied_in_order_marked_and_the_issue_closed(
    server: EmulatorServer, store: Store, github: Any
) -> None:
    created = await store.create("obj", {"a": {"x": 1}, "n": 0})
    await store.update("obj", {"n": 1, "a": {"y": 2}})
    await post_as(server, "bob", "obj", {"n": 2})
    await post_as(server, "mia", "obj", {"list": [1, 2]})
    report = await Processor(store).process(created.meta.issue_number)
    state, body, reactions = await marks(github, created.meta.issue_number)
    assert body == {"a": {"x": 1, "y": 2}, "n": 2, "list": [1, 2]}
    assert state == "CLOSED"
    assert len(report.applied) == 3
    assert all(("THUMBS_UP", "acme") in r for r in reactions[1:])


async def test_an_outsiders_update_is_not_applied_gets_a_thumbs_down_and_is_reported(
    server: EmulatorServer, store: Store, github: Any
) -> None:
    created = await store.create("obj", {"owner": "acme"})
    await post_as(server, "eve", "obj", {"owner": "eve"})
    await store.update("obj", {"ok": True})
    report = await Processor(store).process(created.meta.issue_number)
    state, body, reactions = await marks(github, created.meta.issue_number)
    assert state == "CLOSED"
    assert body == {"owner": "acme", "ok": True}
    assert ("THUMBS_DOWN", "acme") in reactions[1]
    assert ("THUMBS_UP", "acme") not in reactions[1]
    (rejection,) = report.rejected
    assert rejection.author == "eve"
    assert "not authorized" in rejection.reason


@pytest.mark.parametrize(
    "widened",
    [{"associations": ["OWNER", "COLLABORATOR"]}, {"users": ["bob"]}],
    ids=["associations", "users"],
)
async def test_the_default_refuses_a_collaborators_update_and_a_widened_config_applies_it(
    server: EmulatorServer, widened: dict[str, Any]
) -> None:
    # ghstore's own default (no config): the OWNER only -- authorAssociation is no permission
    gateway = Gateway(token=TOKENS["acme"], api_url=server.url, rate_limit=NO_PACING)
    default = Store("acme/data", gateway)
    wider = store_for(server, authorized=widened)
    try:
        assert default.config.store.authorized.associations == ("OWNER",)
        first = await default.create("refused", {"n": 0})
        await post_as(server, "bob", "refused", {"n": 1})
        report = await Processor(default).process(first.meta.issue_number)
        assert not report.applied
        (rejection,) = report.rejected
        assert rejection.author == "bob"
        assert rejection.reason == "author bob (COLLABORATOR) is not authorized"
        assert (await default.get("refused")).data == {"n": 0}

        second = await wider.create("accepted", {"n": 0})
        await post_as(server, "bob", "accepted", {"n": 1})
        report = await Processor(wider).process(second.meta.issue_number)
        assert len(report.applied) == 1 and report.rejected == []
        assert (await wider.get("accepted")).data == {"n": 1}
    finally:
        await default.close()
        await wider.close()


async def test_a_passers_by_thumbs_up_does_not_freeze_an_update(store: Store, github: Any) -> None:
    created = await store.create("obj", {"v": 1})
    await store.update("obj", {"v": 2})
    data = await github.data("acme", MARKS, n=created.meta.issue_number)
    update_id = data["repository"]["issue"]["comments"]["nodes"][1]["databaseId"]
    ids = await github.data(
        "acme",
        'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { comments(last: 1) { nodes { id } } } } }',
        n=created.meta.issue_number,
    )
    comment_node = ids["repository"]["issue"]["comments"]["nodes"][0]["id"]
    await github.data(
        "eve",
        "mutation($s: ID!) { addReaction(input: {subjectId: $s, content: THUMBS_UP}) { clientMutationId } }",
        s=comment_node,
    )
    report = await Processor(store).process(created.meta.issue_number)
    assert report.applied == [update_id]
    assert (await store.get("obj", include_pending=False)).data == {"v": 2}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("this is not json", "not JSON"),
        ("[1, 2, 3]", "not an object"),
        ('"a string"', "not an object"),
        ('{"_data": {"v": 9}}', "_meta"),
        (
            '{"_data": {"v": 9}, "_meta": {"client_version": "x", "update_mode": "append"}}',
            "timestamp",
        ),
        ('{"_data": [1], "_meta": {}}', "_data"),
    ],
    ids=["not-json", "array", "string", "no-meta", "meta-missing-timestamp", "data-not-object"],
)
async def test_a_bad_update_is_not_applied_gets_confused_and_others_still_apply(
    store: Store, github: Any, body: str, reason: str
) -> None:
    created = await store.create("obj", {"v": 1})
    number = created.meta.issue_number
    await comment_as(github, "acme", number, body)
    await store.update("obj", {"w": 2})
    report = await Processor(store).process(number)
    _, stored, reactions = await marks(github, number)
    assert stored == {"v": 1, "w": 2}
    assert ("CONFUSED", "acme") in reactions[1]
    (rejection,) = report.rejected
    assert reason in rejection.reason


@define
class Counter:
    count: int
    label: str = ""


async def test_an_update_that_does_not_fit_the_registered_record_type_is_rejected(
    store: Store, github: Any
) -> None:
    counters = Repository(store, Counter)
    created = await counters.create("c", Counter(1))
    await store.update("c", {"count": "two"})
    await store.update("c", {"label": "ok"})
    report = await Processor(store).process(created.meta.issue_number)
    assert (await counters.get("c")).data == Counter(1, "ok")
    (rejection,) = report.rejected
    assert "$.count" in rejection.reason


async def test_an_issue_opened_by_an_outsider_is_refused_and_left_untouched(
    server: EmulatorServer, emulator: Emulator, github: Any
) -> None:
    outsider = store_for(server, "eve")
    owner = store_for(server, "acme")
    try:
        data = await github.data("acme", 'query { repository(owner: "acme", name: "data") { id } }')
        made = await github.data(
            "eve",
            'mutation($r: ID!) { createIssue(input: {repositoryId: $r, title: "Stored Object: x", body: "{}"}) { issue { number } } }',
            r=data["repository"]["id"],
        )
        number = made["createIssue"]["issue"]["number"]
        # A maintainer labels it as an object by hand; the processor still refuses its author.
        await owner.create("seed", {})
        labels = await github.data(
            "acme",
            'query { repository(owner: "acme", name: "data") { a: label(name: "stored-object") { id } b: label(name: "gh-store") { id } } }',
        )
        issue_id = (
            await github.data(
                "acme",
                'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { id } } }',
                n=number,
            )
        )["repository"]["issue"]["id"]
        uid = await github.data(
            "acme",
            'mutation($r: ID!) { createLabel(input: {repositoryId: $r, name: "UID:x", color: "0366d6"}) { label { id } } }',
            r=data["repository"]["id"],
        )
        await github.data(
            "acme",
            "mutation($i: ID!, $l: [ID!]!) { addLabelsToLabelable(input: {labelableId: $i, labelIds: $l}) { clientMutationId } }",
            i=issue_id,
            l=[
                labels["repository"]["a"]["id"],
                labels["repository"]["b"]["id"],
                uid["createLabel"]["label"]["id"],
            ],
        )
        await comment_as(
            github,
            "acme",
            number,
            json.dumps(
                {
                    "_data": {"v": 1},
                    "_meta": {"client_version": "x", "timestamp": "t", "update_mode": "append"},
                }
            ),
        )
        emulator.controls.reset()
        with pytest.raises(AccessDeniedError, match="eve"):
            await Processor(owner).process(number)
        state, body, reactions = await marks(github, number)
        assert (state, body, reactions) == ("OPEN", {}, [set()])
        assert not any(
            "updateIssue" in r.fields or "addReaction" in r.fields for r in emulator.controls.log
        )
    finally:
        await outsider.close()
        await owner.close()


async def test_an_issue_that_is_not_a_stored_object_is_skipped(store: Store, github: Any) -> None:
    data = await github.data("acme", 'query { repository(owner: "acme", name: "data") { id } }')
    made = await github.data(
        "acme",
        'mutation($r: ID!) { createIssue(input: {repositoryId: $r, title: "bug", body: "hi"}) { issue { number } } }',
        r=data["repository"]["id"],
    )
    report = await Processor(store).process(made["createIssue"]["issue"]["number"])
    assert report.skipped == "not a stored object"
    assert report.applied == []


async def test_a_run_of_fifty_updates_costs_three_requests(
    emulator: Emulator, store: Store
) -> None:
    created = await store.create("obj", {"n": 0})
    for n in range(1, 51):
        await store.update("obj", {"n": n, f"k{n}": n})
    processor = Processor(store)
    await (
        store.issues.context()
    )  # warm: the repository id is known, as in Actions from the event payload
    emulator.controls.reset()
    report = await processor.process(created.meta.issue_number)
    assert len(report.applied) == 50
    # the lock and the read; the new body; the marks, once the body landed, and the release
    assert emulator.controls.requests == 3
    assert report.requests == 3
    assert (await store.get("obj", include_pending=False)).data["n"] == 50


@pytest.mark.slow
async def test_more_than_one_hundred_pending_comments_are_all_applied_in_order(
    store: Store,
) -> None:
    created = await store.create("obj", {"n": 0})
    for n in range(1, 131):
        await store.update("obj", {"n": n, "seen": {str(n): True}})
    report = await Processor(store).process(created.meta.issue_number)
    data = (await store.get("obj", include_pending=False)).data
    assert len(report.applied) == 130
    assert data["n"] == 130
    assert len(data["seen"]) == 130


async def test_process_all_sweeps_every_object_with_updates_waiting(store: Store) -> None:
    for name in ("a", "b", "c"):
        await store.create(name, {"v": 0})
    await store.update("a", {"v": 1})
    await store.update("c", {"v": 3})
    reports = await Processor(store).process_all()
    assert sorted(r.object_id for r in reports if r.object_id) == ["a", "c"]
    assert [(await store.get(n, include_pending=False)).data["v"] for n in ("a", "b", "c")] == [
        1,
        0,
        3,
    ]


async def test_readers_and_the_processor_agree_that_a_collaborators_thumbs_up_is_no_mark(
    server: EmulatorServer, store: Store, github: Any
) -> None:
    created = await store.create("obj", {"v": 1})
    await post_as(server, "bob", "obj", {"v": 2})
    ids = await github.data(
        "acme",
        'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { comments(last: 1) { nodes { id } } } } }',
        n=created.meta.issue_number,
    )
    comment = ids["repository"]["issue"]["comments"]["nodes"][0]["id"]
    await github.data(
        "bob",
        "mutation($s: ID!) { addReaction(input: {subjectId: $s, content: THUMBS_UP}) { clientMutationId } }",
        s=comment,
    )
    read = await store.get("obj")
    report = await Processor(store).process(created.meta.issue_number)
    assert (read.meta.pending_updates, read.data) == (1, {"v": 2})
    assert len(report.applied) == 1  # an LGTM is not the processor's mark
    assert (await store.get("obj", include_pending=False)).data == read.data
