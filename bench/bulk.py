"""Fill the ledger fast, with totals exactly as the triggers would have left them.

Going through the triggers (`add_entry`, or executemany of the same INSERT) manages about
12,000 rows/s here, so 1M rows would take well over a minute. The loader instead, in ONE
transaction on its own sqlite3 connection:

1. drops the `ledger_count_new` trigger,
2. inserts the rows with `executemany` (real catalog gifts, diamonds by the rate card,
   created_at spread over the last 180 days with matching month/week keys),
3. adds the totals those rows imply to `received_totals` and `gifter_totals` (all-time,
   month and week) and `gift_totals`, summed in Python while the rows are generated, with
   additive upserts so it can be run again to grow the ledger,
4. recreates the trigger from its own stored SQL, and commits (then checkpoints the WAL).

A crash anywhere rolls all of it back, trigger included. On PostgreSQL (`add_postgres`) the
same rows go in by COPY with the totals trigger disabled inside the transaction, the totals
by COPY into temporary tables and one additive upsert each (the server's rank buckets
recounted after), then VACUUM ANALYZE. The
benchmark then compares the totals with the ledger (`verify` up to 100k rows, `spot_check`
of members' sums above that). `fill_ledger(storage, ...)` picks the way for the storage.

The very first rows give every member one entry today, received and given, so the all-time,
month and week leaderboards rank the whole membership at every size. The reads' work grows
with the members ranked (bounded by the server's size), not with the ledger; priming keeps
that at its worst case while the ledger grows, rather than letting a small ledger look fast
because few people are ranked yet.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from economy.catalog import default_catalog
from economy.conversions import diamonds_for
from economy.rates import default_presets
from economy.storage import SqliteStorage, Storage, period_keys
from economy.storage.postgres.rank_counts import rebuild_rank_counts
from economy.storage.queries import numbered

Key = tuple[int, str, str]  # (user, month key, week key)
GiftTotals = dict[tuple[int, str], list[int]]  # (recipient, gift) -> [count, diamonds]
DAYS = 180
MEMBER_BASE = 1_800_000_000_000_000_000

LEDGER_INSERT = (
    "INSERT INTO ledger (guild_id, recipient_id, gifter_key, gifter_name, recorder_id,"
    " gift_name, count, coins, diamonds_milli, created_at, month_key, week_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
RECEIVED_UPSERT = (
    "INSERT INTO received_totals (guild_id, user_id, period_key, diamonds_milli, coins, entries)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET"
    " diamonds_milli = diamonds_milli + excluded.diamonds_milli,"
    " coins = coins + excluded.coins, entries = entries + excluded.entries"
)
GIFTER_UPSERT = (
    "INSERT INTO gifter_totals (guild_id, gifter_key, period_key, name, coins, diamonds_milli,"
    " entries) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, gifter_key, period_key)"
    " DO UPDATE SET coins = coins + excluded.coins,"
    " diamonds_milli = diamonds_milli + excluded.diamonds_milli,"
    " entries = entries + excluded.entries"
)
PG_TOTALS_UPSERT = {  # additive upserts from the COPY-filled temporary tables
    "received_totals": "INSERT INTO received_totals AS t SELECT * FROM load_received_totals"
    " ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET"
    " diamonds_milli = t.diamonds_milli + excluded.diamonds_milli,"
    " coins = t.coins + excluded.coins, entries = t.entries + excluded.entries",
    "gifter_totals": "INSERT INTO gifter_totals AS t SELECT * FROM load_gifter_totals"
    " ON CONFLICT (guild_id, gifter_key, period_key) DO UPDATE SET"
    " coins = t.coins + excluded.coins,"
    " diamonds_milli = t.diamonds_milli + excluded.diamonds_milli,"
    " entries = t.entries + excluded.entries",
    "gift_totals": "INSERT INTO gift_totals AS t SELECT * FROM load_gift_totals"
    " ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET"
    " count = t.count + excluded.count,"
    " diamonds_milli = t.diamonds_milli + excluded.diamonds_milli",
}
LEDGER_COLUMNS = (
    "guild_id", "recipient_id", "gifter_key", "gifter_name", "recorder_id", "gift_name",
    "count", "coins", "diamonds_milli", "created_at", "month_key", "week_key",
)  # fmt: skip
GIFT_TOTALS_UPSERT = (
    "INSERT INTO gift_totals (guild_id, recipient_id, gift_name, count, diamonds_milli)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET"
    " count = count + excluded.count, diamonds_milli = diamonds_milli + excluded.diamonds_milli"
)


def member_id(index: int) -> int:
    return MEMBER_BASE + index


@dataclass
class Loader:
    """Adds rows to one guild's ledger; `members` people send and receive."""

    path: Path
    guild_id: int
    members: int
    seed: int = 6

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._written = 0
        self._gifts = default_catalog().listing(sort="coins")
        self._rates = default_presets()["guides"]
        now = datetime.now(UTC)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        self._days: list[tuple[str, int, str, str]] = []
        for back in range(DAYS):
            start = midnight - timedelta(days=back)
            span = int((now - start).total_seconds()) if back == 0 else 86_399
            self._days.append((start.date().isoformat(), max(span, 1), *period_keys(start)))

    def _rows(
        self, n: int, received: dict[Key, list[int]], sent: dict[Key, list[int]], gifts: GiftTotals
    ) -> Iterator[tuple[object, ...]]:
        """`n` ledger rows; their sums are added to the three accumulators as they go."""
        rng = self._rng
        random_ = rng.random
        gift_list = self._gifts
        last_gift = len(gift_list) - 1
        members = self.members
        base = MEMBER_BASE
        rates = self._rates
        coins_cache: dict[int, int] = {}  # coins -> diamonds in thousandths
        for _ in range(n):
            if self._written < members:  # first, every member receives and sends today
                recipient = sender = base + self._written
                day, span, month, week = self._days[0]
            else:
                recipient = base + int(members * random_() ** 2)  # a few stars get most
                sender = base + int(members * random_())
                day, span, month, week = self._days[int(DAYS * random_() ** 1.5)]
            self._written += 1
            second = int(span * random_())
            created = f"{day}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+00:00"
            count = 1 + int(5 * random_() ** 3)
            if random_() < 0.05:  # raw diamonds, no gift
                name, coins = None, 0
                diamonds = rng.randint(1, 5000) * 1000
            else:
                gift = gift_list[int(last_gift * random_() ** 4)]  # cheap gifts are common
                name, coins = gift.name, gift.coins * count
                cached = coins_cache.get(coins)
                if cached is None:
                    cached = coins_cache[coins] = int(diamonds_for(coins, rates) * 1000)
                diamonds = cached
                key = (recipient, name)
                totals = gifts.get(key)
                if totals is None:
                    gifts[key] = [count, diamonds]
                else:
                    totals[0] += count
                    totals[1] += diamonds
            _count(received, (recipient, month, week), diamonds, coins)
            _count(sent, (sender, month, week), diamonds, coins)
            yield (
                self.guild_id,
                recipient,
                f"u:{sender}",
                f"member {sender - base}",
                sender,
                name,
                count,
                coins,
                diamonds,
                created,
                month,
                week,
            )

    def _received_totals(self, received: dict[Key, list[int]]) -> Iterator[tuple[object, ...]]:
        for (user, period), (diamonds, coins, entries) in _by_period(received).items():
            yield (self.guild_id, user, period, diamonds, coins, entries)

    def _gifter_totals(self, sent: dict[Key, list[int]]) -> Iterator[tuple[object, ...]]:
        for (user, period), (diamonds, coins, entries) in _by_period(sent).items():
            name = f"member {user - MEMBER_BASE}"
            yield (self.guild_id, f"u:{user}", period, name, coins, diamonds, entries)

    def add(self, n: int) -> float:
        """Append `n` rows (and their totals); returns the seconds it took."""
        begin = time.perf_counter()
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA cache_size = -262144")
            (trigger,) = db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ledger_count_new'"
            ).fetchone()
            received: dict[Key, list[int]] = {}
            sent: dict[Key, list[int]] = {}
            gifts: GiftTotals = {}
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DROP TRIGGER ledger_count_new")
                db.executemany(LEDGER_INSERT, self._rows(n, received, sent, gifts))
                db.executemany(RECEIVED_UPSERT, self._received_totals(received))
                db.executemany(GIFTER_UPSERT, self._gifter_totals(sent))
                db.executemany(
                    GIFT_TOTALS_UPSERT,
                    ((self.guild_id, user, name, c, d) for (user, name), (c, d) in gifts.items()),
                )
                db.execute(trigger)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the rows now live in the main file
        finally:
            db.close()
        return time.perf_counter() - begin

    async def add_postgres(self, conn: Any, n: int, *, settle: bool = True) -> float:
        """The same rows and totals on PostgreSQL (an asyncpg connection), by COPY; `settle`:
        then vacuum until the pages are all-visible (for timing reads, not for tests)."""
        begin = time.perf_counter()
        received: dict[Key, list[int]] = {}
        sent: dict[Key, list[int]] = {}
        gifts: GiftTotals = {}

        def rows() -> Iterator[tuple[object, ...]]:
            for row in self._rows(n, received, sent, gifts):
                yield (*row[:9], datetime.fromisoformat(str(row[9])), *row[10:])

        async with conn.transaction():
            await conn.execute("ALTER TABLE ledger DISABLE TRIGGER ledger_count_new")
            await conn.copy_records_to_table("ledger", records=rows(), columns=LEDGER_COLUMNS)
            totals = {
                "received_totals": self._received_totals(received),
                "gifter_totals": self._gifter_totals(sent),
                "gift_totals": (
                    (self.guild_id, user, name, c, d) for (user, name), (c, d) in gifts.items()
                ),
            }
            for table, records in totals.items():
                await conn.execute(f"CREATE TEMP TABLE load_{table} (LIKE {table}) ON COMMIT DROP")
                await conn.copy_records_to_table(f"load_{table}", records=records)
                await conn.execute(PG_TOTALS_UPSERT[table])
            await conn.execute("ALTER TABLE ledger ENABLE TRIGGER ledger_count_new")
            await rebuild_rank_counts(conn, self.guild_id)
        if settle:
            await vacuum_until_visible(conn)
        return time.perf_counter() - begin


