"""Tally writes/s: the storage (100 concurrent senders) against raw aiosqlite loops.

* storage: `SqliteStorage.add_entry`, one statement whose triggers keep 7 totals rows (the
  received and sent sides for all-time, month and week, plus the gift total).
* raw minimal: what a hand-written bot would do: one aiosqlite connection with the same
  PRAGMAs (WAL, synchronous=NORMAL), `INSERT` a ledger row, `UPDATE` (upsert) one totals
  row, `COMMIT`; the 100 senders share the connection under an asyncio.Lock.
* raw, bot schema: the same raw loop (`INSERT` + `COMMIT`) on the bot's own schema, so the
  SQLite work is identical to the storage's and only the storage layer's overhead differs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bench.stats import Result
from economy.catalog import default_catalog
from economy.conversions import diamonds_for
from economy.rates import default_presets
from economy.storage import SqliteStorage, period_keys
from economy.storage.sqlite.migrations import load_migrations

GUILD = 1_700_000_000_000_000_001
SENDERS = 100
RECIPIENTS = 500

RAW_SCHEMA = """
CREATE TABLE ledger (
    id INTEGER PRIMARY KEY, guild_id INTEGER NOT NULL, recipient_id INTEGER NOT NULL,
    sender_id INTEGER NOT NULL, gift_name TEXT, count INTEGER NOT NULL,
    coins INTEGER NOT NULL, diamonds INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE totals (
    guild_id INTEGER NOT NULL, user_id INTEGER NOT NULL, diamonds INTEGER NOT NULL,
    coins INTEGER NOT NULL, entries INTEGER NOT NULL, PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
"""
RAW_INSERT = (
    "INSERT INTO ledger (guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
RAW_UPDATE = (
    "INSERT INTO totals (guild_id, user_id, diamonds, coins, entries) VALUES (?, ?, ?, ?, 1)"
    " ON CONFLICT (guild_id, user_id) DO UPDATE SET diamonds = diamonds + excluded.diamonds,"
    " coins = coins + excluded.coins, entries = entries + 1"
)
BOT_SCHEMA_INSERT = (
    "INSERT INTO ledger (guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds,"
    " created_at, month_key, week_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

Write = tuple[int, int, str, int, int, int]  # recipient, sender, gift, count, coins, diamonds


def planned_writes(n: int) -> list[Write]:
    """`n` tally lines with real gifts, spread over senders and recipients (same for all)."""
    gifts = default_catalog().listing(sort="coins")
    rates = default_presets()["seed"]
    plan: list[Write] = []
    for i in range(n):
        gift = gifts[(i * 7) % len(gifts)]
        count = 1 + i % 3
        coins = gift.coins * count
        plan.append(
            (
                i % RECIPIENTS,
                10_000 + i % SENDERS,
                gift.name,
                count,
                coins,
                diamonds_for(coins, rates),
            )
        )
    return plan


async def _storm(
    name: str, plan: list[Write], write: Callable[[Write], Awaitable[object]]
) -> Result:
    """SENDERS coroutines, each writing its own share of the plan back to back."""
    latencies: list[float] = []

    async def sender(index: int) -> None:
        for item in plan[index::SENDERS]:
            begin = time.perf_counter()
            await write(item)
            latencies.append(time.perf_counter() - begin)

    start = time.perf_counter()
    await asyncio.gather(*(sender(i) for i in range(SENDERS)))
    return Result(name, len(plan), time.perf_counter() - start, latencies, SENDERS)


async def storage_writes(path: Path, plan: list[Write]) -> Result:
    async with await SqliteStorage.open(path) as storage:

        async def write(item: Write) -> None:
            recipient, sender, gift, count, coins, diamonds = item
            await storage.ledger.add_entry(
                GUILD,
                recipient,
                sender,
                gift_name=gift,
                count=count,
                coins=coins,
                diamonds=diamonds,
            )

        result = await _storm("tally writes: storage.add_entry", plan, write)
        if await storage.verify():
            raise AssertionError("storage totals drifted during the write benchmark")
    return result


async def _raw_connection(path: Path) -> aiosqlite.Connection:
    db = await aiosqlite.connect(path)  # sqlite3's default: implicit BEGIN before a write
    await db.execute("PRAGMA journal_mode = WAL")
    await db.execute("PRAGMA synchronous = NORMAL")
    await db.execute("PRAGMA busy_timeout = 5000")
    return db


async def raw_minimal_writes(path: Path, plan: list[Write]) -> Result:
    db = await _raw_connection(path)
    try:
        await db.executescript(RAW_SCHEMA)
        lock = asyncio.Lock()

        async def write(item: Write) -> None:
            recipient, sender, gift, count, coins, diamonds = item
            now = datetime.now(UTC).isoformat()
            async with lock:
                await db.execute(
                    RAW_INSERT, (GUILD, recipient, sender, gift, count, coins, diamonds, now)
                )
                await db.execute(RAW_UPDATE, (GUILD, recipient, diamonds, coins))
                await db.commit()

        return await _storm("tally writes: raw INSERT+UPDATE+COMMIT", plan, write)
    finally:
        await db.close()


async def raw_bot_schema_writes(path: Path, plan: list[Write]) -> Result:
    db = await _raw_connection(path)
    try:
        await db.execute("PRAGMA foreign_keys = ON")
        for migration in load_migrations():
            for statement in migration.statements():
                await db.execute(statement)
        await db.commit()
        lock = asyncio.Lock()

        async def write(item: Write) -> None:
            recipient, sender, gift, count, coins, diamonds = item
            moment = datetime.now(UTC)
            month, week = period_keys(moment)
            async with lock:
                await db.execute(
                    BOT_SCHEMA_INSERT,
                    (
                        GUILD,
                        recipient,
                        sender,
                        gift,
                        count,
                        coins,
                        diamonds,
                        moment.isoformat(),
                        month,
                        week,
                    ),
                )
                await db.commit()

        return await _storm("tally writes: raw, bot schema", plan, write)
    finally:
        await db.close()


async def write_benchmarks(folder: Path, n: int, rounds: int = 3) -> list[Result]:
    """Storage and both raw loops, `rounds` times each, interleaved, every run on a fresh file
    with the same plan; each row is the median round by throughput (the machine may be
    shared: interleaving spreads any disturbance over all three). Ratios in `extra`."""
    plan = planned_writes(n)
    runs: dict[str, list[Result]] = {"raw": [], "schema": [], "storage": []}
    for round_ in range(rounds):
        runs["raw"].append(await raw_minimal_writes(folder / f"raw-{round_}.sqlite3", plan))
        runs["schema"].append(
            await raw_bot_schema_writes(folder / f"schema-{round_}.sqlite3", plan)
        )
        runs["storage"].append(await storage_writes(folder / f"storage-{round_}.sqlite3", plan))
    chosen: dict[str, Result] = {}
    for key, results in runs.items():
        ordered = sorted(results, key=lambda r: r.per_second or 0.0)
        chosen[key] = median = ordered[len(ordered) // 2]
        median.extra["rounds_per_second"] = [round(r.per_second or 0.0) for r in results]
        median.note = f"median of {rounds} rounds" if rounds > 1 else "one round"
    raw, raw_schema, storage = chosen["raw"], chosen["schema"], chosen["storage"]
    if raw.per_second and raw_schema.per_second and storage.per_second:
        storage.extra["ratio_vs_raw_minimal"] = round(storage.per_second / raw.per_second, 2)
        storage.extra["ratio_vs_raw_bot_schema"] = round(
            storage.per_second / raw_schema.per_second, 2
        )
        storage.note = (
            f"{storage.extra['ratio_vs_raw_minimal']:.2f}x raw minimal, "
            f"{storage.extra['ratio_vs_raw_bot_schema']:.2f}x raw on bot schema"
        )
    return [raw, raw_schema, storage]
