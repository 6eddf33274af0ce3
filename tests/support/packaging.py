"""ghstore as it ships: the sdist and wheel `python -m build` makes of this tree (offline,
with the setuptools installed beside this Python), the action's pinned files in a local
wheelhouse, and "ghstore's repository at a commit" as the action sees it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from support.foreign import built_once, exclusive

__all__ = ["ACTION_DIR", "ROOT", "build_dist", "repository_at_commit", "wheelhouse"]

ROOT = Path(__file__).resolve().parents[2]
ACTION_DIR = ".github/actions/process-updates"
ACTION_REQUIREMENTS = ROOT / ACTION_DIR / "requirements.txt"


def build_dist(out: Path) -> tuple[Path, Path]:
    """(sdist, wheel) of this tree, built without network access (one build of the tree at a
    time: the build writes build/ and *.egg-info/ inside it)."""
    with exclusive(ROOT / ".cache" / "build.lock"):
        _build(out)
    (sdist,) = out.glob("ghstore-*.tar.gz")
    (wheel,) = out.glob("ghstore-*.whl")
    return sdist, wheel


def _build(out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )


def wheelhouse() -> Path:
    """The files the action's requirements pin, for this platform, in `.cache/` (downloaded
    once, with their hashes checked; later runs are offline)."""
    digest = hashlib.sha256(ACTION_REQUIREMENTS.read_bytes()).hexdigest()[:16]
    folder = ROOT / ".cache" / f"wheelhouse-{digest}"

    def download() -> None:
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "download", "--quiet", "--require-hashes"),
                *("--no-deps", "--only-binary", ":all:", "-r", str(ACTION_REQUIREMENTS)),
                *("-d", str(folder)),
            ],
            check=True,
            timeout=600,
        )

    return built_once(folder, {"requirements": digest}, download)


def repository_at_commit(sdist: Path, into: Path) -> Path:
    """ghstore's repository as the runner fetches it for `uses: .../process-updates@COMMIT`:
    the sdist's tree with the action's folder."""
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    (tree,) = into.glob("ghstore-*")
    shutil.copytree(ROOT / ACTION_DIR, tree / ACTION_DIR)
    return tree
