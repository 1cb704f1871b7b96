"""A bot on a temporary database, driven through `bot.offline`, with per-interaction timing.

`OfflineDiscord.send` returns every request captured since it started, which mixes replies
when many interactions are in flight. `TrackingAdapter` also files each captured request
under its interaction token, so the benchmark can check that every interaction it timed got
exactly one successful (non-ephemeral) answer instead of silently timing an error path.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from discord.webhook.async_ import async_context

from bench.stats import Result
from bot.client import GiftBot, create_bot
from bot.offline import CapturedRequest, CapturingAdapter, FakeGuild, OfflineDiscord
from bot.settings import Settings

BENCH_GUILD = FakeGuild(id=1_700_000_000_000_000_001)


class BenchFailure(AssertionError):
    """A benchmarked interaction did not get the answer it should have."""


class TrackingAdapter(CapturingAdapter):
    """Captures like `CapturingAdapter` and files the requests by interaction token."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_token: dict[str, list[CapturedRequest]] = defaultdict(list)

    async def request(self, route: Any, session: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        answer = await super().request(route, session, **kwargs)
        # `CapturingAdapter.request` never awaits, so the last request captured is this one.
        # It is filed by token and dropped from the shared list (memory stays flat).
        self.by_token[str(route.webhook_token)].append(self.requests.pop())
        return answer

    def take(self, token: str) -> list[CapturedRequest]:
        """An interaction's requests; the messages Discord would hold for it are forgotten."""
        captured = self.by_token.pop(token, [])
        self._messages.pop(f"original:{token}", None)
        for request in captured:
            if request.message_id is not None:
                self._messages.pop(request.message_id, None)
        return captured


def bench_settings(path: Path) -> Settings:
    return Settings(discord_token=None, database_path=path, _env_file=None)  # type: ignore[call-arg]


@asynccontextmanager
async def bench_bot(path: Path) -> AsyncIterator[OfflineDiscord]:
    """A started bot on the SQLite file `path`, closed afterwards."""
    bot: GiftBot = create_bot(bench_settings(path))
    driver = OfflineDiscord(bot)
    driver.adapter = TrackingAdapter(driver.bot_user)
    async with driver:
        yield driver


Payload = dict[str, Any]
Check = Callable[[list[CapturedRequest]], None]


def answered_ok(replies: list[CapturedRequest]) -> None:
    """Exactly one interaction response, and it is not an ephemeral refusal."""
    callbacks = [r for r in replies if r.callback_type is not None]
    if len(callbacks) != 1:
        raise BenchFailure(f"expected one response, got {[r.path for r in replies]}")
    if callbacks[0].ephemeral:
        raise BenchFailure(f"refused instead of answered: {callbacks[0].content!r}")


def offered_choices(replies: list[CapturedRequest]) -> None:
    """One autocomplete result (type 8), at most 25 choices."""
    callbacks = [r for r in replies if r.callback_type is not None]
    if len(callbacks) != 1 or callbacks[0].callback_type != 8:
        raise BenchFailure(f"expected one autocomplete result, got {[r.path for r in replies]}")
    if len(callbacks[0].choices) > 25:
        raise BenchFailure("more than 25 choices")


async def dispatch(driver: OfflineDiscord, payload: Payload) -> None:
    """`OfflineDiscord.send` minus its bookkeeping: parse one INTERACTION_CREATE the way the
    gateway does and wait for the tasks discord.py started for it.

    `send` finds those tasks by diffing `asyncio.all_tasks()` before and after, which costs
    O(tasks alive): ~0.3 ms per interaction with 100 in flight, about a fifth of the total,
    and none of it the bot's. A task factory installed just around the synchronous parse
    catches the same tasks in O(1).
    """
    async_context.set(driver.adapter)
    loop = asyncio.get_running_loop()
    spawned: list[asyncio.Task[Any]] = []
    previous = loop.get_task_factory()

    def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        task = asyncio.Task(coro, loop=loop, **kwargs)
        spawned.append(task)
        return task

    loop.set_task_factory(factory)  # type: ignore[arg-type]
    try:
        driver.bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
    finally:
        loop.set_task_factory(previous)
    if spawned:
        await asyncio.gather(*spawned)


async def timed_send(driver: OfflineDiscord, raw: str, check: Check = answered_ok) -> float:
    """Decode one gateway event's JSON (as discord.py does), dispatch it, wait until it is
    answered; returns the seconds that took.

    Payloads are kept as JSON text until their turn: a real bot decodes each one as it
    arrives, and thousands of prebuilt dicts would only make the garbage collector slower.
    """
    adapter: TrackingAdapter = driver.adapter  # type: ignore[assignment]
    start = time.perf_counter()
    payload = json.loads(raw)
    await dispatch(driver, payload)
    elapsed = time.perf_counter() - start
    check(adapter.take(payload["token"]))
    return elapsed


async def run_interactions(
    name: str,
    driver: OfflineDiscord,
    payloads: list[Payload],
    *,
    concurrency: int = 1,
    check: Check = answered_ok,
    note: str = "",
) -> Result:
    """Send every payload, `concurrency` in flight at a time; time each one and the whole."""
    latencies: list[float] = []
    texts = [json.dumps(payload) for payload in payloads]
    queue = iter(texts)
    gc.collect()

    async def worker() -> None:
        # A fixed pool of workers (not one task per payload): OfflineDiscord.send scans
        # asyncio.all_tasks(), so thousands of idle tasks would distort the timings.
        for payload in queue:
            latencies.append(await timed_send(driver, payload, check))

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - start
    return Result(name, len(texts), seconds, latencies, concurrency, note)


async def timed_calls(
    name: str, call: Callable[[int], Awaitable[object]], n: int, *, concurrency: int = 1
) -> Result:
    """Await `call(i)` for i in range(n), `concurrency` at a time (no interaction path)."""
    latencies: list[float] = []
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            begin = time.perf_counter()
            await call(i)
            latencies.append(time.perf_counter() - begin)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, n, time.perf_counter() - start, latencies, concurrency)
