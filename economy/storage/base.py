"""The storage interface: the `Storage` protocol, its immutable records and its errors.

Everything is keyed by plain ``int`` Discord ids (guild_id, user_id); nothing here knows
about discord.py. Period keys are UTC: ``all``, ``M2026-11`` (calendar month) and
``W2026-47`` (ISO week, ISO year).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Literal, NamedTuple, Protocol, Self

By = Literal["received", "sent"]
Period = Literal["all", "month", "week"]
TallyOthers = Literal["managers", "everyone"]

BY_VALUES: tuple[By, ...] = ("received", "sent")
PERIOD_VALUES: tuple[Period, ...] = ("all", "month", "week")


class StorageError(Exception):
    """The database failed (not the user's fault); the message says what happened."""

    key = "error.storage"


class StorageBusy(StorageError):
    """The database stayed locked by another writer past the busy timeout; try again."""

    key = "error.storage_busy"


class StorageFull(StorageError):
    """The disk (or the database size limit) is full; nothing was written."""

    key = "error.storage_full"


class StorageVersionError(StorageError):
    """The database schema is newer than this code, or the migration files are unusable."""

    key = "error.storage_version"


def as_utc(moment: datetime | None = None) -> datetime:
    """`moment` in UTC (naive datetimes are taken as UTC); now when None."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def period_keys(moment: datetime) -> tuple[str, str]:
    """The (month, week) period keys of a moment, e.g. ``("M2026-11", "W2026-47")``."""
    utc = as_utc(moment)
    iso = utc.isocalendar()
    return f"M{utc.year:04d}-{utc.month:02d}", f"W{iso.year:04d}-{iso.week:02d}"


def period_key(period: Period, now: datetime | None = None) -> str:
    """The key of the period containing `now` (UTC): ``all``, ``M2026-11`` or ``W2026-47``."""
    if period == "all":
        return "all"
    month, week = period_keys(as_utc(now))
    if period == "month":
        return month
    if period == "week":
        return week
    raise ValueError(f"period must be one of {PERIOD_VALUES}, got {period!r}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One tally line. `gift_name` is None for raw diamonds; inactive if undone or archived."""

    id: int
    guild_id: int
    recipient_id: int
    sender_id: int
    gift_name: str | None
    count: int
    coins: int
    diamonds: int
    created_at: datetime
    undone: bool
    archived: int | None  # id of the archive (reset) that hid it, else None

    @property
    def active(self) -> bool:
        """Whether the entry counts towards totals and leaderboards."""
        return not self.undone and self.archived is None


@dataclass(frozen=True, slots=True)
class UserSummary:
    """A member's totals over one period; `rank_received` is None when they received nothing."""

    diamonds_received: int
    coins_received: int
    coins_sent: int
    entries_received: int
    rank_received: int | None
    diamonds_sent: int
    entries_sent: int


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    """A leaderboard line: competition rank (ties share it), member, diamonds or coins."""

    rank: int
    user_id: int
    value: int


class GiftCount(NamedTuple):
    """How many of one gift a member received (active entries, all time)."""

    gift_name: str
    count: int
    diamonds: int


class MemberTotal(NamedTuple):
    """A group member and the diamonds they received in the asked period."""

    user_id: int
    diamonds_received: int


@dataclass(frozen=True, slots=True)
class Group:
    """A named group of members in one server. Permission checks are the bot's job."""

    id: int
    guild_id: int
    name: str
    creator_id: int
    created_at: datetime
    member_count: int


def _empty() -> Mapping[str, str]:
    """A read-only empty mapping."""
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class GuildConfig:
    """Per-server settings; values are strings exactly as stored (decimals as text)."""

    preset: str | None = None
    overrides: Mapping[str, str] = field(default_factory=_empty)  # figure -> decimal string
    currency: str | None = None
    fx_overrides: Mapping[str, str] = field(default_factory=_empty)  # currency -> per USD
    tally_others: TallyOthers = "managers"
    leaderboard_enabled: bool = True


@dataclass(frozen=True, slots=True)
class AuditRow:
    """Who changed which setting when, from what to what (None = unset)."""

    id: int
    guild_id: int
    actor_id: int
    key: str
    old_value: str | None
    new_value: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CustomGift:
    """A server-only gift added by its managers."""

    name: str
    coins: int
    creator_id: int
    created_at: datetime


class Storage(Protocol):
    """Tallies, leaderboards, groups and per-server settings, keyed by guild."""

    async def close(self) -> None:
        """Close the database; the object is unusable afterwards."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    # ledger -------------------------------------------------------------------------------
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
    ) -> Entry:
        """Record a tally line and update every total in the same transaction."""
        ...

    async def undo_last(self, guild_id: int, sender_id: int) -> Entry | None:
        """Undo the sender's latest active entry; None when there is nothing to undo."""
        ...

    async def user_summary(
        self, guild_id: int, user_id: int, period: Period = "all", now: datetime | None = None
    ) -> UserSummary:
        """A member's totals for a period (zeros when they have none)."""
        ...

    async def top_gifts(self, guild_id: int, user_id: int, limit: int = 5) -> list[GiftCount]:
        """The gifts a member received most (by diamonds, then count, then name)."""
        ...

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
        """Members ordered by value (desc) then user id; only values above zero."""
        ...

    async def rank(
        self, guild_id: int, user_id: int, by: By, period: Period, now: datetime | None = None
    ) -> LeaderboardRow | None:
        """A member's own leaderboard row, anywhere in the ranking; None if not ranked."""
        ...

    async def history(
        self, guild_id: int, user_id: int, offset: int = 0, limit: int = 10
    ) -> tuple[list[Entry], int]:
        """Active entries the member RECEIVED, newest first, and how many there are."""
        ...

    async def archive_member(self, guild_id: int, user_id: int, actor_id: int) -> int:
        """Hide every active entry the member received; returns how many were archived."""
        ...

    async def restore_member(self, guild_id: int, user_id: int) -> int:
        """Bring back the member's latest archive; returns how many entries came back."""
        ...

    def export_rows(self, guild_id: int) -> AsyncIterator[Entry]:
        """Every entry of the server in id order, including undone and archived ones."""
        ...

    # groups -------------------------------------------------------------------------------
    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        """Create a group (name trimmed, 1-32 characters, unique per server ignoring case)."""
        ...

    async def delete_group(self, guild_id: int, name: str) -> None:
        """Delete a group and its memberships."""
        ...

    async def get_group(self, guild_id: int, name: str) -> Group:
        """A group by name (case-insensitive); NotFound when missing."""
        ...

    async def list_groups(self, guild_id: int) -> list[Group]:
        """The server's groups, by name."""
        ...

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> None:
        """Put a member in a group (join); AlreadyExists when they are in it."""
        ...

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> None:
        """Take a member out of a group (leave); NotFound when they are not in it."""
        ...

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> list[MemberTotal]:
        """Members with diamonds received in the period, highest first, then by user id."""
        ...

    # settings -----------------------------------------------------------------------------
    async def get_guild_config(self, guild_id: int) -> GuildConfig:
        """The server's settings, defaults where unset."""
        ...

    async def set_config_value(
        self,
        guild_id: int,
        key: str,
        value: str | None,
        actor_id: int,
        now: datetime | None = None,
    ) -> AuditRow:
        """Set (or clear with None) one setting and audit it in one transaction."""
        ...

    async def set_config_values(
        self,
        guild_id: int,
        changes: Mapping[str, str | None],
        actor_id: int,
        now: datetime | None = None,
    ) -> list[AuditRow]:
        """Set or clear several settings, each audited, all in one transaction (or none)."""
        ...

    async def config_history(self, guild_id: int, limit: int = 20) -> list[AuditRow]:
        """The server's latest setting changes, newest first."""
        ...

    async def add_custom_gift(
        self, guild_id: int, name: str, coins: int, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Add a server-only gift (audited); AlreadyExists on a duplicate name."""
        ...

    async def remove_custom_gift(
        self, guild_id: int, name: str, actor_id: int, now: datetime | None = None
    ) -> None:
        """Remove a server-only gift (audited); NotFound when missing."""
        ...

    async def list_custom_gifts(self, guild_id: int) -> list[CustomGift]:
        """The server's custom gifts, by name."""
        ...

    # maintenance --------------------------------------------------------------------------
    async def verify(self) -> list[str]:
        """Consistency problems of the whole store (empty when healthy); slow, for tooling."""
        ...

    async def backup(self, target: str | Path) -> None:
        """Write a consistent copy of the whole database to `target`."""
        ...
