"""`Repository.object(expression:)` on the local GitHub: files of the default branch are
Blobs (text, size, git's blob id), an absent file is null, and what is not emulated (other
revisions, trees, commits) says so. Real HTTP to the emulator on a loopback port."""

from __future__ import annotations

import hashlib
from typing import Any

from ghstore.emulator import Emulator

OBJECT = """
query($expression: String!) {
  repository(owner: "acme", name: "data") {
    object(expression: $expression) {
      __typename
      ... on Blob { text byteSize isBinary isTruncated oid abbreviatedOid }
    }
  }
}"""
CONFIG = "store:\n  base_label: things\n"


async def test_a_file_of_the_default_branch_is_a_blob_with_its_text(
    github: Any, emulator: Emulator
) -> None:
    emulator.put_file("acme/data", ".github/ghstore.yml", CONFIG)
    data = await github.data("acme", OBJECT, expression="HEAD:.github/ghstore.yml")
    blob = data["repository"]["object"]
    git_id = hashlib.sha1(b"blob %d\0%s" % (len(CONFIG), CONFIG.encode())).hexdigest()
    assert blob == {
        "__typename": "Blob",
        "text": CONFIG,
        "byteSize": len(CONFIG),
        "isBinary": False,
        "isTruncated": False,
        "oid": git_id,
        "abbreviatedOid": git_id[:7],
    }
    by_branch = await github.data("acme", OBJECT, expression="main:.github/ghstore.yml")
    assert by_branch == data


async def test_an_absent_file_is_null(github: Any) -> None:
    data = await github.data("acme", OBJECT, expression="HEAD:.github/ghstore.yml")
    assert data["repository"]["object"] is None


async def test_a_binary_file_has_no_text(github: Any, emulator: Emulator) -> None:
    emulator.put_file("acme/data", "logo.png", b"\x89PNG\r\n\x1a\n\x00\xff")
    blob = (await github.data("acme", OBJECT, expression="HEAD:logo.png"))["repository"]["object"]
    assert (blob["isBinary"], blob["text"]) == (True, None)


async def test_another_revision_or_a_tree_is_not_emulated(github: Any, emulator: Emulator) -> None:
    emulator.put_file("acme/data", ".github/ghstore.yml", CONFIG)
    for expression in ("v1.0:.github/ghstore.yml", "HEAD", "HEAD:.github"):
        result = await github.raw("acme", OBJECT, expression=expression)
        assert result.data["repository"]["object"] is None
        assert [e["type"] for e in result.errors] == ["NOT_EMULATED"], expression
