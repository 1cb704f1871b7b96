"""Localizes command names and descriptions from the `cmd.*` keys of the message catalogs.

A cog's catalog file holds its command texts, e.g. `gift.json`:
`"cmd.gift.value.description": "..."`, `"cmd.gift.value.count.description": "..."`,
`"cmd.choice.web.name": "..."`. English comes from the code; other locales from the files.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, catalogs

AnyCommand = app_commands.Command[Any, ..., Any] | app_commands.Group

# Discord locales we translate to, and the catalog locale that serves each.
DISCORD_LOCALES = {discord.Locale.indonesian: "id", discord.Locale.brazil_portuguese: "pt-BR"}


@cache
def command_texts() -> dict[str, dict[str, str]]:
    """Per locale: `<qualified name>.<field>` -> text, gathered from every `cmd.` key."""
    texts: dict[str, dict[str, str]] = {}
    for locale in SUPPORTED_LOCALES:
        found: dict[str, str] = {}
        for key, text in catalogs()[locale].items():
            _, _, rest = key.partition(".")
            if rest.startswith("cmd.") and isinstance(text, str):
                found[rest.removeprefix("cmd.")] = text
        texts[locale] = found
    return texts


def text_key(context: app_commands.TranslationContextTypes) -> str | None:
    """The catalog key for a string discord.py asks us to translate."""
    data = context.data
    suffix = {
        Where.command_name: "name",
        Where.group_name: "name",
        Where.command_description: "description",
        Where.group_description: "description",
        Where.parameter_name: "name",
        Where.parameter_description: "description",
    }.get(context.location)
    if isinstance(data, app_commands.Command | app_commands.Group) and suffix:
        return f"{data.qualified_name}.{suffix}"
    if isinstance(data, app_commands.Parameter) and suffix:
        return f"{data.command.qualified_name}.{data.name}.{suffix}"
    if isinstance(data, app_commands.Choice) and context.location is Where.choice_name:
        return f"choice.{data.value}.name"
    if isinstance(data, app_commands.ContextMenu) and context.location is Where.command_name:
        return f"menu.{data.name}.name"  # "Apps" menu names may have spaces and capitals
    return None


def localized_path(command: AnyCommand, locale: str) -> str:
    """`gift value` as a user of `locale` types it (`hadiah nilai` in Indonesian)."""
    texts = command_texts().get(locale, {})
    parts: list[str] = []
    node: AnyCommand | None = command
    while node is not None:
        parts.append(texts.get(f"{node.qualified_name}.name", node.name))
        node = node.parent
    return " ".join(reversed(parts))


def localized_description(command: AnyCommand, locale: str) -> str:
    """A command's description in `locale`, English when it has none."""
    key = f"{command.qualified_name}.description"
    return command_texts().get(locale, {}).get(key, command.description)


class CatalogTranslator(app_commands.Translator):
    """Serves `name_localizations` / `description_localizations` when commands are synced."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        catalog_locale = DISCORD_LOCALES.get(locale)
        if catalog_locale is None or catalog_locale == DEFAULT_LOCALE:
            return None
        key = text_key(context)
        return command_texts()[catalog_locale].get(key) if key else None
