"""`SqliteLedger`: tally entries whose totals triggers keep (migrations V001, V002).

Writes are plain functions of the writer's connection, run in a committed batch
(`Database.write`); reads go through the query-only reader, several of them in one snapshot
where an answer shows them together.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Collection, Sequence
from datetime import datetime
from decimal import Decimal

from economy.storage.checks import check_entry, check_page, stored_text
from economy.storage.deadlines import no_deadline
from economy.storage.ledger import ResetPreview, from_milli
from economy.storage.periods import Period, as_utc, period_keys, resolve_period_key
from economy.storage.queries import (
    ACTIVE,
    CLAIM_THRESHOLDS,
    ENTRY_COLUMNS,
    EXPORT,
    EXPORT_CHUNK,
    GIVEN,
    GIVEN_PERIODS,
    HISTORY,
    HISTORY_COUNT,
    INSERT_ENTRY,
    OPEN_GOALS_EXIST,
    RECEIVED,
    RECEIVED_PERIODS,
    RECIPIENT_TOTAL,
    RESET_PREVIEW,
    TOP_GIFTS,
    board_params,
    entries_from,
    entry_from,
    gift_counts,
    leaderboard_row,
    leaderboard_sql,
    member_key,
    period_summaries,
    rank_sql,
    roles_reached,
    summary_from,
    viewer_key,
)
from economy.storage.records import (
    By,
    Entry,
    GiftCount,
    Gifter,
    LeaderboardRow,
    MemberTally,
    Recorded,
    Seen,
    Standings,
    UserSummary,
)
from economy.storage.sqlite.connection import Database, Row, Session

__all__ = ["ACTIVE", "INSERT_ENTRY", "RECIPIENT_TOTAL", "SqliteLedger"]

ARCHIVE_STEP = 2000  # entries archived or restored per transaction


async def _summary(session: Session, guild_id: int, user_id: int, key: str) -> UserSummary:
    received = await session.row(RECEIVED, (guild_id, user_id, key))
    given = await session.row(GIVEN, (guild_id, member_key(user_id), key))
    return summary_from(received, given)


def _total(db: sqlite3.Connection, guild_id: int, user_id: int) -> Decimal:
    row = db.execute(RECIPIENT_TOTAL, (guild_id, user_id)).fetchone()
    return from_milli(row[0]) if row else Decimal(0)


def _note_names(db: sqlite3.Connection, guild_id: int, seen: Sequence[Seen], now: str) -> None:
    """Upsert the names seen at this write (bounded: longer names are cut); a name and avatar
    already stored are not written again (`seen_at`: when they were first seen so)."""
    db.executemany(
        "INSERT INTO member_names (guild_id, user_id, name, avatar, seen_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
        " name = excluded.name, avatar = excluded.avatar, seen_at = excluded.seen_at"
        " WHERE name IS NOT excluded.name OR avatar IS NOT excluded.avatar",
        [(guild_id, s.user_id, stored_text(s.name, 100), (s.avatar or None), now) for s in seen],
    )


def _claim_thresholds(db: sqlite3.Connection, guild_id: int, user_id: int, now: str) -> list[Row]:
    """Claim the threshold roles the member's total now reaches: (role, threshold) rows."""
    params = (user_id, now, guild_id, guild_id, user_id)
    claimed = [role for (role,) in db.execute(CLAIM_THRESHOLDS, params)]
    if not claimed:
        return []
    marks = ", ".join("?" for _ in claimed)
    return db.execute(
        f"SELECT role_id, diamonds_milli FROM threshold_roles"
        f" WHERE guild_id = ? AND role_id IN ({marks}) ORDER BY role_id",
        (guild_id, *claimed),
    ).fetchall()


