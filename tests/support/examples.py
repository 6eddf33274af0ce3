"""Fenced code blocks of a Markdown file, with the heading they sit under: the README's and
the spec's examples, run as tests."""

from __future__ import annotations

import re
from pathlib import Path

from attrs import frozen

__all__ = ["Block", "code_blocks"]

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


@frozen
class Block:
    """One fenced block: its language, its text, and the heading above it."""

    language: str
    code: str
    heading: str
    line: int

    @property
    def name(self) -> str:
        """`heading:line`, a test id."""
        return f"{self.heading}:{self.line}"


def code_blocks(path: Path, language: str | None = None) -> list[Block]:
    """The fenced blocks of `path` (only those of `language` when given), in order."""
    text = path.read_text(encoding="utf-8")
    headings = [(m.start(), m.group(1).strip()) for m in _HEADING.finditer(text)]
    blocks = []
    for match in _FENCE.finditer(text):
        if language is not None and match.group(1) != language:
            continue
        above = [h for start, h in headings if start < match.start()]
        line = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(match.group(1), match.group(2), above[-1] if above else "", line))
    return blocks
