"""The immutable records storage hands out. Everything is keyed by plain ``int`` Discord ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Literal, NamedTuple

By = Literal["received", "sent"]
BY_VALUES: tuple[By, ...] = ("received", "sent")
TallyOthers = Literal["managers", "everyone"]
TALLY_OTHERS: tuple[TallyOthers, ...] = ("managers", "everyone")


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


@dataclass(frozen=True, slots=True)
class GiftCount:
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
class Recorded:
    """A new tally entry and the recipient's all-time diamonds with it counted."""

    entry: Entry
    recipient_total: int


@dataclass(frozen=True, slots=True)
class MemberTally:
    """What /tally show reads, from one snapshot: a member's periods and top gifts."""

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
