"""Writing the site: all of it into a fresh folder beside DIR, then swapped in, so DIR holds
either the previous site or the new one, never half of one.

DIR must be absent, empty, or a previous ghstore site (it holds the MARKER file); anything
else is refused untouched, so `--output` pointed at the wrong folder destroys nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .._version import __version__
from ..exceptions import SiteError

__all__ = ["MARKER", "write_site"]

MARKER = ".ghstore-site"
"""The file that makes a folder a ghstore site (its content says which ghstore wrote it)."""


def _check_target(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise SiteError(f"--output {target}: is a file, not a folder")
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise SiteError(
            f"--output {target}: the folder holds files that are not a ghstore site (no "
            f"{MARKER} file); name an empty or new folder, or a previous site"
        )


def write_site(target: Path, files: Mapping[str, str]) -> int:
    """Write `files` (relative path -> text) as the folder `target`, replacing a previous
    site there; the bytes written."""
    _check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        size = 0
        for relative, content in {**files, MARKER: _marker()}.items():
            path = fresh / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8")
            path.write_bytes(data)
            size += len(data)
        os.chmod(fresh, 0o755)  # mkdtemp's folder is private; a site is for reading
        _swap(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return size


def _swap(fresh: Path, target: Path) -> None:
    """`fresh` becomes `target`; the previous `target` is removed once it is out of the way."""
    if not target.exists():
        fresh.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        fresh.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _marker() -> str:
    return json.dumps({"generator": "ghstore site", "version": __version__}) + "\n"
