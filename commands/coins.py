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
from commands._explain import how_view
from commands._options import (
    LOOKUP_CONTEXTS,
    LOOKUP_INSTALLS,
    REGION_CHOICES,
    STORE_CHOICES,
    Amount,
    Choice,
    chosen,
)
from commands._purchase import describe_cost, describe_plan
from economy.quotes import CoinsQuote, coins_quote, exchange_used


def coins_embed(ask: Ask, quote: CoinsQuote) -> discord.Embed:
    """What an amount of coins costs at the store's price per coin, the packs to buy it in
    (or why there is no plan), and what the coins buy."""
    viewer = quote.viewer
    embed = answer(
        ask,
        ask.t("coins.title", coins=ask.count("common.coin_count", quote.coins)),
        exchange=exchange_used(quote),
    )
    embed.add_field(name=ask.t("coins.cost_title"), value=describe_cost(ask, viewer), inline=False)
    embed.add_field(name=ask.t("coins.cheapest"), value=describe_plan(ask, viewer), inline=False)
    if viewer.plan is not None:
        purchase = viewer.plan.purchase
        if quote.extra_coins:
            embed.add_field(
                name=ask.t("coins.received"),
                value=ask.t(
                    "coins.received_value",
                    coins=ask.count("common.coin_count", purchase.coins_received),
                    extra=ask.count("common.coin_count", quote.extra_coins),
                ),
            )
        embed.add_field(
            name=ask.t("coins.per_coin"),
            value=ask.unit_price(viewer.plan.price_per_coin, purchase.currency),
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
        await reply(interaction, embed=coins_embed(ask, quote), view=how_view(ask))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Coins())
