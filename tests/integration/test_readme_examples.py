"""Every Python block of README.md runs as written: each as its own program, in an empty
folder with no GitHub variables set (so: on the embedded local GitHub), with warnings shown.
It must exit 0 and print no traceback and no "Unclosed" warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.examples import Block, code_blocks

pytestmark = pytest.mark.slow  # one interpreter per block

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = code_blocks(README, "python")


def test_the_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_a_readme_python_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "default", "-c", block.code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "nclosed" not in done.stderr, done.stderr
