"""`PostgresCommunity`: period posts and roles, threshold roles and goals (migration V002).

The statements and reads are SQLite's (`economy.storage.community_queries`, numbered), so
every order, tie and "once" is the same; timestamps are passed as datetimes. A "once" is a
unique row or a guarded UPDATE, which PostgreSQL settles between concurrent writers of any
process: the second INSERT of a (server, period) claim or of a threshold grant waits for the
first and then conflicts; the second goal claim finds `reached_at` set. A period is claimed
and its report read in one REPEATABLE READ transaction (one snapshot, as SQLite's write lock
gives), and a claim that raced another is retried, then finds the other's row. Caps
(threshold roles, goals) are checked under the server's advisory lock, so concurrent writes
never overshoot them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from economy.errors import LimitReached, NotFound
from economy.limits import MAX_AMOUNT, MAX_GOALS, MAX_THRESHOLD_ROLES
from economy.storage import community_queries as cq
from economy.storage.checks import check_range
from economy.storage.community import (
    CLAIM_LEASE_SECONDS,
    Goal,
    GoalTarget,
    PeriodReport,
    Schedule,
    ThresholdRole,
)
from economy.storage.ledger import to_milli
from economy.storage.period_report import report_from, report_statements
from economy.storage.periods import PeriodKind, as_utc, kind_of, period_end
from economy.storage.postgres.connection import Connection, Database, Record, lock
from economy.storage.queries import numbered


async def read_report(conn: Connection, schedule: Schedule, key: str) -> PeriodReport:
    """Everything a period's post shows, read in the claiming transaction."""
    rows: dict[str, Sequence[Record]] = {}
    for name, (sql, params) in report_statements(schedule, key).items():
        rows[name] = await conn.fetch(numbered(sql), *params)
    return report_from(schedule, key, rows)