async def vacuum_until_visible(conn: Any, tries: int = 20) -> None:
    """VACUUM ANALYZE the ledger's tables until their pages are marked all-visible, as
    autovacuum leaves a settled database (index-only scans then skip the table). Right after
    a load the transaction is not yet old enough for that, so it is tried again shortly."""
    for _ in range(tries):
        await conn.execute(
            "VACUUM ANALYZE ledger, received_totals, gifter_totals, gift_totals, rank_counts"
        )
        visible = await conn.fetchval(
            "SELECT bool_and(relallvisible >= relpages) FROM pg_class"
            " WHERE relname IN ('received_totals', 'gifter_totals')"
        )
        if visible:
            return
        await asyncio.sleep(0.25)


async def fill_ledger(
    storage: Storage, guild_id: int, members: int, n: int, seed: int = 6, *, settle: bool = True
) -> float:
    """Add `n` rows (and their totals) to the ledger of whichever backend `storage` is on
    (`settle`: on PostgreSQL, vacuum afterwards as a settled database would be)."""
    loader = Loader(Path(), guild_id, members, seed)
    if isinstance(storage, SqliteStorage):
        loader.path = storage.path
        return loader.add(n)
    pool: Any = getattr(storage, "pool")  # noqa: B009  (PostgresStorage)
    async with pool.acquire() as conn:
        return await loader.add_postgres(conn, n, settle=settle)


