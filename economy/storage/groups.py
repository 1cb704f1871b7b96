"""Named groups of members (teams, agencies) in one server. The protocol only.

Joining takes the group's consent: a member asks (`request_join`) and the group's creator or
a manager decides (`decide_request`); the creator or a manager may also add someone directly.
Caps (groups per server, per creator, members per group, pending requests) are checked in
the same transaction as the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from economy.storage.periods import Period
from economy.storage.records import Group, MemberTotal

Decision = Literal["approved", "declined"]


@dataclass(frozen=True, slots=True)
class JoinRequest:
    """A member's pending request to join a group."""

    group: Group
    user_id: int
    requested_at: datetime


class GroupStore(Protocol):
    """Groups keyed by server; names are unique per server ignoring case, width and look."""

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        """Create a group; AlreadyExists when the name (or one that looks the same) is taken,
        LimitReached past the server's or the creator's cap."""
        ...

    async def delete_group(self, guild_id: int, name: str) -> Group:
        """Delete a group, its memberships and requests; returns what was deleted, NotFound
        when there is no such group."""
        ...

    async def get_group(self, guild_id: int, name: str) -> Group:
        """A group by name (any case); NotFound when missing."""
        ...

    async def get_group_by_id(self, guild_id: int, group_id: int) -> Group:
        """A group by id, in this server only; NotFound when missing."""
        ...

    async def list_groups(
        self, guild_id: int, offset: int = 0, limit: int = 20
    ) -> tuple[list[Group], int]:
        """One page of the server's groups by name, and how many there are."""
        ...

    async def group_names(self, guild_id: int, typed: str, limit: int = 25) -> list[str]:
        """Names for autocomplete: those starting with `typed` first, then containing it."""
        ...

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> Group:
        """Put a member in a group (its creator or a manager decided); AlreadyExists when they
        are in it. Any pending request of theirs is settled."""
        ...

    async def request_join(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> JoinRequest:
        """Ask to join; AlreadyExists when already a member or already asked."""
        ...

    async def decide_request(
        self, guild_id: int, group_id: int, user_id: int, decision: Decision
    ) -> Group:
        """Approve (the member joins) or decline a pending request; NotFound when there is
        no such request (already decided)."""
        ...

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> Group:
        """Take a member out of a group (leave); NotFound when they are not in it."""
        ...

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> tuple[Group, list[MemberTotal]]:
        """The group and its members with diamonds received in the period, highest first."""
        ...
