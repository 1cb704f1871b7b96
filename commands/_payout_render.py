"""How a payout reads: gross, cut, net and the way to the minimum withdrawal.

Shared by /diamonds and /tally show.
"""

from __future__ import annotations

import discord

from bot.context import Ask
from bot.render import progress_bar
from economy.quotes import PayoutQuote


def add_payout_fields(ask: Ask, embed: discord.Embed, quote: PayoutQuote) -> None:
    """Gross, cut, net, and progress to cashing out."""
    result = quote.payout
    embed.add_field(name=ask.t("diamonds.gross"), value=ask.shown(quote.gross))
    embed.add_field(
        name=ask.t("diamonds.cut", cut=ask.percent(quote.cashout_cut)), value=ask.shown(quote.cut)
    )
    embed.add_field(name=ask.t("diamonds.net"), value=ask.shown(quote.net))
    if result.reached:
        status = ask.t(
            "diamonds.reached",
            plural=result.days_to_cash_out,
            days=ask.number(result.days_to_cash_out),
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
