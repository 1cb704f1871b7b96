"""Permission checks made by the bot itself, never left to Discord's default permissions."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError


def require_guild(interaction: discord.Interaction[Any]) -> int:
    """The server's id; server-only commands never run elsewhere (the tree enforces it)."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


def is_manager(interaction: discord.Interaction[Any]) -> bool:
    """Manage Server in this channel, as Discord computed it for this interaction."""
    return interaction.guild_id is not None and interaction.permissions.manage_guild


def require_manager(interaction: discord.Interaction[Any]) -> None:
    """Refuse (ephemeral "you need Manage Server") unless the caller is a manager."""
    if not is_manager(interaction):
        raise UserError("error.missing_permissions")


def require_member(interaction: discord.Interaction[Any], user: discord.abc.User) -> discord.Member:
    """`user` must be a person in this server: not a bot, not someone outside it."""
    if not isinstance(user, discord.Member) or user.guild.id != interaction.guild_id:
        raise UserError("error.not_a_member", name=user.name)
    if user.bot:
        raise UserError("error.is_a_bot", name=user.name)
    return user
