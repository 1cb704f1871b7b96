"""Named groups of members (teams, agencies) in one server. The protocol only."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from economy.storage.periods import Period
from economy.storage.records import Group, MemberTotal


class GroupStore(Protocol):
    """Groups keyed by server; names are unique per server ignoring case and width."""

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
