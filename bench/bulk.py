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

A crash anywhere rolls all of it back, trigger included. The benchmark then compares the
totals with the ledger (`SqliteStorage.verify` up to 100k rows, `spot_check` of members'
sums above that).

The very first rows give every member one entry today, received and given, so the all-time,
month and week leaderboards rank the whole membership at every size. The reads' work grows
with the members ranked (bounded by the server's size), not with the ledger; priming keeps
that at its worst case while the ledger grows, rather than letting a small ledger look fast
because few people are ranked yet.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from economy.catalog import default_catalog
from economy.conversions import diamonds_for
from economy.rates import default_presets
from economy.storage import period_keys

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


def spot_check(path: Path, guild_id: int, users: list[int]) -> list[str]:
    """Each user's all-time totals against sums over their active ledger rows."""
    problems: list[str] = []
    db = sqlite3.connect(path)
    try:
        sides = (
            ("received", "recipient_id = ?", "received_totals", "user_id = ?", user_key),
            ("given", "gifter_key = ?", "gifter_totals", "gifter_key = ?", gifter_key),
        )
        for user in users:
            for side, ledger_where, table, where, key in sides:
                expected = db.execute(
                    f"SELECT COALESCE(SUM(diamonds_milli), 0), COALESCE(SUM(coins), 0), COUNT(*)"
                    f" FROM ledger WHERE guild_id = ? AND {ledger_where}"
                    f" AND undone = 0 AND archived IS NULL",
                    (guild_id, key(user)),
                ).fetchone()
                stored = db.execute(
                    f"SELECT diamonds_milli, coins, entries FROM {table}"
                    f" WHERE guild_id = ? AND {where} AND period_key = 'all'",
                    (guild_id, key(user)),
                ).fetchone() or (0, 0, 0)
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
