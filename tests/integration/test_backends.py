"""The same round trip against two backends: the local GitHub over HTTP (always), and real
GitHub (`make test-online`: only when GHSTORE_ONLINE_TOKEN and GHSTORE_ONLINE_REPO name a
token and a scratch repository it may write; otherwise skipped, and the skip says why).
Create, read, update, process, history, list and delete, with the requests each takes."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.helpers import NO_PACING, TOKENS

from ghstore import Gateway, Store
from ghstore.emulator import EmulatorServer
from ghstore.processor import Processor

ONLINE_VARIABLES = ("GHSTORE_ONLINE_TOKEN", "GHSTORE_ONLINE_REPO")


def online_settings() -> tuple[str, str] | None:
    """(token, OWNER/NAME) of the scratch repository on real GitHub, if both are set."""
    token, repo = (os.environ.get(name, "") for name in ONLINE_VARIABLES)
    return (token, repo) if token and repo else None


@pytest.fixture(params=["local", pytest.param("online", marks=pytest.mark.online)])
async def backend(request: Any, server: EmulatorServer) -> AsyncIterator[Store]:
    """A Store on the local GitHub over HTTP (`server`), or on real GitHub."""
    if request.param == "online":
        settings = online_settings()
        if settings is None:
            pytest.skip(
                "online backend SKIPPED: set GHSTORE_ONLINE_TOKEN and GHSTORE_ONLINE_REPO "
                "(a token that may write issues in a scratch repository) to run against GitHub"
            )
        token, repo = settings
        store = Store(repo, Gateway(token=token))
        yield store
        await store.close()
        return
    store = Store(
        "acme/data", Gateway(token=TOKENS["acme"], api_url=server.url, rate_limit=NO_PACING)
    )
    yield store
    await store.close()


async def test_an_object_round_trips_through_update_and_processing(backend: Store) -> None:
    oid = f"rt-{uuid.uuid4().hex[:10]}"
    created = await backend.create(oid, {"name": "Ada", "tags": ["a"]})
    try:
        await backend.update(oid, {"tags": ["a", "b"], "age": 36})
        pending = await backend.get(oid)
        assert pending.data == {"name": "Ada", "tags": ["a", "b"], "age": 36}
        assert pending.meta.pending_updates == 1
        before = backend.stats.requests
        report = await Processor(backend).process(created.meta.issue_number)
        assert (len(report.applied), report.rejected) == (1, [])
        assert backend.stats.requests - before == 3  # lock+read, body, then the marks
        settled = await backend.get(oid, include_pending=False)
        assert settled.data == {"name": "Ada", "tags": ["a", "b"], "age": 36}
        # The initial state (history shows it as applied) and the update.
        statuses = [entry.status for entry in await backend.history(oid)]
        assert statuses == ["applied", "applied"]
        assert oid in [obj.meta.object_id async for obj in backend.list()]
    finally:
        await backend.delete(oid)
