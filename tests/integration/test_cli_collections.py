"""The command line and collections: `create --collection`, `list --collection`, `schema
MODULE:CLASS`, a processor enforcing a collection's JSON Schema from `--config`, and one
version and pending count across get, list and snapshot."""

from __future__ import annotations

import json

from support.helpers import Cli

SCHEMA_CONFIG = """store:
  rate_limit:
    mutation_interval: 0
  collections:
    people:
      schema:
        type: object
        properties:
          name: {type: string}
          age: {type: integer}
        required: [name]
"""


def test_create_with_collection_puts_the_object_in_it_and_list_narrows_to_it(
    served_cli: Cli,
) -> None:
    made = served_cli.served("create", "cli-ann", '{"name": "Ann"}', "--collection", "members")
    assert made.code == 0, made
    assert made.json()["meta"]["collection"] == "members"
    served_cli.served("create", "cli-other", '{"x": 1}')
    listed = served_cli.served("list", "--collection", "members")
    assert listed.code == 0, listed
    assert list(listed.json()) == ["cli-ann"]


def test_get_list_snapshot_report_one_version_and_pending_count(served_cli: Cli) -> None:
    assert served_cli.served("create", "cli-meta", '{"v": 0}').code == 0
    served_cli.served("update", "cli-meta", '{"v": 1}')  # not processed: one update pending
    got = served_cli.served("get", "cli-meta").json()
    listed = served_cli.served("list").json()["cli-meta"]
    snap = served_cli.served("snapshot", "--output", "-").json()["objects"]["cli-meta"]
    expected = (2, 1, {"v": 1})
    for reported in (got, listed, snap):
        meta = reported["meta"]
        assert (meta["version"], meta["pending_updates"], reported["data"]) == expected
    assert got["meta"] == listed["meta"]


def test_the_processor_enforces_a_collection_schema_from_config(served_cli: Cli) -> None:
    served_cli.config.write_text(SCHEMA_CONFIG)
    made = served_cli.served(
        "create", "cli-bo", '{"name": "Bo", "age": 30}', "--collection", "people"
    )
    assert made.code == 0, made
    number = made.json()["meta"]["issue_number"]
    served_cli.served("update", "cli-bo", '{"age": "old"}')
    served_cli.served("update", "cli-bo", '{"age": 31}')
    run = served_cli.served("process-updates", "--issue", str(number))
    assert run.code == 0, run
    (report,) = run.json()["reports"]
    assert len(report["applied"]) == 1
    (rejected,) = report["rejected"]
    assert "$.age" in rejected["reason"] and "'old' is not of type 'integer'" in rejected["reason"]
    assert served_cli.served("get", "cli-bo").json()["data"] == {"name": "Bo", "age": 31}
    history = served_cli.served("history", "cli-bo").json()
    assert [(h["status"], h["data"]) for h in history[1:]] == [
        ("rejected", {"age": "old"}),
        ("applied", {"age": 31}),
    ]


def test_schema_prints_the_json_schema_of_an_attrs_class(cli: Cli) -> None:
    (cli.folder / "models.py").write_text(
        "from attrs import define\n\n@define\nclass User:\n    name: str\n    age: int = 0\n"
    )
    result = cli("schema", "models:User")
    assert result.code == 0, result
    schema = json.loads(result.out)
    assert schema["properties"] == {"name": {"type": "string"}, "age": {"type": "integer"}}
    assert schema["required"] == ["name"] and schema["additionalProperties"] is False


def test_schema_of_something_that_cannot_be_imported_is_one_line(cli: Cli) -> None:
    result = cli("schema", "nowhere:User")
    assert result.code == 1
    assert result.err.splitlines() == [
        "ghstore schema: error: cannot import 'nowhere': No module named 'nowhere'"
    ]
