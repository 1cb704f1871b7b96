"""The tally ledger: entries, running totals, leaderboards, archives. The protocol only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Protocol

from economy.storage.periods import Period
from economy.storage.records import (
    By,
    Entry,
    GiftCount,
    LeaderboardRow,
    MemberTally,
    Recorded,
    Standings,
    UserSummary,
)


class LedgerStore(Protocol):
    """Tally entries keyed by server; totals move in the same transaction as the ledger."""

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
    ) -> Recorded:
        """Record a tally line; returns it with the recipient's new all-time diamonds."""
        ...

    async def undo_last(self, guild_id: int, sender_id: int) -> Entry | None:
        """Undo the sender's latest active entry; None when there is nothing to undo."""
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

    async def standings(
        self,
        guild_id: int,
        viewer_id: int,
        by: By,
        period: Period,
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

    async def archive_member(self, guild_id: int, user_id: int, actor_id: int) -> int:
        """Hide every active entry the member received; returns how many were archived."""
        ...

    async def restore_member(self, guild_id: int, user_id: int) -> tuple[int, int]:
        """Bring back the member's latest archive: (entries restored, new all-time diamonds)."""
        ...

    def export_rows(self, guild_id: int) -> AsyncIterator[Entry]:
        """Every entry of the server in id order, including undone and archived ones."""
        ...
