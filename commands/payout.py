"""/payout views and /payout goal."""

from __future__ import annotations

from decimal import Decimal

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Ask, ask_for
from bot.render import answer, safe
from bot.transformers import GiftOption
from commands._options import LOOKUP_CONTEXTS, LOOKUP_INSTALLS, PROGRAM_CHOICES, Amount, Money
from economy.catalog import Gift
from economy.conversions import convert, goal, views_estimate

PROGRAMS = ("creator-rewards", "creator-fund")
EXAMPLES = 4


def views_embed(ask: Ask, views: int, program: str | None) -> discord.Embed:
    embed = answer(ask, ask.t("payout.views.title", views=ask.number(views)))
    for name in (program,) if program else PROGRAMS:
        estimate = views_estimate(views, name, ask.rates)
        embed.add_field(
            name=ask.t(f"payout.program.{name}"),
            value=ask.t(
                "payout.views.range", low=ask.usd(estimate.low_usd), high=ask.usd(estimate.high_usd)
            ),
            inline=False,
        )
    return embed


def goal_embed(ask: Ask, amount: Decimal, gift: Gift | None) -> discord.Embed:
    net_usd = convert(amount, ask.currency, "USD", ask.rates)
    result = goal(net_usd, ask.rates, gift)
    embed = answer(ask, ask.t("payout.goal.title", amount=ask.money(amount, ask.currency)))
    embed.add_field(name=ask.t("payout.goal.diamonds"), value=ask.number(result.diamonds))
    embed.add_field(name=ask.t("payout.goal.coins"), value=ask.number(result.coins))
    gifts = [gift] if gift else price_spread(ask.catalog.featured, EXAMPLES)
    lines = [
        ask.t(
            "payout.goal.gift_line",
            count=ask.number(goal(net_usd, ask.rates, g).gift_count or 0),
            gift=safe(g.name),
        )
        for g in gifts
    ]
    embed.add_field(name=ask.t("payout.goal.gifts"), value="\n".join(lines), inline=False)
    return embed


def price_spread(gifts: tuple[Gift, ...], count: int) -> list[Gift]:
    """`count` gifts from cheapest to priciest, evenly spaced by rank."""
    ordered = sorted(gifts, key=lambda g: g.coins)
    if len(ordered) <= count:
        return ordered
    step = (len(ordered) - 1) / (count - 1)
    return [ordered[round(i * step)] for i in range(count)]


@LOOKUP_CONTEXTS
@LOOKUP_INSTALLS
class Payout(commands.GroupCog, group_name="payout", group_description="Creator pay estimates"):
    """Pay per view and savings goals."""

    @app_commands.command(name="views", description="What a number of views pays, low to high")
    @app_commands.describe(views="How many views", program="Which program (default: both)")
    @app_commands.choices(program=PROGRAM_CHOICES)
    async def views(
        self, interaction: discord.Interaction, views: Amount, program: str | None = None
    ) -> None:
        ask = await ask_for(interaction)
        await interaction.response.send_message(embed=views_embed(ask, views, program))

    @app_commands.command(
        name="goal", description="Diamonds, coins and gifts needed to take home an amount"
    )
    @app_commands.describe(
        amount="Money you want to take home, in this server's currency",
        gift="Count it in this gift (optional)",
    )
    async def goal(
        self, interaction: discord.Interaction, amount: Money, gift: GiftOption | None = None
    ) -> None:
        ask = await ask_for(interaction)
        value = Decimal(str(amount))
        await interaction.response.send_message(embed=goal_embed(ask, value, gift))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Payout())
