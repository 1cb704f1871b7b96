"""`PostgresLedger`: tally entries whose totals triggers keep (migration V001).

The statements are the shared ones (`economy.storage.queries`, numbered for asyncpg) wherever
the dialects agree, so ranks, orders and ties are SQLite's. Undo, reset and restore of one
member take that member's advisory lock, so two of them never pick the same rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Sequence
from datetime import datetime
from decimal import Decimal

from economy.storage.checks import check_entry, check_page, stored_text
from economy.storage.deadlines import no_deadline
from economy.storage.ledger import ResetPreview, from_milli
from economy.storage.periods import Period, as_utc, period_keys, resolve_period_key
from economy.storage.postgres.connection import Connection, Database, Session, affected, lock
from economy.storage.queries import (
    ACTIVE,
    ENTRY_COLUMNS,
    EXPORT,
    EXPORT_CHUNK,
    GIVEN,
    GIVEN_PERIODS,
    HISTORY,
    HISTORY_COUNT,
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
    numbered,
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

ARCHIVE_STEP = 2000  # entries archived or restored per transaction
# The entry, its recipient's new total, the threshold roles that total reached (claimed here,
# as CLAIM_THRESHOLDS does on SQLite: from the total tally_add returns, which this statement's
# own reads could not see yet), their thresholds, and whether goals may follow: one statement.
TALLY_ADD = (
    "WITH added AS (SELECT * FROM tally_add({args})),"
    " claimed AS (INSERT INTO threshold_grants (guild_id, role_id, user_id, granted_at)"
    "  SELECT t.guild_id, t.role_id, $2, $10 FROM threshold_roles t, added a"
    "  WHERE t.guild_id = $1 AND t.status = 'active'"
    "  AND t.diamonds_milli <= COALESCE(a.recipient_total, 0)"
    "  ON CONFLICT DO NOTHING RETURNING role_id)"
    " SELECT a.entry_id, a.recipient_total,"
    " ARRAY(SELECT c.role_id FROM claimed c ORDER BY c.role_id),"
    " ARRAY(SELECT t.diamonds_milli FROM claimed c JOIN threshold_roles t"
    "  ON t.guild_id = $1 AND t.role_id = c.role_id ORDER BY c.role_id),"
    " ({goals}) FROM added a"
).format(args=", ".join(f"${n}" for n in range(1, 16)), goals=numbered(OPEN_GOALS_EXIST))


def tally_add_params(
    guild_id: int,
    recipient_id: int,
    gifter: Gifter | None,
    recorder_id: int,
    gift_name: str | None,
    counts: tuple[int, int, int],
    moment: datetime,
    seen: Sequence[Seen],
) -> tuple[object, ...]:
    """The arguments of TALLY_ADD; `counts` is (count, coins, diamonds in thousandths)."""
    month, week = period_keys(moment)
    unique = {s.user_id: s for s in seen}
    return (
        guild_id, recipient_id, stored_text(gifter.key) if gifter else None,
        stored_text(gifter.name, 64) if gifter else None, recorder_id, gift_name, *counts,
        moment, month, week, list(unique), [stored_text(s.name, 100) for s in unique.values()],
        [s.avatar or None for s in unique.values()],
    )  # fmt: skip


async def _summary(session: Session, guild_id: int, user_id: int, key: str) -> UserSummary:
    received = await session.row(numbered(RECEIVED), (guild_id, user_id, key))
    given = await session.row(numbered(GIVEN), (guild_id, member_key(user_id), key))
    return summary_from(received, given)


class PostgresLedger:
    """The `LedgerStore` protocol on PostgreSQL."""

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
        params = tally_add_params(
            guild_id, recipient_id, gifter, recorder_id, gift_name, (count, coins, milli),
            moment, seen,
        )  # fmt: skip
        row = await self._db.write_one(TALLY_ADD, params)
        entry_id, total_milli, role_ids, thresholds, goals = row
        entry = Entry(
            entry_id, guild_id, recipient_id, gifter, recorder_id, gift_name, count, coins,
            from_milli(milli), moment, False, None,
        )  # fmt: skip
        reached = roles_reached(zip(role_ids, thresholds, strict=True))
        return Recorded(entry, from_milli(total_milli or 0), reached, goals)

    async def undo_last(self, guild_id: int, recorder_id: int) -> Entry | None:
        """Mark the recorder's latest active entry undone (totals follow in the statement)."""

        async def write(conn: Connection) -> Entry | None:
            await lock(conn, "recorder", guild_id, recorder_id)
            row = await conn.fetchrow(
                f"UPDATE ledger SET undone = 1 WHERE id = (SELECT id FROM ledger"
                f" WHERE guild_id = $1 AND recorder_id = $2 AND {ACTIVE} ORDER BY id DESC LIMIT 1)"
                f" AND {ACTIVE} RETURNING {ENTRY_COLUMNS}",
                guild_id,
                recorder_id,
            )
            return entry_from(row) if row else None

        return await self._db.write(write)

    async def undo_entry(
        self, guild_id: int, entry_id: int, recorder_id: int, *, since: datetime
    ) -> Entry | None:
        """Undo one entry its recorder made after `since`, if it is still active."""
        after = as_utc(since)

        async def write(conn: Connection) -> Entry | None:
            row = await conn.fetchrow(
                f"UPDATE ledger SET undone = 1 WHERE id = $1 AND guild_id = $2"
                f" AND recorder_id = $3 AND created_at >= $4 AND {ACTIVE}"
                f" RETURNING {ENTRY_COLUMNS}",
                entry_id,
                guild_id,
                recorder_id,
                after,
            )
            return entry_from(row) if row else None

        return await self._db.write(write)

    async def user_summary(
        self, guild_id: int, user_id: int, period: Period = "all", now: datetime | None = None
    ) -> UserSummary:
        """A member's totals for the period containing `now`; rank by diamonds received."""
        key = resolve_period_key(period, now)
        async with self._db.snapshot() as session:
            return await _summary(session, guild_id, user_id, key)

    async def member_tally(
        self, guild_id: int, user_id: int, top: int = 5, now: datetime | None = None
    ) -> MemberTally:
        """All-time, month and week totals and top gifts, from one snapshot."""
        check_page(0, top)
        month, week = period_keys(as_utc(now))
        async with self._db.snapshot() as session:
            received = await session.rows(
                numbered(RECEIVED_PERIODS), (guild_id, user_id, month, week)
            )
            given = await session.rows(
                numbered(GIVEN_PERIODS), (guild_id, member_key(user_id), month, week)
            )
            gifts = await session.rows(numbered(TOP_GIFTS), (guild_id, user_id, top))
        all_time, this_month, this_week = period_summaries(received, given, ("all", month, week))
        return MemberTally(all_time, this_month, this_week, tuple(gift_counts(gifts)))

    async def top_gifts(self, guild_id: int, user_id: int, limit: int = 5) -> list[GiftCount]:
        """Gifts received (active, all time) by diamonds, then count, then name."""
        check_page(0, limit)
        return gift_counts(await self._db.read(numbered(TOP_GIFTS), (guild_id, user_id, limit)))

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
        rows = await self._db.read(
            numbered(leaderboard_sql(by)), board_params(guild_id, key, limit, offset)
        )
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
            rows = await session.rows(
                numbered(leaderboard_sql(by)), board_params(guild_id, key, limit, 0)
            )
            mine = await session.row(
                numbered(rank_sql(by)), (guild_id, viewer_key(by, viewer_id), key)
            )
        viewer = leaderboard_row(by, (*mine, None)) if mine else None
        return Standings(tuple(leaderboard_row(by, row) for row in rows), viewer)

    async def history(
        self, guild_id: int, user_id: int, offset: int = 0, limit: int = 10
    ) -> tuple[list[Entry], int]:
        """Active entries the member RECEIVED, newest first, plus their total count."""
        check_page(offset, limit)
        async with self._db.snapshot() as session:
            rows = await session.rows(numbered(HISTORY), (guild_id, user_id, limit, offset))
            total = await session.row(numbered(HISTORY_COUNT), (guild_id, user_id))
        return [entry_from(row) for row in rows], int(total[0]) if total else 0

    async def reset_preview(self, guild_id: int, user_id: int) -> ResetPreview:
        """The member's active received entries now: how many, their diamonds, the newest id."""
        rows = await self._db.read(numbered(RESET_PREVIEW), (guild_id, user_id))
        count, milli, up_to = rows[0]
        return ResetPreview(int(count), from_milli(int(milli)), int(up_to))

    async def archive_member(
        self, guild_id: int, user_id: int, actor_id: int, up_to_id: int
    ) -> int:
        """Archive the member's active received entries up to `up_to_id`, in bounded steps
        (the first step in the transaction that records the reset)."""
        now = as_utc()

        async def begin(conn: Connection) -> int | None:
            await lock(conn, "member", guild_id, user_id)
            found = await conn.fetchval(
                f"SELECT 1 FROM ledger WHERE guild_id = $1 AND recipient_id = $2 AND {ACTIVE}"
                f" AND id <= $3 LIMIT 1",
                guild_id,
                user_id,
                up_to_id,
            )
            if found is None:
                return None
            reset_id: int = await conn.fetchval(
                "INSERT INTO resets (guild_id, user_id, actor_id, entries, created_at, up_to_id)"
                " VALUES ($1, $2, $3, 0, $4, $5) RETURNING id",
                guild_id, user_id, actor_id, now, up_to_id,
            )  # fmt: skip
            await _archive_step(conn, reset_id)
            return reset_id

        reset_id = await self._db.write(begin)
        if reset_id is None:
            return 0
        with no_deadline():  # the reset is committed: its remaining steps must follow
            return await archive_steps(self._db, reset_id)

    async def restore_member(self, guild_id: int, user_id: int) -> tuple[int, Decimal]:
        """Bring back the member's latest unrestored archive: (entries restored, new total)."""
        now = as_utc()

        async def begin(conn: Connection) -> tuple[int, int] | None:
            await lock(conn, "member", guild_id, user_id)
            reset_id = await conn.fetchval(
                "SELECT id FROM resets WHERE guild_id = $1 AND user_id = $2"
                " AND restored_at IS NULL ORDER BY id DESC LIMIT 1",
                guild_id,
                user_id,
            )
            if reset_id is None:
                return None
            await conn.execute("UPDATE resets SET restored_at = $1 WHERE id = $2", now, reset_id)
            return int(reset_id), await _restore_step(conn, int(reset_id))

        begun = await self._db.write(begin)
        restored = 0
        if begun is not None:
            reset_id, restored = begun
            if restored == ARCHIVE_STEP:
                with no_deadline():
                    restored += await restore_steps(self._db, reset_id)
        rows = await self._db.read(numbered(RECIPIENT_TOTAL), (guild_id, user_id))
        return restored, from_milli(rows[0][0]) if rows else Decimal(0)

    async def export_rows(self, guild_id: int) -> AsyncIterator[Entry]:
        """Every entry of the server in id order (with flags), read in chunks."""
        after = 0
        while True:
            rows = await self._db.read(numbered(EXPORT), (guild_id, after, EXPORT_CHUNK))
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
        rows = await self._db.read(
            "SELECT user_id, name, avatar FROM member_names WHERE guild_id = $1"
            " AND user_id = ANY($2::bigint[])",
            (guild_id, wanted),
        )
        return {row[0]: Seen(row[0], row[1], row[2]) for row in rows}


