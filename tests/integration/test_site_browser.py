"""The site as a person sees it: `ghstore site` output opened from disk (file://) in headless
Chromium (support.chromium, over the DevTools protocol). The index lists the objects and its
links open their pages; a diff is shown; a refused update is marked and its reason visible; a
pending one is marked; markup in ids, data, logins and reasons is text (no element injected,
no dialog, no exception); no page throws or logs an error; the filter box narrows the index,
which works without script too. The demo's data site is screenshotted into .cache/."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.chromium import Chromium, ChromiumMissing, Page, read_png
from support.helpers import python_in

from ghstore.bootstrap import embedded_people, embedded_store
from ghstore.config import parse_config
from ghstore.processor import Processor
from ghstore.site import page_name

pytestmark = pytest.mark.slow  # a browser, and `ghstore` processes

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / ".cache" / "site-screenshot.png"
INDEX_SCREENSHOT = ROOT / ".cache" / "site-index-screenshot.png"
REPO = "acme/audit"
SCRIPT_ID = "<script>alert(1)</script>"
IMG_ID = '"><img src=x onerror=alert(7)>'
HOSTILE_LOGIN = "<img src=x onerror=alert(6)>"
CONFIG = {
    "store": {
        "authorized": {"associations": ["OWNER", "COLLABORATOR"]},
        "collections": {
            "people": {"schema": {"type": "object", "properties": {"age": {"type": "integer"}}}}
        },
    }
}
PEOPLE = {
    "bob": ("audit-bob", "collaborator"),
    "eve": ("audit-eve", "none"),
    HOSTILE_LOGIN: ("audit-hostile", "collaborator"),
}


async def _seed(folder: Path) -> None:
    """dune: applied, refused and pending updates; two objects whose ids, data, author and
    a pending refusal's reason hold markup."""
    owner = embedded_store(folder / ".ghstore", REPO, parse_config(CONFIG))
    bob, eve, hostile = embedded_people(owner, PEOPLE)
    try:
        await owner.create("dune", {"title": "Dune", "copies": 1}, collection="books")
        await bob.update("dune", {"copies": 2, "tags": ["sf"]})
        await eve.update("dune", {"copies": 0})
        data = {"name": "<script>alert(2)</script>", "bio": '"><img src=x onerror=alert(3)>'}
        await owner.create(SCRIPT_ID, {**data, "<b>key</b>": "v", "age": 1}, collection="people")
        await hostile.update(SCRIPT_ID, {"note": "</pre><img src=x onerror=alert(4)>"})
        await owner.create(IMG_ID, {"x": "<svg onload=alert(8)>"})
        await Processor(owner).process_all()
        await bob.update("dune", {"copies": 4})  # pending
        await bob.update(SCRIPT_ID, {"age": "<script>alert(5)</script>"})  # pending, will fail
    finally:
        for store in (owner, bob, eve, hostile):
            await store.close()
        if owner.embedded is not None:
            owner.embedded.close()


def _ghstore_site(folder: Path, *config: str) -> None:
    argv = ["-m", "ghstore", "--local", "--repo", REPO, *config, "site", "--output", "site"]
    done = python_in(folder, *argv)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def audit_site(tmp_path_factory: Any) -> Path:
    """The audit store's site folder."""
    folder = tmp_path_factory.mktemp("audit")
    asyncio.run(_seed(folder))
    (folder / "config.yml").write_text(json.dumps(CONFIG))
    _ghstore_site(folder, "--config", "config.yml")
    return folder / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    try:
        with Chromium.launch() as running:
            yield running
    except ChromiumMissing as exc:
        pytest.fail(str(exc))  # never a skip: the site must be seen to be tested


@pytest.fixture
def page(browser: Chromium) -> Iterator[Page]:
    opened = browser.new_page()
    try:
        yield opened
    finally:
        opened.close()
    assert opened.exceptions == [], opened.exceptions
    assert opened.console_errors == [], opened.console_errors
    assert opened.dialogs == [], opened.dialogs


def _url(site: Path, relative: str = "index.html") -> str:
    return (site / relative).as_uri()


def _visible(page: Page, selector: str) -> bool:
    script = (
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " if (!e) return false; const r = e.getBoundingClientRect();"
        " return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })()"
    )
    return bool(page.evaluate(script))


def _texts(page: Page, selector: str) -> list[str]:
    script = f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent)"
    found: list[str] = page.evaluate(script)
    return found


def test_the_index_lists_every_object_and_its_links_open_their_pages(
    audit_site: Path, page: Page
) -> None:
    page.goto(_url(audit_site))
    assert sorted(_texts(page, "#objects tbody td.id")) == sorted(["dune", SCRIPT_ID, IMG_ID])
    for object_id in ("dune", SCRIPT_ID, IMG_ID):
        page.goto(_url(audit_site))
        page.click(f'a[href="objects/{page_name(object_id)}"]')
        assert page.evaluate("location.href") == _url(audit_site, f"objects/{page_name(object_id)}")
        assert page.evaluate("document.querySelector('h1').textContent") == object_id
        page.click('a[href="../index.html"]')
        assert page.evaluate("location.href") == _url(audit_site)


def test_an_applied_update_shows_its_diff(audit_site: Path, page: Page) -> None:
    page.goto(_url(audit_site, f"objects/{page_name('dune')}"))
    rows = page.evaluate(
        "[...document.querySelectorAll('#step-2 table.diff tbody tr')]"
        ".map(r => [...r.cells].map(c => c.textContent))"
    )
    assert rows == [["changed", "copies", "1", "2"], ["added", "tags", "", '["sf"]']]
    assert _visible(page, "#step-2 table.diff")
    assert _texts(page, "#step-2 .badge") == ["applied"]


