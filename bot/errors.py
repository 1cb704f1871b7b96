"""The one error path: any refusal becomes a short ephemeral message in the user's language.

Domain errors (`economy.errors.EconomyError`) and the bot's own refusals (`UserError`) carry a
message key and raw values; `explain` formats every value the user's way (`format_value`) and
fills the message. Anything it cannot explain is a bug: logged with a reference the user sees.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.i18n import has, t
from bot.respond import reply
from bot.text import format_value, shorten
from economy.errors import EconomyError
from economy.storage import StorageBusy, StorageFull, StorageGone, StorageReadOnly

log = logging.getLogger(__name__)


class UserError(app_commands.AppCommandError):
    """A refusal made by the bot itself (permissions, rate limits): a message key and raw
    values, formatted like a domain error's."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _field_label(what: str, locale: object) -> str:
    key = f"field.{what}"
    return t(locale, key) if has(key) else shorten(what)


def _message(key: str, params: dict[str, Any], locale: object) -> str:
    """The message `key` (or its `<key>.<what>` variant) with every value formatted."""
    shown: dict[str, Any] = {name: format_value(value, locale) for name, value in params.items()}
    what = params.get("what")
    if isinstance(what, str):
        specific = f"{key}.{what.replace(' ', '_')}"
        if has(specific):
            key = specific
        shown["what"] = _field_label(what, locale)
    return t(locale, key, **shown)


def unwrap(error: BaseException) -> BaseException:
    """The error a command raised, out of discord.py's wrappers."""
    cause = error
    while isinstance(cause, (app_commands.CommandInvokeError, app_commands.TransformerError)):
        inner = cause.__cause__ or getattr(cause, "original", None)
        if inner is None:
            break
        cause = inner
    return cause


def explain(error: BaseException, locale: object) -> str | None:
    """The message for an error the user can act on, or None when it is a bug."""
    cause = unwrap(error)
    if isinstance(cause, EconomyError | UserError):
        return _message(cause.key, cause.params, locale)
    if isinstance(cause, StorageBusy | StorageFull | StorageGone | StorageReadOnly):
        return t(locale, cause.key)
    if isinstance(cause, app_commands.TransformerError):
        return t(locale, "error.bad_option", value=shorten(str(cause.value)))
    if isinstance(cause, app_commands.NoPrivateMessage):
        return t(locale, "error.guild_only")
    if isinstance(cause, app_commands.MissingPermissions):
        return t(locale, "error.missing_permissions")
    if isinstance(cause, app_commands.CommandOnCooldown):
        return t(locale, "error.rate_limited", seconds=max(1, round(cause.retry_after)))
    if isinstance(cause, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return t(locale, "error.outdated_command")
    if isinstance(cause, app_commands.CheckFailure):
        return t(locale, "error.not_allowed_here")
    return None


async def reply_ephemeral(interaction: discord.Interaction[Any], message: str) -> None:
    """Answer once, privately: the response if it is still open, else a follow-up."""
    if interaction.type is discord.InteractionType.autocomplete:
        return
    await reply(interaction, content=message, ephemeral=True)


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
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
