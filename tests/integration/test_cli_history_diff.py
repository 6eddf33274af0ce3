"""`ghstore history ID --diff` and GitHubStore.timeline against a `ghstore emulator serve`
subprocess: an object with an applied, a refused and a pending update, each shown with who,
when, why and what it changed. The expected text is written from the scenario; only the
timestamps (GitHub's clock) are read from the plain history."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.helpers import FAST_CONFIG, Cli

from ghstore import GitHubStore
from ghstore.config import parse_config
from ghstore.domain.timeline import FieldChange

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess

OUTSIDER = "author eve (NONE) is not authorized"


def fresh(prefix: str) -> str:
    """An object id no other test in the module uses (the served GitHub lives per module)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def three_kinds_of_update(cli: Cli) -> tuple[str, list[str]]:
    """Created by acme; an update by acme applied by a processor run; one by eve, an
    outsider, refused; one by acme pending. (object id, the four comments' timestamps)."""
    book = fresh("dune")
    made = cli.served("create", book, '{"title": "Dune", "meta": {"year": 1965, "draft": true}}')
    assert made.code == 0, made
    number = made.json()["meta"]["issue_number"]
    assert cli.served("update", book, '{"meta": {"year": 1966}}').code == 0
    assert cli.served("process-updates", "--issue", str(number)).code == 0
    assert cli.served("update", book, '{"title": "Spam"}', user="eve").code == 1
    assert cli.served("update", book, '{"pages": 412}').code == 0
    history = cli.served("history", book)
    assert history.code == 0, history
    return book, [entry["timestamp"] for entry in history.json()]


def test_history_diff_shows_an_applied_a_refused_and_a_pending_update_as_text(
    served_cli: Cli,
) -> None:
    book, (created, applied, refused, pending) = three_kinds_of_update(served_cli)
    result = served_cli.served("history", book, "--diff")
    assert result.code == 0, result
    assert result.out == (
        f"{book}: 4 steps\n"
        f"{created}  acme (OWNER)  created\n"
        '  + meta: {"year": 1965, "draft": true}\n'
        '  + title: "Dune"\n'
        f"{applied}  acme (OWNER)  applied\n"
        '  sent: {"meta": {"year": 1966}}\n'
        "  ~ meta.year: 1965 -> 1966\n"
        f"{refused}  eve (NONE)  refused: {OUTSIDER}\n"
        '  sent: {"title": "Spam"}\n'
        "  (state unchanged)\n"
        f"{pending}  acme (OWNER)  pending (not processed yet)\n"
        '  sent: {"pages": 412}\n'
        "  + pages: 412\n"
    )


def test_history_diff_json_carries_before_after_and_changes_of_each_step(
    served_cli: Cli, tmp_path: Path
) -> None:
    book, _ = three_kinds_of_update(served_cli)
    result = served_cli.served("history", book, "--diff", "--json")
    assert result.code == 0, result
    timeline = result.json()
    settled = {"title": "Dune", "meta": {"year": 1966, "draft": True}}
    steps = timeline["steps"]
    assert [(s["type"], s["status"], s["author"], s["association"]) for s in steps] == [
        ("initial_state", "applied", "acme", "OWNER"),
        ("update", "applied", "acme", "OWNER"),
        ("update", "rejected", "eve", "NONE"),
        ("update", "pending", "acme", "OWNER"),
    ]
    assert steps[1]["before"] == {"title": "Dune", "meta": {"year": 1965, "draft": True}}
    assert steps[1]["after"] == settled
    assert steps[1]["changes"] == [
        {
            "op": "changed",
            "path": ["meta", "year"],
            "path_text": "meta.year",
            "before": 1965,
            "after": 1966,
        }
    ]
    assert steps[2]["reason"] == OUTSIDER and steps[2]["changes"] == []
    assert steps[2]["data"] == {"title": "Spam"} and steps[2]["after"] == settled
    assert steps[3]["after"] == timeline["current"] == {**settled, "pages": 412}
    assert timeline["stored"] == settled and timeline["mismatch"] == []

    into = tmp_path / "timeline.json"
    assert served_cli.served("history", book, "--diff", "--output", str(into)).code == 0
    assert json.loads(into.read_text(encoding="utf-8")) == timeline


@pytest.fixture
def sync_stores(served: str) -> Iterator[tuple[GitHubStore, GitHubStore]]:
    config = parse_config(FAST_CONFIG)
    acme = GitHubStore("acme/data", token="t1", api_url=served, config=config)
    eve = GitHubStore("acme/data", token="t3", api_url=served, config=config)
    yield acme, eve
    acme.close()
    eve.close()


def test_the_sync_api_gives_the_same_timeline(
    sync_stores: tuple[GitHubStore, GitHubStore],
) -> None:
    acme, eve = sync_stores
    book = fresh("sync")
    created = acme.create(book, {"title": "Dune", "meta": {"year": 1965, "draft": True}})
    acme.update(book, {"meta": {"year": 1966}}, remove=[("meta", "draft")])
    acme.process_updates(created.meta.issue_number)
    eve.update(book, {"title": "Spam"})
    acme.update(book, {"pages": 412})

    timeline = acme.timeline(book)
    settled = {"title": "Dune", "meta": {"year": 1966}}
    first, applied, refused, pending = timeline.steps
    assert first.after == {"title": "Dune", "meta": {"year": 1965, "draft": True}}
    assert (applied.entry.status, applied.entry.removals) == ("applied", (("meta", "draft"),))
    assert applied.changes == (
        FieldChange("removed", ("meta", "draft"), True, None),
        FieldChange("changed", ("meta", "year"), 1965, 1966),
    )
    assert (refused.entry.status, refused.reason, refused.after) == (
        "rejected",
        OUTSIDER,
        settled,
    )
    assert pending.entry.status == "pending" and pending.after == {**settled, "pages": 412}
    assert timeline.current == acme.get(book).data == pending.after
