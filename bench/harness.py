"""A bot on a temporary database, driven through `bot.offline`, with per-interaction timing.

Every timed interaction is checked to have got exactly one successful (non-ephemeral)
answer, so the benchmark never silently times an error path. `TrackingAdapter` keeps no
history beyond each interaction's own requests, so memory stays flat over long runs.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bench.stats import Result
from bot.client import GiftBot
from bot.config import BotConfig
from bot.offline import CapturedRequest, CapturingAdapter, FakeGuild, OfflineDiscord
from bot.ratelimit import Limiter
from bot.services import open_services

BENCH_GUILD = FakeGuild(id=1_700_000_000_000_000_001)


class BenchFailure(AssertionError):
    """A benchmarked interaction did not get the answer it should have."""


class TrackingAdapter(CapturingAdapter):
    """Captures like `CapturingAdapter` but keeps no history: a run's memory stays flat."""

    async def request(self, route: Any, session: Any, **kwargs: Any) -> Any:
        answer = await super().request(route, session, **kwargs)
        self.requests.pop()  # still filed by token until `take`
        return answer


def bench_config(path: Path, url: str | None = None) -> BotConfig:
    return BotConfig(
        discord_token=None,
        database_path=path,
        database_url=url,
        state_dir=path.parent / "state",  # the bench's databases are not the user's
        _env_file=None,
    )


@asynccontextmanager
async def bench_bot(path: Path, url: str | None = None) -> AsyncIterator[OfflineDiscord]:
    """A started bot on the SQLite file `path` (or the PostgreSQL database `url`), closed
    afterwards."""
    config = bench_config(path, url)
    async with open_services(config) as services:
        bot = GiftBot(config, services, freeze_heap=True)  # as `run` does
        # One asker sends thousands of interactions: the per-person limits would measure
        # themselves, not the bot. They are lifted; tests/commands/test_rate_limit.py covers them.
        bot.write_limiter = bot.command_limiter = bot.autocomplete_limiter = Limiter(10**9, 1.0)
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


async def timed_send(driver: OfflineDiscord, raw: str, check: Check = answered_ok) -> float:
    """Decode one gateway event's JSON (as discord.py does), dispatch it, wait until it is
    answered; returns the seconds that took.

    Payloads are kept as JSON text until their turn: a real bot decodes each one as it
    arrives, and thousands of prebuilt dicts would only make the garbage collector slower.
    The interaction's id (its creation time) is made now, as Discord makes it when it sends
    the event: a payload built seconds earlier would otherwise be refused as too old.
    """
    adapter: TrackingAdapter = driver.adapter  # type: ignore[assignment]
    start = time.perf_counter()
    payload = json.loads(raw)
    payload["id"] = str(driver.new_snowflake())
    await driver.send(payload, settle=False)  # a picture added later is not the answer
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
        # A fixed pool of workers, not one task per payload: `concurrency` in flight.
        for payload in queue:
            latencies.append(await timed_send(driver, payload, check))

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - start
    await driver.bot.settle()  # pictures still being added must not slow the next measurement
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
