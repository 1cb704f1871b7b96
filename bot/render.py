"""One look for every answer: colour, title, fields and, on answers that show figures, a footer
naming the assumptions."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import discord

from bot.context import Ask
from bot.text import safe
from economy.catalog import Gift, GiftMatch, MatchKind
from economy.model import Figure

COLOUR = discord.Colour(0xFE2C55)
ERROR_COLOUR = discord.Colour(0xED4245)
BAR_WIDTH = 20


def answer(
    ask: Ask, title: str, description: str | None = None, *, exchange: Iterable[Figure] = ()
) -> discord.Embed:
    """An answer that shows figures: the house style, with the assumptions in the footer
    (`exchange`: the dated exchange rates its converted amounts used)."""
    embed = notice(ask, title, description)
    embed.set_footer(text=ask.footer(exchange))
    return embed


def notice(ask: Ask, title: str, description: str | None = None) -> discord.Embed:
    """An answer in the house style without figures ("Group created"): no assumptions footer.

    Either kind first says how a typed gift name was read when it was not exact.
    """
    notes = [note for match in ask.gift_matches if (note := match_note(ask, match))]
    text = "\n".join([*notes, description] if description else notes) or None
    return discord.Embed(title=title, description=text, colour=COLOUR)


def match_note(ask: Ask, match: GiftMatch) -> str | None:
    """`"galxy" is no gift's name; the closest is **Galaxy**.`, or the other gifts that share
    the typed name; None when the name was exact and no other gift answers to it."""
    if match.how is MatchKind.CLOSEST:
        return ask.t("gift.match.closest", typed=safe(match.query), gift=safe(match.gift.name))
    if match.also:
        others = ", ".join(other_gift(ask, gift) for gift in match.also)
        return ask.t(
            "gift.match.shared", typed=safe(match.query), gift=safe(match.gift.name), others=others
        )
    return None


def other_gift(ask: Ask, gift: Gift) -> str:
    """A gift named with its price unless its name already says it (`Bouquet (20 coins)`)."""
    if gift.tiktok_name is not None:
        return safe(gift.name)
    return ask.t(
        "gift.match.other", gift=safe(gift.name), coins=ask.count("common.coin_count", gift.coins)
    )


def progress_bar(fraction: Decimal, width: int = BAR_WIDTH) -> str:
    """`▰▰▰▰▱▱▱▱ 50%`: a text bar for progress to a threshold."""
    bounded = min(max(fraction, Decimal(0)), Decimal(1))
    filled = int(bounded * width)
    percent = int(bounded * 100)
    return f"{'▰' * filled}{'▱' * (width - filled)} {percent}%"