async def _archive_step(conn: Connection, reset_id: int) -> bool:
    """Archive up to ARCHIVE_STEP more of a reset's entries; True once it is finished. A reset
    restored meanwhile is finished as it stands: archiving on would take back what the restore
    brought back, and the two would undo each other for ever."""
    guild_id, user_id, up_to_id, done, restored_at = await conn.fetchrow(
        "SELECT guild_id, user_id, up_to_id, entries, restored_at FROM resets WHERE id = $1",
        reset_id,
    )
    if restored_at is not None:
        await conn.execute(
            "UPDATE resets SET finished_at = COALESCE(finished_at, now()) WHERE id = $1",
            reset_id,
        )
        return True
    status = await conn.execute(
        f"UPDATE ledger SET archived = $1 WHERE id IN (SELECT id FROM ledger"
        f" WHERE guild_id = $2 AND recipient_id = $3 AND {ACTIVE} AND id <= $4"
        f" ORDER BY id LIMIT $5) AND {ACTIVE}",
        reset_id, guild_id, user_id, up_to_id, ARCHIVE_STEP,
    )  # fmt: skip
    changed = affected(status)
    finished = changed < ARCHIVE_STEP
    await conn.execute(
        "UPDATE resets SET entries = $1,"
        " finished_at = CASE WHEN $2::boolean THEN now() END WHERE id = $3",
        done + changed,
        finished,
        reset_id,
    )
    return finished


