"""Permission checks made by the bot itself, never left to Discord's default permissions."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.render import safe
from bot.tree import UserError


def require_guild(interaction: discord.Interaction) -> int:
    """The server's id; server-only commands never run elsewhere (the tree enforces it)."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


def is_manager(interaction: discord.Interaction) -> bool:
    """Manage Server in this channel, as Discord computed it for this interaction."""
    return interaction.guild_id is not None and interaction.permissions.manage_guild


def require_manager(interaction: discord.Interaction) -> None:
    """Refuse (ephemeral "you need Manage Server") unless the caller is a manager."""
    if not is_manager(interaction):
        raise UserError("error.missing_permissions")


def require_member(interaction: discord.Interaction, user: discord.abc.User) -> discord.Member:
    """`user` must be a person in this server: not a bot, not someone outside it."""
    if not isinstance(user, discord.Member) or user.guild.id != interaction.guild_id:
        raise UserError("error.not_a_member", name=safe(user.name))
    if user.bot:
        raise UserError("error.is_a_bot", name=safe(user.name))
    return user
