"""`SqliteLedger`: tally entries whose totals triggers keep (migrations/V001)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from economy.errors import InvalidValue
from economy.limits import MAX_AMOUNT, MAX_COUNT
from economy.storage.checks import check_page, check_range
from economy.storage.periods import Period, as_utc, period_key, period_keys
from economy.storage.records import (
    BY_VALUES,
    By,
    Entry,
    GiftCount,
    LeaderboardRow,
    MemberTally,
    Recorded,
    Standings,
    UserSummary,
)
from economy.storage.sqlite.connection import Database, Row, Session

EXPORT_CHUNK = 1000

ENTRY_COLUMNS = (
    "id, guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds, "
    "created_at, undone, archived"
)
ACTIVE = "undone = 0 AND archived IS NULL"
_VALUE_COLUMN: dict[str, str] = {"received": "diamonds_received", "sent": "coins_sent"}
_SUMMARY = (
    "SELECT diamonds_received, coins_received, coins_sent, entries_received,"
    " CASE WHEN t.diamonds_received > 0 THEN 1 + (SELECT COUNT(*) FROM user_totals o"
    "  WHERE o.guild_id = t.guild_id AND o.period_key = t.period_key"
    "  AND o.diamonds_received > t.diamonds_received) END,"
    " diamonds_sent, entries_sent"
    " FROM user_totals t WHERE guild_id = ? AND user_id = ? AND period_key = ?"
)
_NO_SUMMARY = UserSummary(0, 0, 0, 0, None, 0, 0)
_TOP_GIFTS = (
    "SELECT gift_name, count, diamonds FROM gift_totals"
    " WHERE guild_id = ? AND recipient_id = ? AND count > 0"
    " ORDER BY diamonds DESC, count DESC, gift_name LIMIT ?"
)
_TOTAL = (
    "SELECT diamonds_received FROM user_totals"
    " WHERE guild_id = ? AND user_id = ? AND period_key = 'all'"
)


def entry_from(row: Row) -> Entry:
    """An Entry from a row selected with ENTRY_COLUMNS."""
    return Entry(
        id=row[0],
        guild_id=row[1],
        recipient_id=row[2],
        sender_id=row[3],
        gift_name=row[4],
        count=row[5],
        coins=row[6],
        diamonds=row[7],
        created_at=datetime.fromisoformat(row[8]),
        undone=bool(row[9]),
        archived=row[10],
    )


def _value_column(by: By) -> str:
    """The user_totals column a leaderboard orders by."""
    if by not in BY_VALUES:
        raise ValueError(f"by must be one of {BY_VALUES}, got {by!r}")
    return _VALUE_COLUMN[by]


def _leaderboard_sql(column: str) -> str:
    return (
        f"WITH page AS (SELECT user_id, {column} AS value FROM user_totals"
        f"  WHERE guild_id = ? AND period_key = ? AND {column} > 0"
        f"  ORDER BY {column} DESC, user_id LIMIT ? OFFSET ?)"
        f" SELECT 1 + (SELECT COUNT(*) FROM user_totals o WHERE o.guild_id = ?"
        f"  AND o.period_key = ? AND o.{column} > page.value), user_id, value"
        f" FROM page ORDER BY value DESC, user_id"
    )


def _rank_sql(column: str) -> str:
    return (
        f"SELECT 1 + (SELECT COUNT(*) FROM user_totals o WHERE o.guild_id = t.guild_id"
        f"  AND o.period_key = t.period_key AND o.{column} > t.{column}),"
        f" t.user_id, t.{column} FROM user_totals t"
        f" WHERE t.guild_id = ? AND t.user_id = ? AND t.period_key = ? AND t.{column} > 0"
    )


async def _summary(session: Session, guild_id: int, user_id: int, key: str) -> UserSummary:
    row = await session.row(_SUMMARY, (guild_id, user_id, key))
    return UserSummary(*row) if row else _NO_SUMMARY


async def _total(session: Session, guild_id: int, user_id: int) -> int:
    row = await session.row(_TOTAL, (guild_id, user_id))
    return int(row[0]) if row else 0


class SqliteLedger:
    """The `LedgerStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_entry(
        self,
        guild_id: int,
        recipient_id: int,
        sender_id: int,
        *,
        gift_name: str | None,
        count: int,
        coins: int,
        diamonds: int,
        now: datetime | None = None,
    ) -> Recorded:
        """Record a tally line (its totals move in the same statement) and read the total."""
        if gift_name is not None and not gift_name.strip():
            raise InvalidValue("gift name", "must not be empty")
        check_range("count", count, 1, MAX_COUNT)
        check_range("coins", coins, 0, MAX_AMOUNT)
        check_range("diamonds", diamonds, 0, MAX_AMOUNT)
        moment = as_utc(now)
        month, week = period_keys(moment)
        async with self._db.transaction() as tx:
            (entry_id,) = await tx.one(
                "INSERT INTO ledger (guild_id, recipient_id, sender_id, gift_name, count, coins,"
                " diamonds, created_at, month_key, week_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds,
                 moment.isoformat(), month, week),
            )  # fmt: skip
            total = await _total(tx, guild_id, recipient_id)
        entry = Entry(
            entry_id, guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds,
            moment, False, None,
        )  # fmt: skip
        return Recorded(entry, total)

    async def undo_last(self, guild_id: int, sender_id: int) -> Entry | None:
        """Mark the sender's latest active entry undone (totals follow in the same statement)."""
        rows = await self._db.write_one(
            f"UPDATE ledger SET undone = 1 WHERE id = (SELECT id FROM ledger"
            f" WHERE guild_id = ? AND sender_id = ? AND {ACTIVE} ORDER BY id DESC LIMIT 1)"
            f" RETURNING {ENTRY_COLUMNS}",
            (guild_id, sender_id),
        )
        return entry_from(rows[0]) if rows else None

    async def user_summary(
        self, guild_id: int, user_id: int, period: Period = "all", now: datetime | None = None
    ) -> UserSummary:
        """A member's totals for the period containing `now`; rank by diamonds received."""
        rows = await self._db.read(_SUMMARY, (guild_id, user_id, period_key(period, now)))
        return UserSummary(*rows[0]) if rows else _NO_SUMMARY

    async def member_tally(
        self, guild_id: int, user_id: int, top: int = 5, now: datetime | None = None
    ) -> MemberTally:
        """All-time, month and week totals and top gifts, from one snapshot."""
        check_page(0, top)
        month, week = period_keys(as_utc(now))
        async with self._db.snapshot() as session:
            all_time = await _summary(session, guild_id, user_id, "all")
            this_month = await _summary(session, guild_id, user_id, month)
            this_week = await _summary(session, guild_id, user_id, week)
            gifts = await session.rows(_TOP_GIFTS, (guild_id, user_id, top))
        return MemberTally(all_time, this_month, this_week, tuple(GiftCount(*g) for g in gifts))

    async def top_gifts(self, guild_id: int, user_id: int, limit: int = 5) -> list[GiftCount]:
        """Gifts received (active, all time) by diamonds, then count, then name."""
        check_page(0, limit)
        rows = await self._db.read(_TOP_GIFTS, (guild_id, user_id, limit))
        return [GiftCount(*row) for row in rows]

    async def leaderboard(
        self,
        guild_id: int,
        by: By,
        period: Period,
        limit: int = 10,
        now: datetime | None = None,
        *,
        offset: int = 0,
    ) -> list[LeaderboardRow]:
        """Top members by diamonds received or coins sent; equal values share a rank."""
        column = _value_column(by)
        check_page(offset, limit)
        key = period_key(period, now)
        rows = await self._db.read(
            _leaderboard_sql(column), (guild_id, key, limit, offset, guild_id, key)
        )
        return [LeaderboardRow(*row) for row in rows]

    async def rank(
        self, guild_id: int, user_id: int, by: By, period: Period, now: datetime | None = None
    ) -> LeaderboardRow | None:
        """The member's own row wherever it is; None if their value is zero."""
        rows = await self._db.read(
            _rank_sql(_value_column(by)), (guild_id, user_id, period_key(period, now))
        )
        return LeaderboardRow(*rows[0]) if rows else None

    async def standings(
        self,
        guild_id: int,
        viewer_id: int,
        by: By,
        period: Period,
        limit: int = 10,
        now: datetime | None = None,
    ) -> Standings:
        """The top rows and the viewer's own row, from one snapshot."""
        column = _value_column(by)
        check_page(0, limit)
        key = period_key(period, now)
        async with self._db.snapshot() as session:
            rows = await session.rows(
                _leaderboard_sql(column), (guild_id, key, limit, 0, guild_id, key)
            )
            mine = await session.row(_rank_sql(column), (guild_id, viewer_id, key))
        viewer = LeaderboardRow(*mine) if mine else None
        return Standings(tuple(LeaderboardRow(*row) for row in rows), viewer)

    async def history(
        self, guild_id: int, user_id: int, offset: int = 0, limit: int = 10
    ) -> tuple[list[Entry], int]:
        """Active entries the member RECEIVED, newest first, plus their total count."""
        check_page(offset, limit)
        async with self._db.snapshot() as session:
            rows = await session.rows(
                f"SELECT {ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND recipient_id = ?"
                f" AND {ACTIVE} ORDER BY id DESC LIMIT ? OFFSET ?",
                (guild_id, user_id, limit, offset),
            )
            total = await session.row(
                "SELECT entries_received FROM user_totals"
                " WHERE guild_id = ? AND user_id = ? AND period_key = 'all'",
                (guild_id, user_id),
            )
        return [entry_from(row) for row in rows], total[0] if total else 0

    async def archive_member(self, guild_id: int, user_id: int, actor_id: int) -> int:
        """Archive every active entry the member received (one reset record); returns count."""
        now = as_utc().isoformat()
        async with self._db.transaction() as tx:
            (count,) = await tx.one(
                f"SELECT COUNT(*) FROM ledger WHERE guild_id = ? AND recipient_id = ? AND {ACTIVE}",
                (guild_id, user_id),
            )
            if count == 0:
                return 0
            (reset_id,) = await tx.one(
                "INSERT INTO resets (guild_id, user_id, actor_id, entries, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (guild_id, user_id, actor_id, count, now),
            )
            await tx.run(
                f"UPDATE ledger SET archived = ? WHERE guild_id = ? AND recipient_id = ?"
                f" AND {ACTIVE}",
                (reset_id, guild_id, user_id),
            )
        return int(count)

    async def restore_member(self, guild_id: int, user_id: int) -> tuple[int, int]:
        """Bring back the member's latest unrestored archive: (entries restored, new total)."""
        now = as_utc().isoformat()
        async with self._db.transaction() as tx:
            reset = await tx.row(
                "SELECT id FROM resets WHERE guild_id = ? AND user_id = ?"
                " AND restored_at IS NULL ORDER BY id DESC LIMIT 1",
                (guild_id, user_id),
            )
            if reset is None:
                return 0, await _total(tx, guild_id, user_id)
            restored = await tx.run(
                "UPDATE ledger SET archived = NULL WHERE archived = ?", (reset[0],)
            )
            await tx.run("UPDATE resets SET restored_at = ? WHERE id = ?", (now, reset[0]))
            total = await _total(tx, guild_id, user_id)
        return restored, total

    async def export_rows(self, guild_id: int) -> AsyncIterator[Entry]:
        """Every entry of the server in id order (with flags), read in chunks."""
        after = 0
        while True:
            rows = await self._db.read(
                f"SELECT {ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND id > ?"
                f" ORDER BY id LIMIT ?",
                (guild_id, after, EXPORT_CHUNK),
            )
            for row in rows:
                yield entry_from(row)
            if len(rows) < EXPORT_CHUNK:
                return
            after = rows[-1][0]
