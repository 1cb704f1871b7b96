"""/payout views and /payout goal."""

from __future__ import annotations

from decimal import Decimal

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.render import answer
from bot.respond import reply
from bot.text import safe
from bot.transformers import GiftOption
from commands._options import (
    LOOKUP_CONTEXTS,
    LOOKUP_INSTALLS,
    PROGRAM_CHOICES,
    Amount,
    Choice,
    Money,
)
from economy.quotes import GoalQuote, ViewsQuote, goal_quote, views_quotes

PROGRAMS = ("creator-rewards", "creator-fund")


def views_embed(ask: Ask, views: int, quotes: list[ViewsQuote]) -> discord.Embed:
    embed = answer(ask, ask.t("payout.views.title", plural=views, views=ask.number(views)))
    for quote in quotes:
        embed.add_field(
            name=ask.t(f"payout.program.{quote.estimate.program}"),
            value=ask.t("payout.views.range", low=ask.shown(quote.low), high=ask.shown(quote.high)),
            inline=False,
        )
    return embed


def goal_embed(ask: Ask, quote: GoalQuote) -> discord.Embed:
    embed = answer(ask, ask.t("payout.goal.title", amount=ask.shown(quote.amount)))
    embed.add_field(name=ask.t("payout.goal.diamonds"), value=ask.number(quote.goal.diamonds))
    embed.add_field(name=ask.t("payout.goal.coins"), value=ask.number(quote.goal.coins))
    lines = [
        ask.t("payout.goal.gift_line", count=ask.number(count), gift=safe(gift.name))
        for gift, count in quote.gifts
    ]
    embed.add_field(name=ask.t("payout.goal.gifts"), value="\n".join(lines), inline=False)
    return embed


@LOOKUP_CONTEXTS
@LOOKUP_INSTALLS
class Payout(commands.GroupCog, group_name="payout", group_description="Creator pay estimates"):
    """Pay per view and savings goals."""

    @app_commands.command(name="views", description="What a number of views pays, low to high")
    @app_commands.describe(views="How many views", program="Which program (default: both)")
    @app_commands.choices(program=PROGRAM_CHOICES)
    async def views(
        self,
        interaction: discord.Interaction[GiftBot],
        views: Amount,
        program: Choice | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        programs = (program.value,) if program else PROGRAMS
        quotes = views_quotes(views, programs, ask.rates, ask.currency)
        await reply(interaction, embed=views_embed(ask, views, quotes))

    @app_commands.command(
        name="goal", description="Diamonds, coins and gifts needed to take home an amount"
    )
    @app_commands.describe(
        amount="Money you want to take home, in this server's currency",
        gift="Count it in this gift (optional)",
    )
    async def goal(
        self,
        interaction: discord.Interaction[GiftBot],
        amount: Money,
        gift: GiftOption | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        value = Decimal(str(amount))
        quote = goal_quote(value, ask.currency, ask.rates, ask.catalog, gift)
        await reply(interaction, embed=goal_embed(ask, quote))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Payout())
