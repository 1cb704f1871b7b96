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
from bot.text import country_list, safe
from bot.transformers import GiftOption
from commands._explain import how_view
from commands._options import (
    LOOKUP_CONTEXTS,
    LOOKUP_INSTALLS,
    PROGRAM_CHOICES,
    Amount,
    Choice,
    Money,
)
from economy.quotes import (
    GoalQuote,
    RouteQuote,
    ViewsQuote,
    exchange_used,
    goal_quote,
    views_quotes,
)
from economy.rates import Availability

PROGRAMS = ("creator-rewards", "creator-fund")


def views_embed(ask: Ask, views: int, quotes: list[ViewsQuote]) -> discord.Embed:
    """Each program's low-high pay, and where it runs (or ran) with the source saying so."""
    embed = answer(
        ask,
        ask.t("payout.views.title", plural=views, views=ask.number(views)),
        exchange=exchange_used(quotes),
    )
    for quote in quotes:
        pay = ask.t("payout.views.range", low=ask.shown(quote.low), high=ask.shown(quote.high))
        embed.add_field(
            name=ask.t(f"payout.program.{quote.estimate.program}"),
            value=f"{pay}\n{where_it_runs(ask, quote.availability)}",
            inline=False,
        )
    return embed


def where_it_runs(ask: Ask, where: Availability) -> str:
    """`Runs in the US, ... (a third-party list of Nov 26, 2025; check in the app).` or
    `Ended on Dec 16, 2023 in ... (TikTok, Nov 6, 2023).`"""
    countries = country_list(where.countries, ask.locale)
    if where.status == "ended" and where.ended_on is not None:
        text = ask.t("payout.available.ended", day=ask.date(where.ended_on), countries=countries)
    else:
        text = ask.t("payout.available.running", countries=countries)
    if where.official:
        source = ask.t("payout.available.official", day=ask.date(where.as_of))
    else:
        source = ask.t("payout.available.third_party", day=ask.date(where.as_of))
    if where.check_in_app:
        source = ask.t("payout.available.check_in_app", source=source)
    return f"{text} ({source})"


def route_line(ask: Ask, route: RouteQuote) -> str:
    """`2 × Galaxy: nets $10.00`."""
    return ask.t(
        "payout.goal.gift_line",
        count=ask.number(route.count),
        gift=safe(route.gift.name),
        net=ask.shown(route.net),
    )


def goal_embed(ask: Ask, quote: GoalQuote) -> discord.Embed:
    """Diamonds and coins a goal takes, the gifts that reach it (fewest first, none a gift's
    worth past it), and what a single bigger gift would pay instead."""
    embed = answer(
        ask,
        ask.t("payout.goal.title", amount=ask.shown(quote.amount)),
        exchange=exchange_used(quote),
    )
    embed.add_field(name=ask.t("payout.goal.diamonds"), value=ask.number(quote.goal.diamonds))
    embed.add_field(name=ask.t("payout.goal.coins"), value=ask.number(quote.goal.coins))
    lines = [route_line(ask, route) for route in quote.routes]
    if quote.bigger is not None:
        key = "payout.goal.bigger" if lines else "payout.goal.only_bigger"
        lines.append(ask.t(key, gift=safe(quote.bigger.gift.name), net=ask.shown(quote.bigger.net)))
    if lines:
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
        await reply(interaction, embed=views_embed(ask, views, quotes), view=how_view(ask))

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
        await reply(interaction, embed=goal_embed(ask, quote), view=how_view(ask))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Payout())