async def spot_check_storage(storage: Storage, guild_id: int, users: list[int]) -> list[str]:
    """`spot_check` on whichever backend `storage` is on."""
    if isinstance(storage, SqliteStorage):
        return spot_check(storage.path, guild_id, users)
    pool: Any = getattr(storage, "pool")  # noqa: B009  (PostgresStorage)
    problems: list[str] = []
    async with pool.acquire() as conn:
        for user in users:
            for side, (expected_sql, stored_sql), key in _sides(user):
                expected = await conn.fetchrow(numbered(expected_sql), guild_id, key)
                stored = await conn.fetchrow(numbered(stored_sql), guild_id, key)
                if tuple(expected) != (tuple(stored) if stored else (0, 0, 0)):
                    problems.append(f"user {user} {side}: ledger {expected} != totals {stored}")
    return problems


def _sides(user: int) -> list[tuple[str, tuple[str, str], object]]:
    """For one member: (side, (ledger sums SQL, stored totals SQL), key) received and given."""
    sides = (
        ("received", "recipient_id = ?", "received_totals", "user_id = ?", user_key(user)),
        ("given", "gifter_key = ?", "gifter_totals", "gifter_key = ?", gifter_key(user)),
    )
    return [
        (
            side,
            (
                f"SELECT COALESCE(SUM(diamonds_milli), 0), COALESCE(SUM(coins), 0), COUNT(*)"
                f" FROM ledger WHERE guild_id = ? AND {ledger_where}"
                f" AND undone = 0 AND archived IS NULL",
                f"SELECT diamonds_milli, coins, entries FROM {table}"
                f" WHERE guild_id = ? AND {where} AND period_key = 'all'",
            ),
            key,
        )
        for side, ledger_where, table, where, key in sides
    ]


def spot_check(path: Path, guild_id: int, users: list[int]) -> list[str]:
    """Each user's all-time totals against sums over their active ledger rows."""
    problems: list[str] = []
    db = sqlite3.connect(path)
    try:
        for user in users:
            for side, (expected_sql, stored_sql), key in _sides(user):
                expected = db.execute(expected_sql, (guild_id, key)).fetchone()
                stored = db.execute(stored_sql, (guild_id, key)).fetchone() or (0, 0, 0)
                if tuple(expected) != tuple(stored):
                    problems.append(f"user {user} {side}: ledger {expected} != totals {stored}")
    finally:
        db.close()
    return problems


def user_key(user: int) -> object:
    return user


def gifter_key(user: int) -> object:
    return f"u:{user}"


def _by_period(totals: dict[Key, list[int]]) -> dict[tuple[int, str], list[int]]:
    """Running [diamonds, coins, entries] per (user, month, week) summed per (user, period)."""
    combined: dict[tuple[int, str], list[int]] = {}
    for (user, month, week), (diamonds, coins, entries) in totals.items():
        for period in ("all", month, week):
            row = combined.setdefault((user, period), [0, 0, 0])
            row[0] += diamonds
            row[1] += coins
            row[2] += entries
    return combined


def _count(totals: dict[Key, list[int]], key: Key, diamonds: int, coins: int) -> None:
    """Add one entry to a running [diamonds, coins, entries] total."""
    row = totals.setdefault(key, [0, 0, 0])
    row[0] += diamonds
    row[1] += coins
    row[2] += 1
