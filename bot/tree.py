"""The command tree and its one error handler: every failure becomes a short ephemeral reply."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError, report_error
from bot.permissions import require_manager
from bot.ratelimit import over_limit
from bot.respond import watch

PRIVATE = "private"  # command extras: its answer is ephemeral (so is its deferral)
MANAGER = "manager"  # command extras: for Manage Server only (checked here; /help hides it)


def is_server_only(
    command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu | None,
) -> bool:
    """Whether a command is declared for servers only (its top-level allowed contexts)."""
    if command is None:
        return False
    root = command.root_parent or command if isinstance(command, app_commands.Command) else command
    contexts = root.allowed_contexts
    return contexts is not None and not (contexts.dm_channel or contexts.private_channel)


class GiftTree(app_commands.CommandTree[Any]):
    """Refuses server-only commands outside servers the bot is in; routes every error to
    `report_error`."""

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Refuse server-only commands outside servers (Discord hides them; this is the
        backstop), refuse MANAGER commands to everyone else, and start the answer's deadline:
        an interaction already too old to answer is refused as busy before any work is done."""
        if is_server_only(interaction.command):
            if interaction.guild_id is None:
                raise app_commands.NoPrivateMessage()
            if not interaction.is_guild_integration():
                # a user-installed call from a server the bot is not in: nothing to keep there
                raise UserError("error.not_installed_here")
        if interaction.type is discord.InteractionType.autocomplete:
            limiter = interaction.client.autocomplete_limiter
            return not limiter.retry_after(interaction.guild_id, interaction.user.id)
        if interaction.type is discord.InteractionType.application_command:
            over_limit(interaction.client.command_limiter, interaction)
            command = interaction.command
            if command is not None and command.extras.get(MANAGER):
                require_manager(interaction)  # before the command's checks spend write budget
            private = bool(command.extras.get(PRIVATE)) if command is not None else False
            if watch(interaction, private=private) is None:
                raise UserError("error.busy")
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)
