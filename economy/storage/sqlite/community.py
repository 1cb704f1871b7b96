"""`SqliteCommunity`: period posts and roles, threshold roles and goals (migration V003).

Each claim is one write: an INSERT that only one transaction can make (a unique row), or an
UPDATE guarded by the state it changes, with whatever the claimer needs read in that same
transaction. Two processes on one file take turns on the write lock, so exactly one wins.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from economy.errors import InvalidValue, LimitReached, NotFound
from economy.limits import (
    MAX_AMOUNT,
    MAX_GOALS,
    MAX_THRESHOLD_ROLES,
)
from economy.storage.checks import check_range
from economy.storage.community import (
    CLAIM_LEASE_SECONDS,
    DuePeriod,
    Goal,
    GoalStanding,
    GoalTarget,
    PeriodReport,
    Schedule,
    ThresholdRole,
)
from economy.storage.ledger import from_milli, to_milli
from economy.storage.periods import (
    PERIOD_KINDS,
    PeriodKind,
    as_utc,
    kind_of,
    period_end,
    previous_period_key,
)
from economy.storage.queries import ACTIVE
from economy.storage.sqlite.connection import Database, Row, Session
from economy.storage.sqlite.period_report import read_report

SCHEDULE_COLUMNS = (
    "guild_id, kind, channel_id, gifter_role_id, receiver_role_id, manager_id, locale,"
    " created_at, status, failure"
)
THRESHOLD_COLUMNS = "guild_id, role_id, diamonds_milli, manager_id, created_at, status, failure"
GOAL_COLUMNS = (
    "id, guild_id, user_id, group_id, amount, currency, due_on, after_entry_id, setter_id,"
    " created_at, reached_at"
)
_DUE = (
    "SELECT s.guild_id, s.kind FROM period_schedules s WHERE s.status = 'active'"
    " AND s.created_at < CASE s.kind WHEN 'week' THEN ? ELSE ? END"
    " AND NOT EXISTS (SELECT 1 FROM period_claims c WHERE c.guild_id = s.guild_id"
    "  AND c.period_key = CASE s.kind WHEN 'week' THEN ? ELSE ? END"
    "  AND (c.finished_at IS NOT NULL OR c.claimed_at >= ?))"
    " ORDER BY s.guild_id, s.kind LIMIT ?"
)
_CLAIM = (
    "INSERT INTO period_claims (guild_id, period_key, claimed_at) VALUES (?, ?, ?)"
    " ON CONFLICT (guild_id, period_key) DO UPDATE SET claimed_at = excluded.claimed_at"
    " WHERE period_claims.finished_at IS NULL AND period_claims.claimed_at < ?"
    " RETURNING claimed_at"
)
_CLAIM_THRESHOLDS = (
    "INSERT INTO threshold_grants (guild_id, role_id, user_id, granted_at)"
    " SELECT t.guild_id, t.role_id, ?, ? FROM threshold_roles t"
    " WHERE t.guild_id = ? AND t.status = 'active' AND t.diamonds_milli <= COALESCE("
    "  (SELECT diamonds_milli FROM received_totals WHERE guild_id = ? AND user_id = ?"
    "   AND period_key = 'all'), 0)"
    " ON CONFLICT DO NOTHING RETURNING role_id"
)
_MEMBER_SINCE = (
    f"SELECT COALESCE(SUM(diamonds_milli), 0) FROM ledger WHERE guild_id = ? AND recipient_id = ?"
    f" AND id > ? AND {ACTIVE}"
)
_GROUP_SINCE = (
    f"SELECT COALESCE(SUM(diamonds_milli), 0) FROM ledger WHERE guild_id = ? AND id > ?"
    f" AND recipient_id IN (SELECT user_id FROM tally_group_members WHERE group_id = ?)"
    f" AND {ACTIVE}"
)


def _when(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text))


def schedule_from(row: Row) -> Schedule:
    guild_id, kind, channel, gifter_role, receiver_role, manager, locale, created = row[:8]
    return Schedule(
        guild_id, kind, channel, gifter_role, receiver_role, manager, locale, _when(created),
        row[8], row[9],
    )  # fmt: skip


def threshold_from(row: Row) -> ThresholdRole:
    guild_id, role_id, milli, manager, created, status, failure = row
    return ThresholdRole(
        guild_id, role_id, from_milli(milli), manager, _when(created), status, failure
    )


def goal_from(row: Row) -> Goal:
    goal_id, guild_id, user_id, group_id, amount, currency, due, after, setter, created = row[:10]
    reached = row[10]
    return Goal(
        id=goal_id,
        guild_id=guild_id,
        target=GoalTarget(user_id, group_id),
        amount=Decimal(amount),
        currency=currency,
        due_on=date.fromisoformat(due) if due else None,
        after_entry_id=after,
        setter_id=setter,
        created_at=_when(created),
        reached_at=_when(reached) if reached else None,
    )


def _check_kind(kind: PeriodKind) -> PeriodKind:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"kind must be one of {PERIOD_KINDS}, got {kind!r}")
    return kind


def _goal_where(target: GoalTarget) -> tuple[str, int]:
    if target.user_id is not None:
        return "user_id = ?", target.user_id
    return "group_id = ?", target.group_id or 0


async def _standing(session: Session, goal: Goal) -> GoalStanding:
    if goal.target.user_id is not None:
        params: tuple[Any, ...] = (goal.guild_id, goal.target.user_id, goal.after_entry_id)
        row = await session.row(_MEMBER_SINCE, params)
    else:
        params = (goal.guild_id, goal.after_entry_id, goal.target.group_id)
        row = await session.row(_GROUP_SINCE, params)
    return GoalStanding(goal, from_milli(row[0] if row else 0))


class SqliteCommunity:
    """The `CommunityStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _write_row(self, sql: str, params: tuple[Any, ...]) -> Row | None:
        """One statement as a write of its own; its first row back (RETURNING)."""

        def write(db: sqlite3.Connection) -> Row | None:
            row = db.execute(sql, params).fetchone()
            return tuple(row) if row is not None else None

        return await self._db.write(write)

    # -- schedules ---------------------------------------------------------------------------

    async def schedules(self, guild_id: int) -> list[Schedule]:
        rows = await self._db.read(
            f"SELECT {SCHEDULE_COLUMNS} FROM period_schedules WHERE guild_id = ?"
            f" ORDER BY kind DESC",
            (guild_id,),
        )
        return [schedule_from(row) for row in rows]

    async def save_schedule(
        self,
        guild_id: int,
        kind: PeriodKind,
        manager_id: int,
        *,
        channel_id: int | None,
        gifter_role_id: int | None,
        receiver_role_id: int | None,
        locale: str = "en",
        now: datetime | None = None,
    ) -> Schedule:
        """Upsert the schedule, active again, counting from `now`."""
        _check_kind(kind)
        if channel_id is None and gifter_role_id is None and receiver_role_id is None:
            raise InvalidValue("schedule", "needs a channel or a role")
        stamp = as_utc(now).isoformat()
        params = (
            guild_id, kind, channel_id, gifter_role_id, receiver_role_id, manager_id,
            locale[:10], stamp,
        )  # fmt: skip

        row = await self._write_row(
            f"INSERT INTO period_schedules (guild_id, kind, channel_id, gifter_role_id,"
            f" receiver_role_id, manager_id, locale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT (guild_id, kind) DO UPDATE SET channel_id = excluded.channel_id,"
            f" gifter_role_id = excluded.gifter_role_id,"
            f" receiver_role_id = excluded.receiver_role_id,"
            f" manager_id = excluded.manager_id, locale = excluded.locale,"
            f" created_at = excluded.created_at, status = 'active', failure = NULL"
            f" RETURNING {SCHEDULE_COLUMNS}",
            params,
        )
        return schedule_from(row or ())

    async def remove_schedule(self, guild_id: int, kind: PeriodKind) -> Schedule | None:
        _check_kind(kind)
        row = await self._write_row(
            f"DELETE FROM period_schedules WHERE guild_id = ? AND kind = ?"
            f" RETURNING {SCHEDULE_COLUMNS}",
            (guild_id, kind),
        )
        return schedule_from(row) if row else None

    async def due_periods(self, now: datetime | None = None, limit: int = 100) -> list[DuePeriod]:
        moment = as_utc(now)
        week = previous_period_key("week", moment)
        month = previous_period_key("month", moment)
        cutoff = (moment - timedelta(seconds=CLAIM_LEASE_SECONDS)).isoformat()
        params = (
            period_end(week).isoformat(), period_end(month).isoformat(), week, month, cutoff,
            limit,
        )  # fmt: skip
        rows = await self._db.read(_DUE, params)
        return [DuePeriod(g, k, week if k == "week" else month) for g, k in rows]

    async def claim_period(
        self, guild_id: int, kind: PeriodKind, period_key: str, now: datetime | None = None
    ) -> PeriodReport | None:
        """The claim row and the report, in one transaction."""
        if kind_of(period_key) != _check_kind(kind):
            raise ValueError(f"{period_key!r} is not a {kind} key")
        moment = as_utc(now)
        ended = period_end(period_key)
        if ended > moment:
            return None  # not over yet
        cutoff = (moment - timedelta(seconds=CLAIM_LEASE_SECONDS)).isoformat()

        def write(db: sqlite3.Connection) -> PeriodReport | None:
            row = db.execute(
                f"SELECT {SCHEDULE_COLUMNS} FROM period_schedules WHERE guild_id = ? AND kind = ?",
                (guild_id, kind),
            ).fetchone()
            schedule = schedule_from(tuple(row)) if row else None
            if schedule is None or schedule.status != "active" or schedule.created_at >= ended:
                return None
            claimed = db.execute(
                _CLAIM, (guild_id, period_key, moment.isoformat(), cutoff)
            ).fetchone()
            if claimed is None:
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
            db.execute(
                "UPDATE period_claims SET finished_at = ?, outcome = ?, message_id = ?"
                " WHERE guild_id = ? AND period_key = ?",
                (stamp, outcome[:200], message_id, guild_id, period_key),
            )
            for role_id, user_id in given.items():
                db.execute(
                    "DELETE FROM role_holders WHERE guild_id = ? AND role_id = ?",
                    (guild_id, role_id),
                )
                if user_id is not None:
                    db.execute(
                        "INSERT INTO role_holders (guild_id, role_id, user_id, since)"
                        " VALUES (?, ?, ?, ?)",
                        (guild_id, role_id, user_id, stamp),
                    )
            if failure is not None:
                db.execute(
                    "UPDATE period_schedules SET status = 'failed', failure = ?"
                    " WHERE guild_id = ? AND kind = ?",
                    (failure[:200], guild_id, kind),
                )

        await self._db.write(write)

    # -- threshold roles ---------------------------------------------------------------------

    async def threshold_roles(self, guild_id: int) -> list[ThresholdRole]:
        rows = await self._db.read(
            f"SELECT {THRESHOLD_COLUMNS} FROM threshold_roles WHERE guild_id = ?"
            f" ORDER BY diamonds_milli, role_id",
            (guild_id,),
        )
        return [threshold_from(row) for row in rows]

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
            (others,) = db.execute(
                "SELECT COUNT(*) FROM threshold_roles WHERE guild_id = ? AND role_id <> ?",
                (guild_id, role_id),
            ).fetchone()
            if others >= MAX_THRESHOLD_ROLES:
                raise LimitReached("threshold roles", MAX_THRESHOLD_ROLES)
            row: Row = db.execute(
                f"INSERT INTO threshold_roles (guild_id, role_id, diamonds_milli, manager_id,"
                f" created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, role_id) DO UPDATE"
                f" SET diamonds_milli = excluded.diamonds_milli,"
                f" manager_id = excluded.manager_id, created_at = excluded.created_at,"
                f" status = 'active', failure = NULL RETURNING {THRESHOLD_COLUMNS}",
                params,
            ).fetchone()
            return row

        return threshold_from(await self._db.write(write))

    async def remove_threshold_role(self, guild_id: int, role_id: int) -> ThresholdRole | None:
        row = await self._write_row(
            f"DELETE FROM threshold_roles WHERE guild_id = ? AND role_id = ?"
            f" RETURNING {THRESHOLD_COLUMNS}",
            (guild_id, role_id),
        )
        return threshold_from(row) if row else None

    async def claim_threshold_roles(
        self, guild_id: int, user_id: int, now: datetime | None = None
    ) -> list[ThresholdRole]:
        stamp = as_utc(now).isoformat()
        active = await self._db.read(
            "SELECT 1 FROM threshold_roles WHERE guild_id = ? AND status = 'active' LIMIT 1",
            (guild_id,),
        )
        if not active:  # most servers: no write after every entry
            return []

        def write(db: sqlite3.Connection) -> list[Row]:
            claimed = db.execute(
                _CLAIM_THRESHOLDS, (user_id, stamp, guild_id, guild_id, user_id)
            ).fetchall()
            if not claimed:
                return []
            ids = [row[0] for row in claimed]
            marks = ", ".join("?" * len(ids))
            rows: list[Row] = db.execute(
                f"SELECT {THRESHOLD_COLUMNS} FROM threshold_roles WHERE guild_id = ?"
                f" AND role_id IN ({marks}) ORDER BY diamonds_milli, role_id",
                (guild_id, *ids),
            ).fetchall()
            return rows

        return [threshold_from(tuple(row)) for row in await self._db.write(write)]

    async def settle_threshold_role(
        self, guild_id: int, role_id: int, user_id: int, failure: str
    ) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM threshold_grants WHERE guild_id = ? AND role_id = ? AND user_id = ?",
                (guild_id, role_id, user_id),
            )
            db.execute(
                "UPDATE threshold_roles SET status = 'failed', failure = ?"
                " WHERE guild_id = ? AND role_id = ?",
                (failure[:200], guild_id, role_id),
            )

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
        if not amount.is_finite() or amount <= 0:
            raise InvalidValue("amount", "must be above zero")
        where, target_id = _goal_where(target)
        stamp = as_utc(now).isoformat()
        due = due_on.isoformat() if due_on else None

        def write(db: sqlite3.Connection) -> Row:
            if (
                target.group_id is not None
                and not db.execute(
                    "SELECT 1 FROM tally_groups WHERE id = ? AND guild_id = ?",
                    (target.group_id, guild_id),
                ).fetchone()
            ):
                raise NotFound("group", target.group_id)
            db.execute(f"DELETE FROM goals WHERE guild_id = ? AND {where}", (guild_id, target_id))
            (count,) = db.execute(
                "SELECT COUNT(*) FROM goals WHERE guild_id = ?", (guild_id,)
            ).fetchone()
            if count >= MAX_GOALS:
                raise LimitReached("goals", MAX_GOALS)
            (after,) = db.execute(
                "SELECT COALESCE(MAX(id), 0) FROM ledger WHERE guild_id = ?", (guild_id,)
            ).fetchone()
            row: Row = db.execute(
                f"INSERT INTO goals (guild_id, user_id, group_id, amount, currency, due_on,"
                f" after_entry_id, setter_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                f" RETURNING {GOAL_COLUMNS}",
                (guild_id, target.user_id, target.group_id, str(amount), currency, due, after,
                 setter_id, stamp),
            ).fetchone()  # fmt: skip
            return row

        return goal_from(await self._db.write(write))

    async def clear_goal(self, guild_id: int, target: GoalTarget) -> Goal | None:
        where, target_id = _goal_where(target)
        row = await self._write_row(
            f"DELETE FROM goals WHERE guild_id = ? AND {where} RETURNING {GOAL_COLUMNS}",
            (guild_id, target_id),
        )
        return goal_from(row) if row else None

    async def goal(self, guild_id: int, target: GoalTarget) -> GoalStanding | None:
        where, target_id = _goal_where(target)
        async with self._db.snapshot() as session:
            row = await session.row(
                f"SELECT {GOAL_COLUMNS} FROM goals WHERE guild_id = ? AND {where}",
                (guild_id, target_id),
            )
            return await _standing(session, goal_from(row)) if row else None

    async def open_goals(self, guild_id: int, user_id: int) -> list[GoalStanding]:
        async with self._db.snapshot() as session:
            rows = await session.rows(
                f"SELECT {GOAL_COLUMNS} FROM goals g WHERE g.guild_id = ?"
                f" AND g.reached_at IS NULL AND (g.user_id = ? OR EXISTS (SELECT 1"
                f"  FROM tally_group_members m WHERE m.group_id = g.group_id AND m.user_id = ?))"
                f" ORDER BY g.id",
                (guild_id, user_id, user_id),
            )
            return [await _standing(session, goal_from(row)) for row in rows]

    async def claim_goal_reached(self, goal_id: int, now: datetime | None = None) -> bool:
        row = await self._write_row(
            "UPDATE goals SET reached_at = ? WHERE id = ? AND reached_at IS NULL RETURNING id",
            (as_utc(now).isoformat(), goal_id),
        )
        return row is not None
