"""Randomized fault runs: ghstore under 502s, timeouts, secondary and primary rate limits, lost
responses and processes killed between any two requests, against the local GitHub.

    python -m bench.reliability [--faults 1000] [--seed 1] [--steps 40] [--json]

Each run is seeded and deterministic. Clients (the owner, a collaborator, a member) create,
update and delete objects, alone and in UnitOfWork commits, while processors run on the same
objects and an outsider posts hostile comments, forges marks and a collaborator forges locks.
Before each step faults are scheduled on the requests to come, and sometimes the acting
process is killed before (or right after) one of its requests. Requests interleave: every
request yields, and every wait moves one fake clock shared by the clients and the local GitHub.

After the steps the faults stop, the open-issues sweep runs (an update that returned must be
applied by then), then every object is processed (GitHub's comment events). The final state
is then read from the emulator's database (reliability_truth) and must equal what a fault-free
run of the operations that landed reaches: none lost, none applied twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from support.helpers import team_config

from ghstore.config import REACTION_CONTENT, RateLimitConfig, RetriesConfig
from ghstore.emulator import Emulator, FaultKind
from ghstore.exceptions import (
    AccessDeniedError,
    CommitError,
    DuplicateUIDError,
    GitHubStoreError,
    ObjectNotFound,
)
from ghstore.github.documents import Call
from ghstore.processor import Processor
from ghstore.store import Store

from .reliability_tally import Tally, table
from .reliability_truth import IssueTruth, Op, Read, check, read_truth, tokens_of
from .reliability_world import Actor, FakeClock, ProcessKilled, StallingGateway, Wire, tokens

__all__ = ["FakeClock", "FaultRun", "ProcessKilled", "Tally", "main", "run_until", "table"]

REPO = "acme/data"
WRITERS = ("acme", "bob", "mia")
OUTSIDER = "eve"
FAULT_KINDS = (
    FaultKind.BAD_GATEWAY,
    FaultKind.TIMEOUT,
    FaultKind.SECONDARY_LIMIT,
    FaultKind.LOSE_RESPONSE,
)
PRIMARY = "primary limit (RATE_LIMIT)"
TRICKS = (
    "outsider's imitation of an initial state",
    "outsider's NaN with a duplicate key",
    "outsider's copy of an update, idempotency key and all",
    "outsider's thumbs-up on pending updates",
    "collaborator's hand-made lock that never expires",
    "outsider's reaction flood (every kind, the processor's marks too)",
    "outsider's comment flood (20 forged envelopes)",
)
FLOOD = 20
# Every reaction GitHub has: the outsider floods each kind.
REACTION_KINDS = tuple(REACTION_CONTENT.values())
KILLED = "process killed"
PAUSED = "process stalled (1-4 min)"
SLOW = "request slow in transit (5-20 s)"
LOCK_SECONDS = 120.0


class FaultRun:
    """One seeded run of `steps` random steps over `objects` object ids."""

    def __init__(self, seed: int, steps: int = 40, objects: int = 4) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.steps = steps
        self.intensity = self.rng.choice((0.35, 0.75, 0.9))
        """How often a step's requests meet scheduled faults."""
        self.ids = [f"obj-{n}" for n in range(objects)]
        self.clock = FakeClock()
        self.tokens = tokens(seed)
        self.emulator = Emulator(clock=self.clock)
        for login, token in self.tokens.items():
            self.emulator.add_user(login, token)
        self.emulator.add_repository(REPO, roles={"bob": "collaborator", "mia": "member"})
        self.actors: dict[str, Actor] = {}
        self.ops: list[Op] = []
        self.reads: list[Read] = []
        self.tally = Tally(runs=1)
        self.seq = 0
        self.serial = 0
        self.issues: list[IssueTruth] = []
        """The final state, once the run is over."""

    # -- processes -------------------------------------------------------------------------
    def _spawn(self, key: str) -> Actor:
        login = key.partition(":")[0]
        wire = Wire(self.emulator, self.tokens[login], self.clock)
        gateway = StallingGateway(
            transport=wire,
            rate_limit=RateLimitConfig.unpaced(max_wait=600),
            retries=RetriesConfig(max_attempts=3, backoff_factor=2),
            sleep=self.clock.sleep,
            clock=self.clock,
        )
        gateway.clock_sleep = self.clock.sleep
        store = Store(REPO, gateway, team_config())
        processor = Processor(
            store, lock_seconds=LOCK_SECONDS, clock=self.clock, poll=20.0, sleep=self.clock.sleep
        )
        actor = Actor(key, login, store, gateway, wire, processor)
        self.actors[key] = actor
        return actor

    def _actor(self, key: str) -> Actor:
        return self.actors.get(key) or self._spawn(key)

    def _tick(self) -> int:
        self.seq += 1
        return self.seq

    def _token(self, kind: str) -> str:
        self.serial += 1
        return f"{kind[0]}{self.seed}-{self.serial}"

    async def _guarded(self, actor: Actor, what: str, work: Awaitable[Any]) -> str:
        """Run one action of a process: ok, failed (a ghstore error), killed or crashed."""
        try:
            await work
            return "ok"
        except ProcessKilled:
            self.tally.faults[KILLED] += 1
            self.actors.pop(actor.key, None)  # its memory (caches, unit of work) is gone
            return "killed"
        except GitHubStoreError as exc:
            self._scan(exc)
            if what == "process":
                self.tally.processor_failures += 1
            return "failed"
        except Exception as exc:  # anything else is a crash: a defect
            self.tally.crashes.append(
                f"seed {self.seed} {what}: {''.join(traceback.format_exception(exc))[-1500:]}"
            )
            if what == "process":
                self.tally.processor_crashes += 1
            else:
                self.tally.client_crashes += 1
            self.actors.pop(actor.key, None)
            return "crashed"
        finally:
            self._harvest(actor)

    def _harvest(self, actor: Actor) -> None:
        """Count the stalls and slow requests that did happen (not every one armed does)."""
        self.tally.faults[PAUSED] += actor.gateway.stalls
        self.tally.faults[SLOW] += actor.wire.pauses
        actor.gateway.stalls = actor.wire.pauses = 0

    def _scan(self, exc: BaseException) -> None:
        """A token in an error's message, repr, context or cause is a leak."""
        seen: set[int] = set()
        texts = []
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            texts += [str(current), repr(current), repr(getattr(current, "errors", ""))]
            current = current.__cause__ or current.__context__
        if any(token in text for text in texts for token in self.tokens.values()):
            self.tally.token_leaks += 1

    # -- faults ----------------------------------------------------------------------------
    def _arm(self, actor: Actor) -> None:
        rng = self.rng
        controls = self.emulator.controls
        if rng.random() < self.intensity:
            for _ in range(rng.choice((1, 1, 2, 3))):
                kind = rng.choice(FAULT_KINDS)
                controls.fail_request(
                    rng.randint(1, 6), kind, retry_after=rng.choice((1, 5, 30, 90, 150))
                )
        if rng.random() < 0.06:
            self._spend_primary(rng.choice((*WRITERS, OUTSIDER)))
        if rng.random() < 0.12:
            actor.wire.kill_in = rng.randint(1, 6)
            actor.wire.kill_after_send = rng.random() < 0.5
        elif rng.random() < 0.1:
            actor.wire.pause_in = rng.randint(1, 4)
            actor.wire.pause = rng.uniform(5, 20)
        elif rng.random() < 0.1:
            actor.gateway.stall_in = rng.randint(1, 3)
            actor.gateway.stall = rng.uniform(60, 240)

    def _spend_primary(self, login: str) -> None:
        """Spend a user's hourly points: GitHub answers RATE_LIMIT until the reset."""
        user = self.emulator.state.user_by_login(login)
        assert user is not None
        reset = int(self.clock() + self.rng.choice((30, 300, 900)))
        with self.emulator.state.atomic():
            self.emulator.state.set_rate_usage(user.id, reset, 5_000)

    # -- actions ---------------------------------------------------------------------------
    def _data(self, token: str) -> dict[str, Any]:
        return {"gen": token, "u": {}, "a": self.rng.randint(0, 9)}

    def _changes(self, token: str) -> dict[str, Any]:
        rng = self.rng
        changes: dict[str, Any] = {"u": {token: self.serial}}
        if rng.random() < 0.6:
            changes["a"] = rng.randint(0, 99)
        roll = rng.random()
        if roll < 0.3:
            changes["n"] = {f"x{rng.randint(0, 3)}": rng.randint(0, 9)}
        elif roll < 0.4:
            changes["n"] = rng.choice((None, 7, "s", [1, 2]))
        return changes

    def _op(self, kind: str, login: str, object_id: str, data: Any = None) -> Op:
        token = self._token(kind)
        if kind == "create":
            data = self._data(token)
        elif kind == "update":
            data = self._changes(token)
        op = Op(kind, login, object_id, token, data, self._tick())
        self.ops.append(op)
        self.tally.operations[kind] += 1
        return op

    @staticmethod
    def _ended(op: Op, outcome: str, error: BaseException | None = None) -> None:
        op.outcome = outcome
        if error is not None:
            op.error = f"{type(error).__name__}: {error}"

    async def _write(self, actor: Actor, op: Op) -> None:
        store = actor.store
        if op.login == OUTSIDER:
            self.tally.hostile[f"outsider's {op.kind}"] += 1
        try:
            if op.kind == "create":
                assert op.data is not None
                await store.create(op.object_id, op.data)
            elif op.kind == "update":
                assert op.data is not None
                await store.update(op.object_id, op.data)
            else:
                await store.delete(op.object_id)
            self._ended(op, "ok")
        except (DuplicateUIDError, ObjectNotFound, AccessDeniedError) as exc:
            self._ended(op, "refused" if op.kind != "update" else "raised", exc)
            raise
        except BaseException as exc:
            self._ended(op, "raised", exc)
            raise
        finally:
            op.end = self._tick()
            self.tally.outcomes[op.outcome] += 1

    async def _unit(self, actor: Actor) -> None:
        uow = actor.store.unit_of_work()
        ops = []
        for _ in range(self.rng.randint(2, 4)):
            kind = self.rng.choice(("update", "update", "update", "create", "delete"))
            op = self._op(kind, actor.login, self.rng.choice(self.ids))
            ops.append(op)
            if kind == "create":
                try:
                    uow.create(op.object_id, op.data)
                except DuplicateUIDError:  # one create per id a commit: refused at once
                    op.outcome, op.end = "refused", self._tick()
                    self.tally.outcomes["refused"] += 1
                    ops.pop()
                    continue
            elif kind == "update":
                assert op.data is not None
                uow.update(op.object_id, op.data)
            else:
                uow.delete(op.object_id)
        by_change = dict(zip(map(id, uow.changes), ops, strict=True))
        try:
            for attempt in range(3):
                try:
                    await uow.commit()
                    break
                except CommitError:
                    if attempt == 2 or self.rng.random() < 0.3:
                        break
                except GitHubStoreError:
                    if attempt == 2 or self.rng.random() < 0.3:
                        raise
        finally:
            end = self._tick()
            for change in uow.changes:
                op = by_change[id(change)]
                op.end = end
                op.outcome = "ok" if change.status == "landed" else "raised"
                self.tally.outcomes[op.outcome] += 1

    async def _process(self, actor: Actor) -> None:
        self.tally.processor_runs += 1
        numbers = self._object_numbers()
        if numbers and self.rng.random() < 0.8:
            await actor.processor.process(self.rng.choice(numbers))
        else:
            await actor.processor.process_all()

    def _object_numbers(self) -> list[int]:
        issues, _ = read_truth(self.emulator)
        return [i.number for i in issues if i.live]

    async def _read(self, actor: Actor) -> None:
        object_id = self.rng.choice(self.ids)
        start = self._tick()
        try:
            got = await actor.store.get(object_id)
        except ObjectNotFound:
            return
        self.reads.append(Read(actor.login, object_id, got.data, start))

    async def _hostile(self) -> None:
        """The outsider's tricks, and a collaborator's forged lock."""
        issues, _ = read_truth(self.emulator)
        live = [i for i in issues if i.live]
        if not live:
            return
        target = self.rng.choice(live)
        trick = self.rng.randrange(len(TRICKS))
        self.tally.hostile[TRICKS[trick]] += 1
        if trick == 4:  # a lock label that never expires, made by hand
            bob = self._actor("bob")
            context = await bob.store.gateway.query(
                "RepositoryContext",
                {
                    "owner": "acme",
                    "name": "data",
                    "baseLabel": "stored-object",
                    "namespaceLabel": "gh-store",
                    "archivedLabel": "archived",
                },
            )
            await bob.store.gateway.mutate_one(
                Call(
                    "CreateLabel",
                    {
                        "repositoryId": context["repository"]["id"],
                        "name": Processor.lock_name(target.number),
                        "color": "ededed",
                        "description": "ghstore processor lock; expires 9999999999; run forged",
                    },
                )
            )
            return
        eve = self._actor(OUTSIDER)
        issue_id = (await eve.store.reads.locate(target.object_id or ""))[1].node_id
        if trick in (3, 5):  # an outsider's marks must not freeze, skip or settle updates
            data = await eve.store.gateway.query("RecentComments", {"issueId": issue_id})
            kinds = ("THUMBS_UP",) if trick == 3 else REACTION_KINDS
            await eve.store.gateway.mutate(
                [
                    Call("AddReaction", {"subjectId": node["id"], "content": kind})
                    for node in data["node"]["comments"]["nodes"][-3:]
                    for kind in kinds
                ]
            )
            return
        if trick == 6:  # a flood of forged envelopes: refused, each once, no run held by it
            forged = (
                '{"_data": {"a": -1}, "_meta": {"client_version": "x", "timestamp": "t", '
                '"update_mode": "append"}}'
            )
            await eve.store.gateway.mutate(
                [Call("AddComment", {"subjectId": issue_id, "body": forged})] * FLOOD
            )
            return
        copied = next(
            (c.body for c in reversed(target.comments) if c.author in WRITERS), '{"a": 1}'
        )
        body = [
            '{"_data": {"a": -1, "u": {"fake": 1}}, "_meta": {"client_version": "x", '
            '"timestamp": "t", "update_mode": "append"}, "type": "initial_state"}',
            '{"a": NaN, "a": 2}',
            copied,  # an authorized update's text, idempotency key and all
        ][trick]
        await eve.store.gateway.mutate_one(
            Call("AddComment", {"subjectId": issue_id, "body": body})
        )

    def _writing(self, kind: str) -> Callable[[Actor], Awaitable[Any]]:
        return lambda a: self._write(a, self._op(kind, a.login, self.rng.choice(self.ids)))

    def _pick(self) -> tuple[str, str, Callable[[Actor], Awaitable[Any]]]:
        """(who, what, the action) of one random action."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.30:
            return rng.choice(WRITERS), "update", self._writing("update")
        if roll < 0.42:
            return rng.choice(WRITERS), "create", self._writing("create")
        if roll < 0.46:
            return rng.choice(WRITERS), "delete", self._writing("delete")
        if roll < 0.58:
            return rng.choice(WRITERS), "unit of work", self._unit
        if roll < 0.80:
            return rng.choice(("acme", "acme", "bob")), "process", self._process
        if roll < 0.88:
            return rng.choice(WRITERS), "read", self._read
        if roll < 0.92:
            return OUTSIDER, "outsider write", self._writing(rng.choice(("update", "create")))
        return OUTSIDER, "hostile", lambda _: self._hostile()

    async def _race(self) -> bool:
        """Two processes of the owner process one object while an update arrives, one of
        them stalled between its requests: the lock must keep them apart."""
        rng = self.rng
        issues = [i for i in read_truth(self.emulator)[0] if i.live]
        if not issues:
            return False
        target = rng.choice(issues)
        first, second = self._actor("acme"), self._actor("acme:2")
        writer = self._actor(rng.choice(("bob", "mia")))
        for actor in (first, second, writer):
            self._arm(actor)
        stalled = rng.choice((first, second))
        if stalled.wire.kill_in is None:  # held up right before its write
            stalled.gateway.stall_in, stalled.gateway.stall = 2, rng.uniform(20, 240)
        self.tally.processor_runs += 2
        update = self._op("update", writer.login, target.object_id or "")
        await asyncio.gather(
            self._guarded(first, "process", first.processor.process(target.number)),
            self._guarded(second, "process", second.processor.process(target.number)),
            self._guarded(writer, "update", self._write(writer, update)),
        )
        return True

    async def _step(self) -> None:
        self.clock.now += self.rng.uniform(0, 45)
        if self.rng.random() < 0.08 and await self._race():
            return
        jobs = []
        busy: set[str] = set()
        for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3))):
            login, what, action = self._pick()
            if login in busy:
                continue
            busy.add(login)
            actor = self._actor(login)
            self._arm(actor)
            jobs.append(self._guarded(actor, what, action(actor)))
        await asyncio.gather(*jobs)

    # -- the end ---------------------------------------------------------------------------
    async def _settle(self) -> set[str]:
        """Stop the faults, sweep open issues, and note accepted updates left unapplied."""
        controls = self.emulator.controls
        controls.clear_faults()
        for actor in self.actors.values():
            self._harvest(actor)
        self.actors.clear()
        self.clock.now += 2 * LOCK_SECONDS  # crashed runs' locks have expired by now
        for login in (*WRITERS, OUTSIDER):
            user = self.emulator.state.user_by_login(login)
            assert user is not None
            with self.emulator.state.atomic():
                self.emulator.state.set_rate_usage(user.id, int(self.clock()), 0)
        sweeper = self._spawn("acme")
        await sweeper.processor.process_all()
        issues, _ = read_truth(self.emulator)
        applied = {t for i in issues if i.live for t in tokens_of(_json(i.body))}
        where = {
            t
            for i in issues
            if i.live
            for c in i.comments
            if c.author in WRITERS
            for t in tokens_of(_data_of(c.body))
        }
        stranded = {
            op.token
            for op in self.ops
            if op.kind == "update" and op.outcome == "ok" and op.login in WRITERS
            if op.token in where and op.token not in applied
        }
        for number in self._object_numbers():  # GitHub's comment events: every object
            await sweeper.processor.process(number)
        return stranded

    def _count_faults(self) -> None:
        for record in self.emulator.controls.log:
            if record.fault is not None:
                self.tally.faults[FaultKind(record.fault).name] += 1
            elif record.status == 502:
                self.tally.faults[FaultKind.BAD_GATEWAY.name] += 1
            elif record.status == 403:  # GraphQL refusals are 200s: a 403 is the secondary limit
                self.tally.faults[FaultKind.SECONDARY_LIMIT.name] += 1
            if "RATE_LIMIT" in record.error_types:
                self.tally.faults[PRIMARY] += 1

    async def run(self) -> Tally:
        """All steps, the settling sweeps and the checks."""
        started = time.perf_counter()
        random.seed(self.seed)  # the gateway's backoff jitter too: a seed replays its run
        for _ in range(self.steps):
            await self._step()
        self.tally.steps = self.steps
        self._count_faults()
        try:
            stranded = await self._settle()
        except Exception as exc:
            self.tally.processor_crashes += 1
            self.tally.crashes.append(
                f"seed {self.seed} final sweep: {''.join(traceback.format_exception(exc))[-1500:]}"
            )
            stranded = set()
        issues, labels = read_truth(self.emulator)
        self.issues = issues
        self.tally.verdict = check(self.ops, self.reads, issues, labels, stranded)
        self.tally.verdict.problems = [
            f"seed {self.seed}: {p}" for p in self.tally.verdict.problems
        ]
        self.tally.seconds = time.perf_counter() - started
        self.emulator.close()
        return self.tally


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _data_of(text: str) -> dict[str, Any]:
    data = _json(text).get("_data")
    return data if isinstance(data, dict) else {}


async def run_until(
    faults: int, *, seed: int = 1, steps: int = 40, max_runs: int = 10_000
) -> Tally:
    """Seeded runs one after another until at least `faults` faults were injected."""
    total = Tally()
    for n in range(max_runs):
        total.merge(await FaultRun(seed + n, steps).run())
        if total.injected >= faults:
            break
    return total


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.reliability`: runs, the table, exit 1 on any violation."""
    parser = argparse.ArgumentParser(prog="python -m bench.reliability")
    parser.add_argument("--faults", type=int, default=3000, help="inject at least this many")
    parser.add_argument("--seed", type=int, default=1, help="first seed")
    parser.add_argument("--steps", type=int, default=40, help="steps per run")
    parser.add_argument("--json", action="store_true", help="print the tally as JSON")
    args = parser.parse_args(argv)
    logging.getLogger("ghstore").setLevel(logging.ERROR)  # broken locks etc.: expected here
    started = time.perf_counter()
    tally = asyncio.run(run_until(args.faults, seed=args.seed, steps=args.steps))
    tally.seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({"faults": dict(tally.faults), "lost": tally.verdict.lost}))
    else:
        print(table(tally))
    for line in (tally.verdict.problems + tally.crashes)[:20]:
        print(line, file=sys.stderr)
    return 0 if tally.clean else 1


if __name__ == "__main__":
    sys.exit(main())
