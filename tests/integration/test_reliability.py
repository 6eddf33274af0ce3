"""Randomized fault runs (bench.reliability), a seeded slice of what `make
reliability` runs: nothing lost, nothing applied twice, no crash, under every kind of fault.
And the oracle itself: it sees a loss or a double application planted in a clean run."""

from __future__ import annotations

import json

import pytest
from bench.reliability import FaultRun, Tally, main, run_until, table
from bench.reliability_truth import check, read_truth

pytestmark = pytest.mark.slow  # seeded fault runs


async def test_seeded_fault_runs_lose_nothing_and_apply_nothing_twice() -> None:
    tally = await run_until(150, seed=9000, steps=40)
    verdict = tally.verdict
    assert verdict.problems == [] and tally.crashes == []
    assert (verdict.lost, verdict.twice, verdict.duplicate_objects, verdict.differing) == (0,) * 4
    assert (tally.processor_crashes, tally.client_crashes, tally.token_leaks) == (0, 0, 0)
    assert tally.injected >= 150
    assert {"BAD_GATEWAY", "TIMEOUT", "SECONDARY_LIMIT", "LOSE_RESPONSE", "process killed"} <= set(
        tally.faults
    )
    assert tally.outcomes["ok"] > 0 and tally.outcomes["raised"] > 0
    assert tally.clean


async def test_a_run_is_the_same_for_the_same_seed() -> None:
    first, second = await FaultRun(77, steps=15).run(), await FaultRun(77, steps=15).run()
    assert first.faults == second.faults
    assert first.operations == second.operations
    assert first.outcomes == second.outcomes


def _live_issue_with_updates(run: FaultRun) -> int:
    for issue in run.issues:
        if issue.live and any('"u": {\n      "' in c.body for c in issue.comments):
            return issue.number
    raise AssertionError("no object with an update in this run")


async def test_the_oracle_sees_an_update_posted_twice() -> None:
    run = FaultRun(4242, steps=30)
    run.emulator.close = lambda: None  # type: ignore[method-assign]  # keep it to plant in
    await run.run()
    number = _live_issue_with_updates(run)
    state = run.emulator.state
    issue = state.issue_by_number(1, number)
    assert issue is not None
    comments = state.comments_by_ids(state.comment_ids(issue.id))
    update = next(c for c in comments if '"u": {\n      "' in c.body)
    with state.atomic():
        state.create_comment(issue.id, update.author_id, update.body, run.emulator.now())
    issues, labels = read_truth(run.emulator)
    verdict = check(run.ops, run.reads, issues, labels, set())
    assert verdict.twice >= 1
    assert not verdict.clean


async def test_the_oracle_sees_an_update_missing_from_the_body() -> None:
    run = FaultRun(4242, steps=30)
    run.emulator.close = lambda: None  # type: ignore[method-assign]
    await run.run()
    number = _live_issue_with_updates(run)
    state = run.emulator.state
    issue = state.issue_by_number(1, number)
    assert issue is not None
    body = json.loads(issue.body)
    body["u"].popitem()
    with state.atomic():
        state.update_issue(issue.id, body=json.dumps(body, indent=2))
    issues, labels = read_truth(run.emulator)
    verdict = check(run.ops, run.reads, issues, labels, set())
    assert verdict.differing >= 1 or verdict.lost >= 1
    assert not verdict.clean


def test_the_table_names_every_count_make_reliability_promises() -> None:
    text = table(Tally())
    for row in (
        "faults injected",
        "runs",
        "updates lost",
        "applied twice",
        "outsider actions tried",
        "processor crashes",
    ):
        assert row in text


def test_the_entry_point_prints_the_table_and_exits_0_when_clean(capsys: object) -> None:
    assert main(["--faults", "20", "--seed", "31337", "--steps", "10"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "updates lost" in out and "applied twice" in out


# -- defects the fault runs found, pinned ---------------------------------------------------
async def test_an_update_whose_reopen_outcome_is_unknown_is_not_landed_and_resumes_with_the_reopen() -> (
    None
):
    from support.localgh import Hooked, Local

    from ghstore import CommitError, Gateway, Store
    from ghstore.config import RateLimitConfig, RetriesConfig
    from ghstore.emulator import FaultKind

    local = Local()
    owner = local.store()
    created = await owner.create("obj", {"v": 0})
    controls = local.emulator.controls

    async def fail_the_reopen(_: int, request: object) -> None:
        query = request.payload["query"]  # type: ignore[attr-defined]
        if "addComment" in query:
            controls.fail_next(1, FaultKind.LOSE_RESPONSE)  # both land, the answer is lost
        elif "reopenIssue" in query and not resumed:
            controls.fail_next(1, FaultKind.BAD_GATEWAY)  # the reopen sent again fails

    async def no_wait(_: float) -> None:
        return None

    resumed: list[bool] = []
    gateway = Gateway(
        transport=Hooked(local.emulator, local.tokens["acme"], fail_the_reopen),
        rate_limit=RateLimitConfig.unpaced(),
        retries=RetriesConfig(max_attempts=2),
        sleep=no_wait,
    )
    writer = Store("acme/data", gateway)
    uow = writer.unit_of_work()
    uow.update("obj", {"v": 1})
    with pytest.raises(CommitError):
        await uow.commit()
    (change,) = uow.changes
    assert (change.status, change.step) == ("unknown", 1)  # the comment landed, the reopen?
    resumed.append(True)
    controls.reset()
    await uow.commit()
    assert controls.field_counts() == {"reopenIssue": 1}
    comments = local.issue(created.meta.issue_number)["comments"]
    assert len(comments) == 2
    await writer.close()
    await local.close()


async def test_a_rate_limit_met_while_looking_for_a_lost_update_never_posts_it_twice() -> None:
    from support.localgh import Hooked, Local

    from ghstore import Gateway, RateLimitExceeded, Store
    from ghstore.config import RateLimitConfig, RetriesConfig
    from ghstore.emulator import FaultKind

    local = Local()
    owner = local.store()
    created = await owner.create("obj", {"v": 0})
    controls, state = local.emulator.controls, local.emulator.state
    acme = state.user_by_login("acme")
    assert acme is not None

    async def limit_the_lookup(_: int, request: object) -> None:
        query = request.payload["query"]  # type: ignore[attr-defined]
        if "addComment" in query and not spent:
            controls.fail_next(1, FaultKind.LOSE_RESPONSE)
        elif "RecentComments" in query and not spent:
            spent.append(True)
            with state.atomic():  # the hour's points are gone: RATE_LIMIT until the reset
                state.set_rate_usage(acme.id, int(local.emulator.clock()) + 3000, 5_000)

    async def no_wait(_: float) -> None:
        return None

    spent: list[bool] = []
    gateway = Gateway(
        transport=Hooked(local.emulator, local.tokens["acme"], limit_the_lookup),
        rate_limit=RateLimitConfig.unpaced(max_wait=60),
        retries=RetriesConfig(max_attempts=3),
        sleep=no_wait,
    )
    writer = Store("acme/data", gateway)
    uow = writer.unit_of_work()
    uow.update("obj", {"v": 1})
    with pytest.raises(RateLimitExceeded):
        await uow.commit()
    assert uow.changes[0].status == "unknown"  # not "pending": it may have landed
    with state.atomic():
        state.set_rate_usage(acme.id, int(local.emulator.clock()), 0)
    await uow.commit()
    bodies = [c["body"] for c in local.issue(created.meta.issue_number)["comments"]]
    assert len(bodies) == 2  # the initial state and the update, once
    await writer.close()
    await local.close()
