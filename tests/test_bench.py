"""`make bench` runs, and its exact counts meet the cost targets (times are only printed)."""

from __future__ import annotations

from ghstore.bench.ghstore_side import measure


async def test_the_benchmark_counts_meet_the_cost_targets() -> None:
    rows = {r.operation: r for r in await measure(0.0, {"process": [1, 50], "list": [100]})}
    assert rows["get"].requests == 1 and rows["get"].points <= 2
    assert rows["create"].requests <= 3
    assert rows["update"].requests <= 2
    assert rows["process K=50"].requests == 2
    assert rows["UnitOfWork of 20 updates"].requests == 1
    assert rows["20 single updates"].requests == 20
    listed = next(r for name, r in rows.items() if name.startswith("list N="))
    assert listed.requests == 2 and listed.points == 2  # 122 objects: ceil(122 / 100)