class SqliteLedger:
    """The `LedgerStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_entry(
        self,
        guild_id: int,
        recipient_id: int,
        recorder_id: int,
        *,
        gifter: Gifter | None = None,
        gift_name: str | None,
        count: int,
        coins: int,
        diamonds: Decimal | int,
        seen: Sequence[Seen] = (),
        now: datetime | None = None,
    ) -> Recorded:
        """Record a tally line (its totals move in the same statement) and read the total."""
        milli = check_entry(gift_name, count, coins, diamonds)
        moment = as_utc(now)
        month, week = period_keys(moment)
        stamp = moment.isoformat()
        gifter_key = stored_text(gifter.key) if gifter else None
        gifter_name = stored_text(gifter.name, 64) if gifter else None

        def write(db: sqlite3.Connection) -> tuple[int, Decimal, list[Row], bool]:
            (entry_id,) = db.execute(
                INSERT_ENTRY,
                (guild_id, recipient_id, gifter_key, gifter_name, recorder_id, gift_name,
                 count, coins, milli, stamp, month, week),
            ).fetchone()  # fmt: skip
            _note_names(db, guild_id, seen, stamp)
            reached = _claim_thresholds(db, guild_id, recipient_id, stamp)
            (goals,) = db.execute(OPEN_GOALS_EXIST, (guild_id,)).fetchone()
            return entry_id, _total(db, guild_id, recipient_id), reached, bool(goals)

        entry_id, total, reached, goals = await self._db.write(write)
        entry = Entry(
            entry_id, guild_id, recipient_id, gifter, recorder_id, gift_name, count, coins,
            from_milli(milli), moment, False, None,
        )  # fmt: skip
        return Recorded(entry, total, roles_reached(reached), goals)

    async def undo_last(self, guild_id: int, recorder_id: int) -> Entry | None:
        """Mark the recorder's latest active entry undone (totals follow in the statement)."""

        def write(db: sqlite3.Connection) -> Row | None:
            row: Row | None = db.execute(
                f"UPDATE ledger SET undone = 1 WHERE id = (SELECT id FROM ledger"
                f" WHERE guild_id = ? AND recorder_id = ? AND {ACTIVE} ORDER BY id DESC LIMIT 1)"
                f" RETURNING {ENTRY_COLUMNS}",
                (guild_id, recorder_id),
            ).fetchone()
            return row

        row = await self._db.write(write)
        return entry_from(row) if row else None

    async def undo_entry(
        self, guild_id: int, entry_id: int, recorder_id: int, *, since: datetime
    ) -> Entry | None:
        """Undo one entry its recorder made after `since`, if it is still active."""
        after = as_utc(since).isoformat()

        def write(db: sqlite3.Connection) -> Row | None:
            row: Row | None = db.execute(
                f"UPDATE ledger SET undone = 1 WHERE id = ? AND guild_id = ? AND recorder_id = ?"
                f" AND created_at >= ? AND {ACTIVE} RETURNING {ENTRY_COLUMNS}",
                (entry_id, guild_id, recorder_id, after),
            ).fetchone()
            return row

        row = await self._db.write(write)
        return entry_from(row) if row else None

    async def user_summary(
        self, guild_id: int, user_id: int, period: Period = "all", now: datetime | None = None
    ) -> UserSummary:
        """A member's totals for the period containing `now`; rank by diamonds received."""
        async with self._db.snapshot() as session:
            return await _summary(session, guild_id, user_id, resolve_period_key(period, now))

    async def member_tally(
        self, guild_id: int, user_id: int, top: int = 5, now: datetime | None = None
    ) -> MemberTally:
        """All-time, month and week totals and top gifts, from one snapshot."""
        check_page(0, top)
        month, week = period_keys(as_utc(now))
        async with self._db.snapshot() as session:
            received = await session.rows(RECEIVED_PERIODS, (guild_id, user_id, month, week))
            given = await session.rows(GIVEN_PERIODS, (guild_id, member_key(user_id), month, week))
            gifts = await session.rows(TOP_GIFTS, (guild_id, user_id, top))
        all_time, this_month, this_week = period_summaries(received, given, ("all", month, week))
        return MemberTally(all_time, this_month, this_week, tuple(gift_counts(gifts)))

    async def top_gifts(self, guild_id: int, user_id: int, limit: int = 5) -> list[GiftCount]:
        """Gifts received (active, all time) by diamonds, then count, then name."""
        check_page(0, limit)
        return gift_counts(await self._db.read(TOP_GIFTS, (guild_id, user_id, limit)))

    async def leaderboard(
        self,
        guild_id: int,
        by: By,
        period: Period | str,
        limit: int = 10,
        now: datetime | None = None,
        *,
        offset: int = 0,
    ) -> list[LeaderboardRow]:
        """Top receivers by diamonds or gifters by coins; equal values share a rank."""
        check_page(offset, limit)
        key = resolve_period_key(period, now)
        rows = await self._db.read(leaderboard_sql(by), board_params(guild_id, key, limit, offset))
        return [leaderboard_row(by, row) for row in rows]

    async def standings(
        self,
        guild_id: int,
        viewer_id: int,
        by: By,
        period: Period | str,
        limit: int = 10,
        now: datetime | None = None,
    ) -> Standings:
        """The top rows and the viewer's own row, from one snapshot."""
        check_page(0, limit)
        key = resolve_period_key(period, now)
        async with self._db.snapshot() as session:
            rows = await session.rows(leaderboard_sql(by), board_params(guild_id, key, limit, 0))
            mine = await session.row(rank_sql(by), (guild_id, viewer_key(by, viewer_id), key))
        viewer = leaderboard_row(by, (*mine, None)) if mine else None
        return Standings(tuple(leaderboard_row(by, row) for row in rows), viewer)

    async def history(
        self, guild_id: int, user_id: int, offset: int = 0, limit: int = 10
    ) -> tuple[list[Entry], int]:
        """Active entries the member RECEIVED, newest first, plus their total count."""
        check_page(offset, limit)
        async with self._db.snapshot() as session:
            rows = await session.rows(HISTORY, (guild_id, user_id, limit, offset))
            total = await session.row(HISTORY_COUNT, (guild_id, user_id))
        return [entry_from(row) for row in rows], total[0] if total else 0

    async def reset_preview(self, guild_id: int, user_id: int) -> ResetPreview:
        """The member's active received entries now: how many, their diamonds, the newest id."""
        rows = await self._db.read(RESET_PREVIEW, (guild_id, user_id))
        count, milli, up_to = rows[0]
        return ResetPreview(count, from_milli(milli), up_to)

    async def archive_member(
        self, guild_id: int, user_id: int, actor_id: int, up_to_id: int
    ) -> int:
        """Archive the member's active received entries up to `up_to_id`, in bounded steps
        (the first step in the transaction that records the reset)."""
        now = as_utc().isoformat()

        def begin(db: sqlite3.Connection) -> int | None:
            found = db.execute(
                f"SELECT 1 FROM ledger WHERE guild_id = ? AND recipient_id = ? AND {ACTIVE}"
                f" AND id <= ? LIMIT 1",
                (guild_id, user_id, up_to_id),
            ).fetchone()
            if found is None:
                return None
            (reset_id,) = db.execute(
                "INSERT INTO resets (guild_id, user_id, actor_id, entries, created_at, up_to_id)"
                " VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
                (guild_id, user_id, actor_id, now, up_to_id),
            ).fetchone()
            _archive_step(db, int(reset_id))
            return int(reset_id)

        reset_id = await self._db.write(begin)
        if reset_id is None:
            return 0
        with no_deadline():  # the reset is committed: its remaining steps must follow
            return await archive_steps(self._db, reset_id)

    async def restore_member(self, guild_id: int, user_id: int) -> tuple[int, Decimal]:
        """Bring back the member's latest unrestored archive: (entries restored, new total)."""
        now = as_utc().isoformat()

        def begin(db: sqlite3.Connection) -> tuple[int, int] | None:
            reset = db.execute(
                "SELECT id FROM resets WHERE guild_id = ? AND user_id = ?"
                " AND restored_at IS NULL ORDER BY id DESC LIMIT 1",
                (guild_id, user_id),
            ).fetchone()
            if reset is None:
                return None
            db.execute("UPDATE resets SET restored_at = ? WHERE id = ?", (now, reset[0]))
            return int(reset[0]), _restore_step(db, int(reset[0]))

        begun = await self._db.write(begin)
        restored = 0
        if begun is not None:
            reset_id, restored = begun
            if restored == ARCHIVE_STEP:
                with no_deadline():
                    restored += await restore_steps(self._db, reset_id)
        rows = await self._db.read(RECIPIENT_TOTAL, (guild_id, user_id))
        return restored, from_milli(rows[0][0]) if rows else Decimal(0)

    async def export_rows(self, guild_id: int) -> AsyncIterator[Entry]:
        """Every entry of the server in id order (with flags), read in chunks."""
        after = 0
        while True:
            rows = await self._db.read(EXPORT, (guild_id, after, EXPORT_CHUNK))
            for entry in await asyncio.to_thread(entries_from, rows):  # off the event loop
                yield entry
            if len(rows) < EXPORT_CHUNK:
                return
            after = rows[-1][0]

    async def names(self, guild_id: int, user_ids: Collection[int]) -> dict[int, Seen]:
        """The names and avatars last seen for these people in this server."""
        wanted = sorted(set(user_ids))[:100]
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        rows = await self._db.read(
            f"SELECT user_id, name, avatar FROM member_names WHERE guild_id = ?"
            f" AND user_id IN ({marks})",
            (guild_id, *wanted),
        )
        return {row[0]: Seen(row[0], row[1], row[2]) for row in rows}


