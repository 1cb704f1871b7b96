"""Ranks on every backend: the bucket counts that make a rank cheap give exactly the
competition rank a count of everyone above would, through adds, undos, resets and restores,
across bucket edges and under concurrent writes."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path

from economy.storage import By, Gifter, LeaderboardRow, SqliteStorage, Storage
from economy.storage.postgres import PostgresStorage

G1, G2 = 111, 222
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
LAST_MONTH = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
# Coin amounts on both sides of bucket edges (a bucket keeps a total's first digit).
EDGES = (1, 9, 10, 19, 20, 99, 100, 101, 199, 200, 299, 999, 1000, 1999, 2000, 9999, 10000, 44999)


def competition_ranks(values: dict[int, Decimal | int]) -> dict[int, int]:
    """1 + how many have more, for everyone with more than 0."""
    ranked = [v for v in values.values() if v > 0]
    return {key: 1 + sum(v > value for v in ranked) for key, value in values.items() if value > 0}


async def add(
    storage: Storage, recipient: int, gifter: int, coins: int, *, guild: int = G1,
    now: datetime = NOW,
) -> None:  # fmt: skip
    await storage.ledger.add_entry(
        guild, recipient, gifter, gifter=Gifter.member(gifter, f"member {gifter}"),
        gift_name=None, count=1, coins=coins, diamonds=Decimal(coins) / 2, now=now,
    )  # fmt: skip


async def stored_ranks(storage: Storage, by: By, period: str, keys: list[int]) -> dict[int, int]:
    """Each member's rank as /tally leaderboard shows it to them (None: not on the board)."""
    ranks: dict[int, int] = {}
    for key in keys:
        standings = await storage.ledger.standings(G1, key, by, period, now=NOW)
        if standings.viewer is not None:
            ranks[key] = standings.viewer.rank
    return ranks


async def whole_board(storage: Storage, by: By, period: str) -> list[LeaderboardRow]:
    rows: list[LeaderboardRow] = []
    while page := await storage.ledger.leaderboard(
        G1,
        by,
        period,
        limit=100,
        now=NOW,
        offset=len(rows),
    ):
        rows += page
    return rows


async def expected_ranks(storage: Storage, by: By, period: str) -> dict[int, int]:
    """Competition ranks recomputed from the whole board (every row read, no rank used)."""
    rows = await whole_board(storage, by, period)
    return competition_ranks({row.user_id: row.value for row in rows if row.user_id})


async def assert_ranks_exact(storage: Storage, people: list[int]) -> None:
    boards: tuple[By, ...] = ("received", "gifted")
    for by in boards:
        for period in ("all", "month", "week"):
            expected = await expected_ranks(storage, by, period)
            assert await stored_ranks(storage, by, period, people) == expected, (by, period)
            board = await whole_board(storage, by, period)
            assert {row.user_id: row.rank for row in board} == expected, (by, period)
    for person in people:
        summary = await storage.ledger.user_summary(G1, person, "all", now=NOW)
        rank = (await expected_ranks(storage, "received", "all")).get(person)
        assert summary.rank_received == rank
    assert await storage.verify() == []


async def test_ranks_across_bucket_edges_ties_and_periods(storage: Storage) -> None:
    people = list(range(1, len(EDGES) * 2 + 1))
    for index, coins in enumerate(EDGES):
        await add(storage, people[index], people[-1 - index], coins)
        await add(storage, people[index + len(EDGES)], people[index], coins)  # ties
        await add(storage, people[index], people[index], coins + 1, now=LAST_MONTH)
    await add(storage, 500, 501, 3, guild=G2)  # another server's rows never count
    await assert_ranks_exact(storage, people)
    week = await storage.ledger.leaderboard(G1, "gifted", "week", limit=4, now=NOW)
    assert [(row.rank, row.value) for row in week] == [
        (1, 44999),
        (1, 44999),
        (3, 10000),
        (3, 10000),
    ]


async def test_ranks_stay_exact_through_undo_reset_and_restore(storage: Storage) -> None:
    rng = random.Random(7)
    people = list(range(1, 41))
    for _ in range(300):
        await add(
            storage, rng.choice(people), rng.choice(people), rng.choice(EDGES) * rng.randint(1, 3)
        )
    await assert_ranks_exact(storage, people)
    for recorder in people[:10]:
        await storage.ledger.undo_last(G1, recorder)
    for person in people[10:14]:
        preview = await storage.ledger.reset_preview(G1, person)
        await storage.ledger.archive_member(G1, person, 1, preview.up_to_id)
    await assert_ranks_exact(storage, people)
    await storage.ledger.restore_member(G1, people[11])
    await add(storage, people[12], 1, 99)  # back on the board from nothing
    await assert_ranks_exact(storage, people)


async def test_concurrent_writes_in_one_server_keep_ranks_exact(storage: Storage) -> None:
    """Many writers at once in one server (rows of the same buckets, on PostgreSQL several
    connections), with a reset running among them: every rank exact, nothing lost."""
    rng = random.Random(11)
    people = list(range(1, 61))
    for person in people[:20]:
        await add(storage, person, person, 100)
    expected: defaultdict[int, int] = defaultdict(int)
    writes = []
    for _ in range(400):
        recipient, gifter, coins = rng.choice(people), rng.choice(people), rng.choice(EDGES)
        expected[recipient] += coins
        writes.append(add(storage, recipient, gifter, coins))
    preview = await storage.ledger.reset_preview(G1, people[0])
    reset = storage.ledger.archive_member(G1, people[0], 1, preview.up_to_id)
    *_, archived = await asyncio.gather(*writes, reset)
    assert archived == 1
    await assert_ranks_exact(storage, people)
    for person in people[1:20]:
        summary = await storage.ledger.user_summary(G1, person, "all", now=NOW)
        assert summary.coins_received == expected[person] + 100


def shipped_migrations_but_the_last(package: str, folder: Path) -> tuple[Path, Path]:
    """The backend's migrations without the newest (the one that adds rank_counts), and
    that one."""
    folder.mkdir()
    shipped = sorted(
        (item for item in (resources.files(package) / "migrations").iterdir()
         if item.name.endswith(".sql")),
        key=lambda item: item.name,
    )  # fmt: skip
    for item in shipped[:-1]:
        (folder / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    assert "rank_counts" in shipped[-1].name
    return folder, Path(str(shipped[-1]))


async def upgraded_keeps_ranks(
    opener: Callable[[Path], Awaitable[Storage]], package: str, tmp_path: Path
) -> None:
    """Fill a database at the schema before rank_counts, upgrade it, check every rank."""
    folder, newest = shipped_migrations_but_the_last(package, tmp_path / "migrations")
    rng = random.Random(5)
    people = list(range(1, 31))
    async with await opener(folder) as old:
        for _ in range(120):
            await add(old, rng.choice(people), rng.choice(people), rng.choice(EDGES))
    (folder / newest.name).write_text(newest.read_text(encoding="utf-8"), encoding="utf-8")
    async with await opener(folder) as storage:
        await assert_ranks_exact(storage, people)


async def test_an_older_sqlite_file_gets_its_bucket_counts_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await upgraded_keeps_ranks(
        lambda folder: SqliteStorage.open(path, migrations=folder),
        "economy.storage.sqlite",
        tmp_path,
    )


async def test_an_older_postgres_database_gets_its_bucket_counts_when_upgraded(
    postgres_dsn: str, tmp_path: Path
) -> None:
    await upgraded_keeps_ranks(
        lambda folder: PostgresStorage.open(postgres_dsn, migrations=folder),
        "economy.storage.postgres",
        tmp_path,
    )
