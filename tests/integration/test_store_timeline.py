"""Store.timeline over real HTTP: an object's history replayed step by step, with the state
after each update, what changed, who and why -- and what it shows for aliases, large objects,
gh-store 0.11 updates, a body edited by hand and a missing initial state. Time is a test clock."""

from __future__ import annotations

from typing import Any

import pytest
from support.helpers import Clock, make_emulator, store_for

from ghstore import Store
from ghstore.domain.format import update_comment
from ghstore.domain.timeline import FieldChange
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.github import calls
from ghstore.processor import Processor

ISSUE = """query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) {
  id comments(first: 100) { nodes { id body } } } } }"""
COMMENT = "mutation($s: ID!, $b: String!) { addComment(input: {subjectId: $s, body: $b}) { clientMutationId } }"
OUTSIDER = "author eve (NONE) is not authorized"


@pytest.fixture
def clock() -> Clock:
    return Clock()  # 2027-01-15T08:00:00Z


@pytest.fixture
def emulator(clock: Clock) -> Emulator:
    return make_emulator(clock=clock)


async def as_eve(server: EmulatorServer, object_id: str, changes: dict[str, Any]) -> None:
    eve = store_for(server, "eve")
    try:
        await eve.update(object_id, changes)
    finally:
        await eve.close()


async def book_with_three_kinds_of_update(
    server: EmulatorServer, store: Store, clock: Clock
) -> int:
    """Created at 08:00; at 08:01 an update that removes meta.draft, applied; at 08:02 an
    outsider's, refused; at 08:03 one pending."""
    created = await store.create("dune", {"title": "Dune", "meta": {"year": 1965, "draft": True}})
    clock.now += 60
    await store.update("dune", {"meta": {"year": 1966}}, remove=[("meta", "draft")])
    await Processor(store).process(created.meta.issue_number)
    clock.now += 60
    await as_eve(server, "dune", {"title": "Spam"})
    clock.now += 60
    await store.update("dune", {"pages": 412})
    return created.meta.issue_number


async def test_each_step_says_when_who_what_was_sent_and_the_state_after_it(
    server: EmulatorServer, store: Store, clock: Clock
) -> None:
    await book_with_three_kinds_of_update(server, store, clock)
    timeline = await store.timeline("dune")
    assert timeline.object_id == "dune"
    created, applied, refused, pending = timeline.steps
    settled = {"title": "Dune", "meta": {"year": 1966}}

    assert (created.entry.timestamp, created.entry.author, created.entry.association) == (
        "2027-01-15T08:00:00Z",
        "acme",
        "OWNER",
    )
    assert created.entry.kind == "initial_state" and created.before == {}
    assert created.after == {"title": "Dune", "meta": {"year": 1965, "draft": True}}

    assert applied.entry.timestamp == "2027-01-15T08:01:00Z"
    assert applied.entry.status == "applied" and applied.reason is None
    assert applied.entry.data == {"meta": {"year": 1966}}
    assert applied.entry.removals == (("meta", "draft"),)
    assert applied.after == settled
    assert applied.changes == (
        FieldChange("removed", ("meta", "draft"), True, None),
        FieldChange("changed", ("meta", "year"), 1965, 1966),
    )

    assert (refused.entry.author, refused.entry.association) == ("eve", "NONE")
    assert refused.entry.status == "rejected" and refused.reason == OUTSIDER
    assert refused.entry.data == {"title": "Spam"}
    assert refused.before == refused.after == settled and refused.changes == ()

    assert pending.entry.status == "pending" and pending.reason is None
    assert pending.after == {**settled, "pages": 412}
    assert pending.changes == (FieldChange("added", ("pages",), None, 412),)

    assert timeline.current == (await store.get("dune")).data == pending.after
    assert timeline.stored == settled and timeline.mismatch == () and timeline.notes == ()


async def test_a_timeline_costs_one_request_for_an_object_of_under_100_comments(
    server: EmulatorServer, store: Store, clock: Clock
) -> None:
    await book_with_three_kinds_of_update(server, store, clock)
    before = store.stats.requests
    await store.timeline("dune")
    assert store.stats.requests - before == 1


async def test_a_pending_update_the_processor_will_refuse_changes_nothing_and_says_why(
    server: EmulatorServer, store: Store, github: Any, clock: Clock
) -> None:
    number = await book_with_three_kinds_of_update(server, store, clock)
    issue = (await github.data("acme", ISSUE, n=number))["repository"]["issue"]
    stale = update_comment({"title": "Old"}, number, "dune", expected_version=1)
    await github.data("acme", COMMENT, s=issue["id"], b=stale)
    last = (await store.timeline("dune")).steps[-1]
    assert last.entry.status == "pending"
    assert last.reason == (
        "a concurrent update: written against version 1, and the object is at version 3"
    )
    assert last.after == last.before and last.changes == ()


