"""The site's pages from a page model built by hand: every string from the store is text, never
markup (parsed back with html.parser: no element the data did not come from us); links are
relative and point at files the site has; refused and pending steps are marked; the site is
written whole or not at all, and never over a folder that is not a previous site."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ghstore.site import MARKER, ObjectPage, SiteError, SiteModel, StepView, site_files, write_site
from ghstore.site.model import ChangeRow
from ghstore.site.names import page_name

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', "</pre><b>bold</b>"]


class Elements(HTMLParser):
    """The elements and attributes a page holds, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.hrefs: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self.hrefs += [v for k, v in attrs if k == "href" and v is not None]

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def parsed(html: str) -> Elements:
    elements = Elements()
    elements.feed(html)
    return elements


def step(number: int, status: str, **fields: Any) -> StepView:
    values: dict[str, Any] = {
        "when": f"2026-01-0{number}T00:00:00Z",
        "who": "bob",
        "association": "COLLABORATOR",
        "kind": "update",
        "reason": None,
        "sent": {"age": number},
        "changes": (ChangeRow("changed", "age", number - 1, number),),
    }
    values.update(fields)
    return StepView(number=number, status=status, **values)


def obj(object_id: str, *steps: StepView, **fields: Any) -> ObjectPage:
    values: dict[str, Any] = {
        "collection": "people",
        "issue_number": 1,
        "version": 2,
        "state": "CLOSED",
        "pending": 0,
        "current": {"age": 2},
    }
    values.update(fields)
    return ObjectPage(object_id, page_name(object_id), steps=steps, **values)


def model(*objects: ObjectPage) -> SiteModel:
    return SiteModel("acme/data", "2026-01-09T00:00:00Z", objects, requests=2, points=3)


def hostile_site() -> SiteModel:
    steps = [
        step(1, "applied", kind="initial_state", who=HOSTILE[1], sent={HOSTILE[0]: HOSTILE[1]}),
        step(2, "rejected", reason=f"$.age: {HOSTILE[0]!r} is not of type 'integer'"),
        step(
            3,
            "pending",
            association=HOSTILE[2],
            changes=(ChangeRow("added", HOSTILE[2], None, HOSTILE[0]),),
        ),
    ]
    objects = [
        obj(text, *steps, current={HOSTILE[0]: HOSTILE[1], "x": HOSTILE[2]}, pending=1)
        for text in HOSTILE
    ]
    return model(*objects)


def test_markup_in_ids_data_logins_and_reasons_is_text_on_every_page() -> None:
    files = site_files(hostile_site())
    for path, html in files.items():
        if not path.endswith(".html"):
            continue
        elements = parsed(html)
        allowed = {"script"} if path == "index.html" else set()
        assert {"img", "b"} & set(elements.tags) == set(), path
        assert set(elements.tags) & {"script"} <= allowed, path
        assert elements.tags.count("script") == len(allowed), path
        assert not any(name.startswith("on") for name, _ in elements.attrs), path
        text = "".join(elements.texts)
        if path != "index.html":
            for hostile in HOSTILE:
                assert hostile in text, (path, hostile)


def test_the_index_links_every_object_to_its_page_relatively() -> None:
    site = model(obj("a/b"), obj("a_b"), obj("Alice"), obj(".."))
    files = site_files(site)
    hrefs = parsed(files["index.html"]).hrefs
    assert sorted(hrefs) == sorted(f"objects/{page_name(i)}" for i in ("a/b", "a_b", "Alice", ".."))
    for href in hrefs:
        assert href in files and not href.startswith(("/", "http"))
        assert parsed(files[href]).hrefs == ["../index.html"]


def test_the_index_lists_the_most_recent_change_first_then_by_id() -> None:
    old = obj("b-old", step(1, "applied"))
    new = obj("a-new", step(1, "applied"), step(5, "applied"))
    refused_only = obj("c", step(9, "rejected", reason="no"))
    order = [p.object_id for p in model(old, refused_only, new).ordered()]
    assert order == ["a-new", "b-old", "c"]


def test_refused_steps_are_marked_and_explained_and_pending_ones_marked() -> None:
    site = model(
        obj(
            "x",
            step(1, "applied"),
            step(2, "rejected", reason="author eve (NONE) is not authorized"),
            step(3, "pending"),
            pending=1,
        )
    )
    page = site_files(site)[f"objects/{page_name('x')}"]
    assert 'class="step rejected" data-status="rejected"' in page
    assert "Refused: author eve (NONE) is not authorized" in page
    assert 'class="step pending" data-status="pending"' in page
    assert "1 update(s) pending" in page
    index = site_files(site)["index.html"]
    assert '<span class="badge pending">1</span>' in index


def test_the_only_script_is_allowed_by_the_pages_policy_and_nothing_loads() -> None:
    files = site_files(model(obj("x", step(1, "applied"))))
    for path, html in files.items():
        if path.endswith(".html"):
            assert "default-src 'none'" in html and "img-src 'none'" in html
            assert "http://" not in html and "https://" not in html, path
    assert "script-src 'sha256-" in files["index.html"]
    assert "script-src 'none'" in files[f"objects/{page_name('x')}"]


def test_json_is_pretty_printed_as_text() -> None:
    page = site_files(model(obj("x", current={"a": [1, {"b": "<c>"}]})))[
        f"objects/{page_name('x')}"
    ]
    assert json.dumps({"a": [1, {"b": "&lt;c&gt;"}]}, indent=2).replace('"', "&quot;") in page


def test_a_new_folder_gets_the_site_and_its_marker(tmp_path: Path) -> None:
    target = tmp_path / "site"
    size = write_site(target, {"index.html": "<p>1</p>", "objects/a.html": "a"})
    assert (target / "index.html").read_text() == "<p>1</p>"
    assert json.loads((target / MARKER).read_text())["generator"] == "ghstore site"
    assert size == sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "no temporary folder left over"


def test_a_previous_site_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "site"
    write_site(target, {"index.html": "old", "objects/gone.html": "gone"})
    write_site(target, {"index.html": "new"})
    assert (target / "index.html").read_text() == "new"
    assert not (target / "objects" / "gone.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_that_is_not_a_site_is_refused_untouched(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    with pytest.raises(SiteError, match="not a ghstore site"):
        write_site(mine, {"index.html": "x"})
    assert [p.name for p in mine.iterdir()] == ["thesis.tex"]
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(SiteError, match="is a file"):
        write_site(file, {"index.html": "x"})


def test_a_failure_while_writing_leaves_the_previous_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "site"
    write_site(target, {"index.html": "old"})
    written = 0
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        nonlocal written
        written += 1
        if written == 2:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError, match="No space left"):
        write_site(target, {"index.html": "new", "objects/a.html": "a", "objects/b.html": "b"})
    monkeypatch.undo()
    assert (target / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
