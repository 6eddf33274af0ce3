"""The architecture holds: import contracts pass (and catch a wrong import), subpackages load
only what they need, and no module or function outgrows the house rules."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ghstore"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the repository's contracts, on the package found under `root`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def loaded_by(statement: str) -> set[str]:
    """Every module a fresh interpreter loads to run `statement` (python -X importtime)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(re.findall(r"\|\s+([\w.]+)$", result.stderr, flags=re.M))


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "contract"),
    [
        ("domain/format.py", "from ..store import facade", "One direction"),
        ("domain/deep_merge.py", "import aiohttp", "The rules do no I/O"),
        ("emulator/access.py", "from ..domain import deep_merge", "imports nothing of the client"),
        ("store/reads.py", "from .. import emulator", "Only the composition root"),
        ("store/identity.py", "from . import facade", "The store's parts"),
    ],
)
def test_a_wrong_import_breaks_a_contract(
    tmp_path: Path, module: str, wrong_import: str, contract: str
) -> None:
    shutil.copytree(PACKAGE, tmp_path / "ghstore", symlinks=True)
    target = tmp_path / "ghstore" / module
    text = target.read_text()
    # after the module docstring and `from __future__` (which must stay first)
    anchor = "from __future__ import annotations\n"
    assert anchor in text
    target.write_text(text.replace(anchor, f"{anchor}\n{wrong_import}  # noqa\n", 1))
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


def test_importing_the_local_github_loads_nothing_of_the_client() -> None:
    mine = {m for m in loaded_by("import ghstore.emulator") if m.startswith("ghstore")}
    client = {m for m in mine if not m.startswith("ghstore.emulator")}
    assert client <= {"ghstore", "ghstore._version"}, sorted(client)


def test_importing_the_rules_loads_no_http_or_graphql_client() -> None:
    modules = loaded_by(
        "import ghstore.domain.verdicts, ghstore.domain.large, ghstore.domain.canonical"
    )
    heavy = {m for m in modules if m.split(".")[0] in {"gql", "aiohttp", "graphql", "yarl"}}
    assert heavy == set()
    assert not any(m.startswith(("ghstore.store", "ghstore.github")) for m in modules)


def test_the_package_face_is_lazy() -> None:
    modules = loaded_by("import ghstore")
    assert not any(m.startswith(("ghstore.store", "ghstore.github", "gql")) for m in modules)


def _python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in _python_files()
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert long == {}


# Literal tables, allowed to be long (the house rule's exception).
TABLES = {"ghstore/emulator/rest/shapes.py:repo", "ghstore/emulator/rest_shapes.py:repo"}


def test_no_function_is_over_50_lines() -> None:
    long = {}
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                where = f"{path.relative_to(ROOT)}:{node.name}"
                if length > 50 and where not in TABLES:
                    long[where] = length
    assert long == {}
