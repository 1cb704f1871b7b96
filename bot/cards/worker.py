"""Async wrappers: cards are drawn in one worker process, never on the event loop.

A thread is not enough: Pillow keeps the GIL while it quantizes and compresses a card
(20-40 ms for 25 rows), and the event loop would wait that long. One spawned process
draws the cards instead, on the other core; the loop only sends the card and receives the
PNG bytes. Renders queue up in that process rather than competing for the two cores. If
the worker dies (a decoder crash on hostile image bytes, say), the next render starts a
new one and tries once more.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from bot.cards import render
from bot.cards.models import GroupCard, LeaderboardCard, MoneyFlowCard, PersonalCard

T = TypeVar("T")


class CardWorkerError(RuntimeError):
    """The worker process died twice in a row on the same card."""


class CardWorker:
    """One process that draws cards, started on first use."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """`function(*args)` in the worker process."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return await loop.run_in_executor(pool, function, *args)
            except BrokenProcessPool:
                self._discard(pool)
                if attempt == 2:
                    raise CardWorkerError("the card worker process died twice") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop the worker (the next render starts a new one)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


WORKER = CardWorker()


async def render_leaderboard_async(card: LeaderboardCard) -> bytes:
    return await WORKER.run(render.render_leaderboard, card)


async def render_personal_async(card: PersonalCard) -> bytes:
    return await WORKER.run(render.render_personal, card)


async def render_group_async(card: GroupCard) -> bytes:
    return await WORKER.run(render.render_group, card)


async def render_money_flow_async(card: MoneyFlowCard) -> bytes:
    return await WORKER.run(render.render_money_flow, card)


async def warm_up() -> None:
    """Start the worker and let it find the fonts and read their maps (call at start-up)."""
    await WORKER.run(render.warm_up)


async def clear_worker_caches() -> None:
    """The worker's next render starts cold (benchmarks)."""
    await WORKER.run(render.clear_caches)


def close_worker() -> None:
    """Stop the worker process (on shutdown; blocks until it has exited)."""
    WORKER.close()
