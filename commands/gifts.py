"""/gift value and /gift list."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.errors import UserError
from bot.pager import Page, Pager
from bot.render import answer
from bot.respond import reply
from bot.text import safe
from bot.transformers import GiftOption
from commands._explain import how_view
from commands._money_flow import add_picture_later
from commands._options import (
    LOOKUP_CONTEXTS,
    LOOKUP_INSTALLS,
    REGION_CHOICES,
    SORT_CHOICES,
    STORE_CHOICES,
    Choice,
    Count,
    chosen,
)
from commands._payout_render import add_breakdown_fields
from commands._purchase import describe_cost, describe_plan
from economy.catalog import Caveat, Gift, SortOrder
from economy.paging import paginate
from economy.quotes import GiftQuote, exchange_used, gift_quote

GIFTS_PER_PAGE = 15


def value_embed(ask: Ask, quote: GiftQuote) -> discord.Embed:
    """What `count` of a gift cost the viewer and pay the creator, the breakdown adding up as
    shown; notes say when the gift is retired or its price disputed."""
    notes = [ask.t("gift.value.retired")] if quote.gift.retired else []
    if quote.gift.caveat is not None:
        notes.append(caveat_text(ask, quote.gift.caveat))
    embed = answer(
        ask,
        ask.t("gift.value.title", gift=safe(quote.gift.name), count=ask.number(quote.count)),
        " ".join(notes) or None,
        exchange=exchange_used(quote),
    )
    embed.add_field(name=ask.t("gift.value.coins"), value=ask.number(quote.coins))
    embed.add_field(
        name=ask.t("gift.value.viewer_paid"), value=describe_cost(ask, quote.viewer), inline=False
    )
    embed.add_field(
        name=ask.t("gift.value.buying"), value=describe_plan(ask, quote.viewer), inline=False
    )
    embed.add_field(name=ask.t("gift.value.diamonds"), value=ask.number(quote.diamonds))
    add_breakdown_fields(ask, embed, quote.parts, quote.cashout_cut)
    return embed


def caveat_text(ask: Ask, caveat: Caveat) -> str:
    """What a user should know about a gift's price, in their language."""
    return ask.t(
        f"gift.caveat.{caveat.key}",
        plural=caveat.coins or 0,
        coins=ask.number(caveat.coins or 0),
        since=ask.date(caveat.since) if caveat.since else "",
        other=safe(caveat.other or ""),
    )


def list_line(ask: Ask, gift: Gift) -> str:
    """`**Galaxy** · 1,000 coins`, marked when retired (✝) or the server's own (★)."""
    line = ask.t("gift.list.line", gift=safe(gift.name), coins=ask.number(gift.coins))
    return line + (" ✝" if gift.retired else "") + (" ★" if gift.custom else "")


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
        interaction: discord.Interaction[GiftBot],
        gift: GiftOption,
        count: Count = 1,
        store: Choice | None = None,
        region: Choice | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        where = region.value if region else ask.region
        quote = gift_quote(gift, count, ask.rates, chosen(store, "app"), where, ask.currency)
        embed, view = value_embed(ask, quote), how_view(ask)
        await reply(interaction, embed=embed, view=view)
        add_picture_later(interaction, ask, quote, embed, view)

    @app_commands.command(name="list", description="Browse the gift catalog, page by page")
    @app_commands.describe(
        sort="Order by price or by name (default: price)",
        min_coins="Only gifts costing at least this many coins",
        max_coins="Only gifts costing at most this many coins",
    )
    @app_commands.choices(sort=SORT_CHOICES)
    async def list_gifts(
        self,
        interaction: discord.Interaction[GiftBot],
        sort: Choice | None = None,
        min_coins: app_commands.Range[int, 1, 10**9] | None = None,
        max_coins: app_commands.Range[int, 1, 10**9] | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        order: SortOrder = "name" if chosen(sort, "coins") == "name" else "coins"
        gifts = ask.catalog.listing(sort=order, min_coins=min_coins, max_coins=max_coins)
        if not gifts:
            raise UserError("gift.list.none_in_range")

        async def render(page: int) -> Page:
            shown = paginate(gifts, page, GIFTS_PER_PAGE)
            embed = answer(
                ask, ask.t("gift.list.title", plural=len(gifts), total=ask.number(len(gifts)))
            )
            embed.description = "\n".join(list_line(ask, g) for g in shown.items)
            embed.add_field(
                name="\u200b", value=ask.t("common.page", page=shown.page, pages=shown.pages)
            )
            return Page(embed, shown.pages)

        pager = Pager(interaction.user.id, render, locale=ask.locale)
        await pager.start(interaction)


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Gifts())
