"""`make bench` runs, and its exact counts meet the cost targets (times are only printed)."""

from __future__ import annotations

import pytest
from bench.ghstore_side import measure
from bench.scale import measure_scale, scale_table

pytestmark = pytest.mark.slow  # runs the benchmarks


async def test_the_benchmark_counts_meet_the_cost_targets() -> None:
    rows = {r.operation: r for r in await measure(0.0, {"process": [1, 50], "list": [100]})}
    assert set(rows) >= {"create", "get", "update", "process K=1", "process K=50", "list N=100"}
    assert rows["get"].requests == 1 and rows["get"].points <= 2
    assert rows["create"].requests <= 4  # the id's claim, the issue, its labels, its marks
    assert rows["update"].requests <= 2
    assert rows["process K=50"].requests == 3  # lock+read, body, then the marks
    assert rows["UnitOfWork of 20 updates"].requests == 1
    assert rows["20 single updates"].requests == 20
    # a page of 100 objects with their labels, newest 90 comments and the marks on them
    page_points = round((1 + 100 + 100 + 100 * 90) / 100)
    assert rows["list N=100"].requests == 1 and rows["list N=100"].points == page_points


async def test_the_scale_table_counts_requests_points_and_sql_rows_at_each_size() -> None:
    rows = {(r.operation, r.objects): r for r in await measure_scale([10, 20, 30], repeats=1)}
    assert set(rows) == {(op, n) for op in ("get", "snapshot", "sweep") for n in (10, 20, 30)}
    for n in (10, 20, 30):
        assert rows["get", n].requests == 1 and rows["snapshot", n].requests == 1
    # a get reads the same rows whatever the repository holds; a snapshot the same per object
    assert rows["get", 10].sql_rows == rows["get", 30].sql_rows > 0
    assert rows["sweep", 10].sql_rows == rows["sweep", 30].sql_rows > 0
    step = rows["snapshot", 20].sql_rows - rows["snapshot", 10].sql_rows
    assert step > 0 and rows["snapshot", 30].sql_rows - rows["snapshot", 20].sql_rows == step
    # a page's SQL queries do not grow with the objects on it (batched across the page)
    assert rows["snapshot", 10].sql_queries == rows["snapshot", 30].sql_queries > 0
    lines = scale_table(list(rows.values()))
    assert any(line.startswith("snapshot") and line.split()[1] == "30" for line in lines)