async def _restore_step(conn: Connection, reset_id: int) -> int:
    """Un-archive up to ARCHIVE_STEP of a reset's entries; how many came back."""
    status = await conn.execute(
        "UPDATE ledger SET archived = NULL WHERE id IN (SELECT id FROM ledger"
        " WHERE archived = $1 LIMIT $2) AND archived = $1",
        reset_id,
        ARCHIVE_STEP,
    )
    return affected(status)


async def _member_step(db: Database, reset_id: int, step: str) -> int | bool:
    async def write(conn: Connection) -> int | bool:
        guild_id, user_id = await conn.fetchrow(
            "SELECT guild_id, user_id FROM resets WHERE id = $1", reset_id
        )
        await lock(conn, "member", guild_id, user_id)
        if step == "archive":
            return await _archive_step(conn, reset_id)
        return await _restore_step(conn, reset_id)

    return await db.write(write)


async def archive_steps(db: Database, reset_id: int) -> int:
    """Finish archiving a reset, a step per transaction; returns how many it archived."""
    rows = await db.read("SELECT finished_at IS NOT NULL FROM resets WHERE id = $1", (reset_id,))
    finished = bool(rows and rows[0][0])
    while not finished:
        finished = bool(await _member_step(db, reset_id, "archive"))
    rows = await db.read("SELECT entries FROM resets WHERE id = $1", (reset_id,))
    return int(rows[0][0])


async def restore_steps(db: Database, reset_id: int) -> int:
    """Un-archive the rest of a reset's entries, a step per transaction; how many came back."""
    restored = 0
    while True:
        changed = int(await _member_step(db, reset_id, "restore"))
        restored += changed
        if changed < ARCHIVE_STEP:
            return restored


async def resume_interrupted(db: Database) -> None:
    """Finish resets and restores a stopped process left half done."""
    rows = await db.read(
        "SELECT id, restored_at IS NOT NULL FROM resets WHERE finished_at IS NULL"
        " OR (restored_at IS NOT NULL"
        "     AND EXISTS (SELECT 1 FROM ledger WHERE archived = resets.id))",
    )
    for reset_id, restoring in rows:
        if restoring:
            await restore_steps(db, reset_id)
        else:
            await archive_steps(db, reset_id)
