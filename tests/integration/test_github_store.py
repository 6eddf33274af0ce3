"""GitHubStore: gh-store 0.11's synchronous API, over HTTP and on the embedded local GitHub."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.helpers import FAST_CONFIG

from ghstore import ConfigurationError, GitHubStore, ObjectNotFound, where
from ghstore.config import parse_config

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess


@pytest.fixture
def gh(served: str) -> Iterator[GitHubStore]:
    store = GitHubStore("acme/data", token="t1", api_url=served, config=parse_config(FAST_CONFIG))
    yield store
    store.close()


def test_create_get_update_and_history_through_the_synchronous_api(gh: GitHubStore) -> None:
    created = gh.create("sync-1", {"count": 1, "nested": {"a": 1}})
    assert created.data == {"count": 1, "nested": {"a": 1}}
    updated = gh.update("sync-1", {"nested": {"b": 2}})
    assert updated.data == {"count": 1, "nested": {"a": 1, "b": 2}}
    assert gh.get("sync-1").data == {"count": 1, "nested": {"a": 1, "b": 2}}
    history = gh.get_object_history("sync-1")
    assert [(h["type"], h["status"]) for h in history] == [
        ("initial_state", "applied"),
        ("update", "pending"),
    ]
    assert history[1]["data"] == {"nested": {"b": 2}}


def test_delete_then_get_raises_object_not_found(gh: GitHubStore) -> None:
    gh.create("sync-2", {"x": 1})
    gh.delete("sync-2")
    with pytest.raises(ObjectNotFound):
        gh.get("sync-2")


def test_list_all_and_list_updated_since(gh: GitHubStore) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=2)
    gh.create("sync-3", {"x": 3})
    listed = {obj.meta.object_id: obj for obj in gh.list_all()}
    assert listed["sync-3"].data == {"x": 3}
    assert "sync-3" in {obj.meta.object_id for obj in gh.list_updated_since(before)}
    assert list(gh.list_updated_since(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))) == []


async def test_the_synchronous_api_works_inside_a_running_event_loop(gh: GitHubStore) -> None:
    gh.create("sync-4", {"inside": "a loop"})
    assert gh.get("sync-4").data == {"inside": "a loop"}


def test_without_a_token_outside_actions_it_uses_the_embedded_local_github(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_ACTIONS", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    with GitHubStore("me/notes") as local:
        local.create("n1", {"text": "hello"})
    assert (tmp_path / ".ghstore" / "github.db").exists()
    with GitHubStore("me/notes") as reopened:
        assert reopened.get("n1").data == {"text": "hello"}


def test_without_a_token_inside_actions_it_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    with pytest.raises(ConfigurationError, match="GITHUB_TOKEN"):
        GitHubStore("acme/data")


def test_a_token_without_a_repository_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    with pytest.raises(ConfigurationError, match="OWNER/NAME"):
        GitHubStore(token="t1")
    assert os.environ.get("GITHUB_REPOSITORY") is None


def test_get_many_through_the_synchronous_api_reports_missing_ids_or_raises(
    gh: GitHubStore,
) -> None:
    gh.create("sync-many-1", {"n": 1})
    gh.create("sync-many-2", {"n": 2})
    gh.update("sync-many-2", {"n": 3})  # pending: folded in, as get folds it
    before = gh.stats.requests
    found = gh.get_many(["sync-many-2", "sync-many-nobody", "sync-many-1"])
    assert gh.stats.requests - before == 1
    assert [o.data for o in found.objects] == [{"n": 3}, {"n": 1}]
    assert found.missing == ["sync-many-nobody"]
    assert found.objects == [gh.get("sync-many-2"), gh.get("sync-many-1")]
    with pytest.raises(ObjectNotFound, match="sync-many-nobody"):
        gh.get_many(["sync-many-1", "sync-many-nobody"], missing="raise")


def test_find_and_count_through_the_synchronous_api(gh: GitHubStore) -> None:
    gh.create("sync-find-1", {"sync_find": 1})
    gh.create("sync-find-2", {"sync_find": 2, "tags": ["x"]})
    assert [o.meta.object_id for o in gh.find(None, where("sync_find") >= 2)] == ["sync-find-2"]
    assert gh.count(None, sync_find=1) == 1
    assert gh.count(None, where("tags").contains("x"), sync_find=2) == 1
