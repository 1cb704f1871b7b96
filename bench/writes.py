"""Tally writes/s, 100 in flight: the group-committing storage against raw aiosqlite loops.

Every contender runs the identical statements per write on the bot's own schema (triggers
included): the storage's `INSERT_ENTRY` (... RETURNING id), its `CLAIM_THRESHOLDS` (the
threshold roles the total reaches), `OPEN_GOALS_EXIST` and `RECIPIENT_TOTAL` reads, then a
commit. Only how commits are made differs:

* raw, NORMAL: one aiosqlite connection, one transaction and one commit per write, under an
  asyncio.Lock, ``synchronous=NORMAL`` (a power cut may lose the last commits);
* raw, FULL: the same loop with ``synchronous=FULL`` (an answered write survives a power cut);
* storage: `SqliteStorage.add_entry`, ``synchronous=FULL``; writes that arrive while a
  transaction commits share the next one (group commit), each caller released only after
  the commit that holds its write.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import aiosqlite

from bench.stats import Result
from economy.catalog import default_catalog
from economy.conversions import diamonds_for
from economy.rates import default_presets
from economy.storage import Gifter, SqliteStorage, period_keys
from economy.storage.ledger import to_milli
from economy.storage.queries import CLAIM_THRESHOLDS, OPEN_GOALS_EXIST
from economy.storage.sqlite.ledger import INSERT_ENTRY, RECIPIENT_TOTAL
from economy.storage.sqlite.migrations import load_migrations

GUILD = 1_700_000_000_000_000_001
IN_FLIGHT = 100
RECIPIENTS = 500

Write = tuple[int, int, str, int, int, Decimal]  # recipient, gifter, gift, count, coins, diamonds


def planned_writes(n: int) -> list[Write]:
    """`n` tally lines with real gifts, spread over gifters and recipients (same for all)."""
    gifts = default_catalog().listing(sort="coins")
    rates = default_presets()["guides"]
    plan: list[Write] = []
    for i in range(n):
        gift = gifts[(i * 7) % len(gifts)]
        count = 1 + i % 3
        coins = gift.coins * count
        plan.append(
            (i % RECIPIENTS, 10_000 + i % IN_FLIGHT, gift.name, count, coins,
             diamonds_for(coins, rates))
        )  # fmt: skip
    return plan


async def _storm(
    name: str, plan: list[Write], write: Callable[[Write], Awaitable[object]]
) -> Result:
    """IN_FLIGHT coroutines, each writing its own share of the plan back to back."""
    latencies: list[float] = []

    async def writer(index: int) -> None:
        for item in plan[index::IN_FLIGHT]:
            begin = time.perf_counter()
            await write(item)
            latencies.append(time.perf_counter() - begin)

    start = time.perf_counter()
    await asyncio.gather(*(writer(i) for i in range(IN_FLIGHT)))
    return Result(name, len(plan), time.perf_counter() - start, latencies, IN_FLIGHT)


def _params(item: Write) -> tuple[object, ...]:
    recipient, gifter, gift, count, coins, diamonds = item
    moment = datetime.now(UTC)
    month, week = period_keys(moment)
    key = f"u:{gifter}"
    return (GUILD, recipient, key, f"member {gifter}", gifter, gift, count, coins,
            to_milli(diamonds), moment.isoformat(), month, week)  # fmt: skip


async def storage_writes(path: Path, plan: list[Write]) -> Result:
    async with await SqliteStorage.open(path) as storage:

        async def write(item: Write) -> None:
            recipient, gifter, gift, count, coins, diamonds = item
            await storage.ledger.add_entry(
                GUILD,
                recipient,
                gifter,
                gifter=Gifter.member(gifter, f"member {gifter}"),
                gift_name=gift,
                count=count,
                coins=coins,
                diamonds=diamonds,
            )

        result = await _storm("tally writes: storage, group commit, FULL", plan, write)
        if await storage.verify():
            raise AssertionError("storage totals drifted during the write benchmark")
    return result


async def raw_writes(path: Path, plan: list[Write], synchronous: str) -> Result:
    """The identical statements, one transaction and commit per write, on aiosqlite."""
    async with await SqliteStorage.open(path):
        pass  # the bot's schema, migrated
    db = await aiosqlite.connect(path, isolation_level=None)
    try:
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute(f"PRAGMA synchronous = {synchronous}")
        await db.execute("PRAGMA busy_timeout = 10000")
        await db.execute("PRAGMA foreign_keys = ON")
        lock = asyncio.Lock()

        async def write(item: Write) -> None:
            params = _params(item)
            async with lock:
                await db.execute("BEGIN IMMEDIATE")
                await db.execute_fetchall(INSERT_ENTRY, params)
                claim = (item[0], params[9], GUILD, GUILD, item[0])
                await db.execute_fetchall(CLAIM_THRESHOLDS, claim)
                await db.execute_fetchall(OPEN_GOALS_EXIST, (GUILD,))
                await db.execute_fetchall(RECIPIENT_TOTAL, (GUILD, item[0]))
                await db.execute("COMMIT")

        name = f"tally writes: raw aiosqlite loop, {synchronous}"
        return await _storm(name, plan, write)
    finally:
        await db.close()


async def write_benchmarks(folder: Path, n: int, rounds: int = 3) -> list[Result]:
    """The storage and both raw loops, `rounds` times each, interleaved, every run on a fresh
    file with the same plan; each row is the median round by throughput (the machine may be
    shared: interleaving spreads any disturbance over all three). Ratios in `extra`."""
    _ = load_migrations()  # fail early if the schema files are unusable
    plan = planned_writes(n)
    runs: dict[str, list[Result]] = {"normal": [], "full": [], "storage": []}
    for round_ in range(rounds):
        runs["normal"].append(await raw_writes(folder / f"normal-{round_}.db", plan, "NORMAL"))
        runs["full"].append(await raw_writes(folder / f"full-{round_}.db", plan, "FULL"))
        runs["storage"].append(await storage_writes(folder / f"storage-{round_}.db", plan))
    chosen: dict[str, Result] = {}
    for key, results in runs.items():
        ordered = sorted(results, key=lambda r: r.per_second or 0.0)
        chosen[key] = median = ordered[len(ordered) // 2]
        median.extra["rounds_per_second"] = [round(r.per_second or 0.0) for r in results]
        median.note = f"median of {rounds} rounds" if rounds > 1 else "one round"
    normal, full, storage = chosen["normal"], chosen["full"], chosen["storage"]
    if normal.per_second and full.per_second and storage.per_second:
        storage.extra["ratio_vs_raw_normal"] = round(storage.per_second / normal.per_second, 2)
        storage.extra["ratio_vs_raw_full"] = round(storage.per_second / full.per_second, 2)
        storage.note = (
            f"{storage.extra['ratio_vs_raw_normal']:.2f}x raw NORMAL, "
            f"{storage.extra['ratio_vs_raw_full']:.2f}x raw FULL"
        )
    return [normal, full, storage]
