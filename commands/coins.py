"""/coins: the cheapest way to buy coins, and what they buy."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.render import answer
from bot.respond import reply
from bot.text import safe
from commands._options import (
    LOOKUP_CONTEXTS,
    LOOKUP_INSTALLS,
    REGION_CHOICES,
    STORE_CHOICES,
    Amount,
    Choice,
    chosen,
)
from commands._purchase import describe_purchase
from economy.quotes import CoinsQuote, coins_quote


def coins_embed(ask: Ask, quote: CoinsQuote) -> discord.Embed:
    """The cheapest purchase of an amount of coins, its price per coin, and what it buys."""
    purchase = quote.viewer.purchase
    embed = answer(ask, ask.t("coins.title", coins=ask.number(quote.coins)))
    embed.add_field(
        name=ask.t("coins.cheapest"), value=describe_purchase(ask, quote.viewer), inline=False
    )
    if quote.extra_coins:
        embed.add_field(
            name=ask.t("coins.received"),
            value=ask.t(
                "coins.received_value",
                coins=ask.number(purchase.coins_received),
                extra=ask.number(quote.extra_coins),
            ),
        )
    embed.add_field(
        name=ask.t("coins.per_coin"),
        value=ask.unit_price(quote.viewer.price_per_coin, purchase.currency),
    )
    if quote.buys:
        embed.add_field(
            name=ask.t("coins.buys"),
            value="\n".join(
                ask.t("coins.buys_line", count=ask.number(n), gift=safe(g.name))
                for g, n in quote.buys
            ),
            inline=False,
        )
    return embed


class Coins(commands.Cog):
    """Coin prices by store and region."""

    @app_commands.command(
        name="coins", description="The cheapest way to buy coins, and what they buy"
    )
    @app_commands.describe(
        amount="How many coins",
        store="Where to buy them (default: app)",
        region="Whose prices (default: this server's currency, or your language's)",
    )
    @app_commands.choices(store=STORE_CHOICES, region=REGION_CHOICES)
    @LOOKUP_CONTEXTS
    @LOOKUP_INSTALLS
    async def coins(
        self,
        interaction: discord.Interaction[GiftBot],
        amount: Amount,
        store: Choice | None = None,
        region: Choice | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        where = region.value if region else ask.region
        quote = coins_quote(amount, ask.rates, ask.catalog, chosen(store, "app"), where)
        await reply(interaction, embed=coins_embed(ask, quote))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Coins())
