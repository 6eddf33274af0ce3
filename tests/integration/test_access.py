"""Access: an outsider's updates are never applied and cannot freeze anyone's; a token without
write access gets AccessDeniedError and leaves nothing half-made; tokens never show in logs,
error messages, reprs, job summaries or exceptions."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from support.helpers import NO_PACING, emulator_process, team_config
from support.localgh import Local

from ghstore import (
    AccessDeniedError,
    AuthenticationError,
    Gateway,
    GitHubStoreError,
    GitHubUnavailable,
    RateLimitExceeded,
    Store,
)
from ghstore.config import RateLimitConfig, RetriesConfig
from ghstore.emulator import Emulator, EmulatorServer, FaultKind, InProcessTransport
from ghstore.processor import Processor

SECRETS = {
    "acme": "ghp_AcmeSecret0123456789abcdefABCDEF0001",
    "bob": "ghp_BobSecret0123456789abcdefABCDEF00002",
    "eve": "ghp_EveSecret0123456789abcdefABCDEF00003",
}
NOT_A_TOKEN = "ghp_WrongSecret0123456789abcdefABCDEF0004"
ALL_SECRETS = [*SECRETS.values(), NOT_A_TOKEN]


def secret_emulator(**kwargs: Any) -> Emulator:
    emulator = Emulator(**kwargs)
    for login, token in SECRETS.items():
        emulator.add_user(login, token)
    emulator.add_repository("acme/data", roles={"bob": "collaborator"})
    return emulator


@pytest.fixture
async def local() -> AsyncIterator[Local]:
    opened = Local(secret_emulator(), SECRETS)
    yield opened
    await opened.close()


def assert_no_token(*texts: str) -> None:
    for text in texts:
        for secret in ALL_SECRETS:
            assert secret not in text, f"a token leaked into: {text[:300]}"
            assert secret[4:] not in text, f"a token leaked into: {text[:300]}"


def everything_about(error: BaseException) -> str:
    """Message, repr, the whole traceback with causes, and the attributes errors carry."""
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    parts += [repr(vars(error))] if hasattr(error, "__dict__") else []
    return "\n".join(parts)


# -- outsiders: never applied, never freezing, nothing half-made ------------------------------
async def test_an_outsiders_update_is_never_applied_and_their_marks_freeze_nothing(
    local: Local,
) -> None:
    owner = local.store("acme")
    created = await owner.create("obj", {"owner": "acme"})
    number = created.meta.issue_number
    await owner.update("obj", {"v": 1})
    await local.store("eve").update("obj", {"owner": "eve"})
    update = (
        await local.data(
            "acme",
            'query($n: Int!) { repository(owner: "acme", name: "data") { issue(number: $n) { comments(first: 2) { nodes { id } } } } }',
            n=number,
        )
    )["repository"]["issue"]["comments"]["nodes"][1]["id"]
    for content in ("THUMBS_UP", "THUMBS_DOWN", "CONFUSED", "ROCKET"):
        await local.data(
            "eve",
            "mutation($s: ID!, $c: ReactionContent!) { addReaction(input: {subjectId: $s, content: $c}) { clientMutationId } }",
            s=update,
            c=content,
        )
    assert (await owner.get("obj")).data == {"owner": "acme", "v": 1}  # readers ignore them too
    report = await Processor(owner, poll=0.0).process(number)
    issue = local.issue(number)
    assert issue["body"] == {"owner": "acme", "v": 1}
    assert [r.author for r in report.rejected] == ["eve"]
    assert ("THUMBS_DOWN", "acme") in issue["comments"][2]["marks"]


async def test_an_outsiders_create_is_refused_before_anything_is_sent(local: Local) -> None:
    outsider = local.store("eve")
    with pytest.raises(AccessDeniedError, match="nothing was sent") as caught:
        await outsider.create("mine", {"v": 1})
    assert local.issue_count() == 0
    assert local.label_names() == set()
    assert local.mutations_by("eve") == []
    assert_no_token(everything_about(caught.value))


async def test_an_outsiders_create_in_a_used_repository_leaves_no_stray_issue(
    local: Local,
) -> None:
    await local.store("acme").create("seed", {})  # the shared labels exist already
    labels = local.label_names()
    with pytest.raises(AccessDeniedError):
        await local.store("eve").create("mine", {"v": 1})
    assert local.issue_count() == 1
    assert local.label_names() == labels
    assert local.mutations_by("eve") == []


async def test_an_outsiders_delete_is_refused_and_the_object_stays(local: Local) -> None:
    owner = local.store("acme")
    await owner.create("obj", {"v": 1})
    with pytest.raises(AccessDeniedError):
        await local.store("eve").delete("obj")
    assert (await owner.get("obj")).data == {"v": 1}
    assert local.mutations_by("eve") == []


async def test_an_outsiders_unit_of_work_sends_nothing_at_all(local: Local) -> None:
    owner = local.store("acme")
    await owner.create("a", {"v": 1})
    await owner.create("b", {"v": 1})
    async with local.store("eve").unit_of_work() as uow:
        uow.update("a", {"v": 2})
        uow.create("c", {"v": 1})
        uow.delete("b")
        with pytest.raises(AccessDeniedError):
            await uow.commit()
    assert local.mutations_by("eve") == []
    assert local.issue_count() == 2
    assert [c["author"] for c in local.issue(1)["comments"]] == ["acme"]


async def test_an_outsider_cannot_run_the_processor(local: Local) -> None:
    owner = local.store("acme")
    created = await owner.create("obj", {"v": 0})
    await owner.update("obj", {"v": 1})
    with pytest.raises(AccessDeniedError):
        await Processor(local.store("eve"), poll=0.0).process(created.meta.issue_number)
    issue = local.issue(created.meta.issue_number)
    assert (issue["state"], issue["body"]) == ("OPEN", {"v": 0})
    assert not any(n.startswith("ghstore-lock") for n in local.label_names())


async def test_a_collaborator_may_write_and_process(local: Local) -> None:
    collaborator = local.store("bob")
    created = await collaborator.create("theirs", {"v": 0})
    await collaborator.update("theirs", {"v": 1})
    await Processor(collaborator, poll=0.0).process(created.meta.issue_number)
    assert (await local.store("acme").get("theirs", include_pending=False)).data == {"v": 1}


# -- tokens never show -------------------------------------------------------------------------
async def _failures_in_process(emulator: Emulator) -> list[BaseException]:
    """One of each failure a caller can meet, in-process."""

    async def no_wait(_: float) -> None:
        return None

    def store(token: str, **limits: Any) -> Store:
        gateway = Gateway(
            transport=InProcessTransport(emulator, token),
            rate_limit=RateLimitConfig.unpaced(**limits),
            retries=RetriesConfig(max_attempts=2),
            sleep=no_wait,
        )
        return Store("acme/data", gateway, team_config())

    owner, outsider, stranger = store(SECRETS["acme"]), store(SECRETS["eve"]), store(NOT_A_TOKEN)
    caught: list[BaseException] = []

    async def expect(work: Any) -> None:
        try:
            await work
        except GitHubStoreError as exc:
            caught.append(exc)

    await owner.create("obj", {"v": 1})
    await expect(stranger.get("obj"))
    await expect(outsider.create("x", {}))
    await expect(Processor(outsider, poll=0.0).process(1))
    for kind in (FaultKind.BAD_GATEWAY, FaultKind.TIMEOUT, FaultKind.LOSE_RESPONSE):
        emulator.controls.fail_next(8, kind)
        await expect(owner.get("obj"))
        emulator.controls.fail_next(8, kind)
        await expect(owner.update("obj", {"v": 2}))
        emulator.controls.clear_faults()
    emulator.controls.fail_next(1, FaultKind.SECONDARY_LIMIT, retry_after=3600)
    await expect(owner.update("obj", {"v": 3}))
    uow = owner.unit_of_work()
    uow.create("obj", {"v": 9})
    await expect(uow.commit())
    emulator.controls.clear_faults()
    return caught


async def test_no_token_appears_in_any_error_log_or_repr_in_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    emulator = secret_emulator()
    caplog.set_level(logging.DEBUG)
    caught = await _failures_in_process(emulator)
    kinds = {type(e) for e in caught}
    assert {AuthenticationError, AccessDeniedError, GitHubUnavailable, RateLimitExceeded} <= kinds
    assert_no_token(*(everything_about(e) for e in caught), caplog.text)
    transport = InProcessTransport(emulator, SECRETS["acme"])
    gateway = Gateway(transport=transport)
    assert_no_token(repr(transport), repr(gateway), repr(Store("acme/data", gateway)))


async def test_no_token_appears_in_errors_or_logs_over_http(
    caplog: pytest.LogCaptureFixture,
) -> None:
    emulator = secret_emulator()
    emulator.controls.timeout_hold = 0.3
    server = EmulatorServer(emulator)
    await server.start()
    caplog.set_level(logging.DEBUG)
    caught: list[BaseException] = []
    stores = []
    try:
        for token in (SECRETS["acme"], SECRETS["eve"], NOT_A_TOKEN):
            gateway = Gateway(
                token=token,
                api_url=server.url,
                rate_limit=NO_PACING,
                retries=RetriesConfig(max_attempts=1),
                timeout=1.0,
            )
            stores.append(Store("acme/data", gateway, team_config()))
        owner, outsider, stranger = stores
        await owner.create("obj", {"v": 1})
        for work in (stranger.get("obj"), outsider.create("x", {}), outsider.delete("obj")):
            try:
                await work
            except GitHubStoreError as exc:
                caught.append(exc)
        for kind in (FaultKind.BAD_GATEWAY, FaultKind.TIMEOUT, FaultKind.LOSE_RESPONSE):
            emulator.controls.fail_next(4, kind)
            try:
                await owner.update("obj", {"v": 2})
            except GitHubStoreError as exc:
                caught.append(exc)
            emulator.controls.clear_faults()
        assert {AuthenticationError, AccessDeniedError, GitHubUnavailable} <= {
            type(e) for e in caught
        }
        assert_no_token(*(everything_about(e) for e in caught), caplog.text)
        assert_no_token(*(repr(s.gateway) for s in stores), *(repr(s) for s in stores))
    finally:
        for opened in stores:
            await opened.close()
        await server.stop()


@pytest.fixture(scope="module")
def secret_served() -> Iterator[str]:
    """`ghstore emulator serve` with the secret tokens; yields its GraphQL URL."""
    with emulator_process(f"acme:{SECRETS['acme']}", f"eve:{SECRETS['eve']}") as (url, process):
        yield url
    assert process.stderr is not None
    assert_no_token(process.stderr.read())


@pytest.mark.slow
@pytest.mark.parametrize("token", [SECRETS["acme"], SECRETS["eve"], NOT_A_TOKEN])
def test_no_token_appears_in_the_clis_output_logs_or_job_summary(
    token: str, secret_served: str, cli: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    connection = ["--api-url", secret_served, "--token", token, "--repo", "acme/data"]
    fast = ["--config", str(cli.config), "--debug"]
    results = [
        cli("create", "secret-check", '{"v": 1}', *connection, *fast),
        cli("update", "secret-check", '{"v": 2}', *connection, *fast),
        cli("process-updates", "--all", *connection, *fast),
        cli("get", "secret-check", *connection, *fast),
    ]
    texts = [r.out + r.err for r in results]
    texts.append(summary.read_text() if summary.exists() else "")
    assert_no_token(*texts)
    if token == SECRETS["acme"]:
        assert results[3].code == 0
    else:  # creating needs write access (an outsider's update is posted, and rejected later)
        assert results[0].code != 0