class PostgresCommunity(cq.CommunityReads, cq.ScheduleHalves):
    """The `CommunityStore` protocol on PostgreSQL: the shared reads and schedule-half
    writes, and its transactions."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, numbered, cq.as_datetime)
        self._db = db

    async def _write_row(self, sql: str, params: Sequence[Any]) -> Record | None:
        """One shared statement as a write of its own; its first row back (RETURNING)."""
        row: Record | None = await self._db.write_one(numbered(sql), params)
        return row

    # -- schedules ---------------------------------------------------------------------------

    async def _set_half(self, sql: str, params: tuple[Any, ...], now: datetime | None) -> Schedule:
        """One upsert of one half: the other half's columns are not in it."""
        return cq.schedule_from(await self._write_row(sql, (*params, as_utc(now))) or ())

    async def _stop_half(
        self, statements: tuple[str, str], guild_id: int, kind: PeriodKind, now: datetime | None
    ) -> bool:
        """The row's removal, or else the half emptied, in one transaction. Two stops of a
        schedule take turns on its advisory lock, so the second sees what the first left
        (side by side, each could find the other's half set and empty its own: a row with
        neither, which the table's CHECK refuses). A set never empties a half and needs no
        lock: a stop's statement meeting a row a set is changing waits for it and checks its
        condition again on the new row; a set meeting a stop waits for it, then updates the
        row left or inserts one if the stop removed it."""
        remove, empty = (numbered(sql) for sql in statements)
        key = (guild_id, cq.check_kind(kind))
        moment = as_utc(now)

        async def write(conn: Connection) -> bool:
            await lock(conn, "schedule", *key)
            if await conn.fetchrow(remove, *key) is not None:
                return True
            return await conn.fetchrow(empty, moment, *key) is not None

        return await self._db.write(write)

    async def claim_period(
        self, guild_id: int, kind: PeriodKind, period_key: str, now: datetime | None = None
    ) -> PeriodReport | None:
        """The claim row and the report, in one snapshot."""
        if kind_of(period_key) != cq.check_kind(kind):
            raise ValueError(f"{period_key!r} is not a {kind} key")
        moment = as_utc(now)
        ended = period_end(period_key)
        if ended > moment:
            return None  # not over yet
        cutoff = moment - timedelta(seconds=CLAIM_LEASE_SECONDS)

        async def write(conn: Connection) -> PeriodReport | None:
            row = await conn.fetchrow(numbered(cq.SCHEDULE), guild_id, kind)
            schedule = cq.schedule_from(row) if row else None
            if schedule is None or schedule.status != "active" or schedule.created_at >= ended:
                return None
            claimed = await conn.fetchrow(numbered(cq.CLAIM), guild_id, period_key, moment, cutoff)
            if claimed is None:
                return None
            return await read_report(conn, schedule, period_key)

        return await self._db.write(write, isolation="repeatable_read")

    async def finish_period(
        self,
        guild_id: int,
        kind: PeriodKind,
        period_key: str,
        *,
        outcome: str,
        message_id: int | None = None,
        holders: Mapping[int, int | None] | None = None,
        failure: str | None = None,
        now: datetime | None = None,
    ) -> None:
        stamp = as_utc(now)
        given = dict(holders or {})

        async def write(conn: Connection) -> None:
            await conn.execute(
                numbered(cq.FINISH_CLAIM), stamp, outcome[:200], message_id, guild_id, period_key
            )
            for role_id, user_id in given.items():
                await conn.execute(numbered(cq.DROP_HOLDERS), guild_id, role_id)
                if user_id is not None:
                    await conn.execute(numbered(cq.ADD_HOLDER), guild_id, role_id, user_id, stamp)
            if failure is not None:
                await conn.execute(numbered(cq.FAIL_SCHEDULE), failure[:200], guild_id, kind)

        await self._db.write(write)

    # -- threshold roles ---------------------------------------------------------------------

    async def save_threshold_role(
        self,
        guild_id: int,
        role_id: int,
        diamonds: int,
        manager_id: int,
        now: datetime | None = None,
    ) -> ThresholdRole:
        check_range("diamonds", diamonds, 1, MAX_AMOUNT)
        params = (guild_id, role_id, to_milli(diamonds), manager_id, as_utc(now))

        async def write(conn: Connection) -> Record:
            await lock(conn, "threshold roles", guild_id)
            others = await conn.fetchval(numbered(cq.OTHER_THRESHOLDS), guild_id, role_id)
            if others >= MAX_THRESHOLD_ROLES:
                raise LimitReached("threshold roles", MAX_THRESHOLD_ROLES)
            row: Record = await conn.fetchrow(numbered(cq.SAVE_THRESHOLD), *params)
            return row

        return cq.threshold_from(await self._db.write(write))

    async def remove_threshold_role(self, guild_id: int, role_id: int) -> ThresholdRole | None:
        row = await self._write_row(cq.REMOVE_THRESHOLD, (guild_id, role_id))
        return cq.threshold_from(row) if row else None

    async def settle_threshold_role(
        self, guild_id: int, role_id: int, user_id: int, failure: str
    ) -> None:
        async def write(conn: Connection) -> None:
            await conn.execute(numbered(cq.DROP_GRANT), guild_id, role_id, user_id)
            await conn.execute(numbered(cq.FAIL_THRESHOLD), failure[:200], guild_id, role_id)

        await self._db.write(write)

    # -- goals -------------------------------------------------------------------------------

    async def set_goal(
        self,
        guild_id: int,
        target: GoalTarget,
        amount: Decimal,
        currency: str | None,
        due_on: date | None,
        setter_id: int,
        now: datetime | None = None,
    ) -> Goal:
        cq.check_goal_amount(amount)
        delete, target_id = cq.goal_sql("DELETE", target)
        stamp = as_utc(now)

        async def write(conn: Connection) -> Record:
            await lock(conn, "goals", guild_id)
            group_id = target.group_id
            if group_id is not None:
                # FOR KEY SHARE: a concurrent delete of the group waits until the goal is in
                found = await conn.fetchval(
                    numbered(cq.GROUP_OF_GUILD) + " FOR KEY SHARE", group_id, guild_id
                )
                if found is None:
                    raise NotFound("group", group_id)
            await conn.execute(numbered(delete), guild_id, target_id)
            if await conn.fetchval(numbered(cq.COUNT_GOALS), guild_id) >= MAX_GOALS:
                raise LimitReached("goals", MAX_GOALS)
            after = await conn.fetchval(numbered(cq.NEWEST_ENTRY), guild_id)
            row: Record = await conn.fetchrow(
                numbered(cq.INSERT_GOAL),
                guild_id, target.user_id, group_id, amount, currency, due_on, after, setter_id,
                stamp,
            )  # fmt: skip
            return row

        return cq.goal_from(await self._db.write(write))

    async def clear_goal(self, guild_id: int, target: GoalTarget) -> Goal | None:
        delete, target_id = cq.goal_sql("DELETE", target)
        row = await self._write_row(delete, (guild_id, target_id))
        return cq.goal_from(row) if row else None

    async def claim_goal_reached(self, goal_id: int, now: datetime | None = None) -> bool:
        row = await self._write_row(cq.CLAIM_GOAL_REACHED, (as_utc(now), goal_id))
        return row is not None
