"""/coins: the cheapest way to buy coins, and what they buy."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Ask, ask_for
from bot.render import answer, safe
from commands._options import (
    LOOKUP_CONTEXTS,
    LOOKUP_INSTALLS,
    REGION_CHOICES,
    STORE_CHOICES,
    Amount,
)
from commands._purchase import describe_purchase
from economy.catalog import Catalog, Gift
from economy.conversions import cheapest_purchase

SHOWN = 4


def affordable_showcase(catalog: Catalog, coins: int) -> list[tuple[Gift, int]]:
    """Up to four featured gifts the coins buy, priciest first, with how many."""
    affordable = sorted((g for g in catalog.featured if g.coins <= coins), key=lambda g: -g.coins)
    return [(gift, coins // gift.coins) for gift in affordable[:SHOWN]]


def coins_embed(ask: Ask, amount: int, store_name: str, region: str | None = None) -> discord.Embed:
    """The cheapest purchase of `amount` coins in a store of `region` (default: the asker's)."""
    wanted = region or ask.region
    store = ask.store(store_name, wanted)
    purchase = cheapest_purchase(amount, store)
    embed = answer(ask, ask.t("coins.title", coins=ask.number(amount)))
    embed.add_field(
        name=ask.t("coins.cheapest"),
        value=describe_purchase(ask, purchase, store, wanted),
        inline=False,
    )
    if purchase.coins_received > amount:
        embed.add_field(
            name=ask.t("coins.received"),
            value=ask.t(
                "coins.received_value",
                coins=ask.number(purchase.coins_received),
                extra=ask.number(purchase.coins_received - amount),
            ),
        )
    embed.add_field(
        name=ask.t("coins.per_coin"),
        value=ask.unit_price(purchase.price_per_coin, purchase.currency),
    )
    buys = affordable_showcase(ask.catalog, amount)
    if buys:
        embed.add_field(
            name=ask.t("coins.buys"),
            value="\n".join(
                ask.t("coins.buys_line", count=ask.number(n), gift=safe(g.name)) for g, n in buys
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
        interaction: discord.Interaction,
        amount: Amount,
        store: str = "app",
        region: str | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        await interaction.response.send_message(embed=coins_embed(ask, amount, store, region))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Coins())
