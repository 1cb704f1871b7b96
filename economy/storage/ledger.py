"""The tally ledger: entries, running totals, leaderboards, archives. The protocol only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from economy.storage.periods import Period
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

MILLI = 1000  # diamonds are stored in thousandths: exact for any rate with 3 decimals


def to_milli(diamonds: Decimal | int) -> int:
    """Diamonds as stored thousandths; ValueError when they have more than 3 decimals."""
    scaled = Decimal(diamonds) * MILLI
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{diamonds} diamonds has more than 3 decimals")
    return int(scaled)


def from_milli(milli: int) -> Decimal:
    """Stored thousandths as exact diamonds (`500` -> `0.5`)."""
    return Decimal(milli) / MILLI


@dataclass(frozen=True, slots=True)
class ResetPreview:
    """What a reset would archive now: the member's active entries up to `up_to_id`."""

    entries: int
    diamonds: Decimal
    up_to_id: int


class LedgerStore(Protocol):
    """Tally entries keyed by server; totals move in the same transaction as the ledger."""

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
        """Record a tally line (and the names seen); returns it with the recipient's new
        all-time diamonds, from the same transaction."""
        ...

    async def undo_last(self, guild_id: int, recorder_id: int) -> Entry | None:
        """Undo the latest active entry this person recorded; None when there is none."""
        ...

    async def undo_entry(
        self, guild_id: int, entry_id: int, recorder_id: int, *, since: datetime
    ) -> Entry | None:
        """Undo one entry its recorder made after `since`; None when it is not theirs, too
        old, or no longer active."""
        ...

    async def user_summary(
        self, guild_id: int, user_id: int, period: Period = "all", now: datetime | None = None
    ) -> UserSummary:
        """A member's totals for a period (zeros when they have none)."""
        ...

    async def member_tally(
        self, guild_id: int, user_id: int, top: int = 5, now: datetime | None = None
    ) -> MemberTally:
        """A member's all-time, month and week totals and top gifts, from one snapshot."""
        ...

    async def top_gifts(self, guild_id: int, user_id: int, limit: int = 5) -> list[GiftCount]:
        """The gifts a member received most (by diamonds, then count, then name)."""
        ...

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
        """Receivers by diamonds or gifters by coins, highest first, then by key; only values
        above zero. `period` is a period, or a stored key (``M2026-11``) for a past one."""
        ...

    async def standings(
        self,
        guild_id: int,
        viewer_id: int,
        by: By,
        period: Period | str,
        limit: int = 10,
        now: datetime | None = None,
    ) -> Standings:
        """The top `limit` rows and the viewer's own row, from one snapshot."""
        ...

    async def history(
        self, guild_id: int, user_id: int, offset: int = 0, limit: int = 10
    ) -> tuple[list[Entry], int]:
        """Active entries the member RECEIVED, newest first, and how many there are."""
        ...

    async def reset_preview(self, guild_id: int, user_id: int) -> ResetPreview:
        """What archiving the member's tally would hide now."""
        ...

    async def archive_member(
        self, guild_id: int, user_id: int, actor_id: int, up_to_id: int
    ) -> int:
        """Hide the member's active received entries with ids up to `up_to_id` (so entries
        added after a confirmation prompt stay); returns how many were archived. Runs in
        bounded steps, so other writes keep their latency."""
        ...

    async def restore_member(self, guild_id: int, user_id: int) -> tuple[int, Decimal]:
        """Bring back the member's latest archive: (entries restored, new all-time diamonds)."""
        ...

    def export_rows(self, guild_id: int) -> AsyncIterator[Entry]:
        """Every entry of the server in id order, including undone and archived ones."""
        ...

    async def names(self, guild_id: int, user_ids: Collection[int]) -> dict[int, Seen]:
        """The names (and avatars) last seen for these people in this server."""
        ...
