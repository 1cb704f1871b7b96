"""The people and servers offline interactions come from, shaped as Discord describes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

APPLICATION_ID = 1_100_000_000_000_000_001
DEFAULT_GUILD_ID = 1_100_000_000_000_000_100
DEFAULT_CHANNEL_ID = 1_100_000_000_000_000_200
ALL_PERMISSIONS = discord.Permissions.all().value
MEMBER_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, use_application_commands=True
).value


@dataclass(frozen=True)
class FakeUser:
    """A Discord user as the payloads describe one."""

    id: int
    name: str
    bot: bool = False
    permissions: int = MEMBER_PERMISSIONS

    def user_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    def member_payload(self, *, with_user: bool = True) -> dict[str, Any]:
        member: dict[str, Any] = {
            "roles": [],
            "joined_at": "2025-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "permissions": str(self.permissions),
        }
        if with_user:
            member["user"] = self.user_payload()
        return member


@dataclass(frozen=True)
class FakeGuild:
    """A server: its id, locale and the members the payloads may resolve."""

    id: int = DEFAULT_GUILD_ID
    locale: str = "en-US"
    channel_id: int = DEFAULT_CHANNEL_ID

    def payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "locale": self.locale, "features": []}
