"""GitHubStore behaves as gh-store 0.11.3's does where its users rely on it: `list_all` and
`list_updated_since` iterate, `process_updates(n)` settles an object and returns it,
`create(..., extra_labels=...)` labels the issue, metadata times are datetimes,
`max_concurrent_updates` is honoured, and the connection is released without any
"Unclosed" warning in every documented use."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.helpers import FAST_CONFIG, python_in

from ghstore import ConcurrentUpdateError, GitHubStore, GitHubStoreError, InvalidUpdate
from ghstore.config import parse_config

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess


def sync_store(url: str, token: str) -> GitHubStore:
    return GitHubStore("acme/data", token=token, api_url=url, config=parse_config(FAST_CONFIG))


@pytest.fixture
def gh(served: str) -> Iterator[GitHubStore]:
    """The owner."""
    with sync_store(served, "t1") as store:
        yield store


@pytest.fixture
def bob(served: str) -> Iterator[GitHubStore]:
    """A collaborator: his updates count, and nothing processes them on a served GitHub."""
    with sync_store(served, "t2") as store:
        yield store


def test_list_all_is_an_iterator_of_stored_objects(gh: GitHubStore) -> None:
    gh.create("parity-list", {"n": 1})
    listed = gh.list_all()
    assert iter(listed) is listed
    found = [obj for obj in listed if obj.meta.object_id == "parity-list"]
    assert [obj.data for obj in found] == [{"n": 1}]


def test_process_updates_settles_the_object_and_returns_it(
    gh: GitHubStore, bob: GitHubStore
) -> None:
    made = gh.create("parity-process", {"n": 1, "keep": True})
    bob.update("parity-process", {"n": 2})
    settled = gh.process_updates(made.meta.issue_number)
    assert settled.data == {"n": 2, "keep": True}
    assert (settled.meta.state, settled.meta.pending_updates) == ("CLOSED", 0)
    assert gh.get("parity-process", include_pending=False).data == {"n": 2, "keep": True}


def test_process_updates_of_a_missing_issue_says_so(gh: GitHubStore) -> None:
    with pytest.raises(
        GitHubStoreError, match="Could not resolve to an Issue with the number of 9999"
    ):
        gh.process_updates(9999)


def test_extra_labels_go_on_the_issue_beside_the_store_s_own(gh: GitHubStore, served: str) -> None:
    one = gh.create("parity-labels-1", {"n": 1}, extra_labels="vip")
    two = gh.create("parity-labels-2", {"n": 1}, extra_labels=["vip", "team:red"])
    assert set(labels_of(served, one.meta.issue_number)) == {
        "gh-store",
        "stored-object",
        "UID:parity-labels-1",
        "vip",
    }
    assert set(labels_of(served, two.meta.issue_number)) == {
        "gh-store",
        "stored-object",
        "UID:parity-labels-2",
        "vip",
        "team:red",
    }
    assert gh.get("parity-labels-2").data == {"n": 1}


def labels_of(url: str, number: int) -> list[str]:
    """The labels of issue `number` of acme/data, asked over HTTP as the owner."""
    query = """query($n: Int!) { repository(owner: "acme", name: "data") {
      issue(number: $n) { labels(first: 20) { nodes { name } } } } }"""
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query, "variables": {"n": number}}).encode(),
        headers={"Authorization": "bearer t1", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        nodes = json.load(answer)["data"]["repository"]["issue"]["labels"]["nodes"]
    return [node["name"] for node in nodes]


@pytest.mark.parametrize(
    ("label", "says"),
    [("", "not a label name"), ("x" * 51, "longer than"), ("stored-object", "store's own")],
    ids=["empty", "too-long", "own"],
)
def test_an_extra_label_that_cannot_be_is_refused_before_anything_is_sent(
    gh: GitHubStore, label: str, says: str
) -> None:
    before = gh.stats.requests
    with pytest.raises(InvalidUpdate, match=says):
        gh.create("parity-bad-label", {"n": 1}, extra_labels=[label])
    assert gh.stats.requests == before


def test_metadata_times_are_aware_utc_datetimes(gh: GitHubStore) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=1)
    made = gh.create("parity-times", {"n": 1})
    for meta in (made.meta, gh.get("parity-times").meta):
        assert isinstance(meta.created_at, dt.datetime)
        assert meta.created_at.tzinfo is not None
        assert start <= meta.created_at <= meta.updated_at
    listed = next(o for o in gh.list_all() if o.meta.object_id == "parity-times")
    assert listed.meta.created_at == made.meta.created_at


def test_more_updates_waiting_than_max_concurrent_updates_is_refused(
    gh: GitHubStore, bob: GitHubStore
) -> None:
    gh.create("parity-queue", {"n": 0})
    for n in range(1, 4):  # gh-store's default, 2: the third waiting update is the last
        bob.update("parity-queue", {"n": n})
    with pytest.raises(ConcurrentUpdateError, match="3 updates waiting"):
        bob.update("parity-queue", {"n": 4})
    assert bob.get("parity-queue").data == {"n": 3}


def test_a_closed_store_refuses_further_calls(served: str) -> None:
    store = sync_store(served, "t1")
    store.close()
    store.close()  # a second close does nothing
    with pytest.raises(Exception, match="closed"):
        store.get("anything")


# Each use makes its own object, OBJ (a name no other case or test uses), so the cases are
# independent: any order, any worker, any subset.
DOCUMENTED_USES = {
    "never closed": """
        store = GitHubStore(repo="acme/data", token="t1", api_url=URL)
        store.create(OBJ, {"n": 1}); store.update(OBJ, {"n": 2}); print(store.get(OBJ).data)
    """,
    "context manager": """
        with GitHubStore(repo="acme/data", token="t1", api_url=URL) as store:
            store.create(OBJ, {"n": 1}); print(list(store.list_all())[0].data)
    """,
    "closed": """
        store = GitHubStore(repo="acme/data", token="t1", api_url=URL)
        store.create(OBJ, {"n": 1}); store.get(OBJ); store.close()
    """,
    "dropped in a function": """
        def use():
            store = GitHubStore(repo="acme/data", token="t1", api_url=URL)
            store.create(OBJ, {"n": 1})
            return store.get(OBJ).data
        print(use()); import gc; gc.collect()
    """,
    "listing abandoned half-way": """
        store = GitHubStore(repo="acme/data", token="t1", api_url=URL)
        store.create(OBJ, {"n": 1}); store.create(OBJ + "-2", {"n": 2})
        for obj in store.list_all():
            break
    """,
}


@pytest.mark.parametrize("use", list(DOCUMENTED_USES), ids=list(DOCUMENTED_USES))
def test_no_unclosed_warning_from_any_documented_use(served: str, tmp_path: Path, use: str) -> None:
    object_id = "unclosed-" + use.replace(" ", "-").replace("-half-way", "")
    script = "import warnings; warnings.simplefilter('default')\n"
    script += f"from ghstore import GitHubStore\nURL = {served!r}\nOBJ = {object_id!r}\n"
    script += textwrap.dedent(DOCUMENTED_USES[use])
    done = python_in(tmp_path, "-X", "dev", "-c", script)
    assert done.returncode == 0, done.stderr
    assert "Unclosed" not in done.stderr and "unclosed" not in done.stderr, done.stderr
