"""Hostile input: every kind of bad comment, id, edit, deletion, forged mark and hand-made
label gets a clear outcome -- refused before sending, or rejected with a reason, or applied --
the processor survives it, and nothing else is lost."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.localgh import Hooked, Local

from ghstore import DuplicateUIDError, InvalidUpdate, ObjectNotFound, ObjectTooLarge, Store
from ghstore.domain.format import MAX_JSON_DEPTH
from ghstore.emulator import FaultKind
from ghstore.processor import Processor

UPDATE_META = {"client_version": "x", "timestamp": "t", "update_mode": "append"}
UPDATE_COMMENT = "mutation($s: ID!, $b: String!) { updateIssueComment(input: {id: $s, body: $b}) { clientMutationId } }"
DELETE_COMMENT = "mutation($s: ID!) { deleteIssueComment(input: {id: $s}) { clientMutationId } }"


@pytest.fixture
async def local() -> AsyncIterator[Local]:
    opened = Local()
    yield opened
    await opened.close()


def envelope(data: Any) -> str:
    return json.dumps({"_data": data, "_meta": UPDATE_META})


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


async def obj(local: Local, object_id: str = "obj", data: Any = None) -> tuple[Store, int]:
    store = local.store()
    created = await store.create(object_id, data if data is not None else {"v": 0})
    return store, created.meta.issue_number


# -- bad comments: rejected with a reason, the rest still applied ---------------------------
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "list, not an object"),
        ('"a string"', "str, not an object"),
        ("42", "int, not an object"),
        ("null", "NoneType, not an object"),
        ('{"v": NaN}', "NaN is not a JSON value"),
        ('{"v": Infinity}', "Infinity is not a JSON value"),
        (envelope({"v": -1}).replace('"_data"', '"_data": {"v": 7}, "_data"', 1), "twice"),
        ('{"v": 1, "v": 2}', "the key 'v' appears twice"),
        ("[" * 10_000 + "]" * 10_000, f"deeper than {MAX_JSON_DEPTH}"),
        ('{"a":' * 9_000 + "1" + "}" * 9_000, f"deeper than {MAX_JSON_DEPTH}"),
        (json.dumps(nested(MAX_JSON_DEPTH + 1)), f"deeper than {MAX_JSON_DEPTH}"),
    ],
    ids=[
        "invalid-json",
        "array",
        "string",
        "number",
        "null",
        "nan",
        "infinity",
        "duplicate-data",
        "duplicate-keys",
        "10000-deep-arrays",
        "9000-deep-objects",
        "just-too-deep",
    ],
)
async def test_a_bad_comment_is_rejected_with_its_reason_and_the_next_update_applies(
    local: Local, body: str, reason: str
) -> None:
    store, number = await obj(local)
    await local.comment_id("bob", number, body)
    await store.update("obj", {"w": 1})
    report = await local.processor().process(number)
    issue = local.issue(number)
    assert issue["body"] == {"v": 0, "w": 1}
    (rejection,) = report.rejected
    assert reason in rejection.reason
    assert ("CONFUSED", "acme") in issue["comments"][1]["marks"]
    assert ("THUMBS_UP", "acme") in issue["comments"][2]["marks"]
    assert (await store.get("obj")).data == {"v": 0, "w": 1}


async def test_a_ten_thousand_deep_comment_fits_the_body_limit_and_is_rejected_not_a_crash(
    local: Local,
) -> None:
    store, number = await obj(local)
    deep = "[" * 10_000 + "]" * 10_000  # 20,000 characters: GitHub takes it
    await local.comment_id("acme", number, deep)
    report = await local.processor().process(number)
    assert "nested deeper" in report.rejected[0].reason
    history = await store.history("obj")
    assert [h.status for h in history] == ["applied", "rejected"]


async def test_updates_nested_just_within_the_limit_are_applied(local: Local) -> None:
    store, number = await obj(local)
    await store.update("obj", {"deep": nested(MAX_JSON_DEPTH - 2)})  # the envelope adds one level
    await local.processor().process(number)
    assert (await store.get("obj", include_pending=False)).data["deep"] == nested(
        MAX_JSON_DEPTH - 2
    )
    assert ("THUMBS_UP", "acme") in local.issue(number)["comments"][1]["marks"]


@pytest.mark.parametrize(
    "changes",
    [
        [1, 2],
        "text",
        5,
        None,
        {"v": float("nan")},
        {"v": float("inf")},
        nested(10_000),
        nested(MAX_JSON_DEPTH),
    ],
    ids=["array", "string", "number", "null", "nan", "infinity", "10000-deep", "too-deep"],
)
async def test_the_client_refuses_a_bad_update_before_sending_anything(
    local: Local, changes: Any
) -> None:
    store, _ = await obj(local)
    before = local.emulator.controls.requests
    with pytest.raises(InvalidUpdate):
        await store.update("obj", changes)
    with pytest.raises(InvalidUpdate):
        await store.create("other", changes)
    assert local.emulator.controls.requests == before


async def test_a_ten_megabyte_comment_is_refused_by_github_with_its_body_limit_error(
    local: Local,
) -> None:
    _, number = await obj(local)
    result = await local.comment("bob", number, "x" * 10_000_000)
    assert result.errors[0]["message"] == "Body is too long (maximum is 65536 characters)"
    assert len(local.issue(number)["comments"]) == 1


async def test_a_ten_megabyte_update_is_refused_by_the_client_before_sending(local: Local) -> None:
    store, _ = await obj(local)
    before = local.emulator.controls.requests
    with pytest.raises(ObjectTooLarge) as caught:
        await store.update("obj", {"blob": "x" * 10_000_000})
    assert caught.value.limit == 65_536
    assert local.emulator.controls.requests == before


# -- ids --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "object_id",
    [
        "日本語のキー",
        "café-ü",
        "smile🙂",
        'x" name: "evil" description: "',
        '"}) { deleteLabel(input: {id: "LA_1"}) { id }',
        "a\\\"b'c$`{{}}",
        "UID:other",
        "ghstore-lock:1",
        "x" * 46,
    ],
    ids=[
        "japanese",
        "accents",
        "emoji",
        "label-quote",
        "graphql-injection",
        "escapes",
        "uid-prefix",
        "lock-name",
        "46-chars",
    ],
)
async def test_an_id_that_looks_like_an_injection_is_stored_and_read_back_exactly(
    local: Local, object_id: str
) -> None:
    store, _ = await obj(local, "neighbour", {"n": 1})
    created = await store.create(object_id, {"v": 1})
    await store.update(object_id, {"v": 2})
    await local.processor().process(created.meta.issue_number)
    got = await store.get(object_id)
    assert (got.data, got.meta.object_id) == ({"v": 2}, object_id)
    assert f"UID:{object_id}" in local.issue(created.meta.issue_number)["labels"]
    assert (await store.get("neighbour")).data == {"n": 1}
    assert {o.meta.object_id async for o in store.list()} == {"neighbour", object_id}


@pytest.mark.parametrize(
    ("object_id", "problem"),
    [
        ("x" * 47, "longer than 46"),
        ("", "non-empty"),
        (" padded", "white space"),
        ("tab\there", "control characters"),
        ("new\nline", "control characters"),
        ("nul\x00", "control characters"),
        ("c1\x9bcontrol", "invisible"),
        ("line\u2028separator", "invisible"),
        ("bidi\u202eevil", "invisible"),
        ("bom\ufeff", "invisible"),
        ("lone\ud800surrogate", "invisible"),
        ("a,b", "comma"),
    ],
)
async def test_an_id_that_cannot_be_a_label_is_refused_before_sending(
    local: Local, object_id: str, problem: str
) -> None:
    store = local.store()
    with pytest.raises(InvalidUpdate, match=problem):
        await store.create(object_id, {"v": 1})
    with pytest.raises(InvalidUpdate, match=problem):
        await store.get(object_id)
    assert local.emulator.controls.requests == 0


async def test_ids_that_differ_only_in_case_are_one_label_so_the_second_is_refused(
    local: Local,
) -> None:
    store, _ = await obj(local, "Alice", {"who": "Alice"})
    with pytest.raises(ObjectNotFound):
        await store.get("alice")  # GitHub finds UID:Alice for UID:alice: not the same id
    with pytest.raises(ObjectNotFound):
        await store.update("alice", {"who": "mallory"})
    with pytest.raises(DuplicateUIDError, match="ignore case"):
        await store.create("alice", {"who": "alice"})
    assert (await store.get("Alice")).data == {"who": "Alice"}
    assert [o.meta.object_id async for o in store.list()] == ["Alice"]


# -- edited and deleted comments ----------------------------------------------------------------
async def test_an_update_edited_before_processing_is_rejected_not_applied(local: Local) -> None:
    store, number = await obj(local)
    comment = await local.comment_id("bob", number, envelope({"v": 1}))
    await local.data("bob", UPDATE_COMMENT, s=comment, b=envelope({"v": 666}))
    await store.update("obj", {"w": 2})
    report = await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 0, "w": 2}
    assert "edited after it was posted" in report.rejected[0].reason
    assert ("THUMBS_DOWN", "acme") in local.issue(number)["comments"][1]["marks"]


async def test_an_update_edited_after_it_was_applied_changes_nothing_and_history_says_so(
    local: Local,
) -> None:
    store, number = await obj(local)
    comment = await local.comment_id("bob", number, envelope({"v": 1}))
    await local.processor().process(number)
    await local.data("bob", UPDATE_COMMENT, s=comment, b=envelope({"v": 666}))
    await store.update("obj", {"w": 2})
    await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 1, "w": 2}
    edited = (await store.history("obj"))[1]
    assert edited.status == "applied"
    assert edited.reason is not None and "edited after it was applied" in edited.reason


async def test_an_outsider_editing_their_own_comment_is_still_an_outsider(local: Local) -> None:
    store, number = await obj(local)
    comment = await local.comment_id("eve", number, envelope({"v": 1}))
    await local.data("eve", UPDATE_COMMENT, s=comment, b=envelope({"v": 2}))
    report = await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 0}
    assert "not authorized" in report.rejected[0].reason
    assert (await store.get("obj")).data == {"v": 0}


async def test_an_outsider_cannot_edit_an_authorized_update(local: Local) -> None:
    _, number = await obj(local)
    comment = await local.comment_id("bob", number, envelope({"v": 1}))
    result = await local.raw("eve", UPDATE_COMMENT, s=comment, b=envelope({"v": 666}))
    assert result.errors[0]["type"] == "FORBIDDEN"
    await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 1}


async def test_a_deleted_update_is_not_applied_and_a_deleted_applied_one_stays_applied(
    local: Local,
) -> None:
    store, number = await obj(local)
    applied = await local.comment_id("bob", number, envelope({"kept": True}))
    await local.processor().process(number)
    withdrawn = await local.comment_id("bob", number, envelope({"withdrawn": True}))
    await local.data("bob", DELETE_COMMENT, s=withdrawn)
    await local.data("bob", DELETE_COMMENT, s=applied)
    await store.update("obj", {"w": 1})
    await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 0, "kept": True, "w": 1}


async def test_a_comment_deleted_while_an_update_is_posted_during_a_run_strands_nothing(
    local: Local,
) -> None:
    owner, number = await obj(local)
    outsider = await local.comment_id("eve", number, envelope({"noise": 1}))
    await owner.update("obj", {"v": 1})

    async def during_the_run(sent: int, _: Any) -> None:
        if sent == 3:  # after the lock and read, before the write: one gone, one more
            await local.data("eve", DELETE_COMMENT, s=outsider)
            await local.store("bob").update("obj", {"late": True})

    hooked = local.store("acme", Hooked(local.emulator, local.tokens["acme"], during_the_run))
    await Processor(hooked, poll=0.0).process(number)
    issue = local.issue(number)
    assert issue["body"] == {"v": 1, "late": True}
    assert issue["state"] == "CLOSED"


# -- imitations of the processor's own marks --------------------------------------------------
async def test_an_outsiders_imitation_of_an_initial_state_is_rejected_and_not_counted(
    local: Local,
) -> None:
    store, number = await obj(local)
    fake = json.dumps(
        {"_data": {"v": 9, "admin": True}, "_meta": UPDATE_META, "type": "initial_state"}
    )
    await local.comment_id("eve", number, fake)
    report = await local.processor().process(number)
    history = await store.history("obj")
    assert [h.status for h in history] == ["applied", "rejected"]
    assert "creator did not post" in (history[1].reason or "")
    assert report.rejected[0].author == "eve"
    got = await store.get("obj")
    assert (got.data, got.meta.version) == ({"v": 0}, 1)


async def test_an_outsider_copying_an_idempotency_key_does_not_make_a_lost_update_look_landed(
    local: Local,
) -> None:
    """acme's update meets a 502 (nothing landed); before acme looks for it, eve posts a
    copy carrying its idempotency key. Only acme's own comment counts: acme posts it again."""
    _, number = await obj(local)
    copied: list[str] = []

    async def copy_then_fail(_: int, request: Any) -> None:
        body = (request.variable_values or {}).get("body_0")
        if body and "idempotency_key" in body and not copied:
            copied.append(body)
            await local.comment_id("eve", number, body)
            local.emulator.controls.fail_next(1, FaultKind.BAD_GATEWAY)

    writer = local.store("acme", Hooked(local.emulator, local.tokens["acme"], copy_then_fail))
    await writer.update("obj", {"v": 1})
    authors = [c["author"] for c in local.issue(number)["comments"]]
    assert authors == ["acme", "eve", "acme"]
    await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 1}


