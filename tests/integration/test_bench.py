"""`make bench` runs, and its exact counts meet the cost targets (times are only printed)."""

from __future__ import annotations

import pytest
from bench.ghstore_side import measure

pytestmark = pytest.mark.slow  # runs the benchmarks


async def test_the_benchmark_counts_meet_the_cost_targets() -> None:
    rows = {r.operation: r for r in await measure(0.0, {"process": [1, 50], "list": [100]})}
    assert set(rows) >= {"create", "get", "update", "process K=1", "process K=50", "list N=100"}
    assert rows["get"].requests == 1 and rows["get"].points <= 2
    assert rows["create"].requests <= 3
    assert rows["update"].requests <= 2
    assert rows["process K=50"].requests == 2
    assert rows["UnitOfWork of 20 updates"].requests == 1
    assert rows["20 single updates"].requests == 20
    assert rows["list N=100"].requests == 1 and rows["list N=100"].points == 1
