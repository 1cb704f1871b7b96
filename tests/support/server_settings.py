"""Changing a server's settings behind the commands' back, as a manager's /settings would,
so that the next command sees them."""

from __future__ import annotations

from bot.offline import FakeGuild, OfflineDiscord
from economy.storage.guild_settings import Changes
from tests.support.people import GUILD, MANAGER


async def use_settings(
    offline: OfflineDiscord, changes: Changes, *, guild: FakeGuild = GUILD
) -> None:
    """Store `changes` for `guild` (by the manager) and drop the bot's cached profile of it,
    so the next command reads them rather than the figures it had before."""
    await offline.bot.storage.guild_settings.change_settings(guild.id, changes, MANAGER.id)
    offline.bot.profiles.forget(guild.id)


async def on_guides(offline: OfflineDiscord, *, guild: FakeGuild = GUILD) -> None:
    """The server uses the creator guides' model: 0.5 diamond a coin, so single Roses are
    worth half a diamond, and 50% goes at cash-out."""
    await use_settings(offline, {"preset": "guides"}, guild=guild)
