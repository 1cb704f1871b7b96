"""/diamonds: what diamonds pay out, and how far the minimum withdrawal is."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Ask, ask_for
from bot.render import answer, progress_bar
from commands._options import LOOKUP_CONTEXTS, LOOKUP_INSTALLS, Amount
from economy.conversions import Payout, payout


def add_payout_fields(ask: Ask, embed: discord.Embed, result: Payout) -> None:
    """Gross, cut, net, and progress to cashing out: shared by /diamonds and /tally show."""
    embed.add_field(name=ask.t("diamonds.gross"), value=ask.usd(result.gross_usd))
    embed.add_field(
        name=ask.t("diamonds.cut", cut=ask.number(ask.rates.cashout_cut.value * 100)),
        value=ask.usd(result.cut_usd),
    )
    embed.add_field(name=ask.t("diamonds.net"), value=ask.usd(result.net_usd))
    if result.reached:
        status = ask.t("diamonds.reached", days=ask.number(result.days_to_cash_out))
    else:
        status = ask.t("diamonds.to_go", diamonds=ask.number(result.diamonds_to_minimum))
    embed.add_field(
        name=ask.t(
            "diamonds.progress",
            minimum=ask.usd(ask.rates.minimum_withdrawal_usd.value),
            diamonds=ask.number(result.minimum_diamonds),
        ),
        value=f"`{progress_bar(result.progress)}`\n{status}",
        inline=False,
    )


def diamonds_embed(ask: Ask, amount: int) -> discord.Embed:
    result = payout(amount, ask.rates)
    embed = answer(ask, ask.t("diamonds.title", diamonds=ask.number(amount)))
    add_payout_fields(ask, embed, result)
    return embed


class Diamonds(commands.Cog):
    """Diamonds to money."""

    @app_commands.command(
        name="diamonds", description="What diamonds pay out, and how far cashing out is"
    )
    @app_commands.describe(amount="How many diamonds")
    @LOOKUP_CONTEXTS
    @LOOKUP_INSTALLS
    async def diamonds(self, interaction: discord.Interaction, amount: Amount) -> None:
        ask = await ask_for(interaction)
        await interaction.response.send_message(embed=diamonds_embed(ask, amount))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Diamonds())