def test_a_refused_update_is_marked_and_its_reason_visible(audit_site: Path, page: Page) -> None:
    page.goto(_url(audit_site, f"objects/{page_name('dune')}"))
    refused = "li.step[data-status=rejected]"
    assert _texts(page, f"{refused} .badge") == ["refused"]
    assert _texts(page, f"{refused} .reason") == ["Refused: author eve (NONE) is not authorized"]
    assert _visible(page, f"{refused} .reason")
    assert _visible(page, f"{refused} details pre"), "what was refused is in view"
    colour = page.evaluate(f"getComputedStyle(document.querySelector('{refused}')).borderLeftColor")
    assert colour == "rgb(207, 34, 46)"
    assert page.evaluate("JSON.parse(document.querySelector('#current').textContent)") == {
        "title": "Dune",
        "copies": 4,
        "tags": ["sf"],
    }


def test_a_pending_update_is_marked_on_its_page_and_counted_in_the_index(
    audit_site: Path, page: Page
) -> None:
    page.goto(_url(audit_site))
    pending = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#objects tbody tr')]"
        ".map(r => [r.dataset.id, r.querySelector('.pending-count').textContent]))"
    )
    assert pending == {"dune": "1", SCRIPT_ID: "1", IMG_ID: "0"}
    page.goto(_url(audit_site, f"objects/{page_name('dune')}"))
    assert _texts(page, "li.step[data-status=pending] .badge") == ["pending"]
    assert _visible(page, "li.step[data-status=pending] .note")
    assert _texts(page, "li.step[data-status=pending] table.diff td.after") == ["4"]


def test_markup_in_ids_data_logins_and_reasons_renders_as_text(
    audit_site: Path, page: Page
) -> None:
    for relative in ("index.html", *(f"objects/{page_name(i)}" for i in (SCRIPT_ID, IMG_ID))):
        page.goto(_url(audit_site, relative))
        counts = page.evaluate(
            "({img: document.querySelectorAll('img').length,"
            " svg: document.querySelectorAll('svg').length,"
            " b: document.querySelectorAll('b').length,"
            " scripts: document.querySelectorAll('script').length,"
            " handlers: [...document.querySelectorAll('*')].filter("
            "   e => [...e.attributes].some(a => a.name.startsWith('on'))).length})"
        )
        scripts = 1 if relative == "index.html" else 0  # the filter box's own
        assert counts == {"img": 0, "svg": 0, "b": 0, "scripts": scripts, "handlers": 0}
    page.goto(_url(audit_site, f"objects/{page_name(SCRIPT_ID)}"))
    text = page.evaluate("document.body.innerText")
    for literal in (
        SCRIPT_ID,
        "<script>alert(2)</script>",
        '"><img src=x onerror=alert(3)>',
        "<b>key</b>",
        "</pre><img src=x onerror=alert(4)>",
        HOSTILE_LOGIN,
    ):
        assert literal in text, literal
    reasons = _texts(page, "li.step[data-status=pending] .reason")
    assert len(reasons) == 1 and "<script>alert(5)</script>" in reasons[0]
    assert "is not of type 'integer'" in reasons[0]


def test_the_filter_box_narrows_the_index_and_the_index_works_without_script(
    audit_site: Path, page: Page
) -> None:
    page.goto(_url(audit_site))
    assert _visible(page, "#filter")
    visible = (
        "(q => { const box = document.getElementById('filter'); box.value = q;"
        " box.dispatchEvent(new Event('input'));"
        " return [...document.querySelectorAll('#objects tbody tr')]"
        ".filter(r => !r.hidden).map(r => r.dataset.id); })"
    )
    assert page.evaluate(f"{visible}('dun')") == ["dune"]
    assert len(page.evaluate(f"{visible}('')")) == 3
    page.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(_url(audit_site))
    page.send("Emulation.setScriptExecutionDisabled", {"value": False})
    assert not _visible(page, "#filter"), "no script: no box that does nothing"
    assert len(_texts(page, "#objects tbody tr")) == 3


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: Any) -> Path:
    """The site of `ghstore demo`'s data (its local GitHub kept in .ghstore/)."""
    folder = tmp_path_factory.mktemp("demo")
    both = (  # `ghstore demo --dir .ghstore`, then `ghstore --local ... site`, in one process
        "from ghstore.cli.main import main\n"
        "assert main(['demo', '--dir', '.ghstore']) == 0\n"
        "assert main(['--local', '--repo', 'acme/library', 'site', '--output', 'site']) == 0\n"
    )
    done = python_in(folder, "-c", both)
    assert done.returncode == 0, done.stderr
    return folder / "site"


def test_the_demos_site_is_screenshotted_and_shows_its_refusals(
    demo_site: Path, page: Page
) -> None:
    page.goto(_url(demo_site))
    assert sorted(_texts(page, "#objects tbody td.id")) == ["dune", "emma"]
    INDEX_SCREENSHOT.parent.mkdir(exist_ok=True)
    INDEX_SCREENSHOT.write_bytes(page.screenshot(1200, 500))
    page.click('a[href="objects/dune.html"]')
    assert _texts(page, "li.step .badge") == ["applied", "applied", "refused"]
    assert "eve (NONE) is not authorized" in _texts(page, "li.step .reason")[0]
    png = page.screenshot(1200, 1300)
    SCREENSHOT.write_bytes(png)
    header = read_png(png)
    assert (header.width, header.height) == (1200, 1300)
    stats = page.pixel_stats(png)
    assert (stats["width"], stats["height"]) == (1200, 1300)
    assert stats["colours"] > 50, stats  # text, badges, the diff's colours: not a blank page
    assert stats["inked"] > 1200 * 1300 // 50, stats
