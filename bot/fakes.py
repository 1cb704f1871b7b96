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
    """A Discord user as the payloads describe one (`avatar`: an avatar hash, or None for
    Discord's default picture)."""

    id: int
    name: str
    bot: bool = False
    permissions: int = MEMBER_PERMISSIONS
    avatar: str | None = None

    def user_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name.title(),
            "discriminator": "0",
            "avatar": self.avatar,
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


@dataclass(frozen=True)
class FakeRole:
    """A server role: higher `position` is higher in the list; `managed` belongs to an app."""

    id: int
    name: str
    position: int
    permissions: int = 0
    managed: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "hoist": False,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }


@dataclass(frozen=True)
class FakeChannel:
    """A text channel; `denied` are permissions an overwrite takes from the bot's roles."""

    id: int
    name: str = "general"
    denied: int = 0


@dataclass(frozen=True)
class ServerLayout:
    """What GUILD_CREATE tells a bot with the guilds intent: roles, channels, its own roles."""

    roles: tuple[FakeRole, ...] = ()
    channels: tuple[FakeChannel, ...] = ()
    bot_roles: tuple[int, ...] = ()

    def payload(self, guild: FakeGuild, bot_user: FakeUser) -> dict[str, Any]:
        everyone = FakeRole(guild.id, "@everyone", 0, MEMBER_PERMISSIONS)
        channels = self.channels or (FakeChannel(guild.channel_id),)
        return {
            "id": str(guild.id),
            "name": "Offline server",
            "icon": None,
            "owner_id": "1",
            "preferred_locale": guild.locale,
            "features": [],
            "emojis": [],
            "stickers": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "nsfw_level": 0,
            "large": False,
            "unavailable": False,
            "member_count": 2,
            "roles": [role.payload() for role in (everyone, *self.roles)],
            "channels": [channel_payload(guild, c, bot_user) for c in channels],
            "members": [
                {
                    "user": bot_user.user_payload(),
                    "roles": [str(role) for role in self.bot_roles],
                    "joined_at": "2025-01-01T00:00:00+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }


def channel_payload(
    guild: FakeGuild, channel: FakeChannel, bot_user: FakeUser | None = None
) -> dict[str, Any]:
    """A text channel as Discord describes it (the bot's overwrite when one denies it)."""
    overwrites = []
    if channel.denied and bot_user is not None:
        overwrites.append(
            {"id": str(bot_user.id), "type": 1, "allow": "0", "deny": str(channel.denied)}
        )
    return {
        "id": str(channel.id),
        "type": 0,
        "guild_id": str(guild.id),
        "name": channel.name,
        "position": 0,
        "permission_overwrites": overwrites,
        "nsfw": False,
        "parent_id": None,
        "flags": 0,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "topic": None,
    }
