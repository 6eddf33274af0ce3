"""Races: processors as separate processes (`python -m bench.race`) on the same
objects, over real HTTP to one local GitHub, while three clients keep posting updates, faults
hit random requests and one processor is killed outright. No update is lost, none is applied
twice: the final state is held against the updates by bench.reliability_truth."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
from bench.reliability_truth import Op, check, read_truth
from support.helpers import NO_PACING, TOKENS, make_emulator, team_config

from ghstore import Gateway, GitHubStoreError, Store
from ghstore.config import RateLimitConfig, RetriesConfig
from ghstore.emulator import EmulatorServer, FaultKind
from ghstore.processor import Processor

pytestmark = pytest.mark.slow  # processes racing over real HTTP

OBJECTS = ("alpha", "beta", "gamma")
TESTS = Path(__file__).resolve().parents[1]  # tests/, where `python -m bench.race` is found


async def spawn(url: str, login: str, stop: Path, issues: list[int]) -> asyncio.subprocess.Process:
    extra = [f"--issue={n}" for n in issues]
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.race",
        f"--url={url}",
        f"--token={TOKENS[login]}",
        f"--stop={stop}",
        "--lock-seconds=3",
        *extra,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=TESTS,
    )


def http_store(url: str, login: str) -> Store:
    gateway = Gateway(
        token=TOKENS[login],
        api_url=url,
        rate_limit=NO_PACING,
        retries=RetriesConfig(max_attempts=3, backoff_factor=0.05),
    )
    return Store("acme/data", gateway, team_config())


async def test_processes_racing_on_the_same_objects_lose_nothing_and_apply_nothing_twice(
    tmp_path: Path,
) -> None:
    emulator = make_emulator()
    emulator.controls.latency = 0.002  # requests of different processes overlap
    server = EmulatorServer(emulator)
    await server.start()
    stop = tmp_path / "stop"
    clients = {login: http_store(server.url, login) for login in ("acme", "bob", "mia")}
    ops: list[Op] = []
    tick = iter(range(1, 10**6))
    processes: list[asyncio.subprocess.Process] = []
    try:
        numbers = []
        for name in OBJECTS:
            op = Op("create", "acme", name, f"c-{name}", {"gen": f"c-{name}", "u": {}}, next(tick))
            numbers.append((await clients["acme"].create(name, op.data or {})).meta.issue_number)
            op.end, op.outcome = next(tick), "ok"
            ops.append(op)
        processes = [
            await spawn(server.url, "acme", stop, numbers),
            await spawn(server.url, "acme", stop, numbers),
            await spawn(server.url, "bob", stop, numbers[:2]),
        ]
        for process in processes:  # every processor at work before the first update
            assert process.stdout is not None
            assert (await asyncio.wait_for(process.stdout.readline(), 30)).strip() == b"ready"

        async def post(login: str) -> None:
            for n in range(20):
                token = f"u-{login}-{n}"
                object_id = OBJECTS[(n + len(login)) % len(OBJECTS)]
                changes = {"u": {token: n}, "last": token}
                op = Op("update", login, object_id, token, changes, next(tick))
                ops.append(op)
                try:
                    await clients[login].update(object_id, changes)
                    op.outcome = "ok"
                except GitHubStoreError:
                    op.outcome = "raised"
                op.end = next(tick)
                await asyncio.sleep(0.03)

        async def trouble() -> None:
            for kind in (FaultKind.LOSE_RESPONSE, FaultKind.BAD_GATEWAY, FaultKind.LOSE_RESPONSE):
                await asyncio.sleep(0.15)
                emulator.controls.fail_request(3, kind)
            await asyncio.sleep(0.2)
            processes[0].send_signal(signal.SIGKILL)  # a processor dies wherever it is
            processes.append(await spawn(server.url, "bob", stop, numbers))

        await asyncio.gather(*(post(login) for login in clients), trouble())
        stop.touch()
        outputs = [await asyncio.wait_for(p.communicate(), 60) for p in processes]
        done = []
        for process, (out, err) in zip(processes, outputs, strict=True):
            if process.returncode == -signal.SIGKILL:
                continue
            assert process.returncode == 0, err.decode()[-2000:]
            done.append(json.loads(out.decode().splitlines()[-1]))
        assert sum(d["applied"] for d in done) > 0
        emulator.controls.clear_faults()
        final = Processor(http_store(server.url, "acme"), lock_seconds=3, poll=0.05)
        try:
            for number in numbers:  # a comment on any object runs the processor on it
                await final.process(number)
        finally:
            await final.store.close()
        issues, labels = read_truth(emulator)
        verdict = check(ops, [], issues, labels, set())
        assert verdict.clean, verdict.problems
        assert (verdict.lost, verdict.twice, verdict.duplicate_objects) == (0, 0, 0)
        accepted = {op.token for op in ops if op.kind == "update" and op.outcome == "ok"}
        bodies: dict[str, Any] = {i.object_id: json.loads(i.body) for i in issues if i.live}
        assert accepted <= {t for body in bodies.values() for t in body["u"]}
        assert len(accepted) >= 40
    finally:
        stop.touch()
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        for client in clients.values():
            await client.close()
        await server.stop()


async def test_a_processor_held_up_past_its_lock_lets_go_instead_of_overwriting_newer_work() -> (
    None
):
    """P1 reads [A], then waits out a secondary limit long enough for its lock to run out;
    meanwhile B arrives and P2 breaks the expired lock and settles A and B. P1 must not then
    write its older body: it lets go and starts the round again."""
    from bench.reliability import FakeClock
    from support.localgh import Local

    from ghstore.emulator import InProcessTransport

    clock = FakeClock()
    local = Local(make_emulator(clock=clock))
    writer, second = local.store("bob"), local.store("acme")
    stalled_once: list[float] = []

    async def stall(seconds: float) -> None:
        await clock.sleep(seconds)
        if seconds >= 50 and not stalled_once:
            stalled_once.append(seconds)
            await writer.update("obj", {"b": True})
            await Processor(second, clock=clock, sleep=clock.sleep, poll=20.0).process(number)

    gateway = Gateway(
        transport=InProcessTransport(local.emulator, TOKENS["acme"]),
        rate_limit=RateLimitConfig.unpaced(max_wait=600),
        sleep=stall,
        clock=clock,
    )
    first = Store("acme/data", gateway, team_config())
    try:
        created = await first.create("obj", {"a": False})
        number = created.meta.issue_number
        await first.update("obj", {"a": True})
        processor = Processor(first, clock=clock, sleep=clock.sleep, lock_seconds=120)
        await first.issues.context()
        local.emulator.controls.fail_request(2, FaultKind.SECONDARY_LIMIT, retry_after=100)
        await processor.process(number)  # request 1 locks and reads, request 2 is the write
        assert stalled_once == [100]
        assert local.issue(number)["body"] == {"a": True, "b": True}
        assert (await first.get("obj", include_pending=False)).data == {"a": True, "b": True}
    finally:
        await first.close()
        await local.close()
