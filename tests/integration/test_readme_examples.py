"""Every Python block of README.md runs as written: each as its own program, in an empty
folder with no GitHub variables set (so: on the embedded local GitHub), with warnings shown.
It must exit 0 and print no traceback and no "Unclosed" warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.examples import Block, code_blocks
from support.helpers import python_in

pytestmark = pytest.mark.slow  # one interpreter per block

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = code_blocks(README, "python")


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_a_readme_python_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    done = python_in(tmp_path, "-X", "dev", "-W", "default", "-c", block.code)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "nclosed" not in done.stderr, done.stderr
