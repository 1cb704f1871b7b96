"""What a community lives by: period posts and roles, threshold roles, goals. The protocol and
its records.

Each "once" is a database write, so it holds across restarts and between processes on one
database: a period's post and role rotation are claimed by inserting a (server, period) row in
the transaction that reads what to post; a threshold role by inserting a (server, role,
member) grant; a goal's announcement by setting its `reached_at` where it is still unset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol

from economy.storage.periods import PeriodKind
from economy.storage.records import Entry, LeaderboardRow

ScheduleStatus = Literal["active", "failed"]
CLAIM_LEASE_SECONDS = 15 * 60  # a claim not finished by then (the process died) is taken again


@dataclass(frozen=True, slots=True)
class Schedule:
    """A server's plan for one kind of period: where its leaderboard is posted when the period
    ends (in `locale`), and which roles go to the period's top gifter and top receiver; the
    `manager_id` who set it is told of failures. A `failed` schedule
    (channel gone, permission missing) waits for a manager to set it again."""

    guild_id: int
    kind: PeriodKind
    channel_id: int | None
    gifter_role_id: int | None
    receiver_role_id: int | None
    manager_id: int
    locale: str
    created_at: datetime
    status: ScheduleStatus = "active"
    failure: str | None = None

    @property
    def role_ids(self) -> tuple[int, ...]:
        return tuple(r for r in (self.gifter_role_id, self.receiver_role_id) if r is not None)


@dataclass(frozen=True, slots=True)
class DuePeriod:
    """A period that has ended and whose post (or role rotation) nobody has made yet."""

    guild_id: int
    kind: PeriodKind
    period_key: str


@dataclass(frozen=True, slots=True)
class PeriodReport:
    """What a claimed period's post says, read in the transaction that claimed it.

    `newcomers_*` are those whose first active entry (received, or given) is in the period,
    the biggest first; `*_count` says how many there are in all. `holders` are the members the
    schedule's roles were last given to.
    """

    schedule: Schedule
    period_key: str
    receivers: tuple[LeaderboardRow, ...]
    gifters: tuple[LeaderboardRow, ...]
    top_member_gifter: LeaderboardRow | None  # a TikTok name cannot hold a Discord role
    diamonds: Decimal
    coins: int
    entries: int
    biggest: Entry | None
    new_receivers: tuple[LeaderboardRow, ...]
    new_receiver_count: int
    new_gifters: tuple[LeaderboardRow, ...]
    new_gifter_count: int
    holders: Mapping[int, tuple[int, ...]]  # role id -> members holding it


@dataclass(frozen=True, slots=True)
class ThresholdRole:
    """A role given to members once their all-time diamonds reach `diamonds`."""

    guild_id: int
    role_id: int
    diamonds: Decimal
    manager_id: int
    created_at: datetime
    status: ScheduleStatus = "active"
    failure: str | None = None


@dataclass(frozen=True, slots=True)
class GoalTarget:
    """Whose goal: a member's or a group's (exactly one of the two ids)."""

    user_id: int | None = None
    group_id: int | None = None

    def __post_init__(self) -> None:
        if (self.user_id is None) == (self.group_id is None):
            raise ValueError("a goal is a member's or a group's")

    @classmethod
    def member(cls, user_id: int) -> GoalTarget:
        return cls(user_id=user_id)

    @classmethod
    def group(cls, group_id: int) -> GoalTarget:
        return cls(group_id=group_id)


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal as stored: `amount` diamonds (`currency` None) or an amount of money to take
    home in `currency`, optionally by `due_on`. Progress counts active entries received after
    `after_entry_id` (the newest entry of the server when the goal was set)."""

    id: int
    guild_id: int
    target: GoalTarget
    amount: Decimal
    currency: str | None
    due_on: date | None
    after_entry_id: int
    setter_id: int
    created_at: datetime
    reached_at: datetime | None


