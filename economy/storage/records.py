"""The immutable records storage hands out. Everything is keyed by plain ``int`` Discord ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, NamedTuple

from economy.names import name_key

By = Literal["received", "gifted"]
BY_VALUES: tuple[By, ...] = ("received", "gifted")
MEMBER_PREFIX = "u:"
TIKTOK_PREFIX = "t:"
TallyOthers = Literal["managers", "everyone"]
TALLY_OTHERS: tuple[TallyOthers, ...] = ("managers", "everyone")


@dataclass(frozen=True, slots=True)
class Gifter:
    """Who gave a gift: a server member, or a TikTok name typed as text.

    `key` identifies the gifter on leaderboards: ``u:<user id>`` or ``t:<name key>``.
    """

    key: str
    user_id: int | None
    name: str

    @classmethod
    def member(cls, user_id: int, name: str) -> Gifter:
        return cls(f"{MEMBER_PREFIX}{user_id}", user_id, name)

    @classmethod
    def tiktok(cls, name: str) -> Gifter:
        """A TikTok name as typed (already cleaned); keyed ignoring case, width and a
        leading @."""
        return cls(f"{TIKTOK_PREFIX}{name_key(name.lstrip('@'))}", None, name)

    @classmethod
    def stored(cls, key: str, name: str | None) -> Gifter:
        """A gifter as the ledger keeps it."""
        user_id = int(key.removeprefix(MEMBER_PREFIX)) if key.startswith(MEMBER_PREFIX) else None
        return cls(key, user_id, name or "")


@dataclass(frozen=True, slots=True)
class Seen:
    """The name (and avatar address) Discord showed for a person at a write."""

    user_id: int
    name: str
    avatar: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One tally line. `gift_name` is None for raw diamonds; inactive if undone or archived.

    `recorder_id` typed the command; `gifter` gave the gift (None: not said).
    """

    id: int
    guild_id: int
    recipient_id: int
    gifter: Gifter | None
    recorder_id: int
    gift_name: str | None
    count: int
    coins: int
    diamonds: Decimal
    created_at: datetime
    undone: bool
    archived: int | None  # id of the archive (reset) that hid it, else None

    @property
    def active(self) -> bool:
        """Whether the entry counts towards totals and leaderboards."""
        return not self.undone and self.archived is None


@dataclass(frozen=True, slots=True)
class UserSummary:
    """A member's totals over one period: what they received (`rank_received` is None when
    they received nothing, or when the period was read without ranks) and what they gave."""

    diamonds_received: Decimal = Decimal(0)
    coins_received: int = 0
    entries_received: int = 0
    rank_received: int | None = None
    coins_given: int = 0
    entries_given: int = 0


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    """A leaderboard line: competition rank (ties share it), who, and the diamonds received
    or coins given. `user_id` is None for a TikTok name; `name` is the name last seen."""

    rank: int
    key: str
    user_id: int | None
    name: str | None
    value: Decimal | int


@dataclass(frozen=True, slots=True)
class GiftCount:
    """How many of one gift a member received (active entries, all time)."""

    gift_name: str
    count: int
    diamonds: Decimal


class MemberTotal(NamedTuple):
    """A group member and the diamonds they received in the asked period."""

    user_id: int
    diamonds_received: Decimal


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
class GuildSettings:
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


@dataclass(frozen=True, slots=True)
class RoleReached:
    """A threshold role the recipient's new total reached, claimed for them by the entry's own
    write (so no other write gives it again): `diamonds` is its threshold."""

    role_id: int
    diamonds: Decimal


@dataclass(frozen=True, slots=True)
class Recorded:
    """A new tally entry and the recipient's all-time diamonds with it counted; the threshold
    roles it made them reach (claimed in the same write), and whether the server, as the write
    saw it, has goals not yet reached (if not, nothing after the write looks for one)."""

    entry: Entry
    recipient_total: Decimal
    roles_reached: tuple[RoleReached, ...] = ()
    open_goals: bool = True


@dataclass(frozen=True, slots=True)
class MemberTally:
    """What /tally show reads, from one snapshot: a member's periods and top gifts. Only
    `all_time` carries a rank; `month` and `week` have `rank_received` None."""

    all_time: UserSummary
    month: UserSummary
    week: UserSummary
    top_gifts: tuple[GiftCount, ...]


@dataclass(frozen=True, slots=True)
class Standings:
    """One page of a leaderboard and the viewer's own row (None: not ranked), one snapshot."""

    rows: tuple[LeaderboardRow, ...]
    viewer: LeaderboardRow | None


@dataclass(frozen=True, slots=True)
class StoredSettings:
    """A server's settings, its custom gifts and the day each override was last set."""

    settings: GuildSettings
    custom_gifts: tuple[CustomGift, ...]
    set_on: Mapping[str, datetime]  # setting key -> when it was last changed
