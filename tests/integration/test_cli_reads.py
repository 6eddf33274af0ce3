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


def test_list_where_keeps_the_objects_every_condition_holds_for(cli: Cli) -> None:
    for object_id, data in (
        ("ann", '{"age": 31, "address": {"city": "Paris"}}'),
        ("ben", '{"age": 17, "address": {"city": "Paris"}}'),
        ("cat", '{"age": 45, "address": {"city": "Lyon"}}'),
    ):
        assert cli("create", object_id, data, "--collection", "people").code == 0
    assert cli("create", "dog", '{"age": 50}').code == 0
    adults = cli("list", "--collection", "people", "--where", "age", ">=", "18")
    assert adults.code == 0, adults
    assert sorted(adults.json()) == ["ann", "cat"]
    both = cli(
        "list", "--collection", "people",
        "--where", "age", ">=", "18", "--where", "address.city", "=", "Paris",
    )  # fmt: skip
    assert list(both.json()) == ["ann"]
    listed = cli("list", "--where", "address.city", "in", '["Lyon", "Rome"]')
    assert list(listed.json()) == ["cat"]


def test_list_where_with_a_bad_operator_or_path_or_value_is_a_clear_error(cli: Cli) -> None:
    assert cli("create", "ann", '{"name": "Ann"}').code == 0
    bad_op = cli("list", "--where", "age", "=>", "18")
    assert bad_op.code == 2
    assert "unknown operator '=>'" in bad_op.err
    bad_path = cli("list", "--where", "a..b", "=", "1")
    assert bad_path.code == 2
    assert "'a..b' is not a path" in bad_path.err
    incomparable = cli("list", "--where", "name", ">", "5")
    assert incomparable.code == 1
    assert "the value at 'name' of object 'ann' is a string" in incomparable.err