def _archive_step(conn: sqlite3.Connection, reset_id: int) -> bool:
    """Archive up to ARCHIVE_STEP more of a reset's entries; True once it is finished. A reset
    restored meanwhile is finished as it stands: archiving on would take back what the restore
    brought back, and the two would undo each other for ever."""
    guild_id, user_id, up_to_id, done, restored_at = conn.execute(
        "SELECT guild_id, user_id, up_to_id, entries, restored_at FROM resets WHERE id = ?",
        (reset_id,),
    ).fetchone()
    if restored_at is not None:
        conn.execute(
            "UPDATE resets SET finished_at = COALESCE(finished_at, ?) WHERE id = ?",
            (as_utc().isoformat(), reset_id),
        )
        return True
    changed = conn.execute(
        f"UPDATE ledger SET archived = ? WHERE id IN (SELECT id FROM ledger"
        f" WHERE guild_id = ? AND recipient_id = ? AND {ACTIVE} AND id <= ?"
        f" ORDER BY id LIMIT ?)",
        (reset_id, guild_id, user_id, up_to_id, ARCHIVE_STEP),
    ).rowcount
    finished = changed < ARCHIVE_STEP
    conn.execute(
        "UPDATE resets SET entries = ?, finished_at = CASE WHEN ? THEN ? END WHERE id = ?",
        (done + changed, finished, as_utc().isoformat(), reset_id),
    )
    return finished