async def test_an_outsiders_thumbs_up_and_refusal_marks_do_not_freeze_an_update(
    local: Local,
) -> None:
    store, number = await obj(local)
    await store.update("obj", {"v": 1})
    node = (
        await local.data(
            "acme",
            'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { comments(last: 1) { nodes { id } } } } }',
            n=number,
        )
    )["repository"]["issue"]["comments"]["nodes"][0]["id"]
    for content in ("THUMBS_UP", "THUMBS_DOWN", "CONFUSED"):
        await local.data(
            "eve",
            "mutation($s: ID!, $c: ReactionContent!) { addReaction(input: {subjectId: $s, content: $c}) { clientMutationId } }",
            s=node,
            c=content,
        )
    assert local.issue(number)["state"] == "OPEN"
    assert (await store.get("obj")).meta.pending_updates == 1
    report = await local.processor().process(number)
    assert len(report.applied) == 1
    assert local.issue(number)["body"] == {"v": 1}


# -- locks and labels made by hand --------------------------------------------------------------
@pytest.mark.parametrize(
    "description",
    ["ghstore processor lock; lasts 999999; run forged", "mine, do not touch", None],
    ids=["far-future-expiry", "no-expiry", "no-description"],
)
async def test_a_lock_label_a_collaborator_made_by_hand_is_broken_and_the_object_processed(
    local: Local, description: str | None
) -> None:
    store, number = await obj(local)
    await store.update("obj", {"v": 1})
    repo = (await local.data("bob", 'query { repository(owner: "acme", name: "data") { id } }'))[
        "repository"
    ]["id"]
    await local.data(
        "bob",
        'mutation($r: ID!, $n: String!, $d: String) { createLabel(input: {repositoryId: $r, name: $n, color: "ededed", description: $d}) { clientMutationId } }',
        r=repo,
        n=Processor.lock_name(number),
        d=description,
    )
    await local.processor().process(number)
    assert local.issue(number)["body"] == {"v": 1}
    assert Processor.lock_name(number) not in local.label_names()


