"""SQL and row readers of the community aggregate that both backends share (see `queries`).

Schedules, period claims, threshold roles and goals are read and written with these
statements on SQLite and, numbered, on PostgreSQL, so orders, ties and every "once" are the
same. Parameters differ only in type: SQLite takes timestamps and dates as ISO text,
PostgreSQL as datetimes and dates; rows come back either way and the readers take both. The
reads are written once (`CommunityReads`), and so are the schedule-half writes' parameters
(`ScheduleHalves`); each backend adds its transactions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from economy.errors import InvalidValue
from economy.storage.community import (
    CLAIM_LEASE_SECONDS,
    DuePeriod,
    Goal,
    GoalStanding,
    GoalTarget,
    Schedule,
    ThresholdRole,
)
from economy.storage.ledger import from_milli
from economy.storage.periods import (
    PERIOD_KINDS,
    PeriodKind,
    as_utc,
    period_end,
    previous_period_key,
)
from economy.storage.queries import ACTIVE, Row, moment
from economy.storage.reads import Reader, SharedReads, as_is

SCHEDULE_COLUMNS = (
    "guild_id, kind, channel_id, gifter_role_id, receiver_role_id, manager_id, locale,"
    " created_at, status, failure"
)
THRESHOLD_COLUMNS = "guild_id, role_id, diamonds_milli, manager_id, created_at, status, failure"
GOAL_COLUMNS = (
    "id, guild_id, user_id, group_id, amount, currency, due_on, after_entry_id, setter_id,"
    " created_at, reached_at"
)

# -- schedules and claims ----------------------------------------------------------------------

SCHEDULES = f"SELECT {SCHEDULE_COLUMNS} FROM period_schedules WHERE guild_id = ? ORDER BY kind DESC"
SCHEDULE = f"SELECT {SCHEDULE_COLUMNS} FROM period_schedules WHERE guild_id = ? AND kind = ?"


def _set_half(half: tuple[str, ...]) -> str:
    """The write setting one half of a schedule (params: guild, kind, the half's ids, manager,
    locale, now) and never the other: a new schedule starts with the other half empty. The
    schedule is active again and counts from now; the row after the write comes back."""
    columns = ", ".join(half)
    marks = ", ".join("?" for _ in half)
    updates = "".join(f" {column} = excluded.{column}," for column in half)
    return (
        f"INSERT INTO period_schedules (guild_id, kind, {columns}, manager_id, locale,"
        f" created_at) VALUES (?, ?, {marks}, ?, ?, ?) ON CONFLICT (guild_id, kind) DO UPDATE"
        f" SET{updates} manager_id = excluded.manager_id, locale = excluded.locale,"
        f" created_at = excluded.created_at, status = 'active', failure = NULL"
        f" RETURNING {SCHEDULE_COLUMNS}"
    )


def _stop_half(half: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, str]:
    """The two statements stopping one half, run in this order in one transaction: the row
    goes when the other half is empty (params: guild, kind), else the half is emptied and the
    schedule is active again, counting from now (params: now, guild, kind); manager and locale
    stay. Each returns a row only when the half was set. Emptying first could break the rule
    that a schedule has a channel or a role (the table's CHECK)."""
    held = " OR ".join(f"{column} IS NOT NULL" for column in half)
    other_empty = " AND ".join(f"{column} IS NULL" for column in other)
    emptied = ", ".join(f"{column} = NULL" for column in half)
    where = f"guild_id = ? AND kind = ? AND ({held})"
    return (
        f"DELETE FROM period_schedules WHERE {where} AND {other_empty} RETURNING kind",
        f"UPDATE period_schedules SET {emptied}, created_at = ?, status = 'active',"
        f" failure = NULL WHERE {where} RETURNING kind",
    )


# A schedule's two halves: the post channel (/tally posts) and the rotated top roles (/tally
# roles top). Each is set and stopped by writes that never touch the other half, so two
# managers changing one each at the same moment keep both changes.
POSTS_HALF = ("channel_id",)
ROLES_HALF = ("gifter_role_id", "receiver_role_id")
SET_SCHEDULE_POSTS = _set_half(POSTS_HALF)
SET_SCHEDULE_ROLES = _set_half(ROLES_HALF)
STOP_SCHEDULE_POSTS = _stop_half(POSTS_HALF, ROLES_HALF)
STOP_SCHEDULE_ROLES = _stop_half(ROLES_HALF, POSTS_HALF)

# Params: (week's end, month's end, week key, month key, lease cutoff, limit). Each moment is
# compared with created_at directly (inside the CASE), so PostgreSQL knows its type.
DUE = (
    "SELECT s.guild_id, s.kind FROM period_schedules s WHERE s.status = 'active'"
    " AND CASE s.kind WHEN 'week' THEN s.created_at < ? ELSE s.created_at < ? END"
    " AND NOT EXISTS (SELECT 1 FROM period_claims c WHERE c.guild_id = s.guild_id"
    "  AND c.period_key = CASE s.kind WHEN 'week' THEN ? ELSE ? END"
    "  AND (c.finished_at IS NOT NULL OR c.claimed_at >= ?))"
    " ORDER BY s.guild_id, s.kind LIMIT ?"
)
# The claim: a new (server, period) row, or one whose claimer left it unfinished past its
# lease (params: guild, key, now, lease cutoff). No row back: someone else holds it.
CLAIM = (
    "INSERT INTO period_claims (guild_id, period_key, claimed_at) VALUES (?, ?, ?)"
    " ON CONFLICT (guild_id, period_key) DO UPDATE SET claimed_at = excluded.claimed_at"
    " WHERE period_claims.finished_at IS NULL AND period_claims.claimed_at < ?"
    " RETURNING claimed_at"
)
FINISH_CLAIM = (
    "UPDATE period_claims SET finished_at = ?, outcome = ?, message_id = ?"
    " WHERE guild_id = ? AND period_key = ?"
)
DROP_HOLDERS = "DELETE FROM role_holders WHERE guild_id = ? AND role_id = ?"
ADD_HOLDER = "INSERT INTO role_holders (guild_id, role_id, user_id, since) VALUES (?, ?, ?, ?)"
FAIL_SCHEDULE = (
    "UPDATE period_schedules SET status = 'failed', failure = ? WHERE guild_id = ? AND kind = ?"
)

# -- threshold roles ---------------------------------------------------------------------------

THRESHOLDS = (
    f"SELECT {THRESHOLD_COLUMNS} FROM threshold_roles WHERE guild_id = ?"
    f" ORDER BY diamonds_milli, role_id"
)
OTHER_THRESHOLDS = "SELECT COUNT(*) FROM threshold_roles WHERE guild_id = ? AND role_id <> ?"
SAVE_THRESHOLD = (
    f"INSERT INTO threshold_roles (guild_id, role_id, diamonds_milli, manager_id, created_at)"
    f" VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, role_id) DO UPDATE"
    f" SET diamonds_milli = excluded.diamonds_milli, manager_id = excluded.manager_id,"
    f" created_at = excluded.created_at, status = 'active', failure = NULL"
    f" RETURNING {THRESHOLD_COLUMNS}"
)
REMOVE_THRESHOLD = (
    f"DELETE FROM threshold_roles WHERE guild_id = ? AND role_id = ? RETURNING {THRESHOLD_COLUMNS}"
)
# The grants the member's all-time diamonds now reach (params: user, now, guild, guild, user);
# a grant already made is a conflict, so each role is given once.
DROP_GRANT = "DELETE FROM threshold_grants WHERE guild_id = ? AND role_id = ? AND user_id = ?"
FAIL_THRESHOLD = (
    "UPDATE threshold_roles SET status = 'failed', failure = ? WHERE guild_id = ? AND role_id = ?"
)

# -- goals -------------------------------------------------------------------------------------

GROUP_OF_GUILD = "SELECT 1 FROM tally_groups WHERE id = ? AND guild_id = ?"
COUNT_GOALS = "SELECT COUNT(*) FROM goals WHERE guild_id = ?"
NEWEST_ENTRY = "SELECT COALESCE(MAX(id), 0) FROM ledger WHERE guild_id = ?"
INSERT_GOAL = (
    f"INSERT INTO goals (guild_id, user_id, group_id, amount, currency, due_on,"
    f" after_entry_id, setter_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    f" RETURNING {GOAL_COLUMNS}"
)
# The diamonds received towards the goal row `g` since it was set: the member's active entries
# after it, or those of the group's members (each read through the member's ledger index).
_PROGRESS = (
    f"CASE WHEN g.user_id IS NOT NULL THEN (SELECT COALESCE(SUM(l.diamonds_milli), 0)"
    f" FROM ledger l WHERE l.guild_id = g.guild_id AND l.recipient_id = g.user_id"
    f" AND l.id > g.after_entry_id AND {ACTIVE})"
    f" ELSE (SELECT COALESCE(SUM(l.diamonds_milli), 0) FROM ledger l"
    f" WHERE l.guild_id = g.guild_id AND l.id > g.after_entry_id AND l.recipient_id IN"
    f" (SELECT m.user_id FROM tally_group_members m WHERE m.group_id = g.group_id)"
    f" AND {ACTIVE}) END"
)
# Goals with their progress, one statement (GOAL_COLUMNS, then the progress).
_STANDINGS = f"SELECT {GOAL_COLUMNS}, {_PROGRESS} FROM goals g"
OPEN_GOALS = (
    f"{_STANDINGS} WHERE g.guild_id = ?"
    f" AND g.reached_at IS NULL AND (g.user_id = ? OR EXISTS (SELECT 1"
    f"  FROM tally_group_members m WHERE m.group_id = g.group_id AND m.user_id = ?))"
    f" ORDER BY g.id"
)
CLAIM_GOAL_REACHED = (
    "UPDATE goals SET reached_at = ? WHERE id = ? AND reached_at IS NULL RETURNING id"
)


def goal_sql(statement: str, target: GoalTarget) -> tuple[str, int]:
    """`statement` ("SELECT": the goal with its progress, "DELETE") of the target's goal,
    params (guild, target id)."""
    column, target_id = (
        ("user_id", target.user_id) if target.user_id is not None else ("group_id", target.group_id)
    )
    if statement == "SELECT":
        return f"{_STANDINGS} WHERE g.guild_id = ? AND g.{column} = ?", target_id or 0
    where = f"FROM goals WHERE guild_id = ? AND {column} = ?"
    return f"DELETE {where} RETURNING {GOAL_COLUMNS}", target_id or 0


# -- rows --------------------------------------------------------------------------------------


def check_kind(kind: PeriodKind) -> PeriodKind:
    if kind not in PERIOD_KINDS:
        raise ValueError(f"kind must be one of {PERIOD_KINDS}, got {kind!r}")
    return kind


def check_schedule(kind: PeriodKind, *targets: int | None) -> None:
    """A schedule's kind, and at least one of its channel and roles."""
    check_kind(kind)
    if all(target is None for target in targets):
        raise InvalidValue("schedule", "needs a channel or a role")


def half_params(
    guild_id: int, kind: PeriodKind, ids: tuple[int | None, ...], manager_id: int, locale: str
) -> tuple[Any, ...]:
    """A half's set params but the moment: guild, kind, the half's ids, manager, locale."""
    check_schedule(kind, *ids)
    return (guild_id, kind, *ids, manager_id, locale[:10])


def check_goal_amount(amount: Decimal) -> None:
    if not amount.is_finite() or amount <= 0:
        raise InvalidValue("amount", "must be above zero")


def when(value: datetime | str) -> datetime:
    """A stored timestamp (ISO text or a datetime) as an aware UTC datetime."""
    return as_utc(moment(value))


def schedule_from(row: Row) -> Schedule:
    """A Schedule from SCHEDULE_COLUMNS."""
    guild_id, kind, channel, gifter_role, receiver_role, manager, locale, created = row[:8]
    return Schedule(
        guild_id, kind, channel, gifter_role, receiver_role, manager, locale, when(created),
        row[8], row[9],
    )  # fmt: skip


def threshold_from(row: Row) -> ThresholdRole:
    """A ThresholdRole from THRESHOLD_COLUMNS."""
    guild_id, role_id, milli, manager, created, status, failure = row
    return ThresholdRole(
        guild_id, role_id, from_milli(milli), manager, when(created), status, failure
    )


def standing_from(row: Row) -> GoalStanding:
    """A GoalStanding from GOAL_COLUMNS and the progress."""
    return GoalStanding(goal_from(row), from_milli(row[11]))


def goal_from(row: Row) -> Goal:
    """A Goal from GOAL_COLUMNS (amount as text or a number, due_on as text or a date)."""
    goal_id, guild_id, user_id, group_id, amount, currency, due, after, setter, created = row[:10]
    reached = row[10]
    return Goal(
        id=goal_id,
        guild_id=guild_id,
        target=GoalTarget(user_id, group_id),
        amount=Decimal(amount),
        currency=currency,
        due_on=date.fromisoformat(due) if isinstance(due, str) else due,
        after_entry_id=after,
        setter_id=setter,
        created_at=when(created),
        reached_at=when(reached) if reached else None,
    )


def iso_text(moment: datetime) -> str:
    """A moment as a parameter on SQLite, which keeps timestamps as ISO text."""
    return moment.isoformat()


def as_datetime(moment: datetime) -> datetime:
    """A moment as a parameter on PostgreSQL, whose columns are TIMESTAMPTZ."""
    return moment


# -- the schedule halves -----------------------------------------------------------------------


class ScheduleHalves(ABC):
    """`CommunityStore`'s four schedule-half writes, the same on both backends: each checks and
    builds its parameters and hands them to the backend's `_set_half` / `_stop_half`, which
    run them in one transaction of its own."""

    @abstractmethod
    async def _set_half(
        self, sql: str, params: tuple[Any, ...], now: datetime | None
    ) -> Schedule: ...

    @abstractmethod
    async def _stop_half(
        self, statements: tuple[str, str], guild_id: int, kind: PeriodKind, now: datetime | None
    ) -> bool: ...

    async def set_schedule_posts(
        self,
        guild_id: int,
        kind: PeriodKind,
        manager_id: int,
        *,
        channel_id: int,
        locale: str = "en",
        now: datetime | None = None,
    ) -> Schedule:
        params = half_params(guild_id, kind, (channel_id,), manager_id, locale)
        return await self._set_half(SET_SCHEDULE_POSTS, params, now)

    async def stop_schedule_posts(
        self, guild_id: int, kind: PeriodKind, now: datetime | None = None
    ) -> bool:
        return await self._stop_half(STOP_SCHEDULE_POSTS, guild_id, kind, now)

    async def set_schedule_roles(
        self,
        guild_id: int,
        kind: PeriodKind,
        manager_id: int,
        *,
        gifter_role_id: int | None,
        receiver_role_id: int | None,
        locale: str = "en",
        now: datetime | None = None,
    ) -> Schedule:
        roles = (gifter_role_id, receiver_role_id)
        params = half_params(guild_id, kind, roles, manager_id, locale)
        return await self._set_half(SET_SCHEDULE_ROLES, params, now)

    async def stop_schedule_roles(
        self, guild_id: int, kind: PeriodKind, now: datetime | None = None
    ) -> bool:
        return await self._stop_half(STOP_SCHEDULE_ROLES, guild_id, kind, now)


# -- the reads ---------------------------------------------------------------------------------


class CommunityReads(SharedReads):
    """The reads of `CommunityStore`, the same on both backends; each backend adds its writes
    (the claims among them, which read in their own transaction). `stamp` turns a moment into
    the backend's parameter (`iso_text` on SQLite, `as_datetime` on PostgreSQL)."""

    def __init__(
        self,
        reader: Reader,
        sql: Callable[[str], str] = as_is,
        stamp: Callable[[datetime], datetime | str] = iso_text,
    ) -> None:
        super().__init__(reader, sql)
        self._stamp = stamp

    async def schedules(self, guild_id: int) -> list[Schedule]:
        return [schedule_from(row) for row in await self._read(SCHEDULES, guild_id)]

    async def due_periods(self, now: datetime | None = None, limit: int = 100) -> list[DuePeriod]:
        moment = as_utc(now)
        week = previous_period_key("week", moment)
        month = previous_period_key("month", moment)
        cutoff = moment - timedelta(seconds=CLAIM_LEASE_SECONDS)
        stamp = self._stamp
        params = (stamp(period_end(week)), stamp(period_end(month)), week, month, stamp(cutoff))
        rows = await self._read(DUE, *params, limit)
        return [DuePeriod(g, k, week if k == "week" else month) for g, k in rows]

    async def threshold_roles(self, guild_id: int) -> list[ThresholdRole]:
        return [threshold_from(row) for row in await self._read(THRESHOLDS, guild_id)]

    async def goal(self, guild_id: int, target: GoalTarget) -> GoalStanding | None:
        select, target_id = goal_sql("SELECT", target)
        rows = await self._read(select, guild_id, target_id)
        return standing_from(rows[0]) if rows else None

    async def open_goals(self, guild_id: int, user_id: int) -> list[GoalStanding]:
        rows = await self._read(OPEN_GOALS, guild_id, user_id, user_id)
        return [standing_from(row) for row in rows]
