"""Object ids as the site's file names: one name per id, safe on every file system and in a
URL, also where names differ only in case, and never longer than a file system allows."""

from __future__ import annotations

import re
import string
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from ghstore.site.names import KEPT, MAX_PLAIN, page_name

SAFE_NAME = re.compile(r"^[a-z0-9_~-]+\.html$")


def test_ids_that_differ_only_in_unsafe_characters_get_different_names() -> None:
    ids = ["a/b", "a_b", "a-b", "a b", "a.b", "a%2fb", "a_2fb", "a\\b", "a:b"]
    names = [page_name(i) for i in ids]
    assert len(set(names)) == len(ids), dict(zip(ids, names, strict=True))


def test_ids_that_differ_only_in_case_get_names_that_differ_in_more_than_case() -> None:
    ids = ["Alice", "alice", "ALICE", "aLiCe"]
    folded = {page_name(i).lower() for i in ids}
    assert len(folded) == len(ids)


def test_dot_dot_and_dots_are_plain_names_not_paths() -> None:
    for object_id in ("..", ".", "../index", "../../etc/passwd", ".hidden"):
        name = page_name(object_id)
        assert SAFE_NAME.match(name), name
        assert "/" not in name and not name.startswith(".")
    assert page_name("..") != page_name(".")


def test_the_index_and_windows_device_names_are_never_an_objects_name() -> None:
    assert page_name("index") == "index.html"  # it lives in objects/, apart from the index
    for device in ("con", "NUL", "com1", "lpt9", "aux", "prn"):
        assert page_name(device).removesuffix(".html").lower() not in {
            "con",
            "nul",
            "com1",
            "lpt9",
            "aux",
            "prn",
        }
    assert page_name("con") != page_name("_63on")


def test_a_very_long_id_gets_a_short_name_that_still_tells_it_apart() -> None:
    long_a = "x" * 500 + "a"
    long_b = "x" * 500 + "b"
    names = {page_name(long_a), page_name(long_b)}
    assert len(names) == 2
    for name in names:
        assert len(name.encode()) <= KEPT + 1 + 32 + len(".html") < 255
    edge = "y" * MAX_PLAIN
    assert page_name(edge) == f"{edge}.html"
    assert "~" in page_name(edge + "y")


def test_unicode_and_markup_in_ids_become_safe_names() -> None:
    for object_id in ("日本語", "emoji 🎉", "<script>alert(1)</script>", '"><img src=x>', "a\x00b"):
        name = page_name(object_id)
        assert SAFE_NAME.match(name), name
        assert quote(name) == name  # nothing a URL would need to escape


@given(st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=60))
def test_different_ids_never_share_a_name_even_ignoring_case(a: str, b: str) -> None:
    if a != b:
        assert page_name(a).lower() != page_name(b).lower()


@given(st.text(alphabet=string.printable + "ÄéÆ🎉", min_size=1, max_size=400))
def test_every_name_is_safe_and_short_enough(object_id: str) -> None:
    name = page_name(object_id)
    assert SAFE_NAME.match(name), name
    assert len(name) <= max(MAX_PLAIN, KEPT + 33) + len(".html")
