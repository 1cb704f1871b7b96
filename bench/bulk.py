"""Fill the ledger fast, with totals exactly as the triggers would have left them.

Going through the triggers (`add_entry`, or executemany of the same INSERT) manages about
12,000 rows/s here, so 1M rows would take well over a minute. The loader instead, in ONE
transaction on its own sqlite3 connection:

1. drops the `ledger_count_new` trigger,
2. inserts the rows with `executemany` (real catalog gifts, diamonds by the rate card,
   created_at spread over the last 180 days with matching month/week keys),
3. adds the totals those rows imply to `user_totals` (all-time, month and week, received
   and sent sides) and `gift_totals`, summed in Python while the rows are generated, with
   additive upserts so it can be run again to grow the ledger,
4. recreates the trigger from its own stored SQL, and commits (then checkpoints the WAL).

A crash anywhere rolls all of it back, trigger included. The benchmark then compares the
totals with the ledger (`SqliteStorage.verify` up to 100k rows, `spot_check` of members'
sums above that).

The very first rows give every member one entry today, received and sent, so the all-time,
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
    "INSERT INTO ledger (guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds,"
    " created_at, month_key, week_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
USER_TOTALS_UPSERT = (
    "INSERT INTO user_totals (guild_id, user_id, period_key, diamonds_received, coins_received,"
    " entries_received, diamonds_sent, coins_sent, entries_sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (guild_id, user_id, period_key) DO UPDATE SET"
    " diamonds_received = diamonds_received + excluded.diamonds_received,"
    " coins_received = coins_received + excluded.coins_received,"
    " entries_received = entries_received + excluded.entries_received,"
    " diamonds_sent = diamonds_sent + excluded.diamonds_sent,"
    " coins_sent = coins_sent + excluded.coins_sent,"
    " entries_sent = entries_sent + excluded.entries_sent"
)
GIFT_TOTALS_UPSERT = (
    "INSERT INTO gift_totals (guild_id, recipient_id, gift_name, count, diamonds)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, recipient_id, gift_name) DO UPDATE SET"
    " count = count + excluded.count, diamonds = diamonds + excluded.diamonds"
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
        self._rates = default_presets()["seed"]
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
        coins_cache: dict[int, int] = {}
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
                diamonds = rng.randint(1, 5000)
            else:
                gift = gift_list[int(last_gift * random_() ** 4)]  # cheap gifts are common
                name, coins = gift.name, gift.coins * count
                cached = coins_cache.get(coins)
                if cached is None:
                    cached = coins_cache[coins] = diamonds_for(coins, rates)
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
                sender,
                name,
                count,
                coins,
                diamonds,
                created,
                month,
                week,
            )

    def _user_totals(
        self, received: dict[Key, list[int]], sent: dict[Key, list[int]]
    ) -> Iterator[tuple[object, ...]]:
        combined: dict[tuple[int, str], list[int]] = {}
        for side, accumulator in ((0, received), (3, sent)):
            for (user, month, week), (diamonds, coins, entries) in accumulator.items():
                for period in ("all", month, week):
                    row = combined.get((user, period))
                    if row is None:
                        row = combined[(user, period)] = [0, 0, 0, 0, 0, 0]
                    row[side] += diamonds
                    row[side + 1] += coins
                    row[side + 2] += entries
        for (user, period), row in combined.items():
            yield (self.guild_id, user, period, *row)

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
                db.executemany(USER_TOTALS_UPSERT, self._user_totals(received, sent))
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
        for user in users:
            for side, column in (("received", "recipient_id"), ("sent", "sender_id")):
                expected = db.execute(
                    f"SELECT COALESCE(SUM(diamonds), 0), COALESCE(SUM(coins), 0), COUNT(*)"
                    f" FROM ledger WHERE guild_id = ? AND {column} = ?"
                    f" AND undone = 0 AND archived IS NULL",
                    (guild_id, user),
                ).fetchone()
                stored = db.execute(
                    f"SELECT diamonds_{side}, coins_{side}, entries_{side} FROM user_totals"
                    f" WHERE guild_id = ? AND user_id = ? AND period_key = 'all'",
                    (guild_id, user),
                ).fetchone() or (0, 0, 0)
                if tuple(expected) != tuple(stored):
                    problems.append(f"user {user} {side}: ledger {expected} != totals {stored}")
    finally:
        db.close()
    return problems


def _count(totals: dict[Key, list[int]], key: Key, diamonds: int, coins: int) -> None:
    """Add one entry to a running [diamonds, coins, entries] total."""
    row = totals.setdefault(key, [0, 0, 0])
    row[0] += diamonds
    row[1] += coins
    row[2] += 1
