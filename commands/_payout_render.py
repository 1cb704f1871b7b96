"""How a payout reads: gross, cut at cash-out, net (adding up as shown), and the way to the
minimum withdrawal.

Shared by /gift value, /diamonds and /tally show.
"""

from __future__ import annotations

from decimal import Decimal

import discord

from bot.context import Ask
from bot.render import progress_bar
from economy.quotes import Parts, PayoutQuote


def add_breakdown_fields(
    ask: Ask,
    embed: discord.Embed,
    parts: Parts,
    cut_fraction: Decimal,
    names: tuple[str, str, str] | None = None,
) -> None:
    """Gross, the cut at cash-out and net, as three fields whose amounts add up as shown.

    `names` are the three field names (default: the creator's gross, the cut with its
    percentage, the creator's net). A cut of 0% reads "none".
    """
    gross, cut, net = ask.parts(parts)
    if names is None:
        names = (
            ask.t("gift.value.gross"),
            ask.t("gift.value.cut", cut=ask.percent(cut_fraction)),
            ask.t("gift.value.net"),
        )
    embed.add_field(name=names[0], value=gross)
    embed.add_field(name=names[1], value=cut if cut_fraction else ask.t("diamonds.no_cut"))
    embed.add_field(name=names[2], value=net)


def add_payout_fields(ask: Ask, embed: discord.Embed, quote: PayoutQuote) -> None:
    """Gross, cut, net, and progress to cashing out."""
    result = quote.payout
    names = (
        ask.t("diamonds.gross"),
        ask.t("diamonds.cut", cut=ask.percent(quote.cashout_cut)),
        ask.t("diamonds.net"),
    )
    add_breakdown_fields(ask, embed, quote.parts, quote.cashout_cut, names)
    if result.reached:
        status = ask.t(
            "diamonds.reached",
            plural=result.days_to_cash_out,
            days=ask.number(result.days_to_cash_out),
            cap=ask.shown(quote.daily_cap),
        )
    else:
        status = ask.t(
            "diamonds.to_go",
            plural=result.diamonds_to_minimum,
            diamonds=ask.number(result.diamonds_to_minimum),
        )
    embed.add_field(
        name=ask.t(
            "diamonds.progress",
            plural=result.minimum_diamonds,
            minimum=ask.shown(quote.minimum),
            diamonds=ask.number(result.minimum_diamonds),
        ),
        value=f"`{progress_bar(result.progress)}`\n{status}",
        inline=False,
    )
