"""The write plan (ghstore.store.write_plan): what each stage of a create, an update and a
delete would send, built without sending anything; bad input refused before any call."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from support.strategies import big_object, objects, strict

from ghstore.config import StoreConfig
from ghstore.domain.format import Labels, parse_comment
from ghstore.domain.large import is_stub
from ghstore.exceptions import InvalidUpdate
from ghstore.store.change import Change, ChangeKind, IssueTarget, Step
from ghstore.store.write_plan import WritePlan

LABELS = {"stored-object": "LA_base", "gh-store": "LA_ns", "archived": "LA_arch"}


@pytest.fixture
def plan() -> WritePlan:
    config = StoreConfig()
    return WritePlan(Labels.from_config(config), config)


def names(calls: list[Any]) -> list[str]:
    return [call.name for call in calls]


@pytest.mark.parametrize("object_id", ["a,b", " padded", "tab\there", "x" * 47, ""])
def test_prepare_refuses_a_bad_id_before_anything(plan: WritePlan, object_id: str) -> None:
    change = Change(ChangeKind.CREATE, object_id, data={"a": 1})
    with pytest.raises(InvalidUpdate):
        plan.prepare(change)
    assert change.body is None and change.parts == [] and change.key == ""


@pytest.mark.parametrize("kind", [ChangeKind.CREATE, ChangeKind.UPDATE])
@pytest.mark.parametrize("data", [[1, 2], "text", 3, None])
def test_prepare_refuses_data_that_is_not_a_json_object(
    plan: WritePlan, kind: ChangeKind, data: Any
) -> None:
    change = Change(kind, "obj", data=data)
    with pytest.raises(InvalidUpdate, match="must be a JSON object"):
        plan.prepare(change)
    assert change.body is None


def test_prepare_gives_each_change_its_own_idempotency_key_and_keeps_a_given_one(
    plan: WritePlan,
) -> None:
    first, second = Change(ChangeKind.UPDATE, "a", {"x": 1}), Change(ChangeKind.UPDATE, "a", {})
    plan.prepare(first)
    plan.prepare(second)
    assert first.key and second.key and first.key != second.key
    kept = Change(ChangeKind.UPDATE, "a", {"x": 1}, key="mine")
    plan.prepare(kept)
    assert kept.key == "mine"


def test_a_create_that_fits_stays_plain(plan: WritePlan) -> None:
    change = Change(ChangeKind.CREATE, "obj", data={"a": [1, 2]})
    plan.prepare(change)
    assert change.body is not None and json.loads(change.body) == {"a": [1, 2]}
    assert change.parts == [] and change.initial == {"a": [1, 2]}


def test_a_large_create_is_encoded_into_a_stub_and_parts(plan: WritePlan) -> None:
    change = Change(ChangeKind.CREATE, "big", data=big_object(1, 200_000))
    plan.prepare(change)
    assert change.body is not None and is_stub(json.loads(change.body))
    assert len(change.parts) >= 2
    assert change.initial == json.loads(change.body)  # the initial state records the stub


def test_a_creates_first_calls_make_the_uid_label_only_when_its_id_is_unknown(
    plan: WritePlan,
) -> None:
    change = Change(ChangeKind.CREATE, "obj", data={"a": 1})
    plan.prepare(change)
    calls = plan.first_calls(change, "R_1", LABELS)
    assert names(calls) == ["CreateLabel", "CreateIssue"]
    assert calls[0].variables["name"] == "UID:obj"
    assert calls[1].variables["title"] == "Stored Object: obj"
    assert calls[1].variables["labelIds"] == []  # bare: not visible until settled
    change.uid_label_id = "LA_uid"
    assert names(plan.first_calls(change, "R_1", LABELS)) == ["CreateIssue"]


def test_an_updates_first_calls_are_its_comment_then_a_reopen(plan: WritePlan) -> None:
    change = Change(ChangeKind.UPDATE, "obj", data={"a": 1}, issue=IssueTarget("I_1", 7))
    plan.prepare(change)
    calls = plan.first_calls(change, "R_1", LABELS)
    assert names(calls) == ["AddComment", "ReopenIssue"]
    assert calls[0].variables["subjectId"] == "I_1" and calls[1].variables["issueId"] == "I_1"


def test_an_update_whose_comment_landed_only_reopens(plan: WritePlan) -> None:
    change = Change(ChangeKind.UPDATE, "obj", data={"a": 1}, issue=IssueTarget("I_1", 7))
    plan.prepare(change)
    change.step = Step.ISSUE_MADE
    assert names(plan.first_calls(change, "R_1", LABELS)) == ["ReopenIssue"]


def test_a_writer_who_cannot_reopen_sends_no_reopen(plan: WritePlan) -> None:
    issue = IssueTarget("I_1", 7, can_reopen=False)
    change = Change(ChangeKind.UPDATE, "obj", data={"a": 1}, issue=issue)
    plan.prepare(change)
    assert names(plan.first_calls(change, "R_1", LABELS)) == ["AddComment"]
    change.step = Step.ISSUE_MADE
    assert plan.first_calls(change, "R_1", LABELS) == []


@settings(max_examples=50, deadline=None)
@given(objects)
def test_an_update_comment_parses_back_to_its_changes_and_carries_the_key(
    data: dict[str, Any],
) -> None:
    config = StoreConfig()
    plan = WritePlan(Labels.from_config(config), config)
    change = Change(ChangeKind.UPDATE, "obj", data=data, issue=IssueTarget("I_1", 7))
    plan.prepare(change)
    (comment, _) = plan.first_calls(change, "R_1", LABELS)
    parsed = parse_comment(comment.variables["body"])
    assert parsed.kind == "update"
    assert parsed.changes is not None and strict(parsed.changes) == strict(data)
    assert parsed.meta is not None
    assert parsed.meta["idempotency_key"] == change.key and parsed.meta["issue_number"] == 7


def settled(plan: WritePlan, data: dict[str, Any]) -> tuple[Change, list[Any]]:
    change = Change(ChangeKind.CREATE, "obj", data=data)
    plan.prepare(change)
    change.issue, change.uid_label_id, change.step = (
        IssueTarget("I_9", 9),
        "LA_uid",
        Step.ISSUE_MADE,
    )
    return change, plan.second_calls(change, LABELS)


def test_a_plain_creates_second_calls_settle_it_then_post_its_initial_state(
    plan: WritePlan,
) -> None:
    change, calls = settled(plan, {"a": 1})
    assert names(calls) == ["SettleNewObject", "AddComment"]
    assert calls[0].variables["labelIds"] == ["LA_base", "LA_ns", "LA_uid"]
    parsed = parse_comment(calls[1].variables["body"])
    assert parsed.kind == "initial_state" and parsed.changes == {"a": 1}
    assert parsed.meta is not None and parsed.meta["idempotency_key"] == change.key


def test_a_large_objects_parts_are_posted_before_it_is_settled(plan: WritePlan) -> None:
    change, calls = settled(plan, big_object(2, 200_000))
    parts = len(change.parts)
    assert parts >= 2
    assert names(calls) == ["AddComment"] * parts + ["SettleNewObject", "AddComment"]
    assert [c.variables["body"] for c in calls[:parts]] == change.parts
    initial = parse_comment(calls[-1].variables["body"])
    assert initial.kind == "initial_state" and initial.changes is not None
    assert is_stub(initial.changes)


def test_the_third_calls_are_the_processed_then_the_initial_state_reaction(
    plan: WritePlan,
) -> None:
    change, _ = settled(plan, {"a": 1})
    change.comment_id = "IC_5"
    calls = plan.third_calls(change)
    assert [(c.name, c.variables["content"]) for c in calls] == [
        ("AddReaction", "THUMBS_UP"),
        ("AddReaction", "ROCKET"),
    ]
    assert all(c.variables["subjectId"] == "IC_5" for c in calls)
    assert plan.is_initial_mark(calls[1]) and not plan.is_initial_mark(calls[0])


def test_a_deletes_first_call_archives_its_issue(plan: WritePlan) -> None:
    change = Change(ChangeKind.DELETE, "obj", issue=IssueTarget("I_3", 3), uid_label_id="LA_uid")
    plan.prepare(change)
    (call,) = plan.first_calls(change, "R_1", LABELS)
    assert call.name == "ArchiveObject" and call.variables["id"] == "I_3"
    assert call.variables["labelIds"] == ["LA_arch", "LA_ns", "LA_uid"]
