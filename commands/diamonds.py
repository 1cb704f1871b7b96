"""/diamonds: what diamonds pay out, and how far the minimum withdrawal is."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import ask_for
from bot.render import answer
from bot.respond import reply
from commands._explain import how_view
from commands._options import LOOKUP_CONTEXTS, LOOKUP_INSTALLS, Amount
from commands._payout_render import add_payout_fields
from economy.quotes import exchange_used, payout_quote


class Diamonds(commands.Cog):
    """Diamonds to money."""

    @app_commands.command(
        name="diamonds", description="What diamonds pay out, and how far cashing out is"
    )
    @app_commands.describe(amount="How many diamonds")
    @LOOKUP_CONTEXTS
    @LOOKUP_INSTALLS
    async def diamonds(self, interaction: discord.Interaction[GiftBot], amount: Amount) -> None:
        ask = await ask_for(interaction)
        quote = payout_quote(amount, ask.rates, ask.currency)
        embed = answer(
            ask,
            ask.t("diamonds.title", plural=amount, diamonds=ask.number(amount)),
            exchange=exchange_used(quote),
        )
        add_payout_fields(ask, embed, quote)
        await reply(interaction, embed=embed, view=how_view(ask))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Diamonds())