async def test_an_outsider_cannot_make_a_lock_label(local: Local) -> None:
    _, number = await obj(local)
    repo = (await local.data("eve", 'query { repository(owner: "acme", name: "data") { id } }'))[
        "repository"
    ]["id"]
    result = await local.raw(
        "eve",
        'mutation($r: ID!, $n: String!) { createLabel(input: {repositoryId: $r, name: $n, color: "ededed"}) { clientMutationId } }',
        r=repo,
        n=Processor.lock_name(number),
    )
    assert result.errors[0]["type"] == "FORBIDDEN"


async def test_a_lock_that_is_still_valid_is_waited_for_not_broken(local: Local) -> None:
    store, number = await obj(local)
    await store.update("obj", {"v": 1})
    holder = Processor(local.store(), lock_seconds=600)
    repo = await local.data("acme", 'query { repository(owner: "acme", name: "data") { id } }')
    await local.data(
        "acme",
        'mutation($r: ID!, $n: String!, $d: String) { createLabel(input: {repositoryId: $r, name: $n, color: "ededed", description: $d}) { clientMutationId } }',
        r=repo["repository"]["id"],
        n=Processor.lock_name(number),
        d=holder.lock.description(),
    )
    from ghstore.processor import LockTimeout

    waiting = Processor(local.store(), lock_seconds=0.0, poll=0.0)
    with pytest.raises(LockTimeout):
        await waiting.process(number)
    assert local.issue(number)["state"] == "OPEN"
    assert Processor.lock_name(number) in local.label_names()


