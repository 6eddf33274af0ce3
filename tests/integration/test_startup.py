"""CLI start-up: nothing is imported or built that the command does not use, and GitHub's
schema is built once and then read from a cache checked against the shipped schema."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from graphql import GraphQLString, introspection_from_schema
from support.helpers import python_in

from ghstore.emulator.graphql import schema as schema_module

pytestmark = pytest.mark.slow

HEAVY = ("aiohttp", "ghstore.emulator.engine", "ghstore.emulator.server")
NOT_FOR_GET = (
    "aiohttp",
    "gql",
    "anyio",
    "multidict",
    "yaml",
    "cattrs",
    "jsonschema",
    "tarfile",
    "ghstore.processor",
    "ghstore.store.writes",
    "ghstore.emulator.server",
    "ghstore.emulator.transport",
    "ghstore.emulator.rest.api",
    "ghstore.site",
)
"""What `ghstore get` on the embedded store has no use for: HTTP and gql (the embedded wire
hands the emulator the request's body), YAML and cattrs (no config file, no record class),
JSON Schema, the processor, the write engine, the emulator's HTTP server and REST face, the
site's builder."""
GET_CLI_MODULES = {
    "ghstore.cli",
    "ghstore.cli.main",
    "ghstore.cli.arguments",
    "ghstore.cli.commands",
    "ghstore.cli.canonical_commands",
    "ghstore.cli.record_commands",
    "ghstore.cli.connection",
    "ghstore.cli.actions_env",
    "ghstore.cli.deploy",
    "ghstore.cli.workflow_report",
    "ghstore.cli.site_command",
}
"""The CLI modules `ghstore get` loads: the parser's and the command's own, nothing else (a
new subcommand imports its module when it runs)."""


def _modules_after(code: str, cwd: Path, modules: tuple[str, ...] = HEAVY) -> dict[str, bool]:
    """Run `code` in a fresh interpreter; which of `modules` it imported."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {modules!r}}}))"
    )
    done = python_in(cwd, "-c", probe)
    assert done.returncode == 0, done.stderr
    result: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _loaded_by(code: str, cwd: Path) -> set[str]:
    """Every module `code` leaves imported in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = python_in(cwd, "-c", probe)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def stored_alice(tmp_path: Path) -> Path:
    """A folder whose embedded local GitHub holds the object `alice`."""
    created = python_in(tmp_path, "-m", "ghstore", "create", "alice", '{"age": 1}')
    assert created.returncode == 0, created.stderr
    return tmp_path


GET_ALICE = "from ghstore.cli.main import main\nassert main(['get', 'alice']) == 0"


def test_ghstore_get_on_the_embedded_store_loads_nothing_it_does_not_use(
    stored_alice: Path,
) -> None:
    loaded = _loaded_by(GET_ALICE, stored_alice)
    assert "ghstore.emulator.engine" in loaded, "the embedded store runs the emulator"
    assert not loaded & set(NOT_FOR_GET), sorted(loaded & set(NOT_FOR_GET))
    cli = {m for m in loaded if m.startswith("ghstore.cli")}
    assert cli <= GET_CLI_MODULES, sorted(cli - GET_CLI_MODULES)


def test_ghstore_process_updates_loads_the_processor_when_it_runs(stored_alice: Path) -> None:
    code = "from ghstore.cli.main import main\nassert main(['process-updates', '--all']) == 0"
    loaded = _modules_after(code, stored_alice, ("ghstore.processor", "gql"))
    assert loaded == {"ghstore.processor": True, "gql": False}


def test_importing_the_store_loads_neither_gql_the_processor_nor_yaml(tmp_path: Path) -> None:
    code = "from ghstore import connect, Store"
    loaded = _modules_after(code, tmp_path, ("gql", "ghstore.processor", "yaml", "cattrs"))
    assert not any(loaded.values()), loaded


def test_a_config_file_loads_yaml_and_a_record_class_loads_cattrs(tmp_path: Path) -> None:
    (tmp_path / "c.yml").write_text("store:\n  retries:\n    max_attempts: 2\n")
    code = (
        "import attrs\nfrom ghstore.config import load_config\n"
        "from ghstore.records import structure\n"
        "assert load_config('c.yml').store.retries.max_attempts == 2\n"
        "@attrs.define\nclass P:\n    n: int\n"
        "assert structure({'n': 1}, P) == P(1)"
    )
    assert _modules_after(code, tmp_path, ("yaml", "cattrs")) == {"yaml": True, "cattrs": True}


def test_import_ghstore_loads_neither_aiohttp_nor_the_emulator(tmp_path: Path) -> None:
    loaded = _modules_after("import ghstore", tmp_path)
    assert not any(loaded.values()), loaded


def test_the_cli_entry_loads_neither_aiohttp_nor_the_emulator(tmp_path: Path) -> None:
    loaded = _modules_after("from ghstore.cli.main import build_parser\nbuild_parser()", tmp_path)
    assert not any(loaded.values()), loaded


def test_a_store_for_github_does_not_load_the_emulator(tmp_path: Path) -> None:
    code = "import ghstore\nghstore.connect('acme/data', token='t')"
    loaded = _modules_after(code, tmp_path)
    assert loaded["aiohttp"], "a store for GitHub talks HTTP"
    assert not loaded["ghstore.emulator.engine"], loaded


def test_a_command_on_the_embedded_store_does_not_load_aiohttp(tmp_path: Path) -> None:
    code = (
        "from ghstore.cli.main import main\n"
        "assert main(['create', 'alice', '{\"age\": 1}']) == 0\n"
        "assert main(['get', 'alice']) == 0"
    )
    loaded = _modules_after(code, tmp_path)
    assert loaded["ghstore.emulator.engine"], "the embedded store runs the emulator"
    assert not loaded["aiohttp"] and not loaded["ghstore.emulator.server"], loaded


def test_the_ghstore_command_exits_with_its_code_and_all_its_output(tmp_path: Path) -> None:
    def ghstore(*argv: str) -> subprocess.CompletedProcess[str]:
        return python_in(tmp_path, "-m", "ghstore", *argv)

    assert ghstore("create", "alice", '{"age": 1}').returncode == 0
    got = ghstore("get", "alice")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["data"] == {"age": 1}
    missing = ghstore("get", "nobody")
    assert missing.returncode == 1
    assert "nobody" in missing.stderr


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The schema cache in a folder of this test's own."""
    paths = [tmp_path / "beside" / "github-schema.pickle", tmp_path / "home" / "schema.pickle"]
    monkeypatch.setattr(schema_module, "cache_paths", lambda: paths)
    return paths


def _fresh_schema() -> object:
    return schema_module.github_schema.__wrapped__()  # type: ignore[attr-defined]


def test_the_built_schema_is_cached_beside_the_shipped_one_and_read_back(
    private_cache: list[Path],
) -> None:
    built = _fresh_schema()
    assert private_cache[0].exists() and not private_cache[1].exists()
    cached = _fresh_schema()
    assert cached is not built
    assert sorted(cached.type_map) == sorted(built.type_map)  # type: ignore[attr-defined]


def test_a_cache_of_another_schema_is_rebuilt(private_cache: list[Path]) -> None:
    _fresh_schema()
    data = private_cache[0].read_bytes()
    private_cache[0].write_bytes(b"0" * 64 + b"\n" + data[65:])  # another key, same pickle
    _fresh_schema()
    assert private_cache[0].read_bytes() == data


def test_a_damaged_cache_is_rebuilt(private_cache: list[Path]) -> None:
    _fresh_schema()
    data = private_cache[0].read_bytes()
    private_cache[0].write_bytes(data[:65] + b"not a pickle")
    schema = _fresh_schema()
    assert "Issue" in schema.type_map  # type: ignore[attr-defined]
    assert private_cache[0].read_bytes() == data


def test_an_unwritable_package_folder_caches_in_the_user_cache_folder(
    private_cache: list[Path],
) -> None:
    private_cache[0].parent.write_text("a file where the folder would be")
    _fresh_schema()
    assert private_cache[1].exists()
    assert "Issue" in _fresh_schema().type_map  # type: ignore[attr-defined]


def test_the_cached_schema_answers_introspection_as_the_built_one(
    private_cache: list[Path],
) -> None:
    built = _fresh_schema()
    cached = _fresh_schema()
    assert introspection_from_schema(cached) == introspection_from_schema(built)  # type: ignore[arg-type]
    assert cached.type_map["String"] is GraphQLString  # type: ignore[attr-defined]


def test_the_command_line_loads_with_the_collector_paused_then_runs_with_it_on(
    tmp_path: Path,
) -> None:
    code = (
        "import gc, sys\n"
        "import ghstore.cli.main\n"
        "cli = sys.modules['ghstore.cli.main']\n"
        "cli.run = lambda: print(gc.isenabled(), gc.get_freeze_count() > 0) or sys.exit(0)\n"
        "gc.unfreeze()\n"
        "from ghstore.__main__ import start\n"
        "start()"
    )
    done = python_in(tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
