"""The command line's reads of many objects: `get ID ID ...` (get_many) and
`list --collection NAME --where PATH OP VALUE` (find), on the embedded local GitHub."""

from __future__ import annotations

from support.helpers import Cli


def test_get_of_several_ids_prints_each_found_object_and_the_missing_ids_then_exits_1(
    cli: Cli,
) -> None:
    assert cli("create", "a", '{"x": 1}').code == 0
    assert cli("create", "b", '{"x": 2}').code == 0
    both = cli("get", "b", "a")
    assert both.code == 0, both
    assert {k: v["data"] for k, v in both.json()["objects"].items()} == {
        "b": {"x": 2},
        "a": {"x": 1},
    }
    assert both.json()["missing"] == []
    some = cli("get", "a", "nobody", "ghost")
    assert some.code == 1
    assert list(some.json()["objects"]) == ["a"]
    assert some.json()["missing"] == ["nobody", "ghost"]
    assert "2 of 3 IDs not found: nobody, ghost" in some.err


def test_get_of_one_id_prints_the_object_as_before(cli: Cli) -> None:
    assert cli("create", "a", '{"x": 1}').code == 0
    assert cli("get", "a").json()["data"] == {"x": 1}