async def test_a_uid_label_removed_by_hand_hides_the_object_and_putting_it_back_restores_it(
    local: Local,
) -> None:
    store, number = await obj(local)
    await store.update("obj", {"v": 1})
    await local.relabel(number, "UID:obj", add=False)
    with pytest.raises(ObjectNotFound):
        await local.store().get("obj")
    report = await local.processor().process(number)
    assert report.skipped == "not a stored object"
    assert local.issue(number)["state"] == "OPEN"  # the pending update waits, untouched
    await local.relabel(number, "UID:obj", add=True)
    await local.processor().process(number)
    assert (await local.store().get("obj")).data == {"v": 1}


async def test_a_base_label_removed_by_hand_hides_the_object_until_it_is_put_back(
    local: Local,
) -> None:
    store, number = await obj(local)
    await store.update("obj", {"v": 1})
    await local.relabel(number, "stored-object", add=False)
    fresh = local.store()
    with pytest.raises(ObjectNotFound):
        await fresh.get("obj")
    assert await local.processor().process_all() == []
    await local.relabel(number, "stored-object", add=True)
    await local.processor().process_all()
    assert (await fresh.get("obj")).data == {"v": 1}


async def test_the_base_label_on_a_random_issue_is_skipped_by_every_reader_and_the_processor(
    local: Local,
) -> None:
    store, _ = await obj(local)
    await store.update("obj", {"v": 1})
    repo = await local.data("acme", 'query { repository(owner: "acme", name: "data") { id } }')
    made = await local.data(
        "bob",
        'mutation($r: ID!) { createIssue(input: {repositoryId: $r, title: "a bug", body: "not json"}) { issue { number } } }',
        r=repo["repository"]["id"],
    )
    random_issue = made["createIssue"]["issue"]["number"]
    await local.relabel(random_issue, "stored-object", add=True)
    await local.comment_id("bob", random_issue, envelope({"v": 666}))
    reports = await local.processor().process_all()
    assert {r.issue_number: r.skipped for r in reports}[random_issue] == "not a stored object"
    assert [o.meta.object_id async for o in store.list()] == ["obj"]
    assert local.issue(random_issue)["body"] == "not json"
    assert (await store.get("obj")).data == {"v": 1}