async def test_an_alias_shows_the_timeline_of_the_object_it_stands_for(store: Store) -> None:
    await store.create("dune", {"title": "Dune"})
    await store.canonical.create_alias("arrakis", "dune")
    timeline = await store.timeline("arrakis")
    assert timeline.object_id == "dune"
    assert [s.after for s in timeline.steps] == [{"title": "Dune"}]


async def test_a_gh_store_0_11_update_without_meta_is_replayed_as_a_deep_merge(
    store: Store, github: Any
) -> None:
    created = await store.create("legacy", {"a": {"x": 1}})
    issue = (await github.data("acme", ISSUE, n=created.meta.issue_number))["repository"]
    await github.data("acme", COMMENT, s=issue["issue"]["id"], b='{"a": {"y": 2}}')
    last = (await store.timeline("legacy")).steps[-1]
    assert (last.entry.status, last.entry.data) == ("pending", {"a": {"y": 2}})
    assert last.after == {"a": {"x": 1, "y": 2}}


async def test_a_body_edited_by_hand_is_said_not_hidden(store: Store, github: Any) -> None:
    created = await store.create("edited", {"n": 1})
    await github.data(
        "acme",
        "mutation($i: ID!, $b: String!) { updateIssue(input: {id: $i, body: $b}) { clientMutationId } }",
        i=created.meta.node_id,
        b='{"n": 5}',
    )
    timeline = await store.timeline("edited")
    assert timeline.steps[-1].after == {"n": 1}
    assert timeline.stored == timeline.current == {"n": 5}
    assert timeline.mismatch == (FieldChange("changed", ("n",), 1, 5),)
    assert "the stored state differs from the replay" in timeline.notes[0]


async def test_without_its_initial_state_comment_the_replay_starts_from_nothing_and_says_so(
    store: Store, github: Any
) -> None:
    created = await store.create("old", {"n": 1, "keep": True})
    await store.update("old", {"n": 2})
    issue = (await github.data("acme", ISSUE, n=created.meta.issue_number))["repository"]
    first = issue["issue"]["comments"]["nodes"][0]
    assert '"initial_state"' in first["body"]
    await github.data(
        "acme",
        "mutation($i: ID!) { deleteIssueComment(input: {id: $i}) { clientMutationId } }",
        i=first["id"],
    )
    timeline = await store.timeline("old")
    assert not timeline.initial_known
    assert [s.after for s in timeline.steps] == [{"n": 2}]
    assert timeline.mismatch == (
        FieldChange("added", ("keep",), None, True),
        FieldChange("added", ("n",), None, 1),
    )
    assert timeline.notes[0].startswith("no initial-state comment is on record")


async def test_a_large_objects_initial_state_shows_its_data_not_its_stub(
    store: Store,
) -> None:
    big = {f"k{n:03}": "x" * 1_000 for n in range(150)}  # 150 KB: stored in parts
    created = await store.create("big", big)
    await store.update("big", {"k000": "changed"})
    await Processor(store).process(created.meta.issue_number)
    timeline = await store.timeline("big")
    first, update = timeline.steps
    assert first.after == big
    assert update.changes == (FieldChange("changed", ("k000",), "x" * 1_000, "changed"),)
    assert timeline.mismatch == () and timeline.current == {**big, "k000": "changed"}


async def test_a_merged_id_shows_the_target_where_its_state_arrived_as_an_update(
    store: Store,
) -> None:
    await store.create("dune", {"title": "Dune"})
    await store.create("dune-copy", {"pages": 412})
    await store.canonical.merge("dune-copy", "dune")
    timeline = await store.timeline("dune-copy")
    assert timeline.object_id == "dune"
    arrived = timeline.steps[-1]
    assert (arrived.entry.kind, arrived.entry.data) == ("update", {"pages": 412})
    assert arrived.after == timeline.current == {"title": "Dune", "pages": 412}


async def test_an_object_of_110_comments_is_replayed_whole_from_2_requests(store: Store) -> None:
    created = await store.create("counter", {"n": 0})
    number = created.meta.issue_number
    bodies = [update_comment({"n": n}, number, "counter") for n in range(1, 110)]
    await store.issues.gateway.mutate([calls.add_comment(created.meta.node_id, b) for b in bodies])
    await Processor(store).process(number)
    before = store.stats.requests
    timeline = await store.timeline("counter")
    assert store.stats.requests - before == 2  # ceil(110 / 100)
    assert [step.after for step in timeline.steps] == [{"n": n} for n in range(110)]
    assert [step.entry.status for step in timeline.steps] == ["applied"] * 110
    assert timeline.mismatch == ()
