"""The cards benchmark section runs and reports what it promises (quick mode, seconds)."""

from __future__ import annotations

import pytest

from bench.cards import card_benchmarks, card_targets

pytestmark = pytest.mark.slow  # renders ~100 cards


async def test_quick_card_benchmark_reports_sizes_lag_and_targets() -> None:
    results = {r.name: r for r in await card_benchmarks(quick=True)}
    for rows in (1, 10, 25):
        board = results[f"leaderboard card, {rows} rows"]
        assert board.n > 0 and board.extra["png_bytes"] < 1_000_000
    assert results["leaderboard card, 25 rows"].ms(0.5) > results["leaderboard card, 1 rows"].ms(
        0.5
    )
    off = results["event loop lag, cards rendered in the worker process"]
    on = results["event loop lag, cards rendered on the loop, for contrast"]
    assert off.n > on.n  # the ticker kept ticking only when the renders ran off the loop
    assert off.extra["max_lag_ms"] < on.extra["max_lag_ms"]
    targets = card_targets(list(results.values()))
    assert [t["met"] is not None for t in targets] == [True, True]
