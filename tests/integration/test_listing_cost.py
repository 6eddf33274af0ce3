"""What a listing costs: a page reads each object's newest 10 comments (12 points for 100
objects, not the 92 of 90 comments each), and one more request reads the newest 90 of the
objects that have more, so every object lists exactly as it did when each page read 90."""

from __future__ import annotations

import json
from typing import Any

from support.helpers import store_for
from support.seeding import load_copies

from ghstore import Store
from ghstore.emulator import EmulatorServer
from ghstore.github.issues import LISTING_WINDOW
from ghstore.processor import Processor

ADD_COMMENT = """mutation($s: ID!, $b: String!) {
  addComment(input: {subjectId: $s, body: $b}) { commentEdge { node { id } } } }"""


async def listed(store: Store) -> tuple[list[Any], int, int]:
    before = store.stats.snapshot()
    objects = [o async for o in store.list()]
    requests, points = store.stats.snapshot()
    return objects, requests - before[0], points - before[1]


async def test_a_page_of_100_objects_with_short_histories_is_one_request_of_12_points(
    store: Store, server: EmulatorServer
) -> None:
    template = await store.create("template", {"n": 0})
    load_copies(
        server.emulator, "acme/data", template, dict.fromkeys(f"o{n:02}" for n in range(99))
    )
    objects, requests, points = await listed(store)
    assert len(objects) == 100
    # the issues, their labels and comments (100 + 100 + 1), a reactors list a comment (1,000)
    assert (requests, points) == (1, round((1 + 100 + 100 + 100 * 10) / 100))


async def test_long_histories_are_read_again_in_one_request_and_list_exactly_as_before(
    store: Store, server: EmulatorServer, github: Any
) -> None:
    await store.create("short", {"n": 0})
    await store.create("settled", {"n": 0})
    await store.create("mixed", {"n": 0})
    await store.create("longest", {"n": 0})
    async with store.unit_of_work() as uow:
        for n in range(12):
            uow.update("settled", {"n": n + 1})
            uow.update("mixed", {"n": n + 1})
        for n in range(95):
            uow.update("longest", {"n": n + 1})
        await uow.commit()
    settled = await store.get("settled")
    await Processor(store).process(settled.meta.issue_number)
    mixed = await store.get("mixed")
    outsider = json.dumps({"_data": {"n": -1}, "_meta": {"update_mode": "append"}})
    await github.data("eve", ADD_COMMENT, s=mixed.meta.node_id, b=outsider)  # refused
    await Processor(store).process(mixed.meta.issue_number)
    await store.update("mixed", {"late": True})  # pending
    objects, requests, _ = await listed(store)
    # the page; the three long histories read again; the longest one's older comments, back to
    # the processor's mark 96 comments back (as every listing reads them)
    assert requests == 3
    before = store_for(server)
    before.issues.first_look = LISTING_WINDOW  # every page reads 90 comments of each object
    try:
        as_before, _, _ = await listed(before)
    finally:
        await before.close()
    assert objects == as_before
    by_id = {o.meta.object_id: o for o in objects}
    assert by_id["longest"].data == {"n": 95}
    assert by_id["mixed"].data == {"n": 12, "late": True}
    assert by_id["mixed"].meta.pending_updates == 1
    assert by_id["settled"].meta.version == 13
    assert [o.meta for o in objects] == [(await store.get(i)).meta for i in by_id]


async def test_get_get_many_and_list_read_as_far_back_and_report_one_version(
    store: Store, github: Any
) -> None:
    """A refused comment older than the newest 90 (the window every read takes, the
    processor's too) is counted alike by every read: get, get_many, list and the processor
    agree on the version."""
    made = await store.create("deep", {"n": 0})
    outsider = json.dumps({"_data": {"n": -1}, "_meta": {"update_mode": "append"}})
    await github.data("eve", ADD_COMMENT, s=made.meta.node_id, b=outsider)  # refused
    async with store.unit_of_work() as uow:
        for n in range(95):
            uow.update("deep", {"n": n + 1})
        await uow.commit()
    await Processor(store).process(made.meta.issue_number)

    got = await store.get("deep")
    (many,) = (await store.get_many(["deep"])).objects
    (listed_one,) = [o async for o in store.list() if o.meta.object_id == "deep"]
    assert got.data == many.data == listed_one.data == {"n": 95}
    assert got.meta.version == many.meta.version == listed_one.meta.version

    # the processor reads as far: an update written against that version is applied
    await store.update("deep", {"n": 96}, expected_version=got.meta.version)
    await Processor(store).process(made.meta.issue_number)
    assert (await store.get("deep")).data == {"n": 96}
    assert [e.status for e in await store.history("deep")][-1] == "applied"