async def test_a_uid_label_on_an_issue_whose_body_is_not_json_is_reported_and_the_sweep_goes_on(
    local: Local,
) -> None:
    store, _ = await obj(local, "good")
    await store.update("good", {"v": 1})
    repo = await local.data("acme", 'query { repository(owner: "acme", name: "data") { id } }')
    made = await local.data(
        "acme",
        'mutation($r: ID!) { createIssue(input: {repositoryId: $r, title: "Stored Object: broken", body: "<html>"}) { issue { number } } }',
        r=repo["repository"]["id"],
    )
    broken = made["createIssue"]["issue"]["number"]
    await local.data(
        "acme",
        'mutation($r: ID!) { createLabel(input: {repositoryId: $r, name: "UID:broken", color: "0366d6"}) { clientMutationId } }',
        r=repo["repository"]["id"],
    )
    await local.relabel(broken, "UID:broken", add=True)
    await local.relabel(broken, "stored-object", add=True)
    await local.comment_id("acme", broken, envelope({"v": 1}))
    with pytest.raises(InvalidUpdate, match="not JSON"):
        await store.get("broken")
    reports = {r.issue_number: r for r in await local.processor().process_all()}
    assert "not JSON" in (reports[broken].skipped or "")
    assert Processor.lock_name(broken) not in local.label_names()
    assert (await store.get("good", include_pending=False)).data == {"v": 1}


async def test_an_outsiders_imitation_of_a_large_objects_part_is_ignored(local: Local) -> None:
    store, number = await obj(local, "big", {"pad": "x" * 70_000})  # stored as stub + parts
    before = (await store.get("big")).data
    stub = local.issue(number)["body"]
    version = stub["_ghstore_large"]["version"]
    fake = {"_ghstore_part": {"version": version, "index": 0, "of": 1, "data": "AAAA"}}
    await local.comment_id("eve", number, json.dumps(fake))
    await store.update("big", {"small": 1})
    await local.processor().process(number)
    after = (await store.get("big", include_pending=False)).data
    assert after == {**before, "small": 1}
    assert all(h.author != "eve" for h in await store.history("big"))