@dataclass(frozen=True, slots=True)
class GoalStanding:
    """A goal and the diamonds received towards it so far."""

    goal: Goal
    diamonds: Decimal

    @classmethod
    def just_set(cls, goal: Goal) -> GoalStanding:
        """A goal as its write left it: it counts entries after it, so nothing yet."""
        return cls(goal, Decimal(0))


class CommunityStore(Protocol):
    """Schedules, roles and goals keyed by server; every cap is checked inside its write."""

    async def schedules(self, guild_id: int) -> list[Schedule]:
        """The server's schedules (week first)."""
        ...

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
        """Post each period's leaderboard in `channel_id` (replacing the channel) and leave
        the roles as they are, in one write. The schedule (made when there is none) is the
        manager's, active again and counts from `now`: periods that ended before are never
        posted, nor their roles rotated. The schedule after the write."""
        ...

    async def stop_schedule_posts(
        self, guild_id: int, kind: PeriodKind, now: datetime | None = None
    ) -> bool:
        """Stop the posts and leave the roles as they are, in one write: a schedule with no
        roles goes; one with roles is active again and counts from `now` (its manager and
        locale stay). False when the schedule had no posts to stop."""
        ...

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
        """Rotate these roles (at least one; both replaced) and leave the posts as they are,
        in one write; otherwise as `set_schedule_posts`. The schedule after the write."""
        ...

    async def stop_schedule_roles(
        self, guild_id: int, kind: PeriodKind, now: datetime | None = None
    ) -> bool:
        """Stop rotating roles and leave the posts as they are; otherwise as
        `stop_schedule_posts`. False when the schedule had no roles to stop."""
        ...

    async def due_periods(self, now: datetime | None = None, limit: int = 100) -> list[DuePeriod]:
        """Active schedules whose last ended period (only the last: after downtime the bot
        catches up once) ended after they were set and is not posted or being posted."""
        ...

    async def claim_period(
        self, guild_id: int, kind: PeriodKind, period_key: str, now: datetime | None = None
    ) -> PeriodReport | None:
        """Claim an ended period and read what to post, in one transaction; None when another
        process claimed it (or the schedule is gone, failed or newer than the period)."""
        ...

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
        """Record what was done for a claimed period: its outcome, the post's id, who holds
        each rotated role now (None: nobody); a `failure` also marks the schedule failed."""
        ...

    async def threshold_roles(self, guild_id: int) -> list[ThresholdRole]:
        """The server's threshold roles, smallest threshold first."""
        ...

    async def save_threshold_role(
        self,
        guild_id: int,
        role_id: int,
        diamonds: int,
        manager_id: int,
        now: datetime | None = None,
    ) -> ThresholdRole:
        """Give `role_id` at `diamonds` (replacing its threshold; active again); LimitReached
        past the server's cap."""
        ...

    async def remove_threshold_role(self, guild_id: int, role_id: int) -> ThresholdRole | None:
        """Stop giving a role at a threshold (those who have it keep it)."""
        ...

    async def settle_threshold_role(
        self, guild_id: int, role_id: int, user_id: int, failure: str
    ) -> None:
        """A role an entry's write claimed (`Recorded.roles_reached`) could not be given: forget
        the grant and mark the role failed."""
        ...

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
        """Set (or replace) a member's or group's goal, counting from the server's newest
        entry; LimitReached past the server's cap."""
        ...

    async def clear_goal(self, guild_id: int, target: GoalTarget) -> Goal | None:
        """Remove a goal; the one removed, or None."""
        ...

    async def goal(self, guild_id: int, target: GoalTarget) -> GoalStanding | None:
        """A member's or group's goal and the diamonds towards it (a group: its members')."""
        ...

    async def open_goals(self, guild_id: int, user_id: int) -> list[GoalStanding]:
        """The member's goal and their groups' goals not reached yet, with progress."""
        ...

    async def claim_goal_reached(self, goal_id: int, now: datetime | None = None) -> bool:
        """Mark a goal reached; True only for the one write that did it (announce then)."""
        ...
