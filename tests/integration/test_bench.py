"""`make bench` runs, and its exact counts meet the cost targets (times are only printed)."""

from __future__ import annotations

import pytest
from bench.ghstore_side import measure

pytestmark = pytest.mark.slow  # runs the benchmarks


async def test_the_benchmark_counts_meet_the_cost_targets() -> None:
    rows = {r.operation: r for r in await measure(0.0, {"process": [1, 50], "list": [100]})}
    assert set(rows) >= {"create", "get", "update", "process K=1", "process K=50", "list N=100"}
    assert rows["get"].requests == 1 and rows["get"].points <= 2
    assert rows["create"].requests <= 4  # the id's claim, the issue, its labels, its marks
    assert rows["update"].requests <= 2
    assert rows["process K=50"].requests == 2
    assert rows["UnitOfWork of 20 updates"].requests == 1
    assert rows["20 single updates"].requests == 20
    # a page of 100 objects with their labels, newest 90 comments and the marks on them
    page_points = round((1 + 100 + 100 + 100 * 90) / 100)
    assert rows["list N=100"].requests == 1 and rows["list N=100"].points == page_points
