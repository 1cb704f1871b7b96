"""`SqliteCommunity`: period posts and roles, threshold roles and goals (migration V003).

Each claim is one write: an INSERT that only one transaction can make (a unique row), or an
UPDATE guarded by the state it changes, with whatever the claimer needs read in that same
transaction. Two processes on one file take turns on the write lock, so exactly one wins.
The statements and reads are the shared ones (`economy.storage.community_queries`);
timestamps are written as ISO text, as SQLite keeps them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
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
from economy.storage.sqlite.connection import Database, Row


def read_report(db: sqlite3.Connection, schedule: Schedule, key: str) -> PeriodReport:
    """Everything a period's post shows, read on the claiming transaction's connection."""
    statements = report_statements(schedule, key)
    rows = {name: db.execute(sql, params).fetchall() for name, (sql, params) in statements.items()}
    return report_from(schedule, key, rows)


class SqliteCommunity(cq.CommunityReads, cq.ScheduleHalves):
    """The `CommunityStore` protocol on SQLite: the shared reads and schedule-half
    writes, and its transactions."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._db = db

    async def _write_row(self, sql: str, params: tuple[Any, ...]) -> Row | None:
        """One statement as a write of its own; its first row back (RETURNING)."""

        def write(db: sqlite3.Connection) -> Row | None:
            row = db.execute(sql, params).fetchone()
            return tuple(row) if row is not None else None

        return await self._db.write(write)

    # -- schedules ---------------------------------------------------------------------------

    async def _set_half(self, sql: str, params: tuple[Any, ...], now: datetime | None) -> Schedule:
        """One upsert of one half: the other half's columns are not in it."""
        return cq.schedule_from(
            await self._write_row(sql, (*params, as_utc(now).isoformat())) or ()
        )

    async def _stop_half(
        self, statements: tuple[str, str], guild_id: int, kind: PeriodKind, now: datetime | None
    ) -> bool:
        """The row's removal, or else the half emptied, in one write transaction."""
        remove, empty = statements
        key = (guild_id, cq.check_kind(kind))
        stamp = as_utc(now).isoformat()

        def write(db: sqlite3.Connection) -> bool:
            if db.execute(remove, key).fetchall():
                return True
            return bool(db.execute(empty, (stamp, *key)).fetchall())

        return await self._db.write(write)

    async def claim_period(
        self, guild_id: int, kind: PeriodKind, period_key: str, now: datetime | None = None
    ) -> PeriodReport | None:
        """The claim row and the report, in one transaction."""
        if kind_of(period_key) != cq.check_kind(kind):
            raise ValueError(f"{period_key!r} is not a {kind} key")
        moment = as_utc(now)
        ended = period_end(period_key)
        if ended > moment:
            return None  # not over yet
        cutoff = (moment - timedelta(seconds=CLAIM_LEASE_SECONDS)).isoformat()

        def write(db: sqlite3.Connection) -> PeriodReport | None:
            row = db.execute(cq.SCHEDULE, (guild_id, kind)).fetchone()
            schedule = cq.schedule_from(tuple(row)) if row else None
            if schedule is None or schedule.status != "active" or schedule.created_at >= ended:
                return None
            params = (guild_id, period_key, moment.isoformat(), cutoff)
            if db.execute(cq.CLAIM, params).fetchone() is None:
                return None
            return read_report(db, schedule, period_key)

        return await self._db.write(write)

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
        stamp = as_utc(now).isoformat()
        given = dict(holders or {})

        def write(db: sqlite3.Connection) -> None:
            db.execute(cq.FINISH_CLAIM, (stamp, outcome[:200], message_id, guild_id, period_key))
            for role_id, user_id in given.items():
                db.execute(cq.DROP_HOLDERS, (guild_id, role_id))
                if user_id is not None:
                    db.execute(cq.ADD_HOLDER, (guild_id, role_id, user_id, stamp))
            if failure is not None:
                db.execute(cq.FAIL_SCHEDULE, (failure[:200], guild_id, kind))

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
        params = (guild_id, role_id, to_milli(diamonds), manager_id, as_utc(now).isoformat())

        def write(db: sqlite3.Connection) -> Row:
            (others,) = db.execute(cq.OTHER_THRESHOLDS, (guild_id, role_id)).fetchone()
            if others >= MAX_THRESHOLD_ROLES:
                raise LimitReached("threshold roles", MAX_THRESHOLD_ROLES)
            row: Row = db.execute(cq.SAVE_THRESHOLD, params).fetchone()
            return row

        return cq.threshold_from(await self._db.write(write))

    async def remove_threshold_role(self, guild_id: int, role_id: int) -> ThresholdRole | None:
        row = await self._write_row(cq.REMOVE_THRESHOLD, (guild_id, role_id))
        return cq.threshold_from(row) if row else None

    async def settle_threshold_role(
        self, guild_id: int, role_id: int, user_id: int, failure: str
    ) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute(cq.DROP_GRANT, (guild_id, role_id, user_id))
            db.execute(cq.FAIL_THRESHOLD, (failure[:200], guild_id, role_id))

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
        stamp = as_utc(now).isoformat()
        due = due_on.isoformat() if due_on else None

        def write(db: sqlite3.Connection) -> Row:
            group_id = target.group_id
            if (
                group_id is not None
                and not db.execute(cq.GROUP_OF_GUILD, (group_id, guild_id)).fetchone()
            ):
                raise NotFound("group", group_id)
            db.execute(delete, (guild_id, target_id)).fetchall()  # RETURNING: run it through
            (count,) = db.execute(cq.COUNT_GOALS, (guild_id,)).fetchone()
            if count >= MAX_GOALS:
                raise LimitReached("goals", MAX_GOALS)
            (after,) = db.execute(cq.NEWEST_ENTRY, (guild_id,)).fetchone()
            row: Row = db.execute(
                cq.INSERT_GOAL,
                (guild_id, target.user_id, group_id, str(amount), currency, due, after,
                 setter_id, stamp),
            ).fetchone()  # fmt: skip
            return row

        return cq.goal_from(await self._db.write(write))

    async def clear_goal(self, guild_id: int, target: GoalTarget) -> Goal | None:
        delete, target_id = cq.goal_sql("DELETE", target)
        row = await self._write_row(delete, (guild_id, target_id))
        return cq.goal_from(row) if row else None

    async def claim_goal_reached(self, goal_id: int, now: datetime | None = None) -> bool:
        row = await self._write_row(cq.CLAIM_GOAL_REACHED, (as_utc(now).isoformat(), goal_id))
        return row is not None
