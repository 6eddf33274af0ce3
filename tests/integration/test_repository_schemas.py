"""Record types declared once, in the repository: `.github/ghstore.yml` maps collections to
JSON Schema (inline, or a file in the repository), and a processor given no `--config`
enforces it -- over HTTP, against `ghstore emulator serve --file`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from support.helpers import PEOPLE, TOKENS, Cli, emulator_process

pytestmark = pytest.mark.slow  # a `ghstore emulator serve` subprocess

REPOSITORY_CONFIG = """store:
  collections:
    users:
      schema:
        type: object
        properties:
          name: {type: string}
          age: {type: integer}
        required: [name]
    books:
      schema_file: schemas/book.json
"""
BOOK_SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}}


@pytest.fixture(scope="module")
def served_repository(tmp_path_factory: Any) -> Iterator[str]:
    """The local GitHub whose acme/data holds .github/ghstore.yml and schemas/book.json."""
    folder = tmp_path_factory.mktemp("repo")
    (folder / "ghstore.yml").write_text(REPOSITORY_CONFIG)
    (folder / "book.json").write_text(json.dumps(BOOK_SCHEMA))
    files = [
        f".github/ghstore.yml={folder / 'ghstore.yml'}",
        f"schemas/book.json={folder / 'book.json'}",
    ]
    with emulator_process(*PEOPLE, files=files) as (url, _):
        yield url


def run(cli: Cli, url: str, *argv: str) -> Any:
    """A subcommand on the served GitHub as its owner, with no --config."""
    result = cli(*argv, "--api-url", url, "--token", TOKENS["acme"], "--repo", "acme/data")
    assert result.code == 0, result
    return result


def test_a_schema_in_the_repository_config_is_enforced_by_a_processor_given_no_config(
    cli: Cli, served_repository: str
) -> None:
    oid = f"u-{uuid.uuid4().hex[:8]}"
    made = run(cli, served_repository, "create", oid, '{"name": "Bo"}', "--collection", "users")
    number = made.json()["meta"]["issue_number"]
    cli.url = served_repository
    cli.served("update", oid, '{"age": "old"}')
    cli.served("update", oid, '{"age": 31}')
    processed = run(cli, served_repository, "process-updates", "--issue", str(number))
    (report,) = processed.json()["reports"]
    assert len(report["applied"]) == 1
    (refused,) = report["rejected"]
    assert "$.age" in refused["reason"]
    assert "'old' is not of type 'integer'" in refused["reason"]
    assert run(cli, served_repository, "get", oid).json()["data"] == {"name": "Bo", "age": 31}


def test_a_schema_file_in_the_repository_is_read_and_enforced(
    cli: Cli, served_repository: str
) -> None:
    oid = f"b-{uuid.uuid4().hex[:8]}"
    made = run(cli, served_repository, "create", oid, '{"title": "Dune"}', "--collection", "books")
    number = made.json()["meta"]["issue_number"]
    cli.url = served_repository
    cli.served("update", oid, '{"title": 7}')
    processed = run(cli, served_repository, "process-updates", "--issue", str(number))
    (report,) = processed.json()["reports"]
    (refused,) = report["rejected"]
    assert "$.title" in refused["reason"]
    assert run(cli, served_repository, "get", oid).json()["data"] == {"title": "Dune"}
