"""Card pictures: render time by size, and how late the event loop runs while they render.

* `leaderboard card, N rows`: `render_leaderboard` (draw + PNG) with every cache cleared
  first (laid-out text, decoded avatars): the first render of a new board. A `warm` row
  repeats one board (the weekly ritual: the same names and avatars come back). The note
  gives the CPU time per render too: wall time doubles when others share the two cores.
* `personal card`, `money-flow card`: the other kinds, cold.
* `event loop lag`: a ticker asks to wake every millisecond while 25-row boards render
  through `render_leaderboard_async` (in the worker process); each sample is how late it
  woke. For contrast, the same with the renders called on the loop.

`python -m bench.cards [--quick]` runs this section alone; `python -m bench` includes it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bench.stats import Result
from bot.cards import (
    default_fonts,
    render_leaderboard,
    render_leaderboard_async,
    render_money_flow,
    render_personal,
    samples,
)
from bot.cards.render import clear_caches
from bot.cards.worker import clear_worker_caches

RENDER_P50_MAX_MS = 100.0  # 25 rows, cold
LOOP_LAG_P99_MAX_MS = 10.0  # while rendering off the loop
TICK_S = 0.001


def timed_renders(name: str, render: Callable[[], bytes], n: int, *, cold: bool) -> Result:
    """Wall time per render, plus the CPU time it used (steadier on a shared machine)."""
    latencies = []
    cpu = []
    size = 0
    for _ in range(n):
        if cold:
            clear_caches()
        begin, begin_cpu = time.perf_counter(), time.thread_time()
        size = len(render())
        latencies.append(time.perf_counter() - begin)
        cpu.append(time.thread_time() - begin_cpu)
    cpu_p50 = statistics.median(cpu) * 1000
    result = Result(
        name,
        n,
        sum(latencies),
        latencies,
        note=f"CPU p50 {cpu_p50:.1f} ms, PNG {size / 1024:.0f} KiB",
    )
    result.extra.update(png_bytes=size, cpu_p50_ms=round(cpu_p50, 3))
    return result


async def loop_lag(renders: int, *, off_loop: bool) -> tuple[list[float], float]:
    """How late a 1 ms ticker wakes while `renders` 25-row boards render; and their time."""
    card = samples.leaderboard(25)
    lags: list[float] = []
    running = True

    async def ticker() -> None:
        while running:
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            lags.append(time.perf_counter() - before - TICK_S)

    if off_loop:
        await render_leaderboard_async(card)  # the worker process is up and warm
    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    lags.clear()
    begin = time.perf_counter()
    for _ in range(renders):
        if off_loop:
            await clear_worker_caches()
            await render_leaderboard_async(card)
        else:
            clear_caches()
            render_leaderboard(card)
            await asyncio.sleep(0)
    seconds = time.perf_counter() - begin
    running = False
    await task
    return lags, seconds


async def card_benchmarks(quick: bool) -> list[Result]:
    n = 15 if quick else 150
    default_fonts().warm_up()  # as the bot does at start-up
    for rows in (1, 10, 25):  # first renders load fonts and emoji: not measured
        render_leaderboard(samples.leaderboard(rows))
    results = [
        timed_renders(
            f"leaderboard card, {rows} rows",
            partial(render_leaderboard, samples.leaderboard(rows)),
            n,
            cold=True,
        )
        for rows in (1, 10, 25)
    ]
    board = partial(render_leaderboard, samples.leaderboard(25))
    results.append(timed_renders("leaderboard card, 25 rows, warm", board, n, cold=False))
    personal = partial(render_personal, samples.personal())
    results.append(timed_renders("personal card", personal, n, cold=True))
    flow = partial(render_money_flow, samples.money_flow())
    results.append(timed_renders("money-flow card", flow, n, cold=True))

    renders = 10 if quick else 60
    for off_loop in (True, False):
        lags, seconds = await loop_lag(renders if off_loop else 3, off_loop=off_loop)
        where = "in the worker process" if off_loop else "on the loop, for contrast"
        lag = Result(
            f"event loop lag, cards rendered {where}",
            len(lags),
            0.0,
            lags,
            note=f"max {max(lags, default=0) * 1000:.1f} ms, {renders if off_loop else 3}"
            f" 25-row renders in {seconds:.2f} s",
        )
        lag.extra["max_lag_ms"] = round(max(lags, default=0) * 1000, 3)
        results.append(lag)
    return results


def card_targets(results: list[Result]) -> list[dict[str, Any]]:
    """Render time for 25 rows and the loop's lag while cards render off it."""
    rows = {r.name: r for r in results}
    render = rows.get("leaderboard card, 25 rows")
    lag = rows.get("event loop lag, cards rendered in the worker process")
    render_p50 = render.ms(0.50) if render else None
    lag_p99 = lag.ms(0.99) if lag else None
    return [
        {
            "target": "leaderboard card p50, 25 rows (cold)",
            "wanted": f"< {RENDER_P50_MAX_MS} ms",
            "value": None if render_p50 is None else round(render_p50, 3),
            "met": None if render_p50 is None else render_p50 < RENDER_P50_MAX_MS,
        },
        {
            "target": "event loop lag p99 while cards render off it",
            "wanted": f"< {LOOP_LAG_P99_MAX_MS} ms",
            "value": None if lag_p99 is None else round(lag_p99, 3),
            "met": None if lag_p99 is None else lag_p99 < LOOP_LAG_P99_MAX_MS,
        },
    ]


def main() -> None:
    from bench.report import table  # the same table as the full benchmark

    parser = argparse.ArgumentParser(prog="python -m bench.cards", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few renders: a smoke test")
    quick = parser.parse_args().quick
    results = asyncio.run(card_benchmarks(quick))
    print(f"cards ({'quick' if quick else 'full'})")
    print(table(results))
    for target in card_targets(results):
        mark = {True: "PASS", False: "FAIL", None: "n/a "}[target["met"]]
        print(f"  {mark}  {target['target']}: {target['value']} (wanted {target['wanted']})")


if __name__ == "__main__":
    main()
