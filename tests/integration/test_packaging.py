"""ghstore as it ships: `python -m build` makes an sdist and a wheel that carry the queries,
the schema, the workflow template and py.typed; `twine check` passes; the metadata has an
SPDX licence and project URLs; the action's requirements pin every dependency by hash."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from support.packaging import ROOT

pytestmark = pytest.mark.slow  # builds the sdist and the wheel

QUERIES = sorted(p.name for p in (ROOT / "queries").glob("*.graphql"))
SHIPPED = [
    "ghstore/py.typed",
    "ghstore/cli/templates/process_update.yml",
    "ghstore/emulator/data/github-schema.json.gz",
    "ghstore/emulator/data/LICENSE-octokit-graphql-schema.md",
    *(f"ghstore/queries/{name}" for name in QUERIES),
]


def test_the_wheel_carries_queries_schema_template_and_py_typed(
    ghstore_dist: tuple[Path, Path],
) -> None:
    names = set(zipfile.ZipFile(ghstore_dist[1]).namelist())
    assert len(QUERIES) > 20
    assert [name for name in SHIPPED if name not in names] == []
    assert not [name for name in names if name.endswith(".pickle")], "a local cache shipped"


def test_the_sdist_carries_them_too(ghstore_dist: tuple[Path, Path]) -> None:
    with tarfile.open(ghstore_dist[0]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [name for name in [*SHIPPED, "LICENSE", "pyproject.toml"] if name not in names] == []


def test_twine_check_passes(ghstore_dist: tuple[Path, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, ghstore_dist)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_the_metadata_has_an_spdx_licence_and_project_urls(
    ghstore_dist: tuple[Path, Path],
) -> None:
    with zipfile.ZipFile(ghstore_dist[1]) as wheel:
        (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = wheel.read(name).decode()
    assert "License-Expression: MIT" in metadata
    assert "\nLicense:" not in metadata, "the table form setuptools deprecates"
    urls = re.findall(r"^Project-URL: (\w+), (https://\S+)$", metadata, re.MULTILINE)
    assert {label for label, _ in urls} >= {"Homepage", "Source", "Issues"}


def _pinned(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of a hash-pinned requirements file."""
    text = path.read_text().replace("\\\n", " ")
    pinned = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spec, *hashes = line.split("--hash=")
        requirement = Requirement(spec.strip())
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", line
        pinned[requirement.name.lower().replace("_", "-")] = (specifier.version, len(hashes))
    return pinned


def _needed(name: str, seen: set[str]) -> set[str]:
    """`name` and everything it requires at run time here (no extras but gql's aiohttp)."""
    key = name.lower().replace("_", "-")
    if key in seen:
        return seen
    seen.add(key)
    for text in distribution(name).requires or []:
        requirement = Requirement(text)
        extra_only = requirement.marker and "extra" in str(requirement.marker)
        wanted = not extra_only or (key == "gql" and "aiohttp" in str(requirement.marker))
        if wanted and (requirement.marker is None or extra_only or requirement.marker.evaluate()):
            _needed(requirement.name, seen)
    return seen


def test_the_action_pins_every_dependency_by_hash_at_the_tested_versions() -> None:
    pinned = _pinned(ROOT / ".github" / "actions" / "process-updates" / "requirements.txt")
    needed = _needed("ghstore", set()) - {"ghstore"}
    assert needed - set(pinned) == set(), "dependencies the action would not install"
    assert "setuptools" in pinned, "what builds ghstore from the action's files"
    for name in needed:
        version, hashes = pinned[name]
        assert hashes >= 1, name
        assert distribution(name).version == version, f"{name}: tested here at another version"


def test_the_release_tools_are_pinned_by_hash() -> None:
    pinned = _pinned(ROOT / ".github" / "release-requirements.txt")
    assert {"build", "twine", "setuptools"} <= set(pinned)
    assert all(hashes >= 1 for _, hashes in pinned.values())
