"""/gift value and /gift list."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Ask, ask_for
from bot.pager import Pager
from bot.render import answer, safe
from bot.transformers import GiftOption
from commands._options import (
    LOOKUP_CONTEXTS,
    LOOKUP_INSTALLS,
    REGION_CHOICES,
    STORE_CHOICES,
    Count,
)
from commands._purchase import describe_purchase
from economy.catalog import Caveat, Gift
from economy.conversions import gift_value
from economy.errors import InvalidValue
from economy.paging import paginate

GIFTS_PER_PAGE = 15


def value_embed(
    ask: Ask, gift: Gift, count: int, store_name: str, region: str | None = None
) -> discord.Embed:
    """What `count` of `gift` cost the viewer (in `region`'s store) and pay the creator."""
    wanted = region or ask.region
    store = ask.store(store_name, wanted)
    value = gift_value(gift, count, ask.rates, store)
    embed = answer(ask, ask.t("gift.value.title", gift=safe(gift.name), count=ask.number(count)))
    embed.add_field(name=ask.t("gift.value.coins"), value=ask.number(value.coins))
    embed.add_field(
        name=ask.t("gift.value.viewer_paid"),
        value=describe_purchase(ask, value.purchase, store, wanted),
        inline=False,
    )
    embed.add_field(name=ask.t("gift.value.diamonds"), value=ask.number(value.diamonds))
    embed.add_field(name=ask.t("gift.value.gross"), value=ask.usd(value.gross_usd))
    embed.add_field(
        name=ask.t("gift.value.net", cut=ask.number(ask.rates.cashout_cut.value * 100)),
        value=ask.usd(value.net_usd),
    )
    notes = [ask.t("gift.value.retired")] if gift.retired else []
    if gift.caveat is not None:
        notes.append(caveat_text(ask, gift.caveat))
    embed.description = " ".join(notes) or None
    return embed


def caveat_text(ask: Ask, caveat: Caveat) -> str:
    """What a user should know about a gift's price, in their language."""
    return ask.t(
        f"gift.caveat.{caveat.key}",
        coins=ask.number(caveat.coins or 0),
        since=caveat.since.isoformat() if caveat.since else "",
        other=safe(caveat.other or ""),
    )


@LOOKUP_CONTEXTS
@LOOKUP_INSTALLS
class Gifts(commands.GroupCog, group_name="gift", group_description="TikTok LIVE gifts"):
    """Gift values and the catalog."""

    @app_commands.command(
        name="value", description="What gifts cost the viewer and pay the creator"
    )
    @app_commands.describe(
        gift="The gift (start typing its name)",
        count="How many were sent (default 1)",
        store="Where the viewer bought the coins (default: app)",
        region="Whose coin prices (default: this server's currency, or your language's)",
    )
    @app_commands.choices(store=STORE_CHOICES, region=REGION_CHOICES)
    async def value(
        self,
        interaction: discord.Interaction,
        gift: GiftOption,
        count: Count = 1,
        store: str = "app",
        region: str | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        embed = value_embed(ask, gift, count, store, region)
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="list", description="Browse the gift catalog, page by page")
    @app_commands.describe(
        sort="Order by price or by name (default: price)",
        min_coins="Only gifts costing at least this many coins",
        max_coins="Only gifts costing at most this many coins",
    )
    @app_commands.choices(
        sort=[
            app_commands.Choice(name="Coins", value="coins"),
            app_commands.Choice(name="Name", value="name"),
        ]
    )
    async def list_gifts(
        self,
        interaction: discord.Interaction,
        sort: str = "coins",
        min_coins: app_commands.Range[int, 1, 10**9] | None = None,
        max_coins: app_commands.Range[int, 1, 10**9] | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        gifts = ask.catalog.listing(sort=sort, min_coins=min_coins, max_coins=max_coins)
        if not gifts:
            raise InvalidValue("coins", ask.t("gift.list.none_in_range"))
        first = paginate(gifts, 1, GIFTS_PER_PAGE)

        async def render(page: int) -> discord.Embed:
            shown = paginate(gifts, page, GIFTS_PER_PAGE)
            lines = [
                ask.t("gift.list.line", gift=safe(g.name), coins=ask.number(g.coins))
                + (" ✝" if g.retired else "")
                + (" ★" if g.custom else "")
                for g in shown.items
            ]
            embed = answer(ask, ask.t("gift.list.title", total=ask.number(len(gifts))))
            embed.description = "\n".join(lines)
            embed.add_field(
                name="\u200b", value=ask.t("common.page", page=shown.page, pages=shown.pages)
            )
            return embed

        pager = Pager(interaction.user.id, first.pages, render, locale=ask.locale)
        await pager.start(interaction)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Gifts(bot))