def _restore_step(conn: sqlite3.Connection, reset_id: int) -> int:
    """Un-archive up to ARCHIVE_STEP of a reset's entries; how many came back."""
    return int(
        conn.execute(
            "UPDATE ledger SET archived = NULL WHERE id IN (SELECT id FROM ledger"
            " WHERE archived = ? LIMIT ?)",
            (reset_id, ARCHIVE_STEP),
        ).rowcount
    )


async def archive_steps(db: Database, reset_id: int) -> int:
    """Finish archiving a reset, a step per transaction; returns how many it archived."""
    rows = await db.read("SELECT finished_at IS NOT NULL FROM resets WHERE id = ?", (reset_id,))
    finished = bool(rows and rows[0][0])
    while not finished:
        finished = await db.write(lambda conn: _archive_step(conn, reset_id))
    rows = await db.read("SELECT entries FROM resets WHERE id = ?", (reset_id,))
    return int(rows[0][0])


async def restore_steps(db: Database, reset_id: int) -> int:
    """Un-archive the rest of a reset's entries, a step per transaction; how many came back."""
    restored = 0
    while True:
        changed = await db.write(lambda conn: _restore_step(conn, reset_id))
        restored += changed
        if changed < ARCHIVE_STEP:
            return restored


async def resume_interrupted(db: Database) -> None:
    """Finish resets and restores a stopped process left half done."""
    rows = await db.read(
        "SELECT id, restored_at IS NOT NULL FROM resets WHERE finished_at IS NULL"
        " OR (restored_at IS NOT NULL"
        "     AND EXISTS (SELECT 1 FROM ledger WHERE archived = resets.id))",
        (),
    )
    for reset_id, restoring in rows:
        if restoring:
            await restore_steps(db, reset_id)
        else:
            await archive_steps(db, reset_id)
