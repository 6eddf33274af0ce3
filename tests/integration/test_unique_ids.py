"""Unique ids, no junk: a create claims its id with a label before any issue is made."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
from support.helpers import TOKENS, make_emulator, store_for

from ghstore import DuplicateUIDError, Store
from ghstore.emulator import Emulator, EmulatorServer
from ghstore.store.claims import claim_name


async def titles(github: Any) -> list[str]:
    data = await github.data(
        "acme",
        """query { repository(owner: "acme", name: "data") {
        issues(first: 100) { nodes { title } } } }""",
    )
    return [n["title"] for n in data["repository"]["issues"]["nodes"]]


async def labels(github: Any) -> list[str]:
    data = await github.data(
        "acme",
        """query { repository(owner: "acme", name: "data") {
        labels(first: 100) { nodes { name } } } }""",
    )
    return [n["name"] for n in data["repository"]["labels"]["nodes"]]


async def test_a_duplicate_create_of_an_existing_id_makes_no_issue(
    store: Store, github: Any, emulator: Emulator
) -> None:
    await store.create("alice", {"v": 1})
    before = await titles(github)
    emulator.controls.reset()
    with pytest.raises(DuplicateUIDError, match="already exists"):
        await store.create("alice", {"v": 2})
    assert "createIssue" not in emulator.controls.field_counts()
    assert await titles(github) == before
    assert claim_name("alice") not in await labels(github)  # the claim is released
    assert (await store.get("alice")).data == {"v": 1}


async def test_a_duplicate_create_in_a_unit_of_work_makes_no_issue(
    store: Store, github: Any
) -> None:
    await store.create("alice", {"v": 1})
    before = await titles(github)
    uow = store.unit_of_work()
    uow.create("alice", {"v": 2})
    uow.create("bob", {"v": 1})
    with pytest.raises(Exception) as caught:
        await uow.commit()
    (failed,) = caught.value.failed  # type: ignore[attr-defined]
    assert isinstance(failed.error, DuplicateUIDError)
    assert await titles(github) == [*before, "Stored Object: bob"]


async def test_create_after_delete_works(store: Store) -> None:
    await store.create("alice", {"v": 1})
    await store.delete("alice")
    made = await store.create("alice", {"v": 2})
    assert (await store.get("alice")).data == {"v": 2}
    assert made.meta.version == 1


async def test_a_new_create_costs_four_requests(store: Store, emulator: Emulator) -> None:
    await store.create("warm", {"v": 1})  # the repository's context and labels, once
    emulator.controls.reset()
    await store.create("fresh", {"v": 1})
    assert emulator.controls.requests == 4


async def test_concurrent_creates_in_one_process_give_one_object(
    server: EmulatorServer, github: Any
) -> None:
    stores = [store_for(server, login) for login in ("acme", "acme", "bob", "mia")]
    try:
        outcomes = await asyncio.gather(
            *(s.create("race", {"n": n}) for n, s in enumerate(stores)), return_exceptions=True
        )
    finally:
        for s in stores:
            await s.close()
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 3 and all(isinstance(e, DuplicateUIDError) for e in errors)
    assert (await titles(github)).count("Stored Object: race") == 1


CREATE = """
import sys, time, pathlib
go = pathlib.Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
from ghstore.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.slow
async def test_four_processes_creating_one_new_id_make_one_object_and_three_duplicate_errors(
    tmp_path: Path,
) -> None:
    emulator = make_emulator()
    emulator.controls.latency = 0.02  # the processes' requests interleave
    server = EmulatorServer(emulator)
    await server.start()
    config = tmp_path / "fast.yml"
    config.write_text("store:\n  rate_limit:\n    mutation_interval: 0\n")
    go = tmp_path / "go"
    connection = ["--api-url", server.url, "--token", TOKENS["acme"], "--repo", "acme/data"]
    try:
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                CREATE,
                str(go),
                "create",
                "shared",
                f'{{"writer": {n}}}',
                *connection,
                "--config",
                str(config),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for n in range(4)
        ]
        await asyncio.sleep(1.5)  # every process has imported ghstore and waits
        go.touch()
        results = [await asyncio.wait_for(p.communicate(), 60) for p in processes]
        codes = [p.returncode for p in processes]
        assert sorted(codes) == [0, 1, 1, 1], results
        errors = [err.decode() for (_, err), code in zip(results, codes, strict=True) if code]
        assert all(
            "'shared'" in e and ("already exists" in e or "being created" in e) for e in errors
        )
        from support.helpers import HttpGitHub

        github = HttpGitHub(server.url)
        assert (await titles(github)).count("Stored Object: shared") == 1
        assert len(await titles(github)) == 1  # no other issue left behind
        store = store_for(server)
        try:
            assert (await store.get("shared")).meta.version == 1
        finally:
            await store.close()
    finally:
        await server.stop()
