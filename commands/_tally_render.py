"""Labels shared by /tally and /group: people, periods, entries, pages."""

from __future__ import annotations

import discord

from bot.context import Ask
from bot.errors import UserError
from bot.text import safe
from economy.storage import Period


def require_person(user: discord.abc.User) -> discord.abc.User:
    """Refuse bots (tallies are for people); former members are fine (their rows remain)."""
    if user.bot:
        raise UserError("error.is_a_bot", name=user.name)
    return user


def mention(user_id: int) -> str:
    """`<@id>`: shown as the member's name in embeds, never a ping (embeds do not ping)."""
    return f"<@{user_id}>"


def display_name(user: discord.abc.User) -> str:
    """The name people see, made inert for titles and text."""
    return safe(user.display_name)


def period_label(ask: Ask, period: Period) -> str:
    return ask.t(f"tally.period.{period}")


def entry_what(ask: Ask, gift_name: str | None, count: int) -> str:
    """`**Rose** × 5`, or `raw diamonds` for an entry recorded as diamonds."""
    if gift_name is None:
        return ask.t("tally.raw_diamonds")
    return ask.t("tally.gift_count", gift=safe(gift_name), count=ask.number(count))


def add_page_field(ask: Ask, embed: discord.Embed, page: int, pages: int) -> None:
    if pages > 1:
        embed.add_field(
            name="\u200b", value=ask.t("common.page", page=page, pages=pages), inline=False
        )
