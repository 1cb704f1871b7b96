"""The command tree and its one error handler: every failure becomes a short ephemeral reply."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.i18n import has, t
from bot.render import safe
from economy.errors import EconomyError
from economy.storage import StorageBusy, StorageFull

log = logging.getLogger(__name__)


class UserError(app_commands.AppCommandError):
    """Bot-side refusals (permissions, rate limits) carrying a message key and params."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def explain(error: BaseException, locale: object) -> str | None:
    """The message for an error the user can act on, or None when it is a bug."""
    cause = error
    while isinstance(cause, (app_commands.CommandInvokeError, app_commands.TransformerError)):
        inner = cause.__cause__ or getattr(cause, "original", None)
        if inner is None:
            break
        cause = inner
    if isinstance(cause, EconomyError):
        return t(locale, cause.key, **_localised_params(cause, locale))
    if isinstance(cause, (StorageBusy, StorageFull)):
        return t(locale, cause.key)
    if isinstance(cause, UserError):
        return t(locale, cause.key, **cause.params)
    if isinstance(cause, app_commands.TransformerError):
        return t(locale, "error.bad_option", value=_short(cause.value))
    if isinstance(cause, app_commands.NoPrivateMessage):
        return t(locale, "error.guild_only")
    if isinstance(cause, app_commands.MissingPermissions):
        return t(locale, "error.missing_permissions")
    if isinstance(cause, app_commands.CommandOnCooldown):
        return t(locale, "error.rate_limited", seconds=max(1, round(cause.retry_after)))
    if isinstance(cause, (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)):
        return t(locale, "error.outdated_command")
    if isinstance(cause, app_commands.CheckFailure):
        return t(locale, "error.not_allowed_here")
    return None


def _localised_params(error: EconomyError, locale: object) -> dict[str, Any]:
    """Domain errors carry raw text (often what the user typed): make it inert first."""
    params = {k: safe(v) if isinstance(v, str) else v for k, v in error.params.items()}
    what = params.get("what")
    if isinstance(what, str):
        params["what"] = t(locale, f"field.{what}") if has(f"field.{what}") else what
    return params


def _short(value: object, limit: int = 60) -> str:
    text = safe(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def reply_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """Answer once: the response if it is still open, else a follow-up."""
    if interaction.type is discord.InteractionType.autocomplete:
        return
    allowed = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(message, ephemeral=True, allowed_mentions=allowed)
    else:
        await interaction.response.send_message(message, ephemeral=True, allowed_mentions=allowed)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong; log anything unexpected under a reference they see."""
    message = explain(error, interaction.locale)
    if message is None:
        reference = secrets.token_hex(3).upper()
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("Unexpected error, reference %s, in /%s", reference, command, exc_info=error)
        message = t(interaction.locale, "error.unexpected", reference=reference)
    try:
        await reply_ephemeral(interaction, message)
    except discord.HTTPException:
        log.warning("Could not deliver an error message for interaction %s", interaction.id)


def is_server_only(command: app_commands.Command | app_commands.Group | None) -> bool:
    """Whether a command is declared for servers only (its top-level allowed contexts)."""
    if command is None:
        return False
    root = command.root_parent or command
    contexts = root.allowed_contexts
    return contexts is not None and not (contexts.dm_channel or contexts.private_channel)


class GiftTree(app_commands.CommandTree):
    """Refuses server-only commands outside servers; routes every error to `report_error`."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Discord hides server-only commands in DMs; this backstop enforces it in the bot."""
        if interaction.guild_id is None and is_server_only(interaction.command):
            raise app_commands.NoPrivateMessage()
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)
