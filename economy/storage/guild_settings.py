"""A server's settings, their audit trail and its custom gifts. The protocol only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from economy.storage.records import AuditRow, CustomGift, GuildSettings, StoredSettings

Changes = Mapping[str, str | None]  # setting key -> its new value, None to clear it


class GuildSettingsStore(Protocol):
    """Per-server settings; every change is audited in the same transaction."""

    async def get_settings(self, guild_id: int) -> GuildSettings:
        """The server's settings, defaults where unset."""
        ...

    async def stored_settings(self, guild_id: int, dated: int = 100) -> StoredSettings:
        """Settings, custom gifts and when each of the last `dated` changes was made: one read."""
        ...

    async def change_settings(
        self, guild_id: int, changes: Changes, actor_id: int, now: datetime | None = None
    ) -> list[AuditRow]:
        """Set or clear (None) settings, each audited, all in one transaction (or none)."""
        ...

    async def settings_history(self, guild_id: int, limit: int = 20) -> list[AuditRow]:
        """The server's latest setting changes, newest first."""
        ...

    async def add_custom_gift(
        self, guild_id: int, name: str, coins: int, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Add a server-only gift (audited); AlreadyExists when the name is taken, LooksLike
        when it looks like one that is, LimitReached past the server's cap."""
        ...

    async def remove_custom_gift(
        self, guild_id: int, name: str, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Remove a server-only gift (audited) and return it; NotFound when missing."""
        ...

    async def list_custom_gifts(self, guild_id: int) -> list[CustomGift]:
        """The server's custom gifts, by name."""
        ...
